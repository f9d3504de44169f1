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

from collections import defaultdict

import numpy as np

from graph.analytics import assessment, prevention
from graph.analytics.config import AnalyticsConfig
from graph.analytics.findings import Finding
from graph.analytics.index import GraphIndex
from graph.analytics.vertical import OPEN_ISSUE, Scope, days_before, in_scope, units_in


def check_no_secretary(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """H_NO_SECRETARY: a unit with no secretary in post on the date (第一责任人缺位)."""
    out = []
    exempt = set(cfg.secretary_exempt_kinds)
    for u in units_in(ix, scope):
        if ix.kind(u) in exempt or ix.secretaries(u):
            continue
        ended = ix.last_secretary_end.get(u)
        name = ix.caption(u)
        since_zh = f"，上任书记任期至{ended}" if ended else ""
        since_en = f"; the last secretary's term ended on {ended}" if ended else ""
        out.append(Finding.make(
            "H_NO_SECRETARY", "high", [u], unit=u,
            evidence={"team_size": len(ix.team(u, cfg.team_roles)),
                      "last_secretary_end": ended},
            zh=f"{name}截至{ix.as_of}无现任书记{since_zh}，第一责任人责任无人承担。请尽快配备书记。",
            en=f"{name} has no secretary in post on {ix.as_of}{since_en}; nobody holds the first "
               f"responsibility. Appoint a secretary."))
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
            zh=f"{name}没有同级纪委或派驻纪检监察组监督，监督责任无人承担。请明确监督机构。",
            en=f"No discipline body (same-level or stationed) supervises {name}; nobody holds "
               f"the supervisory responsibility. Assign a supervising body."))
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
            zh=f"{up}班子（{len(team)}人）中无人分管下级单位{name}，一岗双责落空。请明确分管领导。",
            en=f"No member of the {up} team ({len(team)} people) has {name} in charge, so the "
               f"dual responsibility has no holder there. Assign a member in charge."))
    return out


