"""The responsibility chain of an issue, and the trace-back (倒查) of a case.

The chain (DESIGN.md §4), as of a date, for the unit where the issue was found or the case
occurred:

====================  ==================================  =================  ====================
role                  who                                 responsibility     accountability
====================  ==================================  =================  ====================
owner / involved      the issue's owner (ASSIGNED_TO);    (direct)           direct
                      for a case the persons INVOLVED and
                      the owner of the issue it came from
member_in_charge      every member IN_CHARGE_OF the unit  dual               important_leadership
                      at the date; if none, of its parent
secretary             SERVES_IN role=secretary at the     first              primary_leadership
                      date
committee             the unit itself                     primary            overall_leadership
discipline_body       every unit SUPERVISES-ing the unit  supervisory        supervisory
====================  ==================================  =================  ====================

The committee rule: the unit is its own Party organisation. Units in the graph *are* Party
organisations (a department, enterprise or village is recorded by its Party committee,
group or branch), so the committee link is the unit itself whatever its ``kind`` — a
``party_committee`` or not; its ancestors' committees are not in the chain (their leaders
appear only through the "in charge of the parent" rule).

Where nobody holds a link at the date, the chain says so with an explicit *missing* link.
The date is the issue's ``found_on`` (the case's ``occurred_on``), or today if unset. Of
several units an issue or case is linked to, the one of smallest uid is used.

Both backends produce the same row — property maps in the shape the Cypher returns — and
the shared functions below build the links from it, so results are equal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any, LiteralString

from graph.accountability import Equivalences, configured, discharging
from graph.accountability import equivalences as category_equivalences
from graph.errors import NotFound
from graph.queries.chain_models import ROLES, CaseTrace, IssueChain
from graph.queries.common import (
    active,
    edges_of,
    embedded,
    graph_props,
    neo4j,
    ref_of,
    today,
    uid_for,
)
from graph.queries.holders import unit_ref_dict
from graph.queries.person import decision_dict, decision_key, refs
from graph.schema import split_uid
from graph.scope import EVERYTHING_SCOPE
from graph.store.base import GraphStore

Row = dict[str, Any]

_MISSING = {
    "owner": ("问题未明确领衔整改人", "the issue has no owner (ASSIGNED_TO)"),
    "involved": ("案件未记录涉案人员或直接责任人",
                 "the case records nobody involved and nobody directly responsible"),
    "member_in_charge": ("该日期无班子成员分管该单位或其上级单位",
                         "no team member was in charge of the unit or its parent at the date"),
    "secretary": ("该日期该单位无在任书记", "the unit had no secretary at the date"),
    "committee": ("未记录所在单位", "no unit is recorded"),
    "discipline_body": ("无纪检监察机构监督该单位", "no discipline body supervises the unit"),
}
_NO_UNIT = ("未记录所在单位，无法确定该环节", "no unit is recorded, so this link is unknown")

# The unit part of the chain, shared by both queries: `u` is the unit (or null) and
# `as_of` the date. Tenure filters mirror graph.queries.common.active.
_UNIT_CHAIN = """
  COLLECT { MATCH (m:Person)-[c:IN_CHARGE_OF]->(u)
            WHERE (c.start IS NULL OR c.start <= as_of) AND (c.end IS NULL OR c.end >= as_of)
            RETURN {person: properties(m), unit: properties(u), portfolio: c.portfolio,
                    start: c.start, end: c.end} } AS in_charge,
  COLLECT { MATCH (u)-[:SUBORDINATE_TO]->(pu:Unit)<-[c:IN_CHARGE_OF]-(m:Person)
            WHERE (c.start IS NULL OR c.start <= as_of) AND (c.end IS NULL OR c.end >= as_of)
            RETURN {person: properties(m), unit: properties(pu), portfolio: c.portfolio,
                    start: c.start, end: c.end} } AS parent_in_charge,
  COLLECT { MATCH (s:Person)-[t:SERVES_IN]->(u)
            WHERE t.role = 'secretary'
              AND (t.start IS NULL OR t.start <= as_of) AND (t.end IS NULL OR t.end >= as_of)
            RETURN {person: properties(s), role: t.role, start: t.start, end: t.end}
          } AS secretaries,
  COLLECT { MATCH (b:Unit)-[r:SUPERVISES]->(u)
            RETURN {unit: properties(b), mode: r.mode} } AS supervisors
