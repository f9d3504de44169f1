"""The responsibility chain of an issue and the trace-back of a case in Cypher: one round
trip each, the subject found through the ``Entity.uid`` uniqueness constraint.

Scope (see :mod:`graph.queries.chain`): the subject must be in scope, and its unit is the
one of smallest uid among those in scope. Every holder of a link (owner, person involved,
member in charge, secretary, supervising body, decision target) travels with ``outline``
when it lies above the scope, and as ``None`` when the scope hides it, so the shaping can
tell a hidden holder from a missing one. A case's originating issues the scope hides travel
as ``None`` (their owners hidden too); deciding units are kept only in scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, LiteralString, cast

from graph.schema import SCHEMA, cypher_type
from graph.scope import Scope
from graph.store.cypher.scope import Predicate, compose, scoped_query
from graph.store.ops.chain import CaseTraceRow, IssueChainRow

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore

_TARGETS = SCHEMA.rel("TARGETS").targets


class _Holders:
    """The scope predicates of one of a query's texts (see :func:`scoped_query`)."""

    def __init__(self, ins: Predicate, above: Predicate) -> None:
        self.ins = ins
        self.above = above

    def holder(self, var: str, labels: tuple[str, ...], carry: str) -> LiteralString:
        """``WITH`` clauses binding ``whole`` (``var`` is in scope) and ``outline`` (it lies
        above the scope), carrying the variables ``carry`` names."""
        return compose(
            "WITH ", carry, ", ", self.ins(var, labels), " AS whole\n",
            "WITH ", carry, ", whole, NOT whole AND ", self.above(var, labels),
            " AS outline\n")


def _shown(var: str) -> LiteralString:
    """``var``'s properties when in scope or above it, else null (hidden)."""
    return compose("CASE WHEN whole OR outline THEN properties(", var, ") END")


def _unit_chain(h: _Holders) -> LiteralString:
    """The unit part of the chain, shared by both queries: `u` is the unit (or null) and
    `as_of` the date. Tenure filters mirror graph.dates.active."""
    return compose("""
  COLLECT { MATCH (m:Person)-[c:IN_CHARGE_OF]->(u)
            WHERE (c.start IS NULL OR c.start <= as_of) AND (c.end IS NULL OR c.end >= as_of)
            """, h.holder("m", ("Person",), "m, c, u"), """
            RETURN {person: """, _shown("m"), """, outline: outline, unit: properties(u),
                    portfolio: c.portfolio, start: c.start, end: c.end} } AS in_charge,
  COLLECT { MATCH (u)-[:SUBORDINATE_TO]->(pu:Unit)<-[c:IN_CHARGE_OF]-(m:Person)
            WHERE (c.start IS NULL OR c.start <= as_of) AND (c.end IS NULL OR c.end >= as_of)
            """, h.holder("m", ("Person",), "m, c, pu"), """
            RETURN {person: """, _shown("m"), """, outline: outline, unit: properties(pu),
                    portfolio: c.portfolio, start: c.start, end: c.end} } AS parent_in_charge,
  COLLECT { MATCH (s:Person)-[t:SERVES_IN]->(u)
            WHERE t.role = 'secretary'
              AND (t.start IS NULL OR t.start <= as_of) AND (t.end IS NULL OR t.end >= as_of)
            """, h.holder("s", ("Person",), "s, t"), """
            RETURN {person: """, _shown("s"), """, outline: outline, role: t.role,
                    start: t.start, end: t.end} } AS secretaries,
  COLLECT { MATCH (b:Unit)-[r:SUPERVISES]->(u)
            """, h.holder("b", ("Unit",), "b, r"), """
            RETURN {unit: """, _shown("b"), """, outline: outline, mode: r.mode} } AS supervisors
""")


def _first_unit(h: _Holders, subject: str, rel_type: str) -> LiteralString:
    """``u``: the unit of smallest uid in scope that ``subject`` is linked to."""
    return compose("""
CALL (""", subject, """) {
  OPTIONAL MATCH (""", subject, """)-[:""", cypher_type(rel_type), """]->(x:Unit) WHERE """,
                   h.ins("x", ("Unit",)), """
  RETURN x AS u ORDER BY x.uid LIMIT 1
}""")


def _issue(ins: Predicate, above: Predicate) -> LiteralString:
    h = _Holders(ins, above)
    return compose("""
MATCH (i:Entity {uid: $uid}) WHERE i:Issue AND """, ins("i", ("Issue",)), """
WITH i, coalesce(i.found_on, $today) AS as_of""", _first_unit(h, "i", "FOUND_IN"), """
RETURN properties(i) AS node, as_of, properties(u) AS unit,
  COLLECT { MATCH (i)-[:ASSIGNED_TO]->(o:Person)
            """, h.holder("o", ("Person",), "o"), """
            RETURN {node: """, _shown("o"), """, outline: outline} } AS owners,""",
        _unit_chain(h))


def _case(ins: Predicate, above: Predicate) -> LiteralString:
    h = _Holders(ins, above)
    return compose("""
MATCH (k:Entity {uid: $uid}) WHERE k:Case AND """, ins("k", ("Case",)), """
WITH k, coalesce(k.occurred_on, $today) AS as_of""", _first_unit(h, "k", "OCCURRED_IN"), """
RETURN properties(k) AS node, as_of, properties(u) AS unit,
  COLLECT { MATCH (k)-[:INVOLVES]->(x:Person)
            """, h.holder("x", ("Person",), "x"), """
            RETURN {node: """, _shown("x"), """, outline: outline} } AS involved,
  COLLECT { MATCH (k)-[:ORIGINATED_FROM]->(i:Issue)
            WITH i, """, ins("i", ("Issue",)), """ AS seen
            RETURN {node: CASE WHEN seen THEN properties(i) END,
                    owners: COLLECT { MATCH (i)-[:ASSIGNED_TO]->(o:Person)
                                      """, h.holder("o", ("Person",), "o, seen"), """
                                      RETURN {node: CASE WHEN seen AND (whole OR outline)
                                                         THEN properties(o) END,
                                              outline: seen AND outline} }} } AS issues,
  COLLECT { MATCH (a:Accountability)-[:FOR_CASE]->(k)
            RETURN {node: properties(a),
                    targets: COLLECT { MATCH (a)-[:TARGETS]->(t:Entity)
                                       """, h.holder("t", _TARGETS, "t"), """
                                       RETURN {node: """, _shown("t"), """, outline: outline} },
                    cases: [properties(k)],
                    deciders: COLLECT { MATCH (a)-[:DECIDED_BY]->(d:Unit)
                                        WHERE """, ins("d", ("Unit",)), """
                                        RETURN properties(d) }} } AS decisions,""",
        _unit_chain(h))


_ISSUE = scoped_query(_issue)
_CASE = scoped_query(_case)


class ChainCypher:
    """The chain operations of :class:`graph.store.ops.ReadOps` in Cypher."""

    db: Neo4jStore

    def issue_chain(self, uid: str, today: str, scope: Scope) -> IssueChainRow | None:
        rows = self.db.read_plain(_ISSUE.text(scope),
                                  {"uid": uid, "today": today, **scope.params()})
        return cast(IssueChainRow, rows[0]) if rows else None

    def case_trace(self, uid: str, today: str, scope: Scope) -> CaseTraceRow | None:
        rows = self.db.read_plain(_CASE.text(scope),
                                  {"uid": uid, "today": today, **scope.params()})
        return cast(CaseTraceRow, rows[0]) if rows else None
