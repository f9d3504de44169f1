"""The cases of a unit's subtree in Cypher: one round trip from the unit (``Entity.uid``
constraint) down its ``SUBORDINATE_TO`` tree to the cases that occurred there.

Scope: the unit must be in scope; its whole subtree then is, and so is every case that
occurred in it (a case belongs to the unit it occurred in), so nothing below needs a test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, LiteralString, cast

from graph.scope import Scope
from graph.store.cypher.scope import Predicate, compose, scoped_query
from graph.store.ops.cases import CasesRow

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore

def _cases(ins: Predicate, above: Predicate) -> LiteralString:
    return compose("""
MATCH (root:Entity {uid: $uid}) WHERE root:Unit AND """, ins("root", ("Unit",)), """
RETURN properties(root) AS unit, COLLECT {
  MATCH (c:Case)-[:OCCURRED_IN]->(u:Unit)-[:SUBORDINATE_TO*0..]->(root)
  WITH DISTINCT c, u
  RETURN {case: c {.uid, .title, .category, .occurred_on}, unit: u {.uid, .name}}
} AS cases
""")


_CASES = scoped_query(_cases)


class CasesCypher:
    """The case-list operation of :class:`graph.store.ops.ReadOps` in Cypher."""

    db: Neo4jStore

    def cases_in_subtree(self, unit_uid: str, scope: Scope) -> CasesRow | None:
        rows = self.db.read_plain(_CASES.text(scope), {"uid": unit_uid, **scope.params()})
        return cast(CasesRow, rows[0]) if rows else None
