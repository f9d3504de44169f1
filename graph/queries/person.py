"""A person's profile: posts and portfolios over time, duties, and the evidence around them.

:func:`person_profile` answers "what does this leader hold, and how have they done": every
post (SERVES_IN) and portfolio (IN_CHARGE_OF) with whether it is active at the date, the
duties held, issues assigned and projects led (with overdue flags), integrity referrals
received and whether they were answered in time, duty/failure records by or about the
person, and the accountability decisions targeting them.

Both backends produce the same *row* — a dict of lists of property maps, the shape the
Cypher query returns — and :func:`assemble_profile` shapes it, so the results are equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graph.errors import NotFound
from graph.queries.common import (
    active,
    as_of_or_today,
    edges_of,
    embedded,
    graph_props,
    neo4j,
    no_gc,
    ref_of,
    uid_for,
)
from graph.queries.holders import duty_dicts
from graph.queries.models import NodeRef
from graph.queries.person_models import PersonProfile
from graph.schema import split_uid
from graph.store.base import GraphStore

Row = dict[str, Any]

#: Issue states in which a passed deadline no longer matters.
ISSUE_DONE = ("rectified", "closed")

# One round trip; the person is found through the Entity.uid uniqueness constraint and
# every list hangs off it by one or two hops. Nodes that only become references travel as
# uid and caption (map projections); records and duties, whose fields the profile shows,
# as their properties.
_PERSON_CYPHER = """
MATCH (p:Entity {uid: $uid}) WHERE p:Person
RETURN properties(p) AS person,
  COLLECT { MATCH (p)-[s:SERVES_IN]->(u:Unit)
            RETURN {unit: u {.uid, .name}, role: s.role, start: s.start, end: s.end} } AS posts,
  COLLECT { MATCH (p)-[c:IN_CHARGE_OF]->(u:Unit)
            RETURN {unit: u {.uid, .name}, portfolio: c.portfolio, start: c.start, end: c.end}
          } AS portfolios,
  COLLECT { MATCH (p)-[:HOLDS]->(d:Duty) RETURN properties(d) } AS duties,
  COLLECT { MATCH (i:Issue)-[:ASSIGNED_TO]->(p)
            RETURN {node: properties(i),
                    units: COLLECT { MATCH (i)-[:FOUND_IN]->(u:Unit) RETURN u {.uid, .name} }}
          } AS issues,
  COLLECT { MATCH (j:Project)-[:LED_BY]->(p)
            RETURN {node: j {.uid, .title, .deadline, .status, .completed_on},
                    issues: COLLECT { MATCH (j)-[:ADDRESSES]->(i:Issue) RETURN i {.uid, .title} }}
          } AS projects,
  COLLECT { MATCH (r:Referral)-[:SENT_TO]->(p)
            RETURN {node: properties(r),
                    issuers: COLLECT { MATCH (r)-[:ISSUED_BY]->(u:Unit) RETURN u {.uid, .name} },
                    issues: COLLECT { MATCH (r)-[:ABOUT]->(i:Issue) RETURN i {.uid, .title} }}
          } AS referrals,
  COLLECT { MATCH (rec:Record)-[:BY]->(p)
            RETURN {node: properties(rec),
                    actors: COLLECT { MATCH (rec)-[:BY]->(a:Entity)
                                      RETURN a {.uid, .name, .title} },
                    targets: COLLECT { MATCH (rec)-[:CONCERNS]->(t:Entity)
                                       RETURN t {.uid, .name, .title} },
                    duties: COLLECT { MATCH (rec)-[:FULFILS]->(d:Duty) RETURN d {.uid, .title} }}
          } AS records_by,
  COLLECT { MATCH (rec:Record)-[:CONCERNS]->(p)
            RETURN {node: properties(rec),
                    actors: COLLECT { MATCH (rec)-[:BY]->(a:Entity)
                                      RETURN a {.uid, .name, .title} },
                    targets: COLLECT { MATCH (rec)-[:CONCERNS]->(t:Entity)
                                       RETURN t {.uid, .name, .title} },
                    duties: COLLECT { MATCH (rec)-[:FULFILS]->(d:Duty) RETURN d {.uid, .title} }}
          } AS records_concerning,
  COLLECT { MATCH (a:Accountability)-[:TARGETS]->(p)
            RETURN {node: properties(a),
                    targets: [properties(p)],
                    cases: COLLECT { MATCH (a)-[:FOR_CASE]->(c:Case) RETURN c {.uid, .title} },
                    deciders: COLLECT { MATCH (a)-[:DECIDED_BY]->(u:Unit) RETURN u {.uid, .name} }}
          } AS decisions
