"""A person's profile: posts and portfolios over time, duties, and the evidence around them.

:func:`person_profile` answers "what does this leader hold, and how have they done": every
post (SERVES_IN) and portfolio (IN_CHARGE_OF) with whether it is active at the date, the
duties held, issues assigned and projects led (with overdue flags), integrity referrals
received and whether they were answered in time, duty/failure records by or about the
person, and the accountability decisions targeting them.

The store reads one row (``store.reads.person_profile``,
:class:`graph.store.ops.person.PersonRow`) and :func:`assemble_profile` shapes it, so both
backends give equal results.

Scope (applied by the store where it selects):

* a person outside the scope is NotFound, exactly like a missing id;
* posts and portfolios are listed only in units in scope, issues and projects only when in
  scope (an issue by the unit it was found in, a project by the issues it addresses);
* every reference is kept only in scope: an issue's units, a project's or referral's
  issues, a referral's issuing unit, a record's actors, targets and duties, a decision's
  case and deciding unit (a single reference out of scope is ``None``);
* duties, referrals received, records by or about the person and decisions targeting them
  belong to the person (one of their scope anchors), so they are all listed;
* the summary counts what remains.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graph.dates import active, as_of_or_today
from graph.errors import NotFound
from graph.history.provenance import provenance_in
from graph.queries.common import ref_of, uid_for
from graph.queries.holders import duty_dicts
from graph.queries.models import NodeRef
from graph.queries.person_models import PersonProfile
from graph.schema import split_uid
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore
from graph.store.ops.person import PersonRow

Row = dict[str, Any]

#: Issue states in which a passed deadline no longer matters.
ISSUE_DONE = ("rectified", "closed")


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


def decision_dict(row: Mapping[str, Any], target: Mapping[str, Any] | None, *,
                  outline: bool = False) -> Row:
    """DecisionItem fields of an accountability decision from its row (``node``, ``cases``,
    ``deciders``) and one of its targets (``outline``: above the user's scope)."""
    p = row["node"]
    return {
        "decision": ref_of(p), "target": ref_of(target) if target is not None else None,
        "target_outline": outline,
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


def assemble_profile(row: PersonRow, as_of: str) -> PersonProfile:
    """The profile from the row both backends produce (see the module docstring)."""
    posts: list[Row] = sorted(
        ({"unit": ref_of(x["unit"]), "role": x["role"], "start": x["start"], "end": x["end"],
          "active": active(x, as_of)} for x in row["posts"]),
        key=lambda p: (p["start"] or "", p["unit"]["uid"], p["role"], p["end"] or ""),
    )
    portfolios: list[Row] = sorted(
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


def person_profile(store: GraphStore, person: str, *, as_of: str | None = None,
                   scope: Scope = EVERYTHING_SCOPE) -> PersonProfile:
    """The profile of ``person`` (a uid or bare id), flags computed as of ``as_of`` (default
    today), as ``scope`` sees it (see the module docstring). Raises NotFound for an unknown
    person or one outside ``scope``, InvalidArgument for a malformed date."""
    date = as_of_or_today(as_of)
    uid = uid_for(person, "Person")
    row = store.reads.person_profile(uid, scope)
    if row is None:
        raise NotFound("Person", split_uid(uid)[1])
    profile = assemble_profile(row, date)
    profile.provenance = provenance_in(store, uid, row["person"])
    return profile
