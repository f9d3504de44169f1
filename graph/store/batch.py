"""The records of a bulk load: what the loader hands a store, one transaction at a time
(:meth:`graph.store.base.GraphStore.write_batch`).

Rows are compact lists (no dict keys per row) with the property names given once per
group, so a load of millions of rows builds no record object per row. Neo4j writes a batch
with ``CREATE`` or ``MERGE`` statements (:mod:`graph.store.neo4j_load`); the embedded store
applies it through its upserts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class NodeRows:
    """Nodes of one label: each row is ``[id, uid, *values]``, values in ``props`` order
    (in a batch of a change set, followed by the row's source token)."""

    label: str
    props: tuple[str, ...]
    rows: Sequence[Sequence[Any]]


@dataclass(frozen=True, slots=True)
class RelRows:
    """Relationships of one type: each row is ``[src uid, dst uid, key, *values]`` (in a
    batch of a change set, followed by the row's source token).

    Endpoint kinds are not checked row by row here: the loader resolved every reference
    to a kind its column allows.
    """

    type: str
    props: tuple[str, ...]
    rows: Sequence[Sequence[Any]]


@dataclass(frozen=True, slots=True)
class LoadBatch:
    """One write transaction of a load.

    ``new``: every node in it is absent from the graph (``CREATE``), and every relationship
    in it touches a node created in it; else everything is ``MERGE`` d. ``change``: the
    change set the batch belongs to (:mod:`graph.history`); its facts then carry their
    provenance (``_change``, ``_sources`` from each row's token) and the store records the
    batch's part of the change set in the same transaction.
    """

    nodes: list[NodeRows] = field(default_factory=list)
    rels: list[RelRows] = field(default_factory=list)
    new: bool = False
    change: int | None = None

    @property
    def size(self) -> int:
        return sum(len(g.rows) for g in self.nodes) + sum(len(g.rows) for g in self.rels)
