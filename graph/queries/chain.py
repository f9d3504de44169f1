"""The responsibility chain of an issue, and the trace-back (倒查) of a case.

The chain (DESIGN.md §4), as of a date, for the unit where the issue was found or the case
occurred:

====================  ==================================  =================  ====================
role                  who                                 responsibility     accountability
====================  ==================================  =================  ====================
owner / involved      the issue's owner (ASSIGNED_TO);    (direct)           direct
/ responsible         for a case the persons INVOLVED and
                      those it NAMES_RESPONSIBLE
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

A case's trace-back (issue #14, DESIGN.md §8) lists each person once, in the role the
rules give them (:func:`_one_link_per_person`); the owner of an issue the case came from
leads its rectification (领衔整改) beside the chain (``CaseTrace.rectification``), not as
a link. A link is *held* only by a decision of its own category or a configured equivalent
(:mod:`graph.accountability`); a decision against the holder in another category makes it
``held_other_category``; a discipline body's link is answered by the body or anyone
serving in it at the date, or settled by the case's ``supervision_review``. What follows
the case (案后治理) and the persons it names responsible come from one more read,
``store.reads.case_casework``.

Where nobody holds a link at the date, the chain says so with an explicit *missing* link.
The date is the issue's ``found_on`` (the case's ``occurred_on``), or today if unset. Of
several units an issue or case is linked to, the one of smallest uid is used.

The store reads one row (``store.reads.issue_chain`` / ``case_trace``, typed in
:mod:`graph.store.ops`) and the shared functions below build the links from it, so both
backends give equal results.

Scope (applied by the store where it selects; the shaping only reads its marks):

* an issue or case outside the scope is NotFound, exactly like a missing id; its unit is
  the one of smallest uid *in scope*;
* a link whose holder is in scope is shown whole; one whose holder lies above the scope
  (the member in charge of the parent when the parent is above it, a discipline body above
  it) is kept in outline (``ChainLink.outline``: named, not linked); one whose holder the
  scope hides is left out -- and not reported missing, which would be false: a link is
  *missing* only when nobody held it at all;
* the originating issues of a case are listed in scope only (owners of an issue the scope
  hides are hidden with it); a decision's target follows the holder rule (``None`` when
  hidden, ``target_outline`` above the scope) and its deciding unit is kept only in scope;
  the summary counts what remains.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from graph.accountability import Equivalences, configured, discharging
from graph.accountability import equivalences as category_equivalences
from graph.dates import today
from graph.errors import NotFound
from graph.history.provenance import provenance_in
from graph.messages import N_, Message
from graph.queries.chain_models import ROLES, CaseTrace, IssueChain
from graph.queries.common import ref_of, uid_for
from graph.queries.holders import unit_ref_dict
from graph.queries.person import decision_dict, decision_key, refs
from graph.schema import split_uid
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore
from graph.store.ops.casework import CaseworkRow
from graph.store.ops.chain import CaseTraceRow, HolderRow, IssueChainRow, UnitChainRow

Row = dict[str, Any]

#: Role → the note of its link when nobody holds it (``chain.<note>`` in the catalogues).
_MISSING = {
    "owner": "missing_owner",
    "involved": "missing_involved",
    "member_in_charge": "missing_member_in_charge",
    "secretary": "missing_secretary",
    "committee": "missing_committee",
    "discipline_body": "missing_discipline_body",
}
#: The note of every link above the direct ones when the item records no unit.
_NO_UNIT = "no_unit"
_NOTE_TEXTS = {
    "missing_owner": N_("chain.missing_owner"),
    "missing_involved": N_("chain.missing_involved"),
    "missing_member_in_charge": N_("chain.missing_member_in_charge"),
    "missing_secretary": N_("chain.missing_secretary"),
    "missing_committee": N_("chain.missing_committee"),
    "missing_discipline_body": N_("chain.missing_discipline_body"),
    "no_unit": N_("chain.no_unit"),
}


# -- building the chain (shared) --------------------------------------------------------
# Links and decisions are shaped as plain dicts and the result validated once.
def _link(role: str, holder: Mapping[str, Any] | None, basis: Row | None,
          *, note: str | None = None, outline: bool = False) -> Row:
    responsibility, category = ROLES[role]
    if holder is None:
        note = note or _MISSING[role]
        return {"role": role, "responsibility": responsibility, "category": category,
                "holder": None, "basis": None, "missing": True, "note": note,
                "message": Message(_NOTE_TEXTS[note]), "outline": False, "also": []}
    return {"role": role, "responsibility": responsibility, "category": category,
            "holder": ref_of(holder), "basis": basis, "missing": False, "outline": outline,
            "also": []}


def _basis(kind: str, **fields: Any) -> Row:
    return {"kind": kind, "unit": None, "issue": None, "role": None, "portfolio": None,
            "mode": None, "start": None, "end": None, "via_parent": False, **fields}


def _ref(props: Mapping[str, Any] | None) -> Row | None:
    return ref_of(props) if props is not None else None


def _one_per_person(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The earliest tenure of each person the scope shows (by start, unit, portfolio),
    ordered by person."""
    best: dict[str, Mapping[str, Any]] = {}
    for x in sorted(rows, key=lambda x: (x["start"] or "", x["unit"]["uid"] if "unit" in x
                                         else "", x.get("portfolio") or "")):
        if x["person"] is not None:
            best.setdefault(str(x["person"]["uid"]), x)
    return [best[k] for k in sorted(best)]


