"""Risk prevention and 三重一大 reads in Cypher: a unit's (or subtree's) risk points with
their controls, the controls a person owns, and a unit's (or subtree's) decisions. One
round trip each.

Scope: the unit (or person) must be in scope; risk points, controls and decisions are
anchored to the unit they belong to, so those of a unit in scope are in scope. Owners are
named when in scope or above it (in outline), issues about a decision only in scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, LiteralString, cast

from graph.scope import Scope
from graph.store.cypher.scope import Predicate, ScopedQuery, compose, scoped_query
from graph.store.ops.prevention import DecisionRegisterRow, OwnedControlRow, RiskRegisterRow

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore

_OWNERS = ("Unit", "Person")


def _units(subtree: bool) -> LiteralString:
    """``u``: the root alone, or every unit of its subtree."""
    if subtree:
        return """
  MATCH (u:Unit)-[:SUBORDINATE_TO*0..]->(root)
  WITH DISTINCT u"""
    return """
  WITH root AS u"""


def _risks(subtree: bool) -> ScopedQuery:
    def build(ins: Predicate, above: Predicate) -> LiteralString:
        return compose("""
MATCH (root:Entity {uid: $uid}) WHERE root:Unit AND """, ins("root", ("Unit",)), """
CALL (root) {""", _units(subtree), """
  MATCH (rp:RiskPoint)-[:RISK_IN]->(u)
  RETURN collect({
    point: properties(rp), unit: u {.uid, .name},
    controls: COLLECT { MATCH (c:Control)-[:CONTROLS]->(rp)
                        RETURN {control: properties(c),
                                owners: COLLECT { MATCH (c)-[:OWNED_BY]->(o:Entity)
                                                  WHERE """, ins("o", _OWNERS), " OR ",
                       above("o", _OWNERS), """
                                                  RETURN o {.uid, .name} }} }
  }) AS points
}
RETURN properties(root) AS unit, points
""")
    return scoped_query(build)


def _owned(ins: Predicate, above: Predicate) -> LiteralString:
    return compose("""
MATCH (p:Entity {uid: $uid}) WHERE p:Person
MATCH (c:Control)-[:OWNED_BY]->(p) WHERE """, ins("c", ("Control",)), """
RETURN properties(c) AS control,
  head(COLLECT { MATCH (c)-[:CONTROLS]->(rp:RiskPoint) RETURN properties(rp) }) AS point,
  head(COLLECT { MATCH (c)-[:CONTROLS]->(:RiskPoint)-[:RISK_IN]->(u:Unit)
                 RETURN u {.uid, .name} }) AS unit
ORDER BY control.uid
""")


def _decisions(subtree: bool) -> ScopedQuery:
    def build(ins: Predicate, above: Predicate) -> LiteralString:
        return compose("""
MATCH (root:Entity {uid: $uid}) WHERE root:Unit AND """, ins("root", ("Unit",)), """
CALL (root) {""", _units(subtree), """
  MATCH (d:Decision)-[:TAKEN_BY]->(u)
  RETURN collect({
    decision: properties(d), unit: u {.uid, .name},
    issues: COLLECT { MATCH (i:Issue)-[:ABOUT_DECISION]->(d) WHERE """, ins("i", ("Issue",)), """
                      RETURN i {.uid, .title} }
  }) AS decisions, collect(DISTINCT u) AS deciders
}
RETURN properties(root) AS unit, decisions,
  COLLECT { UNWIND deciders AS u
            MATCH (u)-[:SUBORDINATE_TO*0..]->(x:Unit)-[:SUBORDINATE_TO]->(y:Unit)
            RETURN DISTINCT [x.uid, y.uid] } AS parents
""")
    return scoped_query(build)


_RISKS = {subtree: _risks(subtree) for subtree in (False, True)}
_DECISIONS = {subtree: _decisions(subtree) for subtree in (False, True)}
_OWNED: ScopedQuery = scoped_query(_owned)


class PreventionCypher:
    """The risk and decision operations of :class:`graph.store.ops.ReadOps` in Cypher."""

    db: Neo4jStore

    def risk_register(self, unit_uid: str, subtree: bool,
                      scope: Scope) -> RiskRegisterRow | None:
        rows = self.db.read_plain(_RISKS[subtree].text(scope),
                                  {"uid": unit_uid, **scope.params()})
        return cast(RiskRegisterRow, rows[0]) if rows else None

    def owned_controls(self, person_uid: str, scope: Scope) -> list[OwnedControlRow]:
        rows = self.db.read_plain(_OWNED.text(scope), {"uid": person_uid, **scope.params()})
        return cast(list[OwnedControlRow], rows)

    def major_decisions(self, unit_uid: str, subtree: bool,
                        scope: Scope) -> DecisionRegisterRow | None:
        rows = self.db.read_plain(_DECISIONS[subtree].text(scope),
                                  {"uid": unit_uid, **scope.params()})
        return cast(DecisionRegisterRow, rows[0]) if rows else None