"""

_ISSUE_CYPHER = (
    """
MATCH (i:Entity {uid: $uid}) WHERE i:Issue
WITH i, coalesce(i.found_on, $today) AS as_of
CALL (i) {
  OPTIONAL MATCH (i)-[:FOUND_IN]->(x:Unit)
  RETURN x AS u ORDER BY x.uid LIMIT 1
}
RETURN properties(i) AS node, as_of, properties(u) AS unit,
  COLLECT { MATCH (i)-[:ASSIGNED_TO]->(o:Person) RETURN properties(o) } AS owners,
"""
    + _UNIT_CHAIN
)

_CASE_CYPHER = (
    """
MATCH (k:Entity {uid: $uid}) WHERE k:Case
WITH k, coalesce(k.occurred_on, $today) AS as_of
CALL (k) {
  OPTIONAL MATCH (k)-[:OCCURRED_IN]->(x:Unit)
  RETURN x AS u ORDER BY x.uid LIMIT 1
}
RETURN properties(k) AS node, as_of, properties(u) AS unit,
  COLLECT { MATCH (k)-[:INVOLVES]->(x:Person) RETURN properties(x) } AS involved,
  COLLECT { MATCH (k)-[:ORIGINATED_FROM]->(i:Issue)
            RETURN {node: properties(i),
                    owners: COLLECT { MATCH (i)-[:ASSIGNED_TO]->(o:Person)
                                      RETURN properties(o) }} } AS issues,
  COLLECT { MATCH (a:Accountability)-[:FOR_CASE]->(k)
            RETURN {node: properties(a),
                    targets: COLLECT { MATCH (a)-[:TARGETS]->(t:Entity) RETURN properties(t) },
                    cases: [properties(k)],
                    deciders: COLLECT { MATCH (a)-[:DECIDED_BY]->(d:Unit)
                                        RETURN properties(d) }} } AS decisions,