def _shown(holders: Sequence[HolderRow]) -> list[HolderRow]:
    """The holders the scope shows (whole or in outline), by uid."""
    return sorted((h for h in holders if h["node"] is not None),
                  key=lambda h: str(h["node"]["uid"]) if h["node"] else "")


def unit_links(row: UnitChainRow) -> list[Row]:
    """The links above the direct ones, from a row with the unit-chain keys. A list the
    data fills and the scope hides entirely gives no link (not a missing one)."""
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
            end=x["end"], via_parent=via_parent), outline=x["outline"]))
    if not in_charge:
        links.append(_link("member_in_charge", None, None))
    for x in _one_per_person(row["secretaries"]):
        links.append(_link("secretary", x["person"], _basis(
            "post", unit=_ref(unit), role=x["role"], start=x["start"], end=x["end"]),
            outline=x["outline"]))
    if not row["secretaries"]:
        links.append(_link("secretary", None, None))
    links.append(_link("committee", unit, _basis("organisation", unit=_ref(unit))))
    seen: set[str] = set()
    for b in sorted(row["supervisors"], key=lambda b: (str(b["unit"]["uid"]) if b["unit"]
                                                       else "", b["mode"] or "")):
        if b["unit"] is not None and b["unit"]["uid"] not in seen:
            seen.add(b["unit"]["uid"])
            links.append(_link("discipline_body", b["unit"], _basis(
                "supervision", unit=_ref(unit), mode=b["mode"]), outline=b["outline"]))
    if not row["supervisors"]:
        links.append(_link("discipline_body", None, None))
    return links


def _unit_ref_of(row: UnitChainRow) -> Row | None:
    return unit_ref_dict(row["unit"]) if row["unit"] is not None else None


def assemble_issue_chain(row: IssueChainRow) -> IssueChain:
    node = row["node"]
    issue = ref_of(node)
    links = [_link("owner", o["node"], _basis("assignment", issue=issue), outline=o["outline"])
             for o in _shown(row["owners"])]
    if not row["owners"]:
        links.append(_link("owner", None, None))
    links += unit_links(row)
    return IssueChain.model_validate({
        "issue": issue, "status": node.get("status"), "severity": node.get("severity"),
        "found_on": node.get("found_on"), "as_of": row["as_of"],
        "as_of_from": "found_on" if node.get("found_on") else "today",
        "unit": _unit_ref_of(row), "links": links,
    })


def _direct_links(row: CaseTraceRow, casework: CaseworkRow) -> list[Row]:
    """The case's direct links: each person INVOLVED, then each person the case names as
    directly responsible (NAMES_RESPONSIBLE), once. An originating issue's owner is not
    one: leading a rectification (领衔整改) is a duty of its own (:func:`_rectification`)."""
    links: dict[str, Row] = {}
    for x in _shown(row["involved"]):
        links.setdefault(str(x["node"]["uid"]) if x["node"] else "", _link(
            "involved", x["node"], _basis("involvement"), outline=x["outline"]))
    for p in sorted(casework["responsible"], key=lambda p: str(p["uid"])):
        links.setdefault(str(p["uid"]), _link("responsible", p, _basis("named_responsible")))
    anyone = row["involved"] or casework["responsible"]
    return list(links.values()) if anyone else [_link("involved", None, None)]


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
        kept = best.get(holder["uid"])
        if kept is None or rank[link["role"]] < rank[kept["role"]]:
            best[holder["uid"]] = link
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


