"""The analytics input in Cypher: which nodes a scope shows (the projection analysed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, LiteralString

from graph.scope import Scope
from graph.store.cypher.scope import compose, in_scope

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore

_MEMBERS: LiteralString = compose(
    "MATCH (n:Entity) WHERE ", in_scope("n"), " RETURN collect(n.uid) AS uids")


class AnalyticsCypher:
    """The analytics operations of :class:`graph.store.ops.ReadOps` in Cypher."""

    db: Neo4jStore

    def members(self, scope: Scope) -> frozenset[str]:
        rows = self.db.read_plain(_MEMBERS, scope.params())
        return frozenset(rows[0]["uids"]) if rows else frozenset()
