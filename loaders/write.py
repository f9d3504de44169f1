"""Writing validated rows: nodes first, then relationships, in batches, then ``flush``.

Records are built batch by batch from the compact rows, so at most one batch of
``NodeRecord``/``RelRecord`` objects exists at a time. Every write is an upsert by identity
(node: label+id; relationship: type+src+dst+key), so a load cut short after any batch is
completed by running it again: the batches already written are rewritten unchanged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graph.schema import uid_of
from graph.store.base import GraphStore, NodeRecord, RelRecord
from loaders.resolve import ref_slots
from loaders.tables import TABLES
from loaders.validate import FIRST_VALUE, Collected


@dataclass
class WriteCounts:
    nodes: Counter[str] = field(default_factory=Counter)
    relationships: Counter[str] = field(default_factory=Counter)


def iter_nodes(collected: Collected) -> Iterator[NodeRecord]:
    for t in TABLES:
        if t.node is None:
            continue
        names = t.prop_names
        end = FIRST_VALUE + len(names)
        label = t.node
        for row in collected.rows[t.name]:
            values = row[FIRST_VALUE:end]
            props = {n: v for n, v in zip(names, values, strict=True) if v is not None}
            yield NodeRecord(label, row[2], props)


def iter_relationships(collected: Collected) -> Iterator[RelRecord]:
    for t in TABLES:
        slots = ref_slots(t)
        rows = collected.rows[t.name]
        if t.rel is not None:
            # A table of relationships: two reference columns are its ends.
            si = next(i for i, c in slots if c.ref is not None and c.ref.end == "src")
            di = next(i for i, c in slots if c.ref is not None and c.ref.end == "dst")
            names = t.prop_names
            end = FIRST_VALUE + len(names)
            for row in rows:
                props = {n: v for n, v in zip(names, row[FIRST_VALUE:end], strict=True)
                         if v is not None}
                yield RelRecord.make(t.rel, row[si], row[di], props)
            continue
        assert t.node is not None
        label = t.node
        for row in rows:
            me = uid_of(label, row[2])
            for i, col in slots:
                value = row[i]
                if value is None:
                    continue
                assert col.ref is not None
                rel, outgoing = col.ref.rel, col.ref.end == "dst"
                for other in value if isinstance(value, tuple) else (value,):
                    if outgoing:
                        yield RelRecord(rel, me, other)
                    else:
                        yield RelRecord(rel, other, me)


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


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_all(
    store: GraphStore,
    collected: Collected,
    batch_size: int,
    progress: Callable[[int], None] | None = None,
) -> WriteCounts:
    """Write every row of ``collected``; returns records written per label and type."""
    counts = WriteCounts()
    for batch in _batches(iter_nodes(collected), batch_size):
        store.upsert_nodes(batch)
        counts.nodes.update(r.label for r in batch)
        if progress:
            progress(len(batch))
    for batch in _batches(iter_relationships(collected), batch_size):
        store.upsert_relationships(batch)
        counts.relationships.update(r.type for r in batch)
        if progress:
            progress(len(batch))
    store.flush()
    return counts