"""
    + _UNIT_CHAIN
)


# -- embedded: the same rows ------------------------------------------------------------
def _unit_chain_embedded(g: Any, unit: str | None, as_of: str) -> Row:
    if unit is None:
        return {"unit": None, "in_charge": [], "parent_in_charge": [], "secretaries": [],
                "supervisors": []}

    def in_charge_of(u: str) -> list[Row]:
        return [{"person": graph_props(g, m), "unit": graph_props(g, u),
                 "portfolio": a.get("portfolio"), "start": a.get("start"), "end": a.get("end")}
                for m, a in edges_of(g, u, "IN_CHARGE_OF", "in") if active(a, as_of)]

    return {
        "unit": graph_props(g, unit),
        "in_charge": in_charge_of(unit),
        "parent_in_charge": [x for pu, _ in edges_of(g, unit, "SUBORDINATE_TO")
                             for x in in_charge_of(pu)],
        "secretaries": [{"person": graph_props(g, s), "role": a.get("role"),
                         "start": a.get("start"), "end": a.get("end")}
                        for s, a in edges_of(g, unit, "SERVES_IN", "in")
                        if a.get("role") == "secretary" and active(a, as_of)],
        "supervisors": [{"unit": graph_props(g, b), "mode": a.get("mode")}
                        for b, a in edges_of(g, unit, "SUPERVISES", "in")],
    }


def _first_unit(g: Any, uid: str, rel_type: str) -> str | None:
    units = sorted(u for u, _ in edges_of(g, uid, rel_type) if g.nodes[u]["label"] == "Unit")
    return units[0] if units else None


def _ends(g: Any, uid: str, rel_type: str, direction: str = "out") -> list[Row]:
    return [graph_props(g, o) for o, _ in edges_of(g, uid, rel_type, direction)]


def _issue_row_embedded(g: Any, uid: str, today_: str) -> Row:
    node = graph_props(g, uid)
    as_of = node.get("found_on") or today_
    chain = _unit_chain_embedded(g, _first_unit(g, uid, "FOUND_IN"), as_of)
    return {"node": node, "as_of": as_of, "owners": _ends(g, uid, "ASSIGNED_TO"), **chain}


def _case_row_embedded(g: Any, uid: str, today_: str) -> Row:
    node = graph_props(g, uid)
    as_of = node.get("occurred_on") or today_
    chain = _unit_chain_embedded(g, _first_unit(g, uid, "OCCURRED_IN"), as_of)
    return {
        "node": node, "as_of": as_of, **chain,
        "involved": _ends(g, uid, "INVOLVES"),
        "issues": [{"node": graph_props(g, i), "owners": _ends(g, i, "ASSIGNED_TO")}
                   for i, _ in edges_of(g, uid, "ORIGINATED_FROM")],
        "decisions": [{"node": graph_props(g, a), "targets": _ends(g, a, "TARGETS"),
                       "cases": [node], "deciders": _ends(g, a, "DECIDED_BY")}
                      for a, _ in edges_of(g, uid, "FOR_CASE", "in")],
    }


# -- building the chain (shared) --------------------------------------------------------
# Links and decisions are shaped as plain dicts and the result validated once.
def _link(role: str, holder: Mapping[str, Any] | None, basis: Row | None,
          *, note: tuple[str, str] | None = None) -> Row:
    responsibility, category = ROLES[role]
    if holder is None:
        zh, en = note or _MISSING[role]
        return {"role": role, "responsibility": responsibility, "category": category,
                "holder": None, "basis": None, "missing": True, "zh": zh, "en": en, "also": []}
    return {"role": role, "responsibility": responsibility, "category": category,
            "holder": ref_of(holder), "basis": basis, "missing": False, "zh": "", "en": "",
            "also": []}


def _basis(kind: str, **fields: Any) -> Row:
    return {"kind": kind, "unit": None, "issue": None, "role": None, "portfolio": None,
            "mode": None, "start": None, "end": None, "via_parent": False, **fields}


def _ref(props: Mapping[str, Any] | None) -> Row | None:
    return ref_of(props) if props is not None else None


def _one_per_person(rows: list[Row]) -> list[Row]:
    """The earliest tenure of each person (by start, unit, portfolio), ordered by person."""
    best: dict[str, Row] = {}
    for x in sorted(rows, key=lambda x: (x["start"] or "", x["unit"]["uid"] if "unit" in x
                                         else "", x.get("portfolio") or "")):
        best.setdefault(str(x["person"]["uid"]), x)
    return [best[k] for k in sorted(best)]


def unit_links(row: Row) -> list[Row]:
    """The links above the direct ones, from a row with the unit-chain keys."""
    unit = row["unit"]
    if unit is None:
        return [_link(role, None, None, note=_NO_UNIT)
                for role in ("member_in_charge", "secretary", "committee", "discipline_body")]
    links: list[Row] = []
    in_charge, via_parent = row["in_charge"], False
    if not in_charge:
        in_charge, via_parent = row["parent_in_charge"], True
    for x in _one_per_person(in_charge):
        links.append(_link("member_in_charge", x["person"], _basis(
            "portfolio", unit=_ref(x["unit"]), portfolio=x["portfolio"], start=x["start"],
            end=x["end"], via_parent=via_parent)))
    if not in_charge:
        links.append(_link("member_in_charge", None, None))
    for x in _one_per_person(row["secretaries"]):
        links.append(_link("secretary", x["person"], _basis(
            "post", unit=_ref(unit), role=x["role"], start=x["start"], end=x["end"])))
    if not row["secretaries"]:
        links.append(_link("secretary", None, None))
    links.append(_link("committee", unit, _basis("organisation", unit=_ref(unit))))
    seen: set[str] = set()
    for x in sorted(row["supervisors"], key=lambda x: (str(x["unit"]["uid"]), x["mode"] or "")):
        if x["unit"]["uid"] not in seen:
            seen.add(x["unit"]["uid"])
            links.append(_link("discipline_body", x["unit"], _basis(
                "supervision", unit=_ref(unit), mode=x["mode"])))
    if not seen:
        links.append(_link("discipline_body", None, None))
    return links


def _unit_ref_of(row: Row) -> Row | None:
    return unit_ref_dict(row["unit"]) if row["unit"] is not None else None


def assemble_issue_chain(row: Row) -> IssueChain:
    node = row["node"]
    issue = ref_of(node)
    links = [
        _link("owner", o, _basis("assignment", issue=issue))
        for o in sorted(row["owners"], key=lambda o: str(o["uid"]))
    ] or [_link("owner", None, None)]
    links += unit_links(row)
    return IssueChain.model_validate({
        "issue": issue, "status": node.get("status"), "severity": node.get("severity"),
        "found_on": node.get("found_on"), "as_of": row["as_of"],
        "as_of_from": "found_on" if node.get("found_on") else "today",
        "unit": _unit_ref_of(row), "links": links,
    })


def _direct_links(row: Row) -> list[Row]:
    """The case's direct links: each person INVOLVED, then each person the case names as
    directly responsible (NAMES_RESPONSIBLE), once. An originating issue's owner is not
    one: leading a rectification (领衔整改) is a duty of its own (:func:`_rectification`)."""
    links: dict[str, Row] = {}
    for x in sorted(row["involved"], key=lambda x: str(x["uid"])):
        links.setdefault(str(x["uid"]), _link("involved", x, _basis("involvement")))
    for x in sorted(row.get("responsible", ()), key=lambda x: str(x["uid"])):
        links.setdefault(str(x["uid"]), _link("responsible", x, _basis("named_responsible")))
    return list(links.values()) or [_link("involved", None, None)]


#: Which chain role a person keeps when they hold several: direct involvement first (who
#: acted is directly responsible, not in a leadership role, for what they did), then the
#: secretary, then the member in charge.
_PRECEDENCE = ("involved", "responsible", "secretary", "member_in_charge")


def _one_link_per_person(links: list[Row]) -> list[Row]:
    """``links`` with every person once, in the role of :data:`_PRECEDENCE`; the roles they
    lose are kept in the link's ``also``."""
    rank = {r: i for i, r in enumerate(_PRECEDENCE)}
    best: dict[str, Row] = {}
    for link in links:
        holder = link["holder"]
        if holder is None or holder["label"] != "Person":
            continue
        uid = holder["uid"]
        kept = best.get(uid)
        if kept is None or rank[link["role"]] < rank[kept["role"]]:
            best[uid] = link
    out = []
    for link in links:
        holder = link["holder"]
        if holder is not None and holder["label"] == "Person" and best[holder["uid"]] is not link:
            kept = best[holder["uid"]]
            if link["role"] not in kept["also"]:
                kept["also"].append(link["role"])
            continue
        out.append(link)
    return out


