"""Typed dependencies of the routes: the store, the settings, and the common parameters
(``as_of``, pagination) declared once so every route documents them the same way."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends, Query, Request
from pydantic import Field

from graph.errors import StoreUnavailable
from graph.settings import Settings
from graph.store import GraphStore, open_store

log = logging.getLogger("dutygraph.api")


#: Seconds the Neo4j driver keeps retrying a transaction while the server does not answer.
#: The driver's default (and the CLI's) favours finishing long loads; a web request should
#: rather answer 503 quickly and let the client retry (Retry-After).
API_RETRY_SECONDS = 3.0
#: A running server looks for what other processes wrote (a load, an undo, a correction in
#: another terminal) at most this often, so that every change is seen within a second.
REFRESH_SECONDS = 0.5


def open_api_store(settings: Settings) -> GraphStore:
    """The configured store, with a short transaction retry budget for Neo4j."""
    if not settings.neo4j_uri:
        return open_store(settings)
    from graph.store.neo4j import Neo4jStore

    return Neo4jStore.from_settings(settings, max_transaction_retry_time=API_RETRY_SECONDS,
                                    connection_timeout=API_RETRY_SECONDS)


class StoreHolder:
    """Opens the store on first use and keeps it; remembers nothing about failures.

    When the database is down at start-up (or goes down later), requests answer 503 and the
    next request tries again: opening is retried until it succeeds, and the schema is
    ensured once it can be. A store given from outside (tests, the demo) is used as is and
    not closed here.
    """

    def __init__(
        self,
        settings: Settings,
        store: GraphStore | None = None,
        factory: Callable[[Settings], GraphStore] = open_api_store,
    ) -> None:
        self.settings = settings
        self._factory = factory
        self._store = store
        self._owned = store is None
        self._schema_ready = False
        self._lock = threading.Lock()
        self._refreshed = 0.0

    def get(self) -> GraphStore:
        store, ready = self._store, self._schema_ready
        if store is not None and ready:
            return store
        with self._lock:
            if self._store is None:
                self._store = self._factory(self.settings)
            if not self._schema_ready:
                # Idempotent; raises StoreUnavailable while the server is down, and is
                # simply tried again by the next request.
                self._store.ensure_schema()
                self._schema_ready = True
            return self._store

    def ready(self) -> GraphStore | None:
        """The store if it is open with its schema in place (no blocking), else None."""
        store = self._store
        return store if store is not None and self._schema_ready else None

    def refresh_due(self) -> bool:
        """Whether :meth:`refresh` should run now (at most every :data:`REFRESH_SECONDS`)."""
        return time.monotonic() - self._refreshed >= REFRESH_SECONDS

    def refresh(self) -> None:
        """Pick up what other processes wrote (:meth:`GraphStore.refresh`); the store swaps
        in a whole newer graph, so a request sees the state before or after, never half."""
        self._refreshed = time.monotonic()
        store = self.ready()
        if store is not None:
            store.refresh()

    def warm_up(self) -> None:
        """Open the store now if possible; a database that is down is not fatal."""
        try:
            self.get()
        except StoreUnavailable as exc:
            log.warning("database unavailable at start-up, will retry on demand: %s", exc)

    def close(self) -> None:
        with self._lock:
            store, self._store = self._store, None
            self._schema_ready = False
        if store is not None and self._owned:
            store.close()


# The dependencies are async where they do not block: a sync dependency costs a trip
# through the thread pool on every request.
def holder_of(request: Request) -> StoreHolder:
    holder: StoreHolder = request.app.state.store_holder
    return holder


async def get_holder(request: Request) -> StoreHolder:
    return holder_of(request)


async def get_store(holder: Annotated[StoreHolder, Depends(get_holder)]) -> GraphStore:
    """The application's store (503 through the error handlers while it is unreachable)."""
    store = holder.ready()
    if store is not None:
        if holder.refresh_due():
            await anyio.to_thread.run_sync(holder.refresh)
        return store
    # Opening the store and ensuring its schema block: in a worker thread.
    return await anyio.to_thread.run_sync(holder.get)


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]

# -- common parameters ---------------------------------------------------------------------
AsOfParam = Annotated[
    dt.date | None,
    Query(
        description=(
            "Evaluate tenures (posts, portfolios) as of this date, ISO `YYYY-MM-DD`; "
            "default today. / 按该日期判断任职与分管，默认今天。"
        ),
        examples=["2017-06-30"],
    ),
]
LimitParam = Annotated[
    int, Query(ge=1, le=1000, description="Page size (1–1000). / 每页条数。", examples=[50])
]
OffsetParam = Annotated[
    int,
    Query(ge=0, le=1_000_000, description="Items to skip (0-based). / 跳过的条数。", examples=[0]),
]


def one_of(values: Iterable[str]) -> Any:
    """Metadata for ``Annotated[str, one_of(...)]``: the OpenAPI schema lists the allowed
    values (a dropdown in Swagger UI).

    The values are checked by the query itself, so a wrong one gets the same 422 body with
    the field and the reason as every other domain error.
    """
    return Field(json_schema_extra={"enum": list(values)})


def iso(value: dt.date | None) -> str | None:
    """The ISO string queries take for a date parameter (``None`` stays ``None``)."""
    return None if value is None else value.isoformat()
