"""What follows a case: whether its 倒查 reached the supervising discipline body, and whether
案后治理 (post-case governance) followed it.

Two vertical checks, registered with the others in :data:`graph.analytics.vertical.CHECKS`:

* ``V_SUPERVISION_NOT_TRACED`` — the article's point is 倒查 of both 领导责任 and 监督责任.
  A case whose accountability went beyond the direct person (some leadership or supervisory
  decision as of the date), whose unit has a supervising discipline body, and where that
  body's link was neither *held* — a decision for the case of a category that discharges
  监督责任 (:mod:`graph.accountability`, the configured equivalences included) against the
  body or a person serving in it when the case occurred — nor *judged not applicable*
  (the case's ``supervision_review`` is ``not_applicable``: 经倒查不予追究). Cases whose
  accountability stopped at the direct person are ``V_ACCOUNTABILITY_DIRECT_ONLY`` instead.
* ``V_NO_POST_CASE_GOVERNANCE`` — 查办一起案件、堵住一个漏洞: a case concluded (``closed_on``)
  at least ``post_case_days`` before the date with no issue (found by the date) or project
  that ``FOLLOWS_CASE`` it. Projects carry no start date, so a project following the case
  counts whenever it is recorded.

The edges around a case are read through NetworkX's public views (``G.pred``/``G.succ``):
a case has few, and the one-pass index need not grow for them.

Examples
--------
>>> import networkx as nx
>>> from graph.analytics.config import AnalyticsConfig
>>> from graph.analytics.index import GraphIndex
>>> G = nx.MultiDiGraph()
>>> G.add_node("unit:U", label="Unit", id="U", name="某局", kind="department", level=2)
>>> G.add_node("case:C", label="Case", id="C", title="某案", occurred_on="2017-01-01",
...            closed_on="2017-06-30")
>>> _ = G.add_edge("case:C", "unit:U", key="OCCURRED_IN|", type="OCCURRED_IN")
>>> ix = GraphIndex.build(G, "2018-06-30")
>>> [(f.code, f.evidence["days_since_closed"])
...  for f in check_no_post_case_governance(ix, AnalyticsConfig(category_equivalences={}), None)]
[('V_NO_POST_CASE_GOVERNANCE', 365)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from typing import Any

from graph.accountability import discharging, equivalences
from graph.analytics.config import AnalyticsConfig
from graph.analytics.findings import Finding
from graph.analytics.index import GraphIndex
from graph.dates import active, dated_by
from graph.messages import Message

Scope = Collection[str] | None

#: A case's judgement that its supervising body was not at fault (schema enum link_review).
NOT_APPLICABLE = "not_applicable"


def _edges(adjacency: Any, uid: str, rel_type: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for other, keyed in adjacency[uid].items():
        for a in keyed.values():
            if a.get("type") == rel_type:
                yield other, a


def _cases(ix: GraphIndex, scope: Scope) -> Iterator[tuple[str, str | None]]:
    wanted = None if scope is None else set(scope)
    for c in ix.cases:
        unit = ix.case_unit.get(c)
        if wanted is None or (unit is not None and unit in wanted):
            yield c, unit


def supervision_holders(ix: GraphIndex, bodies: list[str], day: str) -> set[str]:
    """The supervising bodies and everyone serving in one of them on ``day``."""
    held = set(bodies)
    for b in bodies:
        held.update(p for p, a in _edges(ix.G.pred, b, "SERVES_IN") if active(a, day))
    return held


def check_supervision_not_traced(
    ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope
) -> list[Finding]:
    """V_SUPERVISION_NOT_TRACED: a case whose supervising body's link was neither held nor
    judged not applicable (see the module docstring)."""
    out = []
    upper = set(cfg.accountability_upper_categories)
    wanted = discharging("supervisory", equivalences(cfg.category_equivalences))
    for c, unit in _cases(ix, scope):
        decisions = ix.case_accountability.get(c)
        bodies = sorted(ix.supervisors.get(unit, ())) if unit else []
        if not decisions or not bodies:
            continue
        cats = sorted({str(ix.attrs(d).get("category")) for d in decisions})
        ca = ix.attrs(c)
        if not upper & set(cats) or ca.get("supervision_review") == NOT_APPLICABLE:
            continue
        day = ca.get("occurred_on") or ca.get("opened_on") or ix.as_of
        holders = supervision_holders(ix, bodies, day)
        if any(ix.attrs(d).get("category") in wanted
               and any(t in holders for t, _ in _edges(ix.G.succ, d, "TARGETS"))
               for d in decisions):
            continue
        name, title = ix.caption(unit), ix.caption(c)  # type: ignore[arg-type]
        out.append(Finding.make(
            "V_SUPERVISION_NOT_TRACED", "medium", [c, unit, *bodies], unit=unit,  # type: ignore[list-item]
            evidence={"decisions": len(decisions), "categories": cats, "supervisors": bodies,
                      "occurred_on": ca.get("occurred_on")},
            explanation=Message("explain.V_SUPERVISION_NOT_TRACED", unit=name, title=title,
                                decisions=len(decisions),
                                bodies=[ix.caption(b) for b in bodies])))
    return out


def check_no_post_case_governance(
    ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope
) -> list[Finding]:
    """V_NO_POST_CASE_GOVERNANCE: a concluded case that no issue or project follows (see the
    module docstring)."""
    out = []
    for c, unit in _cases(ix, scope):
        ca = ix.attrs(c)
        closed = ca.get("closed_on")
        if not closed or str(closed) > ix.as_of:
            continue
        days = (dt.date.fromisoformat(ix.as_of[:10]) - dt.date.fromisoformat(str(closed)[:10])).days
        if days < cfg.post_case_days:
            continue
        follow = [x for x, _ in _edges(ix.G.pred, c, "FOLLOWS_CASE")
                  if ix.attrs(x).get("label") == "Project"
                  or dated_by(ix.attrs(x).get("found_on"), ix.as_of)]
        if follow:
            continue
        name = ix.caption(unit) if unit else Message("explain.unknown_unit")
        title = ix.caption(c)
        out.append(Finding.make(
            "V_NO_POST_CASE_GOVERNANCE", "medium", [c] + ([unit] if unit else []), unit=unit,
            evidence={"closed_on": closed, "days_since_closed": days,
                      "window_days": cfg.post_case_days},
            explanation=Message("explain.V_NO_POST_CASE_GOVERNANCE", unit=name, title=title,
                                closed=closed, days=days)))
    return out


CHECKS = (check_supervision_not_traced, check_no_post_case_governance)
