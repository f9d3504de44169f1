"""The analytics input in Cypher: which nodes a scope shows (the projection analysed).

From the scope's unit subtrees outwards, one kind at a time in the order of their anchors
(:attr:`graph.schema.NodeKind.scope`: a Project after the Issues it addresses): the nodes
of a kind anchored to a node already found. The work grows with what the scope shows, not
with the graph (a predicate on every node took seconds at district scale).
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


@functools.cache
def members_query() -> LiteralString:
    """The members of a scope: per kind a ``COLLECT`` of the nodes anchored to members
    found before (labels and types from the schema)."""
    parts = ["MATCH (root:Unit:Entity) WHERE root.uid IN $scope_roots\n"
             "MATCH (u:Unit)-[:`SUBORDINATE_TO`*0..]->(root)\n"
             "WITH collect(DISTINCT u) AS m_Unit\n"]
    names = ["m_Unit"]
    for label in anchor_order():
        kind = SCHEMA.node(label)
        branches = []
        for rel_type, direction in kind.scope.anchors:
            rel = SCHEMA.rel(rel_type)
            arrow = (f"-[:{cypher_type(rel_type)}]->" if direction == "out"
                     else f"<-[:{cypher_type(rel_type)}]-")
            for end in rel.targets if direction == "out" else rel.sources:
                branches.append(f"UNWIND m_{end} AS x MATCH (n:{cypher_label(label)}){arrow}(x) "
                                "RETURN n")
        parts.append(f"WITH {', '.join(names)}, COLLECT {{ " + " UNION ".join(branches)
                     + f" }} AS m_{label}\n")
        names.append(f"m_{label}")
    parts.append("RETURN [x IN " + " + ".join(names) + " | x.uid] AS uids")
    return compose(*parts)


_EVERY: LiteralString = "MATCH (n:Entity) RETURN collect(n.uid) AS uids"


class AnalyticsCypher:
    """The analytics operations of :class:`graph.store.ops.ReadOps` in Cypher."""

    db: Neo4jStore

    def members(self, scope: Scope) -> frozenset[str]:
        if scope.everything:
            rows = self.db.read_plain(_EVERY)
        else:
            rows = self.db.read_plain(members_query(), scope.params())
        return frozenset(rows[0]["uids"]) if rows else frozenset()