"""


# -- embedded: the same row -------------------------------------------------------------
def _person_row_embedded(g: Any, uid: str) -> Row:
    def props(u: str) -> Row:
        return graph_props(g, u)

    def ends(u: str, rel_type: str, direction: str = "out") -> list[Row]:
        return [props(o) for o, _ in edges_of(g, u, rel_type, direction)]

    def record(rec: str) -> Row:
        return {"node": props(rec), "actors": ends(rec, "BY"), "targets": ends(rec, "CONCERNS"),
                "duties": ends(rec, "FULFILS")}

    return {
        "person": props(uid),
        "posts": [{"unit": props(u), "role": a.get("role"), "start": a.get("start"),
                   "end": a.get("end")} for u, a in edges_of(g, uid, "SERVES_IN")],
        "portfolios": [{"unit": props(u), "portfolio": a.get("portfolio"),
                        "start": a.get("start"), "end": a.get("end")}
                       for u, a in edges_of(g, uid, "IN_CHARGE_OF")],
        "duties": ends(uid, "HOLDS"),
        "issues": [{"node": props(i), "units": ends(i, "FOUND_IN")}
                   for i, _ in edges_of(g, uid, "ASSIGNED_TO", "in")],
        "projects": [{"node": props(j), "issues": ends(j, "ADDRESSES")}
                     for j, _ in edges_of(g, uid, "LED_BY", "in")],
        "referrals": [{"node": props(r), "issuers": ends(r, "ISSUED_BY"),
                       "issues": ends(r, "ABOUT")} for r, _ in edges_of(g, uid, "SENT_TO", "in")],
        "records_by": [record(r) for r, _ in edges_of(g, uid, "BY", "in")],
        "records_concerning": [record(r) for r, _ in edges_of(g, uid, "CONCERNS", "in")],
        "decisions": [{"node": props(a), "targets": [props(uid)], "cases": ends(a, "FOR_CASE"),
                       "deciders": ends(a, "DECIDED_BY")}
                      for a, _ in edges_of(g, uid, "TARGETS", "in")],
    }


# -- shaping (shared) -------------------------------------------------------------------
# A profile may hold hundreds of records and references: it is shaped as plain dicts and
# validated once into PersonProfile.
#: Per-profile NodeRefs by uid: a profile names the same few hundred nodes (its person,
#: duties, units) again and again in its records; each is validated once and the model
#: instance reused, which pydantic accepts as is (half of a large profile's CPU otherwise).
Memo = dict[str, NodeRef]


def refs(nodes: Iterable[Mapping[str, Any]], memo: Memo | None = None) -> list[Any]:
    """Distinct nodes (stored properties with uid) as NodeRef fields, by uid; as shared
    NodeRef instances when a ``memo`` is given."""
    by_uid = {str(n["uid"]): n for n in nodes}
    if memo is None:
        return [ref_of(by_uid[u]) for u in sorted(by_uid)]
    out = []
    for u in sorted(by_uid):
        ref = memo.get(u)
        if ref is None:
            ref = memo[u] = NodeRef.model_validate(ref_of(by_uid[u]))
        out.append(ref)
    return out


def first_ref(nodes: Iterable[Mapping[str, Any]], memo: Memo | None = None) -> Any:
    """The node of smallest uid (a relationship the schema allows more than once but that
    normally appears once, like an issue's unit)."""
    found = refs(nodes, memo)
    return found[0] if found else None


def decision_dict(row: Mapping[str, Any], target: Mapping[str, Any] | None) -> Row:
    """DecisionItem fields of an accountability decision from its row (``node``, ``cases``,
    ``deciders``) and one of its targets."""
    p = row["node"]
    return {
        "decision": ref_of(p), "target": ref_of(target) if target is not None else None,
        "category": p.get("category"), "measure": p.get("measure"), "form": p.get("form"),
        "decided_on": p.get("decided_on"), "case": first_ref(row["cases"]),
        "decided_by": first_ref(row["deciders"]),
    }


def decision_key(d: Mapping[str, Any]) -> tuple[str, str, str]:
    return (d["decided_on"] or "", d["decision"]["uid"], d["target"]["uid"] if d["target"] else "")


def _record_dict(row: Mapping[str, Any], memo: Memo) -> Row:
    p = row["node"]
    return {"record": ref_of(p), "kind": p.get("kind"), "action": p.get("action"),
            "on": p.get("on"), "summary": p.get("summary"),
            "actors": refs(row["actors"], memo), "targets": refs(row["targets"], memo),
            "duties": refs(row["duties"], memo)}


def _referral_dict(row: Mapping[str, Any], as_of: str, memo: Memo) -> Row:
    p = row["node"]
    due, replied, status = p.get("due_on"), p.get("replied_on"), p.get("status")
    answered = replied <= as_of if replied else status == "replied"
    return {
        "referral": ref_of(p), "issued_by": first_ref(row["issuers"], memo),
        "issues": refs(row["issues"], memo), "issued_on": p.get("issued_on"), "due_on": due,
        "replied_on": replied, "status": status, "answered": answered,
        "overdue": not answered and due is not None and due < as_of,
        "late": bool(replied and due and replied > due),
    }


def _issue_dict(row: Mapping[str, Any], as_of: str, memo: Memo) -> Row:
    p = row["node"]
    deadline, status = p.get("deadline"), p.get("status")
    return {"issue": ref_of(p), "unit": first_ref(row["units"], memo), "status": status,
            "severity": p.get("severity"), "source": p.get("source"),
            "found_on": p.get("found_on"), "deadline": deadline,
            "overdue": bool(deadline and deadline < as_of and status not in ISSUE_DONE)}


def _project_dict(row: Mapping[str, Any], as_of: str, memo: Memo) -> Row:
    p = row["node"]
    deadline, status, done_on = p.get("deadline"), p.get("status"), p.get("completed_on")
    finished = status == "done" or bool(done_on and done_on <= as_of)
    return {"project": ref_of(p), "issues": refs(row["issues"], memo), "status": status,
            "deadline": deadline, "completed_on": done_on,
            "overdue": bool(deadline and deadline < as_of and not finished)}


def _by_date(items: Iterable[Row], date: str, ref: str) -> list[Row]:
    return sorted(items, key=lambda x: (x[date] or "", x[ref]["uid"]))


def assemble_profile(row: Row, as_of: str) -> PersonProfile:
    """The profile from the row both backends produce (see the module docstring)."""
    posts = sorted(
        ({"unit": ref_of(x["unit"]), "role": x["role"], "start": x["start"], "end": x["end"],
          "active": active(x, as_of)} for x in row["posts"]),
        key=lambda p: (p["start"] or "", p["unit"]["uid"], p["role"], p["end"] or ""),
    )
    portfolios = sorted(
        ({"unit": ref_of(x["unit"]), "portfolio": x["portfolio"], "start": x["start"],
          "end": x["end"], "active": active(x, as_of)} for x in row["portfolios"]),
        key=lambda p: (p["start"] or "", p["unit"]["uid"], p["portfolio"] or "", p["end"] or ""),
    )
    memo: Memo = {}
    issues = _by_date((_issue_dict(x, as_of, memo) for x in row["issues"]), "found_on", "issue")
    projects = _by_date((_project_dict(x, as_of, memo) for x in row["projects"]), "deadline",
                        "project")
    referrals = _by_date((_referral_dict(x, as_of, memo) for x in row["referrals"]),
                         "issued_on", "referral")
    records_by = _by_date((_record_dict(x, memo) for x in row["records_by"]), "on", "record")
    records_about = _by_date((_record_dict(x, memo) for x in row["records_concerning"]), "on",
                             "record")
    decisions = sorted((decision_dict(x, row["person"]) for x in row["decisions"]),
                       key=decision_key)
    duties = duty_dicts(row["duties"])
    summary = {
        "active_posts": sum(p["active"] for p in posts),
        "active_portfolios": sum(p["active"] for p in portfolios),
        "duties": len(duties), "issues": len(issues),
        "overdue_issues": sum(i["overdue"] for i in issues),
        "projects": len(projects), "overdue_projects": sum(j["overdue"] for j in projects),
        "referrals": len(referrals),
        "unanswered_referrals": sum(not r["answered"] for r in referrals),
        "overdue_referrals": sum(r["overdue"] for r in referrals),
        "fulfilment_records": sum(r["kind"] == "fulfilment" for r in records_by),
        "failure_records": sum(r["kind"] == "failure" for r in records_by),
        "records_concerning": len(records_about), "accountability": len(decisions),
    }
    return PersonProfile.model_validate({
        "person": ref_of(row["person"]), "title": row["person"].get("title"), "as_of": as_of,
        "posts": posts, "portfolios": portfolios, "duties": duties, "issues": issues,
        "projects": projects, "referrals": referrals, "records_by": records_by,
        "records_concerning": records_about, "accountability": decisions, "summary": summary,
    })


def person_profile(store: GraphStore, person: str, *, as_of: str | None = None) -> PersonProfile:
    """The profile of ``person`` (a uid or bare id), flags computed as of ``as_of`` (default
    today). Raises NotFound for an unknown person, InvalidArgument for a malformed date."""
    date = as_of_or_today(as_of)
    uid = uid_for(person, "Person")
    db = neo4j(store)
    with no_gc():  # hundreds of records and references (see no_gc)
        if db is not None:
            rows = db.read_plain(_PERSON_CYPHER, {"uid": uid})
            row = rows[0] if rows else None
        else:
            g = embedded(store).graph
            ok = uid in g and g.nodes[uid]["label"] == "Person"
            row = _person_row_embedded(g, uid) if ok else None
        if row is None:
            raise NotFound("Person", split_uid(uid)[1])
        return assemble_profile(row, date)
