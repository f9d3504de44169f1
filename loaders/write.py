"""Writing validated rows, in batches, then ``flush``: a *planned* load through
:meth:`graph.store.base.GraphStore.write_batch`, the same on every store.

The graph is asked once which of the input's nodes it already holds; new nodes are written
in batches (``new``: Neo4j creates them without a lookup first), each batch also carrying
the relationships whose later-created endpoint it holds; nodes the graph already holds,
and relationships between two of them, are merged. See :mod:`graph.store.neo4j_load` for
why this is safe with concurrent loads; the embedded store applies each batch through its
upserts. Rows stay compact lists (:mod:`graph.store.batch`) until a batch is written.

A load cut short after any batch is completed by running it again: what was written is
then found in the graph and merged (rewritten unchanged), the rest created.

A load that is a change set (``change``, :mod:`loaders.changes`) ends every row with its
source token (``change.source.row``: the file/sheet in ``collected.sources`` and the row as
the spreadsheet shows it), from which the store writes each fact's provenance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from graph.schema import SCHEMA, uid_of
from graph.store.base import GraphStore
from graph.store.batch import LoadBatch, NodeRows, RelRows
from loaders.resolve import ref_slots
from loaders.tables import TABLES, Table
from loaders.validate import FIRST_VALUE, Collected


@dataclass
class WriteCounts:
    nodes: Counter[str] = field(default_factory=Counter)
    relationships: Counter[str] = field(default_factory=Counter)


def count_relationships(collected: Collected) -> int:
    n = 0
    for t in TABLES:
        rows = collected.rows[t.name]
        if t.rel is not None:
            n += len(rows)
            continue
        for i, _ in ref_slots(t):
            for row in rows:
                v = row[i]
                if v is not None:
                    n += len(v) if isinstance(v, tuple) else 1
    return n


def write_all(
    store: GraphStore,
    collected: Collected,
    batch_size: int,
    progress: Callable[[int], None] | None = None,
    change: int | None = None,
) -> WriteCounts:
    """Write every row of ``collected`` (as change set ``change`` when given); returns
    records written per label and type."""
    return write_planned(store, collected, batch_size, progress, change=change)


# -- the planned load ---------------------------------------------------------------------
#: Write transactions in flight at once: the server runs each on one thread, so a second
#: one uses the second core while the first commits.
WRITERS = 2
#: A relationship row: (src uid, dst uid, key, *values).
RelRow = tuple[Any, ...]


def _token(change: int | None, row: tuple[Any, ...]) -> tuple[str, ...]:
    """The row's source token as a one-element tuple to append, or nothing."""
    return () if change is None else (f"{change}.{row[0]}.{row[1]}",)


def iter_rel_rows(collected: Collected, change: int | None = None
                  ) -> Iterator[tuple[str, tuple[str, ...], RelRow]]:
    """(type, property names, row) of every relationship, without record objects; each row
    ends with its source token when ``change`` is given."""
    for t in TABLES:
        slots = ref_slots(t)
        rows = collected.rows[t.name]
        if t.rel is not None:
            si = next(i for i, c in slots if c.ref is not None and c.ref.end == "src")
            di = next(i for i, c in slots if c.ref is not None and c.ref.end == "dst")
            names = t.prop_names
            end = FIRST_VALUE + len(names)
            # The key the same way as RelRecord.make: the key properties joined by "|".
            key_at = [FIRST_VALUE + names.index(k) if k in names else None
                      for k in SCHEMA.rel(t.rel).key]
            for row in rows:
                key = "|".join("" if i is None or row[i] is None else str(row[i])
                               for i in key_at)
                yield t.rel, names, (row[si], row[di], key, *row[FIRST_VALUE:end],
                                     *_token(change, row))
            continue
        assert t.node is not None
        label = t.node
        for row in rows:
            me = uid_of(label, row[2])
            tok = _token(change, row)
            for i, col in slots:
                value = row[i]
                if value is None:
                    continue
                assert col.ref is not None
                rel, outgoing = col.ref.rel, col.ref.end == "dst"
                for other in value if isinstance(value, tuple) else (value,):
                    yield rel, (), ((me, other, "", *tok) if outgoing else (other, me, "", *tok))


def _node_tables() -> list[Table]:
    return [t for t in TABLES if t.node is not None]


def _node_rows(t: Table, rows: list[Any], change: int | None = None) -> NodeRows:
    assert t.node is not None
    label, names = t.node, t.prop_names
    end = FIRST_VALUE + len(names)
    return NodeRows(label, names, [[r[2], uid_of(label, r[2]), *r[FIRST_VALUE:end],
                                    *_token(change, r)] for r in rows])


