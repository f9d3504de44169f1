"""The analytics input in Cypher: which nodes a scope shows (the projection analysed).

From the scope's unit subtrees outwards, one kind at a time in the order of their anchors
(:attr:`graph.schema.NodeKind.scope`: a Project after the Issues it addresses), one query
each: the nodes of a kind anchored to a node already found. The work grows with what the
scope shows, not with the graph (the scope predicate on every node took 9-18 s at district
scale).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, LiteralString

from graph.schema import SCHEMA, cypher_label, cypher_type
from graph.scope import Scope
from graph.store.cypher.scope import compose

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore


def anchor_order() -> list[str]:
    """Every kind but Unit, each after the kinds its anchors lead to.

    >>> anchor_order().index("Project") > anchor_order().index("Issue")
    True
    """
    done = {"Unit"}
    order: list[str] = []
    rest = [n for n in SCHEMA.nodes if n.label != "Unit"]
    while rest:
        ready = [n for n in rest if all(
            set(SCHEMA.rel(t).targets if d == "out" else SCHEMA.rel(t).sources) <= done
            for t, d in n.scope.anchors)]
        if not ready:  # the schema test forbids anchor cycles
            raise ValueError(f"anchor cycle among {[n.label for n in rest]}")
        for n in ready:
            order.append(n.label)
            done.add(n.label)
        rest = [n for n in rest if n.label not in done]
    return order


_UNITS: LiteralString = """
MATCH (root:Unit:Entity) WHERE root.uid IN $scope_roots
MATCH (u:Unit)-[:`SUBORDINATE_TO`*0..]->(root)
RETURN collect(DISTINCT u.uid) AS uids
"""


@functools.cache
def kind_query(label: str) -> tuple[LiteralString, tuple[str, ...]]:
    """The nodes of ``label`` anchored to given nodes, and the kinds of those nodes, in the
    order of their parameters ``$e0``, ``$e1`` ... (uids; labels and types from the
    schema). Rows carry uids only: a query holding a district's records as nodes, or
    lists of them beside each row, outgrew the server's transaction memory."""
    branches: list[str] = []
    ends: list[str] = []
    for rel_type, direction in SCHEMA.node(label).scope.anchors:
        rel = SCHEMA.rel(rel_type)
        arrow = (f"-[:{cypher_type(rel_type)}]->" if direction == "out"
                 else f"<-[:{cypher_type(rel_type)}]-")
        for end in rel.targets if direction == "out" else rel.sources:
            branches.append(f"UNWIND $e{len(ends)} AS u MATCH (x:Entity {{uid: u}}) "
                            f"MATCH (n:{cypher_label(label)}){arrow}(x) RETURN n.uid AS v")
            ends.append(end)
    return compose("CALL () { ", " UNION ALL ".join(branches),
                   " } RETURN collect(DISTINCT v) AS uids"), tuple(ends)


_EVERY: LiteralString = "MATCH (n:Entity) RETURN collect(n.uid) AS uids"


class AnalyticsCypher:
    """The analytics operations of :class:`graph.store.ops.ReadOps` in Cypher."""

    db: Neo4jStore

    def members(self, scope: Scope) -> frozenset[str]:
        if scope.everything:
            rows = self.db.read_plain(_EVERY)
            return frozenset(rows[0]["uids"]) if rows else frozenset()
        rows = self.db.read_plain(_UNITS, scope.params())
        found: dict[str, list[str]] = {"Unit": rows[0]["uids"] if rows else []}
        for label in anchor_order():  # one round trip per kind
            query, ends = kind_query(label)
            rows = self.db.read_plain(query, {f"e{i}": found[end] for i, end in enumerate(ends)})
            found[label] = rows[0]["uids"] if rows else []
        return frozenset(u for uids in found.values() for u in uids)
