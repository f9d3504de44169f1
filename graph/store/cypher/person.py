"""The person profile in Cypher: one round trip, the person found through the
``Entity.uid`` uniqueness constraint and every list hanging off it by one or two hops.

Nodes that only become references travel as map projections (``u {.uid, .name}``), records
and duties as their properties. Scope (see :mod:`graph.queries.person`): the person must be
in scope; posts, portfolios, issues, projects and every reference (units, issues, actors,
targets, duties, cases, deciding units) are kept only in scope. Duties, referrals, records
and decisions hang off the person through one of their scope anchors (``HOLDS``,
``SENT_TO``, ``BY``/``CONCERNS``, ``TARGETS``), so they are in scope with the person and
need no test of their own; the person is in scope, so is not tested again as a record's
actor or target.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, LiteralString, cast

from graph.schema import SCHEMA
from graph.scope import Scope
from graph.store.cypher.scope import Predicate, compose, scoped_query
from graph.store.ops.person import PersonRow

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore

#: Ends of BY and CONCERNS (units and people).
_ACTORS = SCHEMA.rel("BY").targets


def _record_lists(rel: str, ins: Predicate) -> LiteralString:
    return compose("""
  COLLECT { MATCH (rec:Record)-[:""", rel, """]->(p)
            RETURN {node: properties(rec),
                    actors: COLLECT { MATCH (rec)-[:BY]->(a:Entity)
                                      WHERE a = p OR """, ins("a", _ACTORS), """
                                      RETURN a {.uid, .name, .title} },
                    targets: COLLECT { MATCH (rec)-[:CONCERNS]->(t:Entity)
                                       WHERE t = p OR """, ins("t", _ACTORS), """
                                       RETURN t {.uid, .name, .title} },
                    duties: COLLECT { MATCH (rec)-[:FULFILS]->(d:Duty)
                                      WHERE """, ins("d", ("Duty",)), """
                                      RETURN d {.uid, .title} }} }""")


def _person(ins: Predicate, above: Predicate) -> LiteralString:
    return compose("""
MATCH (p:Entity {uid: $uid}) WHERE p:Person AND """, ins("p", ("Person",)), """
RETURN properties(p) AS person,
  COLLECT { MATCH (p)-[s:SERVES_IN]->(u:Unit) WHERE """, ins("u", ("Unit",)), """
            RETURN {unit: u {.uid, .name}, role: s.role, start: s.start, end: s.end} } AS posts,
  COLLECT { MATCH (p)-[c:IN_CHARGE_OF]->(u:Unit) WHERE """, ins("u", ("Unit",)), """
            RETURN {unit: u {.uid, .name}, portfolio: c.portfolio, start: c.start, end: c.end}
          } AS portfolios,
  COLLECT { MATCH (p)-[:HOLDS]->(d:Duty) RETURN properties(d) } AS duties,
  COLLECT { MATCH (i:Issue)-[:ASSIGNED_TO]->(p) WHERE """, ins("i", ("Issue",)), """
            RETURN {node: properties(i),
                    units: COLLECT { MATCH (i)-[:FOUND_IN]->(u:Unit)
                                     WHERE """, ins("u", ("Unit",)), """
                                     RETURN u {.uid, .name} }}
          } AS issues,
  COLLECT { MATCH (j:Project)-[:LED_BY]->(p) WHERE """, ins("j", ("Project",)), """
            RETURN {node: j {.uid, .title, .deadline, .status, .completed_on},
                    issues: COLLECT { MATCH (j)-[:ADDRESSES]->(i:Issue)
                                      WHERE """, ins("i", ("Issue",)), """
                                      RETURN i {.uid, .title} }}
          } AS projects,
  COLLECT { MATCH (r:Referral)-[:SENT_TO]->(p)
            RETURN {node: properties(r),
                    issuers: COLLECT { MATCH (r)-[:ISSUED_BY]->(u:Unit)
                                       WHERE """, ins("u", ("Unit",)), """
                                       RETURN u {.uid, .name} },
                    issues: COLLECT { MATCH (r)-[:ABOUT]->(i:Issue)
                                      WHERE """, ins("i", ("Issue",)), """
                                      RETURN i {.uid, .title} }}
          } AS referrals,""", _record_lists("BY", ins), """ AS records_by,""",
    _record_lists("CONCERNS", ins), """ AS records_concerning,
  COLLECT { MATCH (a:Accountability)-[:TARGETS]->(p)
            RETURN {node: properties(a),
                    cases: COLLECT { MATCH (a)-[:FOR_CASE]->(c:Case)
                                     WHERE """, ins("c", ("Case",)), """
                                     RETURN c {.uid, .title} },
                    deciders: COLLECT { MATCH (a)-[:DECIDED_BY]->(u:Unit)
                                        WHERE """, ins("u", ("Unit",)), """
                                        RETURN u {.uid, .name} }}
          } AS decisions
""")


_PERSON = scoped_query(_person)


class PersonCypher:
    """The person operation of :class:`graph.store.ops.ReadOps` in Cypher."""

    db: Neo4jStore

    def person_profile(self, uid: str, scope: Scope) -> PersonRow | None:
        rows = self.db.read_plain(_PERSON.text(scope), {"uid": uid, **scope.params()})
        return cast(PersonRow, rows[0]) if rows else None
