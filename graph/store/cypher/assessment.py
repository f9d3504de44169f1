"""Assessment reads in Cypher: a unit's or a person's results (with round, assessor and
indicator scores) and the results of a subtree (for the rotation and the trends). One
round trip each.

Scope: the subject (and the subtree's root) must be in scope; then every result assessing
it is (results are anchored to what they assess), and so is each result's round. The
assessor is named when in scope or above it (in outline); indicator scores only on duties
in scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, LiteralString, cast

from graph.scope import Scope
from graph.store.cypher.scope import Predicate, ScopedQuery, compose, scoped_query
from graph.store.ops.assessment import AssessmentFactsRow, AssessmentHistoryRow

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore


#: Ends of ASSESSES and ASSESSED_BY (units and people).
_SUBJECTS = ("Unit", "Person")


def _history(ins: Predicate, above: Predicate) -> LiteralString:
    return compose("""
MATCH (s:Entity {uid: $uid}) WHERE (s:Unit OR s:Person) AND """, ins("s", _SUBJECTS), """
RETURN properties(s) AS subject,
  COLLECT {
    MATCH (r:AssessmentResult)-[:ASSESSES]->(s)
    RETURN {
      result: properties(r),
      round: head(COLLECT { MATCH (r)-[:RESULT_OF]->(a:Assessment) RETURN properties(a) }),
      by: head(COLLECT { MATCH (r)-[:ASSESSED_BY]->(b:Entity)
                         WHERE """, ins("b", _SUBJECTS), " OR ", above("b", _SUBJECTS), """
                         RETURN properties(b) }),
      scores: COLLECT { MATCH (r)-[c:SCORES]->(d:Duty) WHERE """, ins("d", ("Duty",)), """
                        RETURN {duty: properties(d), score: c.score} }
    }
  } AS results
""")


def _facts(ins: Predicate, above: Predicate) -> LiteralString:
    return compose("""
MATCH (root:Entity {uid: $uid}) WHERE root:Unit AND """, ins("root", ("Unit",)), """
CALL (root) {
  MATCH (u:Unit)-[:SUBORDINATE_TO*0..]->(root)
  WITH DISTINCT u
  CALL (u) {
    MATCH (r:AssessmentResult)-[:ASSESSES]->(u) RETURN r, u AS s
    UNION
    MATCH (r:AssessmentResult)-[:ASSESSES]->(p:Person)-[:SERVES_IN]->(u) RETURN r, p AS s
  }
  WITH DISTINCT r, s
  RETURN collect({
    result: r.uid, subject: s {.uid, .name, .kind, .level},
    label: CASE WHEN s:Unit THEN 'Unit' ELSE 'Person' END,
    method: r.method, assessed_on: r.assessed_on, score: r.score, grade: r.grade,
    round: head(COLLECT { MATCH (r)-[:RESULT_OF]->(a:Assessment) RETURN a.uid }),
    year: head(COLLECT { MATCH (r)-[:RESULT_OF]->(a:Assessment) RETURN a.year })
  }) AS results
}
RETURN properties(root) AS unit, results
""")


_HISTORY: ScopedQuery = scoped_query(_history)
_FACTS: ScopedQuery = scoped_query(_facts)


class AssessmentCypher:
    """The assessment operations of :class:`graph.store.ops.ReadOps` in Cypher."""

    db: Neo4jStore

    def assessment_history(self, uid: str, scope: Scope) -> AssessmentHistoryRow | None:
        rows = self.db.read_plain(_HISTORY.text(scope), {"uid": uid, **scope.params()})
        return cast(AssessmentHistoryRow, rows[0]) if rows else None

    def assessment_facts(self, unit_uid: str, scope: Scope) -> AssessmentFactsRow | None:
        rows = self.db.read_plain(_FACTS.text(scope), {"uid": unit_uid, **scope.params()})
        return cast(AssessmentFactsRow, rows[0]) if rows else None
