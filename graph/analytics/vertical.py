"""Vertical weak links (纵向联动): where pressure does not travel from one level to the next.

Each ``check_*`` function takes a :class:`~graph.analytics.index.GraphIndex`, the
configuration and the units in scope (``None`` = all) and returns findings.

Examples
--------
>>> import networkx as nx
>>> from graph.analytics.config import AnalyticsConfig
>>> from graph.analytics.index import GraphIndex
>>> G = nx.MultiDiGraph()
>>> G.add_node("unit:A", label="Unit", id="A", name="甲区委", kind="party_committee", level=1)
>>> G.add_node("referral:R1", label="Referral", id="R1", title="抄告一", issued_on="2023-01-05",
...            due_on="2023-02-05")
>>> G.add_node("person:P", label="Person", id="P", name="张三")
>>> _ = G.add_edge("referral:R1", "unit:A", key="ISSUED_BY|", type="ISSUED_BY")
>>> _ = G.add_edge("referral:R1", "person:P", key="SENT_TO|", type="SENT_TO")
>>> ix = GraphIndex.build(G, "2023-06-01")
>>> [(f.code, f.severity, f.evidence["days_overdue"])
...  for f in check_referral_open(ix, AnalyticsConfig(), None)]
[('V_REFERRAL_OPEN', 'high', 116)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection

from graph.analytics import assessment, casework, channels, loop
from graph.analytics.config import AnalyticsConfig
from graph.analytics.findings import Finding, Severity
from graph.analytics.index import GraphIndex
from graph.messages import N_, AllOf, Message

Scope = Collection[str] | None
OPEN_ISSUE = {None, "", "open", "rectifying", "overdue"}


def days_between(a: str, b: str) -> int:
    """Days from ISO date ``a`` to ``b``.

    >>> days_between("2024-01-01", "2024-03-01")
    60
    """
    return (dt.date.fromisoformat(b[:10]) - dt.date.fromisoformat(a[:10])).days


def days_before(day: str, days: int) -> str:
    """The ISO date ``days`` before ``day`` (compare dates as strings against it).

    >>> days_before("2024-03-01", 60)
    '2024-01-01'
    """
    return (dt.date.fromisoformat(day[:10]) - dt.timedelta(days=days)).isoformat()


def years_before(day: str, years: int) -> str:
    """The ISO date ``years`` before ``day`` (29 Feb falls back to 28 Feb).

    >>> years_before("2024-02-29", 5)
    '2019-02-28'
    """
    d = dt.date.fromisoformat(day[:10])
    try:
        return d.replace(year=d.year - years).isoformat()
    except ValueError:
        return d.replace(year=d.year - years, day=28).isoformat()


def in_scope(scope: Scope) -> Callable[[str | None], bool]:
    if scope is None:
        return lambda u: True
    s = scope if isinstance(scope, set | frozenset) else set(scope)
    return lambda u: u is not None and u in s


def unit_duties(ix: GraphIndex, unit: str) -> list[str]:
    """Duties the unit holds itself or through people currently posted in it."""
    duties = list(ix.holds.get(unit, ()))
    for t in ix.posts.get(unit, ()):
        duties.extend(ix.holds.get(t.person, ()))
    return duties


def units_in(ix: GraphIndex, scope: Scope) -> list[str]:
    if scope is None:
        return list(ix.units)
    s = scope if isinstance(scope, set | frozenset) else set(scope)
    return [u for u in ix.units if u in s]


def reaches(ix: GraphIndex, duty: str, units: set[str]) -> bool:
    """Whether ``duty`` is held by one of ``units`` or by someone posted in one of them."""
    for h in ix.holder_of.get(duty, ()):
        if h in units or any(t.unit in units for t in ix.person_posts.get(h, ())):
            return True
    return False


def check_duty_not_cascaded(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """V_DUTY_NOT_CASCADED: a duty of a unit with subordinate units that is broken down for none.

    Broken down = a ``CASCADES_TO`` into a duty held by a subordinate unit (or by someone
    posted in one); cascading into the unit's own members' items does not count.

    Duties of the configured responsibilities and lists are checked, held by the unit (and,
    if configured, by its current team), of the unit's latest duty year up to as_of and
    ``cascade_years_back`` years before it. Primary-responsibility duties are high severity.
    """
    out = []
    year = int(ix.as_of[:4])
    lists = set(cfg.cascade_lists)
    resps = set(cfg.cascade_responsibilities)
    for u in units_in(ix, scope):
        kids = ix.children.get(u)
        if not kids:
            continue
        held = unit_duties(ix, u) if cfg.cascade_team_duties else ix.holds.get(u, ())
        todo = []
        for d in sorted(set(held)):
            a = ix.attrs(d)
            if a.get("list") not in lists or a.get("responsibility") not in resps:
                continue
            y = a.get("year")
            if y is not None and int(y) > year:
                continue
            todo.append((d, a, None if y is None else int(y)))
        # The list in force is the unit's latest year's (and cascade_years_back before it).
        latest = max((y for _, _, y in todo if y is not None), default=year)
        below = set(kids)
        for d, a, y in todo:
            if y is not None and y < latest - cfg.cascade_years_back:
                continue
            if any(reaches(ix, t, below) for t in ix.cascades.get(d, ())):
                continue
            resp = a.get("responsibility")
            sev: Severity = "high" if resp == "primary" else "medium"
            name, duty = ix.caption(u), ix.caption(d)
            out.append(Finding.make(
                "V_DUTY_NOT_CASCADED", sev, [d, u], unit=u,
                evidence={"subordinate_units": len(kids), "year": y, "responsibility": resp,
                          "holders": sorted(ix.holder_of.get(d, ()))},
                explanation=Message("explain.V_DUTY_NOT_CASCADED", unit=name, duty=duty,
                                    year=y or Message("explain.no_year"), units=len(kids))))
    return out


def check_coverage_gap(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """V_COVERAGE_GAP: a unit no inspection covered within the window (default one term)."""
    out = []
    start = years_before(ix.as_of, cfg.coverage_window_years)
    exempt = set(cfg.coverage_exempt_kinds)
    for u in units_in(ix, scope):
        a = ix.attrs(u)
        if ix.kind(u) in exempt or int(a.get("level") or 0) < cfg.coverage_min_level:
            continue
        insps = ix.coverage.get(u, ())
        last = None
        for i in insps:
            ia = ix.attrs(i)
            day = ia.get("ended_on") or ia.get("started_on")
            if day and day > ix.as_of:
                day = ix.as_of  # an inspection still running counts as covering now
            if day and (last is None or day > last):
                last = day
        if last is not None and last >= start:
            continue
        if not insps:
            covered, sev = Message("explain.coverage_never"), "high"
        else:
            covered = Message("explain.coverage_last",
                              date=last or Message("explain.unknown_date"))
            sev = "medium"
        name = ix.caption(u)
        out.append(Finding.make(
            "V_COVERAGE_GAP", sev, [u], unit=u,  # type: ignore[arg-type]
            evidence={"window_years": cfg.coverage_window_years, "window_start": start,
                      "last_covered": last, "inspections_total": len(insps)},
            explanation=Message("explain.V_COVERAGE_GAP", unit=name, covered=covered,
                                years=cfg.coverage_window_years, start=start)))
    return out


def referral_unit(ix: GraphIndex, r: str) -> str | None:
    """The unit a referral's loop belongs to: the issue's unit, else the home unit of the
    first recipient (by uid) who has one, else the issuer."""
    issue = ix.referral_issue.get(r)
    if issue and issue in ix.issue_unit:
        return ix.issue_unit[issue]
    for p in sorted(ix.referral_to.get(r, ())):
        home = ix.home_unit(p)
        if home:
            return home
    return ix.referral_issuer.get(r)


def check_referral_open(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """V_REFERRAL_OPEN: an integrity referral without a reply (回告) as of the date.

    Past due: high; no due date: medium; not yet due: low (if configured).
    """
    out = []
    ok = in_scope(scope)
    for r in ix.referrals:
        a = ix.attrs(r)
        replied = a.get("replied_on")
        if (replied and replied <= ix.as_of) or (not replied and a.get("status") == "replied"):
            continue
        due = a.get("due_on")
        sev: Severity
        if due and due < ix.as_of:
            sev, days = "high", days_between(due, ix.as_of)
        elif a.get("status") == "overdue":
            sev, days = "high", 0
        elif not due:
            sev, days = "medium", 0
        else:
            if not cfg.referral_due_soon_is_finding:
                continue
            sev, days = "low", 0
        unit = referral_unit(ix, r)
        if not ok(unit):
            continue
        issuer = ix.referral_issuer.get(r)
        to = sorted(ix.referral_to.get(r, ()))
        who = [ix.caption(p) for p in to] or Message("explain.no_recipient")
        by = ix.caption(issuer) if issuer else Message("explain.unknown_unit")
        title = ix.caption(r)
        issued = a.get("issued_on")
        if sev == "high":
            state = (Message("explain.referral_past_due", due=due, days=days) if due
                     else Message("explain.referral_marked_overdue"))
        elif sev == "medium":
            state = Message("explain.referral_no_due")
        else:
            state = Message("explain.referral_due", due=due)
        ids = [r] + ([issuer] if issuer else []) + to
        out.append(Finding.make(
            "V_REFERRAL_OPEN", sev, ids, unit=unit,
            evidence={"issued_on": issued, "due_on": due, "status": a.get("status"),
                      "days_overdue": days, "issue": ix.referral_issue.get(r)},
            explanation=Message("explain.V_REFERRAL_OPEN", by=by, issued=issued, to=who,
                                title=title, state=state)))
    return out


def _open_issues(ix: GraphIndex, scope: Scope) -> list[tuple[str, str | None]]:
    ok = in_scope(scope)
    out = []
    for i in ix.issues:
        unit = ix.issue_unit.get(i)
        if ok(unit) and ix.attrs(i).get("status") in OPEN_ISSUE:
            out.append((i, unit))
    return out


def _issue_severity(a: dict[str, object]) -> Severity:
    if a.get("status") == "overdue" or a.get("severity") == "high":
        return "high"
    return "low" if a.get("severity") == "low" else "medium"


def check_issue_no_owner(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """V_ISSUE_NO_OWNER: an open issue nobody leads fixing (责任清单 gap)."""
    out = []
    for i, unit in _open_issues(ix, scope):
        if ix.issue_owners.get(i):
            continue
        a = ix.attrs(i)
        name = ix.caption(unit) if unit else Message("explain.unknown_unit")
        title = ix.caption(i)
        if a.get("found_on"):
            found = Message("explain.found_on", date=a["found_on"])
        else:
            found = Message("explain.found_unknown")
        out.append(Finding.make(
            "V_ISSUE_NO_OWNER", _issue_severity(a), [i] + ([unit] if unit else []), unit=unit,
            evidence={"found_on": a.get("found_on"), "deadline": a.get("deadline"),
                      "status": a.get("status"), "severity": a.get("severity")},
            explanation=Message("explain.V_ISSUE_NO_OWNER", unit=name, title=title,
                                found=found)))
    return out


def check_issue_no_project(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """V_ISSUE_NO_PROJECT: an open issue with no rectification project (项目清单 gap)."""
    out = []
    for i, unit in _open_issues(ix, scope):
        if ix.issue_projects.get(i):
            continue
        a = ix.attrs(i)
        name = ix.caption(unit) if unit else Message("explain.unknown_unit")
        title = ix.caption(i)
        out.append(Finding.make(
            "V_ISSUE_NO_PROJECT", _issue_severity(a), [i] + ([unit] if unit else []), unit=unit,
            evidence={"found_on": a.get("found_on"), "deadline": a.get("deadline"),
                      "status": a.get("status"), "owners": sorted(ix.issue_owners.get(i, ()))},
            explanation=Message("explain.V_ISSUE_NO_PROJECT", unit=name, title=title)))
    return out


def check_accountability_direct_only(
    ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope
) -> list[Finding]:
    """V_ACCOUNTABILITY_DIRECT_ONLY: a case whose accountability stopped at the direct level.

    The case has accountability decisions, none of a leadership or supervisory category
    (倒查领导责任和监督责任 was not done).
    """
    out = []
    ok = in_scope(scope)
    upper = set(cfg.accountability_upper_categories)
    for c in ix.cases:
        decisions = ix.case_accountability.get(c)
        if not decisions:
            continue
        unit = ix.case_unit.get(c)
        if not ok(unit):
            continue
        cats = sorted({str(ix.attrs(d).get("category")) for d in decisions})
        if upper & set(cats):
            continue
        ca = ix.attrs(c)
        name = ix.caption(unit) if unit else Message("explain.unknown_unit")
        title = ix.caption(c)
        out.append(Finding.make(
            "V_ACCOUNTABILITY_DIRECT_ONLY", "medium", [c] + ([unit] if unit else []), unit=unit,
            evidence={"decisions": len(decisions), "categories": cats,
                      "occurred_on": ca.get("occurred_on"),
                      "last_decided_on": max(str(ix.attrs(d).get("decided_on"))
                                             for d in decisions)},
            explanation=Message("explain.V_ACCOUNTABILITY_DIRECT_ONLY", unit=name, title=title,
                                decisions=len(decisions))))
    return out


def check_pressure_break(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """V_PRESSURE_BREAK: an intermediate unit with no current secretary or no duties.

    Such a unit cuts every unit below it off from the pressure coming from above; the
    evidence counts those units.
    """
    out = []
    sizes = ix.subtree_sizes()
    exempt = set(cfg.secretary_exempt_kinds)
    for u in units_in(ix, scope):
        if u not in ix.parent or not ix.children.get(u) or ix.kind(u) in exempt:
            continue
        below = sizes.get(u, 0)
        if below < cfg.pressure_min_units_below:
            continue
        no_sec = not ix.secretaries(u)
        no_duty = not unit_duties(ix, u)
        if not (no_sec or no_duty):
            continue
        reasons = [Message(code) for code, on in ((N_("explain.no_current_secretary"), no_sec),
                                                  (N_("explain.no_duties"), no_duty)) if on]
        name, up = ix.caption(u), ix.caption(ix.parent[u])
        out.append(Finding.make(
            "V_PRESSURE_BREAK", "high", [u], unit=u,
            evidence={"units_below": below, "no_secretary": no_sec, "no_duties": no_duty,
                      "parent": ix.parent[u]},
            explanation=Message("explain.V_PRESSURE_BREAK", unit=name, reasons=AllOf(reasons),
                                parent=up, below=below)))
    return out


CHECKS = (check_duty_not_cascaded, check_coverage_gap, check_referral_open,
          check_issue_no_owner, check_issue_no_project, check_accountability_direct_only,
          *casework.CHECKS, *channels.CHECKS, *assessment.VERTICAL, check_pressure_break,
          *loop.VERTICAL)


def vertical_findings(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope = None) -> list[Finding]:
    """Every vertical finding in scope."""
    return [f for check in CHECKS for f in check(ix, cfg, scope)]
