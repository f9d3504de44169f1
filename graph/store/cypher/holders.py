"""The unit reads in Cypher: holders panels (up the chain) and the overview of a subtree.

One round trip each. The unit is found through the ``Entity.uid`` uniqueness constraint;
with ``$up`` every unit above it and its distance. Person and supervisor duties are
narrowed to the responsibilities a panel shows (the shaping in ``graph.queries.holders``
applies the exact rule; the embedded rows carry all of them, with the same result).

Scope: the unit must be in scope; units above it are full rows when in scope and outline
rows (no duties) when above the scope; portfolios name only units in scope; a supervisor
above the scope is named without its duties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, LiteralString, cast

from graph.schema import LEADER_ROLES
from graph.scope import Scope
from graph.store.cypher.scope import above_scope, compose, in_scope
from graph.store.ops.holders import OverviewRow, PanelRow

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore


_PANELS: LiteralString = compose("""
MATCH (u0:Entity {uid: $uid}) WHERE u0:Unit AND """, in_scope("u0", ("Unit",)), """
CALL (u0) {
  RETURN u0 AS u, 0 AS depth
  UNION
  MATCH path = (u0)-[:SUBORDINATE_TO*1..]->(a:Unit)
  WHERE $up AND a <> u0
  WITH a, min(length(path)) AS depth
  RETURN a AS u, depth
}
WITH u, depth, """, in_scope("u", ("Unit",)), """ AS whole
CALL (u, whole) {
  MATCH (p:Person)-[s:SERVES_IN]->(u)
  WHERE s.role IN $roles
    AND (s.start IS NULL OR s.start <= $as_of) AND (s.end IS NULL OR s.end >= $as_of)
  WITH p, collect({role: s.role, start: s.start, end: s.end}) AS posts
  RETURN collect({
    person: properties(p), posts: posts,
    duties: COLLECT { MATCH (p)-[:HOLDS]->(d:Duty)
                      WHERE whole AND d.responsibility IN ['first', 'dual']
                      RETURN properties(d) },
    portfolios: COLLECT {
      MATCH (p)-[c:IN_CHARGE_OF]->(cu:Unit)
      WHERE (c.start IS NULL OR c.start <= $as_of) AND (c.end IS NULL OR c.end >= $as_of)
        AND """, in_scope("cu", ("Unit",)), """
      RETURN {unit: properties(cu), portfolio: c.portfolio, start: c.start, end: c.end} }
  }) AS people
}
RETURN u.uid AS uid, depth, properties(u) AS unit, NOT whole AS outline,
  COLLECT { MATCH (u)-[:HOLDS]->(d:Duty) WHERE whole RETURN properties(d) } AS duties,
  people,
  COLLECT { MATCH (b:Unit)-[r:SUPERVISES]->(u)
            WITH b, r, """, in_scope("b", ("Unit",)), """ AS shown
            WHERE shown OR """, above_scope("b", ("Unit",)), """
            RETURN {unit: properties(b), mode: r.mode,
                    duties: COLLECT { MATCH (b)-[:HOLDS]->(d:Duty)
                                      WHERE shown AND d.responsibility = 'supervisory'
                                      RETURN properties(d) }} } AS supervisors
ORDER BY depth, uid
""")

_OVERVIEW: LiteralString = compose("""
MATCH (u:Entity {uid: $uid}) WHERE u:Unit AND """, in_scope("u", ("Unit",)), """
CALL (u) {
  MATCH (d:Unit)-[:SUBORDINATE_TO*1..]->(u)
  WHERE d <> u
  WITH DISTINCT d
  WITH d.level AS level, d.kind AS kind, count(*) AS n
  RETURN collect({level: level, kind: kind, n: n}) AS groups
}
CALL (u) {
  OPTIONAL MATCH (c:Unit)-[:SUBORDINATE_TO]->(u)
  WHERE c <> u
  RETURN collect(DISTINCT properties(c)) AS children
}
RETURN properties(u) AS unit, groups, children
""")


class HoldersCypher:
    """The unit operations of :class:`graph.store.ops.ReadOps` in Cypher."""

    db: Neo4jStore

    def unit_panels(self, uid: str, as_of: str, *, up: bool, scope: Scope) -> list[PanelRow]:
        rows = self.db.read_plain(_PANELS, {"uid": uid, "as_of": as_of, "up": up,
                                            "roles": list(LEADER_ROLES), **scope.params()})
        return cast(list[PanelRow], rows)

    def unit_overview(self, uid: str, scope: Scope) -> OverviewRow | None:
        # A unit in scope has its whole subtree in scope: no filter below it.
        rows = self.db.read_plain(_OVERVIEW, {"uid": uid, **scope.params()})
        return cast(OverviewRow, rows[0]) if rows else None
