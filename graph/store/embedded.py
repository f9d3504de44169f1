"""The embedded store: the graph as an in-process NetworkX ``MultiDiGraph``, saved on disk.

Used when ``NEO4J_URI`` is not set, so that ``pip install`` and one command give a working
system. Writes change memory; :meth:`EmbeddedStore.flush` (and ``close``) saves atomically:
the JSON snapshot is written to a temporary file in the same directory, fsynced and renamed
over the previous one, so a crash mid-save leaves the previous state intact. JSON, never
pickle: loading a snapshot cannot execute code.

Several processes may write the same home (two ``dutygraph load`` at once): each save holds
an exclusive file lock, and if another process saved since this one read the snapshot, the
latest snapshot is re-read under the lock and this store's writes since its last save
(kept in a journal) are applied on top before saving. So no process's writes are lost, and
every saved snapshot is a whole load applied to a whole previous state.

Change sets (:mod:`graph.store.embedded_history`): a load batch or state write of a change
set records its part in memory; ``flush`` saves the parts just before the snapshot, after
re-applying this store's writes to a newer snapshot when there is one (which computes the
parts again). A store that only reads (a server) picks up a snapshot another process saved
with :meth:`EmbeddedStore.refresh`: the new graph is read whole, then swapped in at once, so
a reader sees the old state or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import orjson

from graph.errors import StoreError
from graph.history.facts import PROVENANCE, FactKey, FactState, RelKey
from graph.history.model import ChangeKind, ChangePart
from graph.messages import Message
from graph.private import open_private, private_dir
from graph.schema import SCHEMA, split_uid, uid_of
from graph.store import embedded_change as change_ops
from graph.store.base import (
    Counts,
    Derived,
    Direction,
    Neighbour,
    NodeRecord,
    RelRecord,
    check_rel,
    clean_props,
    edge_key,
)
from graph.store.batch import LoadBatch
from graph.store.changes import ChangeLog, ChangeSet
from graph.store.embedded_history import EmbeddedHistory
from graph.store.history import Applied, StateWrite, stamped, touched
from graph.store.ops import ReadOps
from graph.store.walks import WalkReads

FORMAT = "dutygraph-embedded"
FORMAT_VERSION = 1
SNAPSHOT = "graph.json"


class EmbeddedStore:
    """A :class:`graph.store.base.GraphStore` kept in memory and persisted under ``home``.

    ``home=None`` keeps everything in memory only (tests, what-if analyses).
    """

    backend = "embedded"

    def __init__(self, home: Path | None) -> None:
        self.home = home
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        # Reads happen from many request threads; writes are rare and take the lock.
        self._lock = threading.RLock()
        self._dirty = False
        #: Incremented on every write, so derived values (indexes, scopes) know when they
        #: are stale (:meth:`data_version`).
        self.version = 0
        self.derived = Derived(self.data_version)
        self.changes = ChangeLog()
        self.reads: ReadOps = WalkReads(self)
        self._by_id: dict[str, set[str]] = {}
        #: Writes since the last save, replayed onto a newer snapshot saved meanwhile by
        #: another process (see the module docstring). Only kept for stores on disk.
        self._journal: list[tuple[str, Any]] = []
        #: Identity of the snapshot file this store last read or wrote.
        self._disk_stamp: tuple[int, int, int] | None = None
        #: Parts of change sets written to memory and not saved yet.
        self._parts: dict[int, list[ChangePart]] = {}
        self.history = EmbeddedHistory(self)
        if home is not None:
            private_dir(home)
            self._load()

    def server_info(self) -> dict[str, str]:
        return {"backend": self.backend, "home": str(self.home) if self.home else ""}

    def data_version(self, *, wait: bool = True) -> str:
        """This store's write counter (memory is always current)."""
        return str(self.version)

    def changes_since(self, version: str | None) -> ChangeSet | None:
        return self.changes.since(version, str(self.version))

    def _wrote(self, nodes: Iterable[str] = (), ends: Iterable[str] = ()) -> None:
        """Count one write and note what it touched (hold ``_lock``)."""
        self.changes.note(nodes, ends)
        self.version += 1
        self.changes.seal(str(self.version - 1), str(self.version))

    # -- persistence ---------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        return None if self.home is None else self.home / SNAPSHOT

    def _stamp(self) -> tuple[int, int, int] | None:
        assert self.path is not None
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _load(self) -> None:
        path = self.path
        assert path is not None
        if path.exists():
            self._disk_stamp = self._read_snapshot(path)

    def _read_snapshot(self, path: Path) -> tuple[int, int, int] | None:
        """Add the snapshot at ``path`` to this (empty) store; the stamp of what was read."""
        try:
            with open(path, "rb") as fh:
                st = os.fstat(fh.fileno())
                data = orjson.loads(fh.read())
        except (OSError, orjson.JSONDecodeError) as exc:
            raise StoreError(Message("store.unreadable", path=str(path), detail=str(exc))) from exc
        if data.get("format") != FORMAT or data.get("version") != FORMAT_VERSION:
            raise StoreError(Message("store.not_a_snapshot", path=str(path),
                                     version=FORMAT_VERSION))
        g = self.graph
        for label, node_id, props in data["nodes"]:
            uid = uid_of(label, node_id)
            g.add_node(uid, label=label, id=node_id, **props)
            self._by_id.setdefault(node_id, set()).add(uid)
        for rel_type, src, dst, key, props in data["edges"]:
            g.add_edge(src, dst, key=edge_key(rel_type, key), type=rel_type, **props)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def refresh(self) -> bool:
        """Pick up a snapshot another process saved since this store last read or wrote
        one; True when the graph changed.

        The new snapshot is read into a graph of its own and then swapped in, so readers
        holding the old graph keep a whole, consistent state. A store with writes not yet
        saved keeps them (its next ``flush`` re-applies them to the newer snapshot).
        """
        if self.home is None or self._dirty or self._stamp() == self._disk_stamp:
            return False
        fresh = EmbeddedStore(None)
        path = self.path
        assert path is not None
        stamp = fresh._read_snapshot(path) if path.exists() else None
        with self._lock:
            if self._dirty:
                return False
            self.graph = fresh.graph
            self._by_id = fresh._by_id
            self._disk_stamp = stamp
            self.changes.forget()  # another process's writes: not known uid by uid
            self._wrote()
        return True

    def _snapshot(self) -> bytes:
        g = self.graph
        nodes = [
            [a["label"], a["id"], {k: v for k, v in a.items() if k not in ("label", "id")}]
            for _, a in sorted(g.nodes(data=True))
        ]
        edges = [
            [a["type"], u, v, k.partition("|")[2], {x: y for x, y in a.items() if x != "type"}]
            for u, v, k, a in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3])
        ]
        doc = {"format": FORMAT, "version": FORMAT_VERSION, "schema": SCHEMA.version,
               "nodes": nodes, "edges": edges}
        return orjson.dumps(doc)

    def flush(self) -> None:
        path = self.path
        if path is None or not self._dirty:
            return
        with self._lock, self._file_lock():
            if self._stamp() != self._disk_stamp:
                self._rebase(path)
            if self._parts:
                # Saved before the graph they describe, and once only (a save that fails
                # below is retried without them: no part is counted twice).
                self.history.save_parts(self._parts)
                self._parts = {}
            payload = self._snapshot()
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            try:
                with os.fdopen(open_private(tmp, os.O_WRONLY | os.O_TRUNC), "wb") as fh:
                    fh.write(payload)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, path)
                dir_fd = os.open(path.parent, os.O_RDONLY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    tmp.unlink()
                raise StoreError(Message("store.unsaved", path=str(path),
                                         detail=str(exc))) from exc
            self._disk_stamp = self._stamp()
            self._journal.clear()
            self._dirty = False

    def _rebase(self, path: Path) -> None:
        """Re-read the snapshot another process saved and re-apply this store's journal."""
        fresh = EmbeddedStore(None)
        if path.exists():
            fresh._read_snapshot(path)
        for op, records in self._journal:
            if op == "clear":
                fresh.clear()
            elif op == "nodes":
                fresh.upsert_nodes(records)
            elif op == "rels":
                fresh.upsert_relationships(records)
            elif op == "batch":
                fresh.write_batch(records)
            else:  # "states": guarded writes fail here if another process broke a guard
                fresh.apply_states(*records)
        # Swap the content in place: readers may hold a reference to ``self.graph``.
        g = self.graph
        g.clear()
        g.add_nodes_from(fresh.graph.nodes(data=True))
        for u, v, k, a in fresh.graph.edges(keys=True, data=True):
            g.add_edge(u, v, key=k, **a)
        self._by_id = fresh._by_id
        self._parts = fresh._parts
        self.changes.forget()  # another process's writes: not known uid by uid
        self._wrote()

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        assert self.home is not None
        with os.fdopen(open_private(self.home / ".lock", os.O_RDWR), "r+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def close(self) -> None:
        self.flush()

    # -- schema ----------------------------------------------------------------------
    def ensure_schema(self, wait: int = 300) -> None:
        """Nothing to create: uniqueness is by construction (node keys are uids)."""

    def defer_indexes(self) -> list[str]:
        """No indexes to drop: the graph is keyed by uid."""
        return []

    # -- writes ----------------------------------------------------------------------
    def upsert_nodes(self, records: Sequence[NodeRecord]) -> int:
        prepared = []
        for r in records:
            props = clean_props(r.label, r.props, node=True)
            given = {k: v for k, v in props.items() if v is not None}
            prepared.append((r.uid, r.label, r.id, given))
        with self._lock:
            g = self.graph
            for uid, label, node_id, props in prepared:
                if uid in g:
                    # Replace the properties, keep the relationships.
                    g.nodes[uid].clear()
                    g.nodes[uid].update(label=label, id=node_id, **props)
                else:
                    g.add_node(uid, label=label, id=node_id, **props)
                    self._by_id.setdefault(node_id, set()).add(uid)
            self._dirty = self._dirty or bool(prepared)
            self._wrote(nodes=[uid for uid, *_ in prepared])
            if self.home is not None and prepared:
                self._journal.append(("nodes", list(records)))
        return len(prepared)

    def upsert_relationships(self, records: Sequence[RelRecord]) -> int:
        prepared = []
        with self._lock:
            g = self.graph
            for r in records:
                check_rel(r)
                missing = [u for u in (r.src, r.dst) if u not in g]
                if missing:
                    raise StoreError(Message("store.missing_endpoints", type=r.type, src=r.src,
                                             dst=r.dst, missing=missing))
                props = clean_props(r.type, r.props, node=False)
                prepared.append((r, {k: v for k, v in props.items() if v is not None}))
            for r, props in prepared:
                k = edge_key(r.type, r.key)
                if g.has_edge(r.src, r.dst, k):
                    attrs = g.edges[r.src, r.dst, k]
                    attrs.clear()
                    attrs.update(type=r.type, **props)
                else:
                    g.add_edge(r.src, r.dst, key=k, type=r.type, **props)
            self._dirty = self._dirty or bool(prepared)
            self._wrote(ends=[u for r, _ in prepared for u in (r.src, r.dst)])
            if self.home is not None and prepared:
                self._journal.append(("rels", list(records)))
        return len(prepared)

    def write_batch(self, batch: LoadBatch) -> int:
        """A bulk-load batch through the upserts, all or nothing: every relationship is
        checked (schema, endpoints in the graph or the batch) before anything is written.

        A batch of a change set (``batch.change``) writes the provenance too and records
        its part (:mod:`graph.store.embedded_change`).
        """
        if batch.change is not None:
            with self._lock:
                part = change_ops.write_load_batch(self, batch)
                self._changed(batch.change, part, ("batch", batch))
            return batch.size
        nodes = [NodeRecord(group.label, str(row[0]), dict(zip(group.props, row[2:], strict=True)))
                 for group in batch.nodes for row in group.rows]
        rels = [RelRecord(group.type, row[0], row[1],
                          dict(zip(group.props, row[3:], strict=True)), str(row[2]))
                for group in batch.rels for row in group.rows]
        with self._lock:
            batch_uids = {n.uid for n in nodes}
            for n in nodes:
                clean_props(n.label, n.props, node=True)
            for r in rels:
                check_rel(r)
                clean_props(r.type, r.props, node=False)
                missing = [u for u in (r.src, r.dst) if u not in self.graph and u not in batch_uids]
                if missing:
                    raise StoreError(Message("store.missing_endpoints", type=r.type, src=r.src,
                                             dst=r.dst, missing=missing))
            if nodes:
                self.upsert_nodes(nodes)
            if rels:
                self.upsert_relationships(rels)
        return batch.size

    def write_change(self, kind: ChangeKind, user: str, writes: Sequence[StateWrite], *,
                     reason: str | None = None) -> Applied:
        """The change set opened in the history's index, its writes applied and saved with
        the snapshot (:meth:`flush`) under one lock with the step noted uid by uid, and
        closed; the versions around it, ``before`` ``None`` when the save had to take in
        another process's snapshot. A refused write discards the change set it opened."""
        header = self.history.begin(kind, user, reason=reason)
        try:
            with self._lock:
                before = str(self.version)
                writes = stamped(writes, header.id)
                part = change_ops.apply_states(self, header.id, writes)
                self._changed(header.id, part, ("states", (header.id, list(writes))),
                              exact=True)
                written = str(self.version)
                self.flush()
                after = str(self.version)
        except BaseException:
            with contextlib.suppress(StoreError):
                self.history.discard(header.id)
            raise
        done = self.history.finish(header.id, part.counts())
        return Applied(done, part, before if after == written else None, after)

    def _changed(self, change: int, part: ChangePart, op: tuple[str, Any], *,
                 exact: bool = False) -> None:
        """Bookkeeping after a write of a change set (the caller holds the lock)."""
        self._parts.setdefault(change, []).append(part)
        self._dirty = True
        if exact:
            # One small change set (write_change): its part names every uid it touched.
            step = touched(part)
            self._wrote(step.nodes, step.ends)
        else:
            # The chunks of a bulk change set (undo, sync) are not listed uid by uid: an
            # incremental analysis recomputes everything after one.
            self.changes.forget()
            self._wrote()
        if self.home is not None:
            self._journal.append(op)

    def apply_states(self, change: int, writes: Sequence[StateWrite]) -> ChangePart:
        """Set facts to exact states as change ``change`` (see :class:`GraphStore`)."""
        with self._lock:
            part = change_ops.apply_states(self, change, writes)
            self._changed(change, part, ("states", (change, list(writes))))
        return part

    def fact_states(self, keys: Iterable[FactKey]) -> dict[FactKey, FactState]:
        with self._lock:
            found = {k: change_ops.state_of(self, k) for k in keys}
        return {k: v for k, v in found.items() if v is not None}

    def fact_keys(self, labels: Iterable[str], rel_types: Iterable[str]) -> list[FactKey]:
        with self._lock:
            return change_ops.fact_keys(self, labels, rel_types)

    def attached(self, uids: Iterable[str]) -> list[RelKey]:
        with self._lock:
            return change_ops.attached(self, uids)

    def clear(self) -> None:
        with self._lock:
            self.history.clear()
            self._parts.clear()
            self.graph.clear()
            self._by_id.clear()
            self._dirty = True
            self.changes.forget()
            self._wrote()
            if self.home is not None:
                self._journal = [("clear", None)]  # what came before no longer matters

    # -- reads -----------------------------------------------------------------------
    def _record(self, uid: str) -> NodeRecord:
        a = self.graph.nodes[uid]
        props = {k: v for k, v in a.items() if k not in ("label", "id") and k not in PROVENANCE}
        return NodeRecord(a["label"], a["id"], props)

    def get_node(self, uid: str) -> NodeRecord | None:
        split_uid(uid)
        return self._record(uid) if uid in self.graph else None

    def find_ids(self, node_id: str, labels: Iterable[str] | None = None) -> list[NodeRecord]:
        wanted = None if labels is None else {SCHEMA.node(lbl).label for lbl in labels}
        out = [self._record(u) for u in sorted(self._by_id.get(node_id, ()))]
        return [r for r in out if wanted is None or r.label in wanted]

    def existing_uids(self, uids: Iterable[str]) -> set[str]:
        g = self.graph
        return {u for u in uids if u in g}

    def neighbours(
        self,
        uid: str,
        *,
        rel_types: Iterable[str] | None = None,
        direction: Direction = "both",
        labels: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> list[Neighbour]:
        g = self.graph
        types = None if rel_types is None else {SCHEMA.rel(t).type for t in rel_types}
        wanted = None if labels is None else {SCHEMA.node(lbl).label for lbl in labels}
        if uid not in g:
            return []
        found: list[tuple[tuple[str, str, str, str], Neighbour]] = []

        def add(other: str, k: str, a: dict[str, Any], dirn: str) -> None:
            if types is not None and a["type"] not in types:
                return
            if wanted is not None and g.nodes[other]["label"] not in wanted:
                return
            props = {x: y for x, y in a.items() if x != "type" and x not in PROVENANCE}
            n = Neighbour(a["type"], dirn, props, k.partition("|")[2], self._record(other))  # type: ignore[arg-type]
            found.append(((a["type"], dirn, other, k), n))

        if direction in ("out", "both"):
            for _, other, k, a in g.out_edges(uid, keys=True, data=True):
                add(other, k, a, "out")
        if direction in ("in", "both"):
            for other, _, k, a in g.in_edges(uid, keys=True, data=True):
                add(other, k, a, "in")
        found.sort(key=lambda t: t[0])
        result = [n for _, n in found]
        return result if limit is None else result[:limit]

    def counts(self) -> Counts:
        g = self.graph
        nodes = Counter(a["label"] for _, a in g.nodes(data=True))
        rels = Counter(a["type"] for _, _, a in g.edges(data=True))
        return Counts(dict(nodes), dict(rels))

    def touching(self, uids: Iterable[str]) -> nx.MultiDiGraph:
        out: nx.MultiDiGraph = nx.MultiDiGraph()
        with self._lock:
            g = self.graph
            for uid in uids:
                if uid not in g:
                    continue
                for s, d, k, a in (*g.out_edges(uid, keys=True, data=True),
                                   *g.in_edges(uid, keys=True, data=True)):
                    for x in (s, d):
                        if x not in out:
                            out.add_node(x, **g.nodes[x])
                    out.add_edge(s, d, key=k, **a)
                if uid not in out:
                    out.add_node(uid, **g.nodes[uid])
        return out

    def to_networkx(self, uids: Iterable[str] | None = None, *,
                    shared: bool = False) -> nx.MultiDiGraph:
        with self._lock:
            if uids is None:
                return self.graph if shared else self.graph.copy()
            return self.graph.subgraph([u for u in uids if u in self.graph]).copy()