def _rectification(row: Row, in_chain: dict[str, str]) -> list[Row]:
    return [{"issue": ref_of(i["node"]), "status": i["node"].get("status"),
             "owners": [{"person": o, "in_chain": in_chain.get(o["uid"])}
                        for o in refs(i["owners"])]}
            for i in sorted(row["issues"], key=lambda i: str(i["node"]["uid"]))]


def _post_case(row: Row) -> list[Row]:
    items = []
    for x in row.get("post_case", ()):
        p = x["node"]
        on = p.get("found_on") if x["label"] == "Issue" else (p.get("completed_on")
                                                             or p.get("deadline"))
        items.append({"node": ref_of(p), "kind": x["label"], "status": p.get("status"),
                      "on": on, "leads": refs(x["leads"])})
    return sorted(items, key=lambda i: (i["kind"] != "Issue", i["on"] or "", i["node"]["uid"]))


def assemble_case_trace(row: Row, eq: Equivalences | None = None) -> CaseTrace:
    """The trace-back from the case row (chain, decisions, and the keys of
    :class:`graph.store.rows.CaseworkRow`), each link held only by a decision of its own
    category or a configured equivalent (:mod:`graph.accountability`)."""
    eq = configured() if eq is None else eq
    node = row["node"]
    links = _one_link_per_person(_direct_links(row) + unit_links(row))
    decisions: list[Row] = []
    for d in row["decisions"]:
        targets = sorted(d["targets"], key=lambda t: str(t["uid"])) or [None]
        decisions.extend(decision_dict(d, t) for t in targets)
    decisions.sort(key=decision_key)
    by_target: dict[str, list[Row]] = {}
    for d in decisions:
        if d["target"] is not None:
            by_target.setdefault(d["target"]["uid"], []).append(d)
    # A discipline body's link is answered by the body or anyone serving in it at the date.
    body_people: dict[str, set[str]] = {}
    for body, person in row.get("body_people", ()):
        body_people.setdefault(str(body), set()).add(str(person))
    judged = node.get("supervision_review") == "not_applicable"
    traced: list[Row] = []
    answered: set[str] = set()
    for link in links:
        if link["missing"]:
            traced.append({"link": link, "status": "missing", "decisions": [],
                           "other_decisions": []})
            continue
        uid = link["holder"]["uid"]
        who = {uid} | (body_people.get(uid, set()) if link["role"] == "discipline_body"
                       else set())
        answered |= who
        against = [d for t in sorted(who) for d in by_target.get(t, [])]
        against.sort(key=decision_key)
        wanted = discharging(link["category"], eq)
        held = [d for d in against if d["category"] in wanted]
        other = [d for d in against if d["category"] not in wanted]
        if held:
            status = "held"
        elif link["role"] == "discipline_body" and judged:
            status = "not_applicable"
        elif other:
            status = "held_other_category"
        else:
            status = "gap"
        traced.append({"link": link, "status": status, "decisions": held,
                       "other_decisions": other})
    outside = [d for d in decisions if d["target"] is not None
               and d["target"]["uid"] not in answered]
    held_cats = {t["link"]["category"] for t in traced if t["status"] == "held"}
    present = [t for t in traced if t["status"] != "missing"]
    count = Counter(t["status"] for t in traced)
    kinds = Counter(d["target"]["label"] for d in decisions if d["target"] is not None)
    summary = {
        "expected": len(present), "held": count["held"], "gaps": count["gap"],
        "missing": count["missing"], "held_other_category": count["held_other_category"],
        "not_applicable": count["not_applicable"],
        "outside_chain": len(outside), "decisions": len(decisions),
        "persons": kinds["Person"], "organisations": kinds["Unit"],
        "stopped_at_direct": held_cats == {"direct"},
        "whole_chain_held": bool(present) and all(t["status"] in ("held", "not_applicable")
                                                  for t in present),
    }
    in_chain = {t["link"]["holder"]["uid"]: t["link"]["role"] for t in traced
                if t["link"]["holder"] is not None}
    return CaseTrace.model_validate({
        "case": ref_of(node), "category": node.get("category"),
        "occurred_on": node.get("occurred_on"), "as_of": row["as_of"],
        "as_of_from": "occurred_on" if node.get("occurred_on") else "today",
        "unit": _unit_ref_of(row), "issues": refs(i["node"] for i in row["issues"]),
        "links": traced, "outside_chain": outside, "decisions": decisions, "summary": summary,
        "supervision_review": node.get("supervision_review"),
        "rectification": _rectification(row, in_chain), "post_case": _post_case(row),
    })


