"""The working loop's facts in Cypher: one round trip per kind of item.

Each kind selects by the rules of :func:`graph.loop.facts.in_year` (the duties by
their ``target_kind`` index, referrals and orders by their issue date, issues and projects
by their deadline) and keeps what is in scope; holders, units and issuers only in scope;
records and a rate's issues whatever the scope (they are facts about a visible duty: a
record counts for its holder wherever its actor sits). With ``subjects`` the same query
starts from those uids (the ``Entity.uid`` constraint) instead of every node of the kind.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, LiteralString, cast

from graph.errors import SchemaError
from graph.schema import cypher_label, split_uid
from graph.scope import Scope
from graph.store.cypher.scope import Predicate, ScopedQuery, compose, scoped_query
from graph.store.ops.loop import ActContextRow, LoopSubjectRow, order_loop_row

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore


def _holder(var: str, ins: Predicate) -> LiteralString:
    return compose(var, """ {node: """, var, """ {.uid, .name},
      posts: COLLECT { MATCH (""", var, """)-[s:SERVES_IN]->(u:Unit) WHERE """,
                   ins("u", ("Unit",)), """
                   RETURN {unit: u {.uid, .name}, start: s.start, end: s.end} }}""")


def _start(label: LiteralString, every: LiteralString, subset: bool) -> LiteralString:
    if subset:
        return compose("MATCH (n:Entity) WHERE n.uid IN $uids AND n:", label, "\n")
    return compose("MATCH (n:", label, ") WHERE ", every, "\n")


def _duties(ins: Predicate, subset: bool) -> LiteralString:
    return compose(_start("Duty", "n.target_kind IS NOT NULL", subset), """
WITH n WHERE n.target_kind IS NOT NULL AND (n.year IS NULL OR n.year = $year)
  AND """, ins("n", ("Duty",)), """
RETURN {kind: 'duty',
  node: n {.uid, .title, .year, .target_kind, .target, .period, .due_on, .counted_actions,
           .indicator, .responsibility},
  holders: COLLECT { MATCH (h)-[:HOLDS]->(n) WHERE (h:Person OR h:Unit) AND """,
                     ins("h", ("Person", "Unit")), """
                     RETURN """, _holder("h", ins), """ },
  units: COLLECT { MATCH (h:Unit)-[:HOLDS]->(n) WHERE """, ins("h", ("Unit",)), """
                   RETURN DISTINCT h {.uid, .name} },
  issuer: null,
  records: COLLECT { MATCH (r:Record)-[:FULFILS]->(n) WHERE r.on >= $first AND r.on <= $last
                     RETURN {on: r.on, action: r.action, kind: r.kind,
                             by: COLLECT { MATCH (r)-[:BY]->(b) RETURN b.uid }} },
  items: CASE WHEN n.target_kind = 'rate' THEN
           COLLECT { MATCH (i:Issue)-[:BREACHES]->(n)
                     RETURN {found_on: i.found_on, deadline: i.deadline,
                             rectified_on: i.rectified_on, status: i.status} }
         ELSE [] END} AS row
