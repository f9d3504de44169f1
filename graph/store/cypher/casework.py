"""What follows a case, in Cypher: the persons it names as directly responsible, the issues
and projects of its 案后治理 (FOLLOWS_CASE) with who leads them, and who served in its
supervising bodies on the date. One round trip; only what ``scope`` shows is returned
(bodies' people are uids for matching decisions, never shown)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, LiteralString, cast

from graph.scope import Scope
from graph.store.cypher.scope import compose, in_scope
from graph.store.ops.casework import CaseworkRow

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore

_CASEWORK: LiteralString = compose("""
OPTIONAL MATCH (k:Entity {uid: $uid}) WHERE k:Case
RETURN
  COLLECT { MATCH (k)-[:NAMES_RESPONSIBLE]->(p:Person) WHERE """, in_scope("p", ("Person",)), """
            RETURN properties(p) } AS responsible,
  COLLECT { MATCH (x)-[:FOLLOWS_CASE]->(k)
            WHERE (x:Issue OR x:Project) AND """, in_scope("x", ("Issue", "Project")), """
            RETURN {node: properties(x), label: CASE WHEN x:Issue THEN 'Issue' ELSE 'Project' END,
                    leads: COLLECT { MATCH (x)-[:ASSIGNED_TO|LED_BY]->(l:Person)
                                     WHERE """, in_scope("l", ("Person",)), """
                                     RETURN properties(l) }} } AS post_case,
  COLLECT { UNWIND $bodies AS b
            MATCH (p:Person)-[s:SERVES_IN]->(:Entity {uid: b})
            WHERE (s.start IS NULL OR s.start <= $as_of) AND (s.end IS NULL OR s.end >= $as_of)
            RETURN DISTINCT [b, p.uid] } AS body_people
""")


class CaseworkCypher:
    """The case operations of :class:`graph.store.ops.ReadOps` beyond the chain, in Cypher."""

    db: Neo4jStore

    def case_casework(self, uid: str, bodies: Sequence[str], as_of: str,
                      scope: Scope) -> CaseworkRow:
        rows = self.db.read_plain(_CASEWORK, {"uid": uid, "bodies": sorted(set(bodies)),
                                              "as_of": as_of, **scope.params()})
        return cast(CaseworkRow, rows[0])