def _team_members(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> dict[str, str]:
    """Person -> home unit for every current team member of a unit in scope."""
    roles = set(cfg.team_roles)
    out: dict[str, str] = {}
    for u in units_in(ix, scope):
        for t in ix.posts.get(u, ()):
            if t.role in roles:
                out.setdefault(t.person, u)
    return out


def check_member_no_records(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """H_MEMBER_NO_RECORDS: a member with issues or cases in their charge and no fulfilment record.

    In charge: issues assigned to them or found in the units they have in charge that are
    open or were found within the window, and cases there within the window. Fulfilment
    records count if dated within ``records_window_days``.
    """
    out = []
    since = days_before(ix.as_of, cfg.records_window_days)
    last_record: dict[str, str] = {}
    for r in ix.records:
        a = ix.attrs(r)
        if a.get("kind") != "fulfilment":
            continue
        day = str(a.get("on") or "")
        for actor in ix.record_by.get(r, ()):
            if day > last_record.get(actor, ""):
                last_record[actor] = day
    def live(i: str) -> bool:
        a = ix.attrs(i)
        return a.get("status") in OPEN_ISSUE or str(a.get("found_on") or "") >= since

    assigned: dict[str, list[str]] = defaultdict(list)
    for i in ix.issues:
        if live(i):
            for p in ix.issue_owners.get(i, ()):
                assigned[p].append(i)
    for p, home in sorted(_team_members(ix, cfg, scope).items()):
        issues = set(assigned.get(p, ()))
        cases: set[str] = set()
        for t in ix.portfolios.get(p, ()):
            issues.update(i for i in ix.unit_issues.get(t.unit, ()) if live(i))
            for c in ix.unit_cases.get(t.unit, ()):
                when = ix.attrs(c).get("occurred_on") or ix.attrs(c).get("opened_on")
                if not when or str(when) >= since:
                    cases.add(c)
        if not issues and not cases:
            continue
        last = last_record.get(p)
        if last and last >= since:
            continue
        name, unit = ix.caption(p), ix.caption(home)
        last_zh = f"最近一次履责记实为{last}" if last else "从无履责记实"
        last_en = (f"the last fulfilment record is from {last}" if last
                   else "there is no fulfilment record")
        out.append(Finding.make(
            "H_MEMBER_NO_RECORDS", "medium", [p, home], unit=home,
            evidence={"issues": len(issues), "cases": len(cases), "last_record": last,
                      "window_days": cfg.records_window_days},
            zh=f"{unit}的{name}分管范围内有{len(issues)}个待整改或新发现的问题、{len(cases)}起案件，"
               f"但近{cfg.records_window_days}天无履责记实（{last_zh}）。请督促其约谈、检查并记实。",
            en=f"{name} of {unit} has {len(issues)} open or recent issues and {len(cases)} "
               f"cases in their charge but no fulfilment record in the last "
               f"{cfg.records_window_days} days ({last_en}). Ask them to act (talks, checks) "
               f"and record it."))
    return out


def _linked_pairs(ix: GraphIndex, cfg: AnalyticsConfig) -> set[tuple[str, str]]:
    """(discipline body, unit) pairs joined by a referral or record within the window."""
    def units_of(x: str) -> list[str]:
        # Evidence is dated: a talk with last year's secretary links the body with the unit
        # even though that secretary has left since.
        if ix.attrs(x).get("label") == "Unit":
            return [x]
        return list(ix.served_in.get(x, ()))

    pairs: set[tuple[str, str]] = set()
    since = days_before(ix.as_of, cfg.link_window_days)
    for r in ix.referrals:
        day = ix.attrs(r).get("issued_on")
        if day and str(day) < since:
            continue
        issuer = ix.referral_issuer.get(r)
        if issuer is None:
            continue
        for p in ix.referral_to.get(r, ()):
            for u in units_of(p):
                pairs.add((issuer, u))
    for r in ix.records:
        day = ix.attrs(r).get("on")
        if day and str(day) < since:
            continue
        ends = [u for x in (*ix.record_by.get(r, ()), *ix.record_concerns.get(r, ()))
                for u in units_of(x)]
        for a in ends:
            for b in ends:
                if a != b:
                    pairs.add((a, b))
    return pairs


def check_discipline_team_disconnected(
    ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope
) -> list[Finding]:
    """H_DISCIPLINE_TEAM_DISCONNECTED: no referral or record links a unit's supervising
    discipline bodies with the unit or its team within ``link_window_days``."""
    out = []
    pairs = _linked_pairs(ix, cfg)
    for u in units_in(ix, scope):
        sups = sorted(ix.supervisors.get(u, ()))
        if not sups or not ix.posts.get(u) or ix.kind(u) == "discipline_body":
            continue
        if any((d, u) in pairs for d in sups):
            continue
        name = ix.caption(u)
        bodies = "、".join(ix.caption(d) for d in sups)
        out.append(Finding.make(
            "H_DISCIPLINE_TEAM_DISCONNECTED", "medium", [u, *sups], unit=u,
            evidence={"supervisors": sups, "window_days": cfg.link_window_days,
                      "team_size": len(ix.team(u, cfg.team_roles))},
            zh=f"近{cfg.link_window_days}天内{bodies}与{name}班子之间没有廉情抄告或履责记实往来，"
               f"监督责任与主体责任未形成协同。请安排约谈、抄告或联合检查并记实。",
            en=f"In the last {cfg.link_window_days} days no referral or duty record links "
               f"{bodies} with the team of {name}; supervisory and primary responsibility are "
               f"not working together. Arrange talks, referrals or joint checks and record them."))
    return out


def check_member_load_outlier(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """H_MEMBER_LOAD_OUTLIER: a member with far more units or open issues in charge than the
    other members of the same leading team (an unbalanced division of labour, 分工).

    Against the others' loads: robust z-score 0.6745·(x−median)/MAD above ``load_robust_z``,
    or, when MAD is 0, more than ``load_ratio`` times their median (at least 1); never below
    ``load_min``; teams smaller than ``load_min_team`` are not compared.
    """
    roles = set(cfg.team_roles)
    open_assigned: dict[str, int] = defaultdict(int)
    for i in ix.issues:
        if ix.attrs(i).get("status") in OPEN_ISSUE:
            for p in ix.issue_owners.get(i, ()):
                open_assigned[p] += 1
    out = []
    for u in units_in(ix, scope):
        team = sorted({t.person for t in ix.posts.get(u, ()) if t.role in roles})
        if len(team) < cfg.load_min_team:
            continue
        loads = {"units": [len({t.unit for t in ix.portfolios.get(p, ())}) for p in team],
                 "issues": [open_assigned.get(p, 0) for p in team]}
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
                zh=f"{unit}的{name}分管{n_units}个单位、领衔{n_issues}个未整改问题，远高于班子其他成员"
                   f"（中位数{med_u:g}个单位、{med_i:g}个问题），分工失衡，一岗双责难以落实。请调整分工。",
                en=f"{name} of {unit} has {n_units} units and {n_issues} open issues in charge, "
                   f"far above the rest of the team (median {med_u:g} units, {med_i:g} issues); "
                   f"the division of labour is unbalanced. Rebalance the portfolios."))
    return out


CHECKS = (check_no_secretary, check_no_supervisor, check_unit_unassigned,
          check_member_no_records, check_discipline_team_disconnected,
          check_member_load_outlier, *assessment.HORIZONTAL, *prevention.CHECKS)


def horizontal_findings(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope = None) -> list[Finding]:
    """Every horizontal finding in scope."""
    return [f for check in CHECKS for f in check(ix, cfg, scope)]


__all__ = ["CHECKS", "horizontal_findings", "in_scope"]
