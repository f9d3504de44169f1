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

from graph.analytics import assessment, casework, channels
from graph.analytics.config import AnalyticsConfig
from graph.analytics.findings import Finding, Severity
from graph.analytics.index import GraphIndex

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
        return ix.units
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
                zh=f"{name}的责任“{duty}”（{y or '未注明年度'}）未向{len(kids)}个下级单位分解，"
                   f"压力未传导到下一级。请督促{name}将该项责任分解到下级单位并明确责任人。",
                en=f"The duty “{duty}” ({y or 'no year'}) of {name} is not cascaded to any of "
                   f"its {len(kids)} subordinate units, so the pressure stops at this level. "
                   f"Have {name} break it down for its subordinate units with named holders."))
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
            last_text_zh, sev = "从未被巡视巡察或检查覆盖", "high"
            last_text_en = "has never been covered by an inspection"
        else:
            last_text_zh = f"最近一次检查覆盖为{last or '日期不详'}"
            last_text_en = f"was last covered on {last or 'an unknown date'}"
            sev = "medium"
        name = ix.caption(u)
        out.append(Finding.make(
            "V_COVERAGE_GAP", sev, [u], unit=u,  # type: ignore[arg-type]
            evidence={"window_years": cfg.coverage_window_years, "window_start": start,
                      "last_covered": last, "inspections_total": len(insps)},
            zh=f"{name}{last_text_zh}，{cfg.coverage_window_years}年内（自{start}起）未实现全覆盖。"
               f"请将其纳入下一轮巡察或专项检查计划。",
            en=f"{name} {last_text_en}; it is outside inspection coverage for the "
               f"{cfg.coverage_window_years}-year window since {start}. Schedule it in the next "
               f"inspection round."))
    return out


def referral_unit(ix: GraphIndex, r: str) -> str | None:
    """The unit a referral's loop belongs to: the issue's unit, else the recipient's unit."""
    issue = ix.referral_issue.get(r)
    if issue and issue in ix.issue_unit:
        return ix.issue_unit[issue]
    for p in ix.referral_to.get(r, ()):
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
        who = "、".join(ix.caption(p) for p in to) or "未指定对象"
        who_en = ", ".join(ix.caption(p) for p in to) or "no recipient"
        by = ix.caption(issuer) if issuer else "未知单位"
        title = ix.caption(r)
        issued = a.get("issued_on")
        if sev == "high":
            state_zh = f"回告期限{due or ''}已过{days}天仍未回告" if due else "已标记逾期未回告"
            state_en = f"is {days} days past its reply date {due}" if due else "is marked overdue"
        elif sev == "medium":
            state_zh, state_en = "未设回告期限且尚未回告", "has no reply date and no reply"
        else:
            state_zh, state_en = f"待回告（期限{due}）", f"awaits a reply (due {due})"
        ids = [r] + ([issuer] if issuer else []) + to
        out.append(Finding.make(
            "V_REFERRAL_OPEN", sev, ids, unit=unit,
            evidence={"issued_on": issued, "due_on": due, "status": a.get("status"),
                      "days_overdue": days, "issue": ix.referral_issue.get(r)},
            zh=f"{by}于{issued}向{who}发出的廉情抄告“{title}”{state_zh}，闭环未形成。"
               f"请督促{who}按期整改并回告。",
            en=f"The integrity referral “{title}” issued by {by} on {issued} to {who_en} "
               f"{state_en}; the loop is open. Press {who_en} to act on it and report back."))
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
        name = ix.caption(unit) if unit else "未知单位"
        title = ix.caption(i)
        out.append(Finding.make(
            "V_ISSUE_NO_OWNER", _issue_severity(a), [i] + ([unit] if unit else []), unit=unit,
            evidence={"found_on": a.get("found_on"), "deadline": a.get("deadline"),
                      "status": a.get("status"), "severity": a.get("severity")},
            zh=f"{name}的问题“{title}”（{a.get('found_on') or '日期不详'}发现）"
               f"没有领衔整改的责任人。请明确由哪位班子成员领衔整改。",
            en=f"The issue “{title}” in {name} (found {a.get('found_on') or 'on an unknown date'}) "
               f"has no owner leading its rectification. Name the team member who leads it."))
    return out


def check_issue_no_project(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """V_ISSUE_NO_PROJECT: an open issue with no rectification project (项目清单 gap)."""
    out = []
    for i, unit in _open_issues(ix, scope):
        if ix.issue_projects.get(i):
            continue
        a = ix.attrs(i)
        name = ix.caption(unit) if unit else "未知单位"
        title = ix.caption(i)
        out.append(Finding.make(
            "V_ISSUE_NO_PROJECT", _issue_severity(a), [i] + ([unit] if unit else []), unit=unit,
            evidence={"found_on": a.get("found_on"), "deadline": a.get("deadline"),
                      "status": a.get("status"), "owners": sorted(ix.issue_owners.get(i, ()))},
            zh=f"{name}的问题“{title}”没有整改项目（目标、举措、时限）。请列入项目清单并明确完成时限。",
            en=f"The issue “{title}” in {name} has no rectification project (goal, measures, "
               f"deadline). Add it to the project list with a deadline."))
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
        name = ix.caption(unit) if unit else "未知单位"
        title = ix.caption(c)
        out.append(Finding.make(
            "V_ACCOUNTABILITY_DIRECT_ONLY", "medium", [c] + ([unit] if unit else []), unit=unit,
            evidence={"decisions": len(decisions), "categories": cats,
                      "occurred_on": ca.get("occurred_on"),
                      "last_decided_on": max(str(ix.attrs(d).get("decided_on"))
                                             for d in decisions)},
            zh=f"{name}的案件“{title}”共{len(decisions)}项问责均为直接责任，未倒查领导责任和监督责任。"
               f"请倒查分管领导、书记、党委和纪委的责任。",
            en=f"All {len(decisions)} accountability decisions on the case “{title}” in {name} "
               f"are for direct responsibility; leadership and supervisory responsibility were "
               f"not traced back. Review the member in charge, the secretary, the committee and "
               f"the discipline body."))
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
        reasons_zh = "、".join(r for r, on in (("无现任书记", no_sec), ("无责任清单", no_duty))
                              if on)
        reasons_en = " and ".join(r for r, on in (("no current secretary", no_sec),
                                                  ("no duties", no_duty)) if on)
        name, up = ix.caption(u), ix.caption(ix.parent[u])
        out.append(Finding.make(
            "V_PRESSURE_BREAK", "high", [u], unit=u,
            evidence={"units_below": below, "no_secretary": no_sec, "no_duties": no_duty,
                      "parent": ix.parent[u]},
            zh=f"{name}（{reasons_zh}）是{up}与其下{below}个单位之间的中间层级，压力传导在此中断。"
               f"请尽快配齐书记、制定责任清单。",
            en=f"{name} ({reasons_en}) sits between {up} and the {below} units below it, so "
               f"pressure stops there. Appoint a secretary and adopt its duty list."))
    return out


CHECKS = (check_duty_not_cascaded, check_coverage_gap, check_referral_open,
          check_issue_no_owner, check_issue_no_project, check_accountability_direct_only,
          *casework.CHECKS, *channels.CHECKS, *assessment.VERTICAL, check_pressure_break)


def vertical_findings(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope = None) -> list[Finding]:
    """Every vertical finding in scope."""
    return [f for check in CHECKS for f in check(ix, cfg, scope)]