# -- the queries ------------------------------------------------------------------------
def _row(store: GraphStore, cypher: LiteralString, uid: str, label: str,
         build: Callable[[Any, str, str], Row]) -> Row:
    today_ = today()
    db = neo4j(store)
    if db is not None:
        rows = db.read_plain(cypher, {"uid": uid, "today": today_})
        if rows:
            return rows[0]
    else:
        g = embedded(store).graph
        if uid in g and g.nodes[uid]["label"] == label:
            return build(g, uid, today_)
    raise NotFound(label, split_uid(uid)[1])


def issue_chain(store: GraphStore, issue: str) -> IssueChain:
    """The responsibility chain of ``issue`` (a uid or bare id) as of its ``found_on``.

    Raises NotFound for an unknown issue.
    """
    row = _row(store, _ISSUE_CYPHER, uid_for(issue, "Issue"), "Issue", _issue_row_embedded)
    return assemble_issue_chain(row)


def case_trace(store: GraphStore, case: str, *,
               equivalences: Mapping[str, Iterable[str]] | None = None) -> CaseTrace:
    """The trace-back of ``case`` (a uid or bare id): its chain as of ``occurred_on`` set
    against the accountability decided for it, each link held only by a decision of its
    category (``equivalences``: extra categories per link category; default the setting
    ``DUTYGRAPH_CATEGORY_EQUIVALENCES``), with the rectification of the issues it came from
    and the 案后治理 that follows it. Raises NotFound for an unknown case, InvalidArgument for
    an unknown category in ``equivalences``."""
    row = _row(store, _CASE_CYPHER, uid_for(case, "Case"), "Case", _case_row_embedded)
    bodies = [str(x["unit"]["uid"]) for x in row["supervisors"]]
    row = {**row, **store.reads.case_casework(str(row["node"]["uid"]), bodies, row["as_of"],
                                              EVERYTHING_SCOPE)}
    return assemble_case_trace(row, None if equivalences is None else
                               category_equivalences(equivalences))