def _rectification(row: CaseTraceRow, in_chain: Mapping[str, str]) -> list[Row]:
    """The originating issues the scope shows, with who leads their rectification and the
    chain role they also hold in this trace."""
    out = []
    for i in sorted((i for i in row["issues"] if i["node"] is not None),
                    key=lambda i: str(i["node"]["uid"]) if i["node"] else ""):
        node = i["node"]
        assert node is not None
        owners = [o["node"] for o in _shown(i["owners"]) if o["node"] is not None]
        out.append({"issue": ref_of(node), "status": node.get("status"),
                    "owners": [{"person": o, "in_chain": in_chain.get(o["uid"])}
                               for o in refs(owners)]})
    return out


def _post_case(casework: CaseworkRow) -> list[Row]:
    items = []
    for x in casework["post_case"]:
        p = x["node"]
        on = p.get("found_on") if x["label"] == "Issue" else (p.get("completed_on")
                                                             or p.get("deadline"))
        items.append({"node": ref_of(p), "kind": x["label"], "status": p.get("status"),
                      "on": on, "leads": refs(x["leads"])})
    return sorted(items, key=lambda i: (i["kind"] != "Issue", i["on"] or "", i["node"]["uid"]))


_NO_CASEWORK: CaseworkRow = {"responsible": [], "post_case": [], "body_people": []}


def assemble_case_trace(row: CaseTraceRow, casework: CaseworkRow | None = None,
                        eq: Equivalences | None = None) -> CaseTrace:
    """The trace-back from the case row and what follows the case (``casework``), each link
    held only by a decision of its own category or a configured equivalent
    (:mod:`graph.accountability`; ``eq`` defaults to the setting)."""
    eq = configured() if eq is None else eq
    work = _NO_CASEWORK if casework is None else casework
    node = row["node"]
    links = _one_link_per_person(_direct_links(row, work) + unit_links(row))
    decisions: list[Row] = []
    for decision in row["decisions"]:
        targets = _shown(decision["targets"])
        decisions.extend(decision_dict(decision, t["node"], outline=t["outline"])
                         for t in targets)
        if not targets:
            decisions.append(decision_dict(decision, None))
    decisions.sort(key=decision_key)
    by_target: dict[str, list[Row]] = {}
    for d in decisions:
        if d["target"] is not None:
            by_target.setdefault(d["target"]["uid"], []).append(d)
    # A discipline body's link is answered by the body or anyone serving in it at the date.
    body_people: dict[str, set[str]] = {}
    for body, person in work["body_people"]:
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
        against = sorted((d for t in who for d in by_target.get(t, [])), key=decision_key)
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
        "unit": _unit_ref_of(row),
        "issues": refs(i["node"] for i in row["issues"] if i["node"] is not None),
        "links": traced, "outside_chain": outside, "decisions": decisions, "summary": summary,
        "supervision_review": node.get("supervision_review"),
        "rectification": _rectification(row, in_chain), "post_case": _post_case(work),
    })


# -- the queries ------------------------------------------------------------------------
def issue_chain(store: GraphStore, issue: str, *,
                scope: Scope = EVERYTHING_SCOPE) -> IssueChain:
    """The responsibility chain of ``issue`` (a uid or bare id) as of its ``found_on``, as
    ``scope`` sees it (see the module docstring).

    Raises NotFound for an unknown issue or one outside ``scope``.
    """
    uid = uid_for(issue, "Issue")
    row = store.reads.issue_chain(uid, today(), scope)
    if row is None:
        raise NotFound("Issue", split_uid(uid)[1])
    chain = assemble_issue_chain(row)
    chain.provenance = provenance_in(store, uid, row["node"])
    return chain


def case_trace(store: GraphStore, case: str, *, scope: Scope = EVERYTHING_SCOPE,
               equivalences: Mapping[str, Iterable[str]] | None = None) -> CaseTrace:
    """The trace-back of ``case`` (a uid or bare id): its chain as of ``occurred_on`` set
    against the accountability decided for it, as ``scope`` sees it (see the module
    docstring), each link held only by a decision of its category (``equivalences``:
    extra categories per link category; default the setting
    ``DUTYGRAPH_CATEGORY_EQUIVALENCES``), with the rectification of the issues it came
    from and the 案后治理 that follows it. Raises NotFound for an unknown case or one outside
    ``scope``, InvalidArgument for an unknown category in ``equivalences``."""
    eq = None if equivalences is None else category_equivalences(equivalences)
    uid = uid_for(case, "Case")
    row = store.reads.case_trace(uid, today(), scope)
    if row is None:
        raise NotFound("Case", split_uid(uid)[1])
    bodies = [str(b["unit"]["uid"]) for b in row["supervisors"] if b["unit"] is not None]
    casework = store.reads.case_casework(uid, bodies, row["as_of"], scope)
    trace = assemble_case_trace(row, casework, eq)
    trace.provenance = provenance_in(store, uid, row["node"])
    return trace