def run_ordered(
    write: Callable[[Any], int],
    n: int,
    deps: list[set[int]],
    make: Callable[[int], Any],
    writers: int,
    progress: Callable[[int], None] | None = None,
) -> None:
    """``write(make(k))`` for k in 0..n-1, up to ``writers`` at once, each after its deps.

    Batches are built here (in the caller's thread) while earlier ones are being written,
    so building overlaps the server's work. The first failure stops submitting; it is
    raised once the batches in flight have finished.
    """
    if writers <= 1:
        for k in range(n):
            batch = make(k)
            write(batch)
            if progress:
                progress(batch.size)
        return
    done: dict[int, Future[int]] = {}
    inflight: dict[Future[int], int] = {}  # future -> records, for the progress bar

    def collect(futures: set[Future[int]]) -> None:
        for f in futures:
            size = inflight.pop(f)
            f.result()  # raises the batch's failure
            if progress:
                progress(size)

    with ThreadPoolExecutor(writers, thread_name_prefix="dutygraph-write") as pool:
        try:
            for k in range(n):
                for d in deps[k]:
                    done[d].result()  # raises the dependency's failure
                while len(inflight) >= writers:
                    collect(wait(inflight, return_when=FIRST_COMPLETED).done)
                batch = make(k)
                fut = pool.submit(write, batch)
                done[k] = fut
                inflight[fut] = batch.size
                del batch
            collect(wait(inflight).done)
        except BaseException:
            for f in inflight:
                f.cancel()
            raise


def write_planned(
    store: GraphStore,
    collected: Collected,
    batch_size: int,
    progress: Callable[[int], None] | None = None,
    writers: int = WRITERS,
    change: int | None = None,
) -> WriteCounts:
    """Write through ``store.write_batch``: CREATE what is new, MERGE the rest (see above).

    ``writers`` transactions run at once, each new batch after the batches holding the
    other ends of its relationships. With ``change``, every batch belongs to that change
    set (provenance and history, see the module docstring).
    """
    counts = WriteCounts()
    existing: set[str] = set()
    if store.counts().total_nodes:
        existing = store.existing_uids(
            uid_of(t.node, r[2]) for t in _node_tables() for r in collected.rows[t.name]
            if t.node is not None)

    # 1. Nodes the graph holds: merged first, in batches of their own.
    # 2. New nodes: batch k of them; batch_of[uid] = k.
    new_batches: list[tuple[Table, list[Any]]] = []
    batch_of: dict[str, int] = {}
    for t in _node_tables():
        assert t.node is not None
        rows = collected.rows[t.name]
        if existing:
            old = [r for r in rows if uid_of(t.node, r[2]) in existing]
            rows = [r for r in rows if uid_of(t.node, r[2]) not in existing]
            for i in range(0, len(old), batch_size):
                part = old[i:i + batch_size]
                store.write_batch(LoadBatch(nodes=[_node_rows(t, part, change)], change=change))
                counts.nodes[t.node] += len(part)
                if progress:
                    progress(len(part))
        for i in range(0, len(rows), batch_size):
            part = rows[i:i + batch_size]
            k = len(new_batches)
            new_batches.append((t, part))
            prefix = SCHEMA.node(t.node).prefix + ":"
            for r in part:
                batch_of[prefix + r[2]] = k

    # 3. Each relationship goes with the batch of its later-created endpoint (-1: both
    #    endpoints were already in the graph, so it may exist too: merged at the end).
    #    That batch then depends on the batch of the other endpoint (committed first).
    buckets: dict[int, dict[tuple[str, tuple[str, ...]], list[RelRow]]] = {}
    deps: list[set[int]] = [set() for _ in new_batches]
    for rel, names, row in iter_rel_rows(collected, change):
        ks, kd = batch_of.get(row[0], -1), batch_of.get(row[1], -1)
        k, other = (ks, kd) if ks >= kd else (kd, ks)
        if 0 <= other < k:
            deps[k].add(other)
        buckets.setdefault(k, {}).setdefault((rel, names), []).append(row)
    del batch_of

    def make(k: int) -> LoadBatch:
        t, part = new_batches[k]
        assert t.node is not None
        groups = buckets.pop(k, {})
        counts.nodes[t.node] += len(part)
        for (rel, _), rows in groups.items():
            counts.relationships[rel] += len(rows)
        new_batches[k] = (t, [])  # built: let the rows go with the batch
        return LoadBatch(nodes=[_node_rows(t, part, change)],
                         rels=[RelRows(rel, names, rows) for (rel, names), rows in groups.items()],
                         new=True, change=change)

    run_ordered(store.write_batch, len(new_batches), deps, make, writers, progress)

    for (rel, names), rows in buckets.pop(-1, {}).items():
        for i in range(0, len(rows), batch_size):
            part = rows[i:i + batch_size]
            store.write_batch(LoadBatch(rels=[RelRows(rel, names, part)], change=change))
            counts.relationships[rel] += len(part)
            if progress:
                progress(len(part))
    store.flush()
    return counts
