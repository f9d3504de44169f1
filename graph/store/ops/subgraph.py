"""Read operations of graph views: a node's neighbourhood and shortest paths.

The rows both backends return and the protocol they implement: Cypher in
:mod:`graph.store.cypher.subgraph`, a walk of the embedded graph in
:mod:`graph.store.walks.subgraph`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypedDict

from graph.schema import SCHEMA
from graph.scope import Scope
from graph.store.ops.common import Props


#: Per label, the properties a graph view carries of a node (long free text left out).
VIEW_PROPS: dict[str, tuple[str, ...]] = {
    n.label: tuple(p.name for p in n.properties if p.type != "text") for n in SCHEMA.nodes}
#: Edge codes of neighbourhood rows: the type's index in ``SCHEMA.rel_types``, plus
#: :data:`OUTGOING` when the edge leaves the expanded node.
OUTGOING = 64
#: Relationship type -> its index, the low bits of an edge code.
TYPE_INDEX: dict[str, int] = {t: i for i, t in enumerate(SCHEMA.rel_types)}
assert len(TYPE_INDEX) < OUTGOING


#: A node of a neighbourhood: its uid, then the values of its kind's :data:`VIEW_PROPS` in
#: order. One flat list on purpose: a thousand of them travel and are decoded per view.
ViewNode = list[Any]
#: An expanded node of a neighbourhood: (uid, the other ends of its relationships to
#: included nodes, their edge codes (:data:`OUTGOING`), the properties of those edges whose
#: type has properties (in the same order), the number of neighbours the cap left out).
Expansion = tuple[str, list[str], list[int], list[Props], int]


class NeighbourhoodRow(TypedDict):
    #: Per level (0: the centre), the nodes taken, in the order they were taken.
    levels: list[list[ViewNode]]
    #: Every expanded node (closer than the depth), level by level.
    expanded: list[Expansion]


class PathRelRow(TypedDict):
    type: str
    src: str
    dst: str
    #: The schema properties that are set.
    props: Props


class PathRow(TypedDict):
    """One shortest path: its nodes in order, and every relationship (of the types
    followed) between consecutive nodes -- parallel ones included."""

    nodes: list[Props]
    rels: list[PathRelRow]


class PathsRow(TypedDict):
    #: The two ends that exist and are in scope (one when both are the same node).
    ends: list[Props]
    #: The first paths in lexicographic order of their uid sequences.
    paths: list[PathRow]


class SubgraphOps(Protocol):
    """The read operations of graph views."""

    def neighbourhood(self, uid: str, *, depth: int, rel_types: Sequence[str] | None,
                      labels: Sequence[str] | None, limit: int, as_of: str | None,
                      scope: Scope) -> NeighbourhoodRow | None:
        """The capped neighbourhood of node ``uid`` through nodes in ``scope`` only (the
        rule of :mod:`graph.queries.subgraph`); ``None`` when the node is missing or out of
        scope."""
        ...

    def shortest_paths(self, a: str, b: str, *, max_depth: int,
                       rel_types: Sequence[str] | None, limit: int,
                       scope: Scope) -> PathsRow:
        """The ends ``a`` and ``b`` that exist in ``scope``, and when both do, the first
        ``limit`` (by uid sequence) of their shortest undirected paths of at most
        ``max_depth`` hops through nodes in ``scope`` (of at most ``PATH_CAP`` found)."""
        ...
