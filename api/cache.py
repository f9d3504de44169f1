"""A response cache for the read queries, keyed by the request and the data version.

What is cached is the JSON body a query route would send to a user who sees everything,
keyed by (path, sorted query parameters, today's date, data version). It sits *inside* the
route, so everything around the route still runs on a hit:

* the guard dependency (role and subject-scope check) runs before the route;
* the security middleware prunes out-of-scope items from the body per user and appends the
  audit entry with the ids the body carried -- for hits exactly as for misses.

So a cached body is never shown to a user outside its scope: it is the unscoped body, and
each user's scope is applied to it on the way out. Routes whose result depends on the user
(the graph views prune inside their dependency) are not cached.

The data version says when an entry is stale: the embedded store counts its mutations
(``EmbeddedStore.version``); Neo4j holds a token that every load renews when it finishes
(``Neo4jStore.data_version``, renewed by ``flush``). The Neo4j token is read at most once per
:data:`VERSION_TTL` seconds per process, so a finished load is seen within that time. Today's
date is part of the key because ``as_of`` defaults to today.

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

from graph.store.base import GraphStore

#: Seconds a Neo4j data version is trusted before it is read again.
VERSION_TTL = 1.0
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
        self._version: tuple[Any, float] | None = None  # (version, read at)
        self.hits = self.misses = 0

    # -- the data version ------------------------------------------------------------
    def data_version(self, store: GraphStore) -> Any:
        """The store's data version (see the module docstring); raises StoreUnavailable."""
        local = getattr(store, "version", None)
        if isinstance(local, int):  # the embedded store: in memory, always current
            return (id(store), local)
        reader: Callable[[], Any] | None = getattr(store, "data_version", None)
        if reader is None:  # a store without versions: never reuse an answer
            return object()
        now = time.monotonic()
        known = self._version
        if known is not None and now - known[1] < VERSION_TTL:
            return known[0]
        version = (id(store), reader())
        self._version = (version, now)
        return version

    def known_version(self, store: GraphStore) -> Any:
        """The data version if it can be had without a query (None: call data_version)."""
        local = getattr(store, "version", None)
        if isinstance(local, int):
            return (id(store), local)
        known = self._version
        if known is not None and time.monotonic() - known[1] < VERSION_TTL:
            return known[0]
        return None

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

    def clear_version(self) -> None:
        """Read the data version again on the next request (tests; after a known load)."""
        self._version = None

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
            self._version = None


def cache_of(request: Request) -> ResponseCache | None:
    cache: ResponseCache | None = getattr(request.app.state, "response_cache", None)
    return cache if cache is not None and cache.enabled else None


def request_key(request: Request, version: Any) -> tuple[Any, ...]:
    """(path, sorted query items, today, data version): equal keys, equal answers."""
    query = tuple(sorted(request.query_params.multi_items()))
    return (request.url.path, query, dt.date.today().isoformat(), version)


async def cached_json(request: Request, store: GraphStore, model: type[BaseModel],
                      compute: Callable[[], BaseModel]) -> Response:
    """The JSON response of ``compute()`` (validated as ``model``), from the cache if fresh.

    A hit is answered on the event loop; the query (and a data version due to be read
    again) runs in a worker thread. Errors of ``compute`` (404, 422, 503) propagate and
    are not cached.
    """
    cache = cache_of(request)
    key = None
    if cache is not None:
        version = cache.known_version(store)
        if version is None:
            version = await anyio.to_thread.run_sync(cache.data_version, store)
        key = request_key(request, version)
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