""")


def _replies(label: LiteralString, ins: Predicate, subset: bool) -> LiteralString:
    if label == "Referral":
        holders = compose("""COLLECT { MATCH (n)-[:SENT_TO]->(h:Person) WHERE """,
                          ins("h", ("Person",)), " RETURN DISTINCT ", _holder("h", ins), " }")
        units = compose("""COLLECT { MATCH (n)-[:ABOUT]->(:Issue)-[:FOUND_IN]->(u:Unit)
                   WHERE """, ins("u", ("Unit",)), " RETURN u {.uid, .name} }")
        issuer = compose("""COLLECT { MATCH (n)-[:ISSUED_BY]->(u:Unit) WHERE """,
                         ins("u", ("Unit",)), " RETURN u {.uid, .name} ORDER BY u.uid }")
        kind: LiteralString = "referral"
    else:
        holders = compose("""COLLECT { MATCH (n)-[:ORDERED_TO]->(h) WHERE (h:Person OR h:Unit)
                     AND """, ins("h", ("Person", "Unit")), " RETURN DISTINCT ",
                          _holder("h", ins), " }")
        units = compose("""COLLECT { MATCH (n)-[:ORDERED_TO]->(u:Unit) WHERE """,
                        ins("u", ("Unit",)), " RETURN DISTINCT u {.uid, .name} }")
        issuer = compose("""COLLECT { MATCH (n)-[:ORDERED_BY]->(u:Unit) WHERE """,
                         ins("u", ("Unit",)), " RETURN u {.uid, .name} ORDER BY u.uid }")
        kind = "order"
    return compose(_start(label, "true", subset), """
WITH n WHERE (n.issued_on IS NULL OR n.issued_on <= $last) AND """, ins("n", (label,)), """
RETURN {kind: '""", kind, """',
  node: n {.uid, .title, .issued_on, .due_on, .replied_on, .status, .verified_on,
           .returned_on, .reopened_on, .finding},
  holders: """, holders, """, units: """, units, """,
  issuer: head(""", issuer, """), records: [], items: []} AS row
""")


def _issues(ins: Predicate, subset: bool) -> LiteralString:
    return compose(_start("Issue", "n.deadline IS NOT NULL", subset), """
WITH n WHERE n.deadline IS NOT NULL AND (n.found_on IS NULL OR n.found_on <= $last)
  AND NOT (coalesce(n.status, '') IN ['closed', 'rectified']
           AND (n.rectified_on IS NULL OR n.rectified_on < $first))
  AND """, ins("n", ("Issue",)), """
RETURN {kind: 'issue', node: n {.uid, .title, .found_on, .deadline, .status, .rectified_on},
  holders: COLLECT { MATCH (n)-[:ASSIGNED_TO]->(h:Person) WHERE """, ins("h", ("Person",)), """
                     RETURN DISTINCT """, _holder("h", ins), """ },
  units: COLLECT { MATCH (n)-[:FOUND_IN]->(u:Unit) WHERE """, ins("u", ("Unit",)), """
                   RETURN u {.uid, .name} },
  issuer: null, records: [], items: []} AS row
""")


def _projects(ins: Predicate, subset: bool) -> LiteralString:
    return compose(_start("Project", "n.deadline IS NOT NULL", subset), """
WITH n WHERE n.deadline IS NOT NULL
  AND NOT ((n.completed_on IS NOT NULL AND n.completed_on < $first)
           OR (coalesce(n.status, '') = 'done' AND n.completed_on IS NULL))
  AND """, ins("n", ("Project",)), """
RETURN {kind: 'project', node: n {.uid, .title, .deadline, .status, .completed_on},
  holders: COLLECT { MATCH (n)-[:LED_BY]->(h:Person) WHERE """, ins("h", ("Person",)), """
                     RETURN DISTINCT """, _holder("h", ins), """ },
  units: COLLECT { MATCH (n)-[:ADDRESSES]->(:Issue)-[:FOUND_IN]->(u:Unit)
                   WHERE """, ins("u", ("Unit",)), """ RETURN u {.uid, .name} },
  issuer: null, records: [], items: []} AS row
""")


@functools.cache
def _queries(subset: bool) -> dict[str, ScopedQuery]:
    """One query per kind, by the uid prefix of the kind (a union would hold every row of
    every kind in one result)."""
    return {
        "duty": scoped_query(lambda ins, above: _duties(ins, subset)),
        "referral": scoped_query(lambda ins, above: _replies("Referral", ins, subset)),
        "supervisionorder": scoped_query(
            lambda ins, above: _replies("SupervisionOrder", ins, subset)),
        "issue": scoped_query(lambda ins, above: _issues(ins, subset)),
        "project": scoped_query(lambda ins, above: _projects(ins, subset)),
    }


def _act(label: str, ins: Predicate) -> LiteralString:
    return compose("""
MATCH (n:Entity {uid: $uid}) WHERE n:""", cypher_label(label), " AND ", ins("n", (label,)), """
RETURN {node: properties(n),
  holders: COLLECT { MATCH (h)-[:HOLDS]->(n) RETURN h {.uid, .name, .kind} ORDER BY h.uid },
  recipients: COLLECT { MATCH (n)-[:SENT_TO|ORDERED_TO]->(h)
                        RETURN h {.uid, .name, .kind} ORDER BY h.uid },
  issuers: COLLECT { MATCH (n)-[:ISSUED_BY|ORDERED_BY]->(h)
                     RETURN h {.uid, .name, .kind} ORDER BY h.uid },
  members: COLLECT { MATCH (n)<-[:HOLDS]-(:Unit)<-[:SERVES_IN]-(p:Person) RETURN p.uid AS m
                     UNION MATCH (n)-[:SENT_TO|ORDERED_TO]->(:Unit)<-[:SERVES_IN]-(p:Person)
                     RETURN p.uid AS m }} AS row
""")


@functools.cache
def _act_query(label: str) -> ScopedQuery:
    return scoped_query(lambda ins, above: _act(label, ins))


class LoopCypher:
    """The working loop's read of :class:`graph.store.ops.ReadOps` in Cypher."""

    db: Neo4jStore

    def loop_facts(self, year: int, subjects: Sequence[str] | None,
                   scope: Scope) -> list[LoopSubjectRow]:
        uids = sorted(set(subjects or ()))
        if subjects is not None and not uids:
            return []
        params = {"year": year, "first": f"{year}-01-01", "last": f"{year}-12-31",
                  "uids": uids, **scope.params()}
        out: list[LoopSubjectRow] = []
        # With subjects, only the kinds they are of (a write touches one item).
        prefixes = {u.partition(":")[0].lower() for u in uids}
        for prefix, query in _queries(subjects is not None).items():
            if subjects is not None and prefix not in prefixes:
                continue
            rows = self.db.read_plain(query.text(scope), params)
            out.extend(order_loop_row(cast(LoopSubjectRow, r["row"])) for r in rows)
        out.sort(key=lambda r: str(r["node"]["uid"]))
        return out

    def act_context(self, uid: str, scope: Scope) -> ActContextRow | None:
        try:
            label = split_uid(uid)[0]
        except SchemaError:
            return None
        rows = self.db.read_plain(_act_query(label).text(scope), {"uid": uid, **scope.params()})
        if not rows:
            return None
        row = cast(ActContextRow, rows[0]["row"])
        row["members"] = sorted(set(row["members"]))
        return row
