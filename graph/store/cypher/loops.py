"""Open loops in Cypher: the candidates of every wanted family in one round trip.

The unit (when given) is found through the ``Entity.uid`` constraint and must be in scope;
its subtree's uids come back with the candidates. Each family selects by its rule (range
indexes on ``Referral.due_on`` and ``Project.deadline`` serve the first and the last, see
:mod:`graph.store.walks.loops` for the rules in Python), keeps candidates in scope, and,
with a unit, those with a unit in the subtree -- issues and projects are then reached from
the subtree's units outwards instead of scanning every one. Units, holders and tenures are
kept only in scope; an issue's ``owned``/``projected`` flags count every owner and project,
seen or not (an issue whose owner the scope hides is not "without owner").
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, LiteralString, cast

from graph.scope import Scope
from graph.store.cypher.scope import Predicate, ScopedQuery, compose, scoped_query
from graph.store.ops.loops import LoopsRow

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore


def _referrals(ins: Predicate) -> LiteralString:
    return compose("""
  MATCH (r:Referral)
  WHERE r.due_on < $as_of AND (r.replied_on IS NULL OR r.replied_on > $as_of)
    AND (r.issued_on IS NULL OR r.issued_on <= $as_of) AND """, ins("r", ("Referral",)), """
  WITH r, subtree,
       COLLECT { MATCH (r)-[:ABOUT]->(:Issue)-[:FOUND_IN]->(u:Unit)
                 WHERE """, ins("u", ("Unit",)), """
                 RETURN u {.uid, .name} } AS units,
       COLLECT { MATCH (r)-[:SENT_TO]->(:Person)-[s:SERVES_IN]->(u:Unit)
                 WHERE """, ins("u", ("Unit",)), """
                 RETURN {unit: u {.uid, .name}, start: s.start, end: s.end} } AS tenures
  WHERE subtree IS NULL OR any(x IN units + [t IN tenures | t.unit] WHERE x.uid IN subtree)
  RETURN {kind: 'referral', node: r {.uid, .title, .due_on, .replied_on, .issued_on, .status},
          units: units, tenures: tenures, projected: false, owned: false,
          holders: COLLECT { MATCH (r)-[:SENT_TO]->(p:Person)
                             WHERE """, ins("p", ("Person",)), """
                             RETURN p {.uid, .name} }} AS fact
""")


_ISSUES_ALL: LiteralString = """
  MATCH (i:Issue)
"""
_ISSUES_IN: LiteralString = """
  UNWIND subtree AS uu
  MATCH (:Entity {uid: uu})<-[:FOUND_IN]-(i:Issue)
  WITH DISTINCT i, subtree
"""


def _issues(ins: Predicate) -> LiteralString:
    return compose("""
  WITH i, subtree WHERE (i.status IS NULL OR NOT i.status IN $settled)
    AND (i.found_on IS NULL OR i.found_on <= $as_of) AND """, ins("i", ("Issue",)), """
  WITH i, subtree, EXISTS { (i)-[:ASSIGNED_TO]->(:Person) } AS owned,
       EXISTS { (:Project)-[:ADDRESSES]->(i) } AS projected
  WHERE NOT owned OR NOT projected
  WITH i, subtree, owned, projected,
       COLLECT { MATCH (i)-[:FOUND_IN]->(u:Unit) WHERE """, ins("u", ("Unit",)), """
                 RETURN u {.uid, .name} } AS units
  WHERE subtree IS NULL OR any(x IN units WHERE x.uid IN subtree)
  RETURN {kind: 'issue', node: i {.uid, .title, .deadline, .status, .found_on},
          units: units, tenures: [], projected: projected, owned: owned,
          holders: COLLECT { MATCH (i)-[:ASSIGNED_TO]->(p:Person)
                             WHERE """, ins("p", ("Person",)), """
                             RETURN p {.uid, .name} }} AS fact
""")


_PROJECTS_ALL: LiteralString = """
  MATCH (j:Project)
"""
_PROJECTS_IN: LiteralString = """
  UNWIND subtree AS uu
  MATCH (:Entity {uid: uu})<-[:FOUND_IN]-(:Issue)<-[:ADDRESSES]-(j:Project)
  WITH DISTINCT j, subtree
"""


def _projects(ins: Predicate) -> LiteralString:
    return compose("""
  WITH j, subtree WHERE j.deadline < $as_of
    AND NOT ((j.completed_on IS NOT NULL AND j.completed_on <= $as_of)
             OR (j.status = 'done' AND j.completed_on IS NULL))
    AND """, ins("j", ("Project",)), """
  WITH j, subtree,
       COLLECT { MATCH (j)-[:ADDRESSES]->(:Issue)-[:FOUND_IN]->(u:Unit)
                 WHERE """, ins("u", ("Unit",)), """
                 RETURN u {.uid, .name} } AS units
  WHERE subtree IS NULL OR any(x IN units WHERE x.uid IN subtree)
  RETURN {kind: 'project', node: j {.uid, .title, .deadline, .status, .completed_on},
          units: units, tenures: [], projected: false, owned: false,
          holders: COLLECT { MATCH (j)-[:LED_BY]->(p:Person)
                             WHERE """, ins("p", ("Person",)), """
                             RETURN p {.uid, .name} }} AS fact
""")


def _head(ins: Predicate) -> LiteralString:
    return compose("""
OPTIONAL MATCH (root:Entity {uid: $unit}) WHERE root:Unit AND """, ins("root", ("Unit",)), """
WITH root WHERE $unit IS NULL OR root IS NOT NULL
WITH root, CASE WHEN root IS NULL THEN null
                ELSE COLLECT { MATCH (x:Unit)-[:SUBORDINATE_TO*0..]->(root)
                               RETURN DISTINCT x.uid AS uid ORDER BY uid } END AS subtree
RETURN properties(root) AS unit, subtree, """)


@functools.cache
def _query(referrals: bool, issues: bool, projects: bool, in_unit: bool) -> ScopedQuery:
    """The query for the families wanted, with a unit or not: one plan per text, and a
    family not wanted is not in the text at all."""
    def build(ins: Predicate, above: Predicate) -> LiteralString:
        parts: list[LiteralString] = []
        if referrals:
            parts.append(_referrals(ins))
        if issues:
            parts.append(compose(_ISSUES_IN if in_unit else _ISSUES_ALL, _issues(ins)))
        if projects:
            parts.append(compose(_PROJECTS_IN if in_unit else _PROJECTS_ALL, _projects(ins)))
        body = compose(*(compose("  UNION ALL\n", p) if n else p for n, p in enumerate(parts)))
        return compose(_head(ins), compose("COLLECT {", body, "} AS facts\n") if parts
                       else "[] AS facts\n")

    return scoped_query(build)


class LoopsCypher:
    """The open-loops operation of :class:`graph.store.ops.ReadOps` in Cypher."""

    db: Neo4jStore

    def open_loops(self, as_of: str, kinds: Sequence[str], unit: str | None,
                   scope: Scope) -> LoopsRow | None:
        query = _query("referral_overdue" in kinds,
                       "issue_no_owner" in kinds or "issue_no_project" in kinds,
                       "project_overdue" in kinds, unit is not None)
        rows = self.db.read_plain(query.text(scope), {"as_of": as_of, "unit": unit,
                                          "settled": ["closed", "rectified"], **scope.params()})
        return cast(LoopsRow, rows[0]) if rows else None
