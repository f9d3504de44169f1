"""A response cache for the read queries, keyed by the request, the user's scope and the
store's data version.

What is cached is the JSON body a query route sends for one scope, keyed by (path, sorted
query parameters, today's date, data version, scope). The queries apply the scope
themselves, so an entry is exactly the answer every user of that scope gets, and it is
never shown to a user of another scope. Everything around the route still runs on a hit:
the access policy (role and scope) before it, the security middleware's checks and audit
entry after it.

The data version is the store's (``GraphStore.data_version``): the embedded store's write
counter, Neo4j's token renewed by every load (read from the server at most once a second).
Today's date is part of the key because ``as_of`` defaults to today.

Nothing tells a client whether its answer was reused: a hit would tell a user that someone
else asked the same question since the data last changed. The hit and miss counters stay
on the server (``hits``/``misses``); with ``DUTYGRAPH_API_CACHE_STATS=true`` each process
writes them to ``$DUTYGRAPH_HOME/cache-stats/<pid>.json`` about twice a second, where the
benchmark (``bench/api.py``, several worker processes) reads them.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from graph.scope import Scope
from graph.store.base import GraphStore

#: Default bounds of one process's cache.
MAX_ENTRIES = 4096
MAX_BYTES = 64 * 1024 * 1024
#: Seconds between two writes of a process's counters (``DUTYGRAPH_API_CACHE_STATS``).
STATS_EVERY = 0.5


class ResponseCache:
    """An LRU map of JSON bodies, bounded in entries and bytes, safe across threads."""

    def __init__(self, *, enabled: bool = True, max_entries: int = MAX_ENTRIES,
                 max_bytes: int = MAX_BYTES, stats_dir: Path | None = None) -> None:
        self.enabled = enabled
        #: Where this process's counters are written (None: kept in memory only).
        self.stats_dir = stats_dir
        self._stats_pid = 0
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._items: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    # -- entries -----------------------------------------------------------------------
    def get(self, key: tuple[Any, ...]) -> bytes | None:
        if self.stats_dir is not None and self._stats_pid != os.getpid():
            self._start_stats()
        with self._lock:
            body = self._items.get(key)
            if body is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return body

    def put(self, key: tuple[Any, ...], body: bytes) -> None:
        if len(body) > self.max_bytes // 16:  # one huge answer must not flush the rest
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old)
            self._items[key] = body
            self._bytes += len(body)
            while self._items and (len(self._items) > self.max_entries
                                   or self._bytes > self.max_bytes):
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)

    # -- counters for the benchmark ---------------------------------------------------------
    def _start_stats(self) -> None:
        """One writer thread per process (a forked worker does not inherit the parent's)."""
        with self._lock:
            if self._stats_pid == os.getpid():
                return
            self._stats_pid = os.getpid()
        threading.Thread(target=self._write_stats, name="cache-stats", daemon=True).start()

    def _write_stats(self) -> None:
        from graph.private import private_dir, write_private

        assert self.stats_dir is not None
        written: tuple[int, int] | None = None
        try:
            path = private_dir(self.stats_dir) / f"{os.getpid()}.json"
            while True:
                now = (self.hits, self.misses)
                if now != written:
                    write_private(path, b'{"hits": %d, "misses": %d}' % now)
                    written = now
                time.sleep(STATS_EVERY)
        except OSError:  # the home went away (a test's temporary one): nothing to report to
            return

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


def cache_of(request: Request) -> ResponseCache | None:
    cache: ResponseCache | None = getattr(request.app.state, "response_cache", None)
    return cache if cache is not None and cache.enabled else None


def request_key(request: Request, version: str, scope: Scope) -> tuple[Any, ...]:
    """(path, sorted query items, today, data version, scope): equal keys, equal answers."""
    query = tuple(sorted(request.query_params.multi_items()))
    return (request.url.path, query, dt.date.today().isoformat(), version, scope.key)


async def cached_json(request: Request, store: GraphStore, scope: Scope,
                      model: type[BaseModel], compute: Callable[[], BaseModel]) -> Response:
    """The JSON response of ``compute()`` (validated as ``model``), from the cache if fresh.

    ``compute`` must apply ``scope`` (it is part of the key). A hit is answered on the
    event loop; the query (and a data version due to be read again) runs in a worker
    thread. Errors of ``compute`` (404, 422, 503) propagate and are not cached.
    """
    cache = cache_of(request)
    key = None
    if cache is not None:
        version = store.data_version(wait=False)
        if version is None:
            version = await anyio.to_thread.run_sync(store.data_version)
        key = request_key(request, version or "", scope)
        body = cache.get(key)
        if body is not None:
            return Response(body, media_type="application/json")

    def answer() -> bytes:
        value = compute()
        if not isinstance(value, model):
            value = model.model_validate(value)
        return value.model_dump_json(by_alias=True).encode()

    body = await anyio.to_thread.run_sync(answer)
    if cache is not None and key is not None:
        cache.put(key, body)
    return Response(body, media_type="application/json")
