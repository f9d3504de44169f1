"""Accountability statistics in Cypher: every decision with the facts its subtree rule
reads (see :mod:`graph.queries.stats`), one round trip.

With a subtree, the candidates are reached from its units (through the uid constraint)
along the four relationships the facts read, instead of every decision: the same superset,
at city scale a fraction of the work. Scope: only decisions the user may see
(:attr:`graph.schema.NodeKind.scope` of Accountability: its case's unit or its target).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, LiteralString, cast

from graph.scope import Scope
from graph.store.cypher.scope import compose, in_scope
from graph.store.ops.stats import DecisionFactsRow

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore

_ALL: LiteralString = """
MATCH (a:Accountability)
"""

_IN_UNITS: LiteralString = """
UNWIND $units AS uu
MATCH (u:Entity {uid: uu})
CALL (u) {
  MATCH (a:Accountability)-[:FOR_CASE]->(:Case)-[:OCCURRED_IN]->(u) RETURN a
  UNION
  MATCH (a:Accountability)-[:TARGETS]->(u) RETURN a
  UNION
  MATCH (a:Accountability)-[:TARGETS]->(:Person)-[:SERVES_IN]->(u) RETURN a
  UNION
  MATCH (a:Accountability)-[:DECIDED_BY]->(u) RETURN a
}
WITH DISTINCT a
"""

_FACTS: LiteralString = compose("""
WITH a,
     COLLECT { MATCH (a)-[:FOR_CASE]->(:Case)-[:OCCURRED_IN]->(u:Unit) RETURN u.uid }
       AS case_units,
     COLLECT { MATCH (a)-[:TARGETS]->(t:Entity) RETURN t.uid } AS targets,
     COLLECT { MATCH (a)-[:TARGETS]->(:Person)-[s:SERVES_IN]->(u:Unit)
               RETURN [u.uid, s.start, s.end] } AS tenures,
     COLLECT { MATCH (a)-[:DECIDED_BY]->(u:Unit) RETURN u.uid } AS deciders
WHERE ($units IS NULL
       OR any(u IN case_units + targets + [t IN tenures | t[0]] + deciders WHERE u IN $units))
  AND """, in_scope("a", ("Accountability",)), """
RETURN a.decided_on AS decided_on, a.category AS category, a.measure AS measure,
       a.form AS form, case_units, targets, tenures, deciders
""")


class StatsCypher:
    """The statistics operations of :class:`graph.store.ops.ReadOps` in Cypher."""

    db: Neo4jStore

    def accountability_facts(self, units: Sequence[str] | None,
                             scope: Scope) -> list[DecisionFactsRow]:
        query = compose(_ALL if units is None else _IN_UNITS, _FACTS)
        rows = self.db.read_plain(query, {"units": None if units is None else sorted(units),
                                          **scope.params()})
        return cast(list[DecisionFactsRow], rows)
