"""Horizontal weak links (横向协同): where the four holders at one level do not work together.

Examples
--------
>>> import networkx as nx
>>> from graph.analytics.config import AnalyticsConfig
>>> from graph.analytics.index import GraphIndex
>>> G = nx.MultiDiGraph()
>>> G.add_node("unit:A", label="Unit", id="A", name="甲镇党委", kind="street_town", level=2)
>>> ix = GraphIndex.build(G, "2024-01-01")
>>> [f.code for f in check_no_secretary(ix, AnalyticsConfig(), None)]
['H_NO_SECRETARY']
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from graph.analytics import assessment, loop, prevention
from graph.analytics.config import AnalyticsConfig
from graph.analytics.findings import Finding
from graph.analytics.index import GraphIndex
from graph.analytics.vertical import OPEN_ISSUE, Scope, days_before, in_scope, units_in
from graph.messages import Message


def check_no_secretary(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """H_NO_SECRETARY: a unit with no secretary in post on the date (第一责任人缺位)."""
    out = []
    exempt = set(cfg.secretary_exempt_kinds)
    for u in units_in(ix, scope):
        if ix.kind(u) in exempt or ix.secretaries(u):
            continue
        ended = ix.last_secretary_end.get(u)
        name = ix.caption(u)
        since = Message("explain.last_secretary_end", date=ended) if ended else ""
        out.append(Finding.make(
            "H_NO_SECRETARY", "high", [u], unit=u,
            evidence={"team_size": len(ix.team(u, cfg.team_roles)),
                      "last_secretary_end": ended},
            explanation=Message("explain.H_NO_SECRETARY", unit=name, date=ix.as_of,
                                since=since)))
    return out


def check_no_supervisor(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """H_NO_SUPERVISOR: a unit no discipline body supervises (监督责任缺位)."""
    out = []
    exempt = set(cfg.supervision_exempt_kinds)
    for u in units_in(ix, scope):
        if ix.kind(u) in exempt or ix.supervisors.get(u):
            continue
        name = ix.caption(u)
        parent = ix.parent.get(u)
        out.append(Finding.make(
            "H_NO_SUPERVISOR", "high", [u], unit=u,
            evidence={"parent": parent, "level": ix.attrs(u).get("level")},
            explanation=Message("explain.H_NO_SUPERVISOR", unit=name)))
    return out


def check_unit_unassigned(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """H_UNIT_UNASSIGNED: a subordinate unit no member of its parent's team has in charge
    (一岗双责 gap)."""
    out = []
    exempt = set(cfg.unassigned_exempt_kinds)
    for u in units_in(ix, scope):
        parent = ix.parent.get(u)
        if parent is None or ix.kind(u) in exempt:
            continue
        # In someone's charge only if that someone serves in the parent (a member of the
        # team whose dual responsibility covers the unit).
        if any(any(p.unit == parent for p in ix.person_posts.get(t.person, ()))
               for t in ix.in_charge.get(u, ())):
            continue
        name, up = ix.caption(u), ix.caption(parent)
        team = ix.team(parent, cfg.team_roles)
        out.append(Finding.make(
            "H_UNIT_UNASSIGNED", "medium", [u, parent], unit=u,
            evidence={"parent": parent, "parent_team_size": len(team)},
            explanation=Message("explain.H_UNIT_UNASSIGNED", unit=name, parent=up,
                                team=len(team))))
    return out


def _team_members(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> dict[str, str]:
    """Person -> home unit for every current team member whose home unit is in scope.

    The home unit is the member's first team post (a secretary's post first, then by unit
    uid) over all their units, so a member belongs to one unit whatever the scope."""
    roles = set(cfg.team_roles)
    ok = in_scope(scope)
    out: dict[str, str] = {}
    seen: set[str] = set()
    for u in units_in(ix, scope):
        for t in ix.posts.get(u, ()):
            if t.role not in roles or t.person in seen:
                continue
            seen.add(t.person)
            home = min((x for x in ix.person_posts.get(t.person, ()) if x.role in roles),
                       key=lambda x: (x.role != "secretary", x.unit)).unit
            if ok(home):
                out[t.person] = home
    return out


def check_member_no_records(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """H_MEMBER_NO_RECORDS: a member with issues or cases in their charge and no fulfilment record.

    In charge: issues assigned to them or found in the units they have in charge that are
    open or were found within the window, and cases there within the window. Fulfilment
    records count if dated within ``records_window_days``.
    """
    out = []
    since = days_before(ix.as_of, cfg.records_window_days)

    def live(i: str) -> bool:
        a = ix.attrs(i)
        return a.get("status") in OPEN_ISSUE or str(a.get("found_on") or "") >= since

    for p, home in sorted(_team_members(ix, cfg, scope).items()):
        issues = {i for i in ix.owned_issues.get(p, ()) if i in ix.issues and live(i)}
        cases: set[str] = set()
        for t in ix.portfolios.get(p, ()):
            issues.update(i for i in ix.unit_issues.get(t.unit, ()) if live(i))
            for c in ix.unit_cases.get(t.unit, ()):
                when = ix.attrs(c).get("occurred_on") or ix.attrs(c).get("opened_on")
                if not when or str(when) >= since:
                    cases.add(c)
        if not issues and not cases:
            continue
        last = ix.last_fulfilment.get(p)
        if last and last >= since:
            continue
        name, unit = ix.caption(p), ix.caption(home)
        latest = (Message("explain.last_record", date=last) if last
                  else Message("explain.no_record"))
        out.append(Finding.make(
            "H_MEMBER_NO_RECORDS", "medium", [p, home], unit=home,
            evidence={"issues": len(issues), "cases": len(cases), "last_record": last,
                      "window_days": cfg.records_window_days},
            explanation=Message("explain.H_MEMBER_NO_RECORDS", person=name, unit=unit,
                                issues=len(issues), cases=len(cases),
                                days=cfg.records_window_days, latest=latest)))
    return out


def linked_units(ix: GraphIndex, body: str, since: str) -> set[str]:
    """Units a discipline body is linked with by a referral or record dated since ``since``.

    A referral the body issued links it with the units its recipients served in; a record
    links the units of all its ends (actors and targets, a person standing for every unit
    they served in up to as_of) when the body is one of them -- itself or through someone
    who served in it. Evidence is dated: a talk with last year's secretary links the body
    with the unit even though that secretary has left since.
    """
    def units_of(x: str) -> Iterable[str]:
        if ix.attrs(x).get("label") == "Unit":
            return (x,)
        return ix.served_in.get(x, ())

    out: set[str] = set()
    for r in ix.issued.get(body, ()):
        day = ix.attrs(r).get("issued_on")
        if (r not in ix.referrals or ix.referral_issuer.get(r) != body
                or (day and str(day) < since)):
            continue
        for p in ix.referral_to.get(r, ()):
            out.update(units_of(p))
    seen: set[str] = set()
    for x in (body, *ix.served_by.get(body, ())):
        for r in (*ix.records_by.get(x, ()), *ix.records_about.get(x, ())):
            if r in seen or r not in ix.records:
                continue
            seen.add(r)
            day = ix.attrs(r).get("on")
            if day and str(day) < since:
                continue
            for y in (*ix.record_by.get(r, ()), *ix.record_concerns.get(r, ())):
                out.update(u for u in units_of(y) if u != body)
    return out


def check_discipline_team_disconnected(
    ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope
) -> list[Finding]:
    """H_DISCIPLINE_TEAM_DISCONNECTED: no referral or record links a unit's supervising
    discipline bodies with the unit or its team within ``link_window_days``."""
    out = []
    since = days_before(ix.as_of, cfg.link_window_days)
    linked: dict[str, set[str]] = {}
    for u in units_in(ix, scope):
        sups = sorted(ix.supervisors.get(u, ()))
        if not sups or not ix.posts.get(u) or ix.kind(u) == "discipline_body":
            continue
        if any(u in (linked[d] if d in linked else linked.setdefault(
                d, linked_units(ix, d, since))) for d in sups):
            continue
        name = ix.caption(u)
        bodies = [ix.caption(d) for d in sups]
        out.append(Finding.make(
            "H_DISCIPLINE_TEAM_DISCONNECTED", "medium", [u, *sups], unit=u,
            evidence={"supervisors": sups, "window_days": cfg.link_window_days,
                      "team_size": len(ix.team(u, cfg.team_roles))},
            explanation=Message("explain.H_DISCIPLINE_TEAM_DISCONNECTED", unit=name,
                                bodies=bodies, days=cfg.link_window_days)))
    return out


def check_member_load_outlier(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """H_MEMBER_LOAD_OUTLIER: a member with far more units or open issues in charge than the
    other members of the same leading team (an unbalanced division of labour, 分工).

    Against the others' loads: robust z-score 0.6745·(x−median)/MAD above ``load_robust_z``,
    or, when MAD is 0, more than ``load_ratio`` times their median (at least 1); never below
    ``load_min``; teams smaller than ``load_min_team`` are not compared.
    """
    roles = set(cfg.team_roles)

    def open_assigned(p: str) -> int:
        return sum(1 for i in ix.owned_issues.get(p, ())
                   if i in ix.issues and ix.attrs(i).get("status") in OPEN_ISSUE)

    out = []
    for u in units_in(ix, scope):
        team = sorted({t.person for t in ix.posts.get(u, ()) if t.role in roles})
        if len(team) < cfg.load_min_team:
            continue
        loads = {"units": [len({t.unit for t in ix.portfolios.get(p, ())}) for p in team],
                 "issues": [open_assigned(p) for p in team]}
        for k, p in enumerate(team):
            hit: dict[str, tuple[float, float, float | None]] = {}
            for metric, vals in loads.items():
                x = vals[k]
                if x < cfg.load_min:
                    continue
                others = np.asarray(vals[:k] + vals[k + 1:], dtype=float)
                med = float(np.median(others))
                mad = float(np.median(np.abs(others - med)))
                if mad > 0:
                    z = 0.6745 * (x - med) / mad
                    if z > cfg.load_robust_z:
                        hit[metric] = (x, med, round(z, 2))
                elif x > cfg.load_ratio * max(med, 1.0):
                    hit[metric] = (x, med, None)
            if not hit:
                continue
            name, unit = ix.caption(p), ix.caption(u)
            n_units, n_issues = loads["units"][k], loads["issues"][k]
            med_u = float(np.median([v for j, v in enumerate(loads["units"]) if j != k]))
            med_i = float(np.median([v for j, v in enumerate(loads["issues"]) if j != k]))
            out.append(Finding.make(
                "H_MEMBER_LOAD_OUTLIER", "medium", [p, u], unit=u,
                evidence={"units_in_charge": n_units, "open_issues": n_issues,
                          "team_median_units": med_u, "team_median_issues": med_i,
                          "team_size": len(team), "metrics": sorted(hit),
                          "robust_z": {m: h[2] for m, h in hit.items()}},
                explanation=Message("explain.H_MEMBER_LOAD_OUTLIER", person=name, unit=unit,
                                    units=n_units, issues=n_issues,
                                    median_units=format(med_u, "g"),
                                    median_issues=format(med_i, "g"))))
    return out


CHECKS = (check_no_secretary, check_no_supervisor, check_unit_unassigned,
          check_member_no_records, check_discipline_team_disconnected,
          check_member_load_outlier, *assessment.HORIZONTAL, *prevention.CHECKS,
          *loop.HORIZONTAL)


def horizontal_findings(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope = None) -> list[Finding]:
    """Every horizontal finding in scope."""
    return [f for check in CHECKS for f in check(ix, cfg, scope)]


__all__ = ["CHECKS", "horizontal_findings", "in_scope"]
