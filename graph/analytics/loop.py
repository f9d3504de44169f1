"""Weak links of the working loop: the red items of the warning list, as findings.

The items are judged exactly as the workbench judges them (:func:`graph.loop.items.judge`
over the rows :func:`graph.loop.facts.loop_facts_of` reads from the projection, with
the settings' thresholds), so a finding here is a red item there:

``H_DUTY_RED``
    a duty of the year whose target is failed or overdue for its holder (履责指标红灯): the
    evidence gives the rule, the records done against those required and the period;
``V_ORDER_OVERDUE``
    a 督办 past its deadline without a reply (or sent back and again past it).

Registered with the vertical and horizontal checks (their ``CHECKS``).
"""

from __future__ import annotations

from collections.abc import Collection

from graph.analytics.config import AnalyticsConfig
from graph.analytics.findings import Finding
from graph.analytics.index import GraphIndex
from graph.loop.facts import KIND_OF, loop_facts_of
from graph.loop.items import Judged, judge
from graph.loop.status import LoopRules
from graph.messages import Message

Scope = Collection[str] | None


def _red(ix: GraphIndex, kind: str, scope: Scope) -> list[Judged]:
    labels = {label for label, k in KIND_OF.items() if k == kind}
    g = ix.G
    candidates = [u for u, a in g.nodes(data=True) if a.get("label") in labels]
    rows = loop_facts_of(g, candidates, int(ix.as_of[:4]), lambda uid: uid in g)
    rules = LoopRules.from_settings()
    out = []
    for row in rows:
        for j in judge(row, ix.as_of, rules):
            if j.status.colour != "red":
                continue
            unit = None if j.unit is None else str(j.unit["uid"])
            if scope is not None and unit not in scope:
                continue
            out.append(j)
    return out


def check_duty_red(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """H_DUTY_RED: a duty's target failed or overdue for its holder as of the date."""
    out = []
    for j in _red(ix, "duty", scope):
        s = j.status
        duty, unit = str(j.node["uid"]), None if j.unit is None else str(j.unit["uid"])
        holder = None if j.holder is None else str(j.holder["uid"])
        who: object = ix.caption(holder) if holder else Message("explain.unknown_holder")
        indicator = j.indicator or ""
        shown: object = indicator or Message("explain.no_indicator")
        title = ix.caption(duty)
        if s.rule == "failed":
            said = Message("explain.H_DUTY_RED_failed", who=who, title=title, indicator=shown,
                           due=s.due_on, period=s.period, done=s.done or 0,
                           expected=s.expected)
        else:
            said = Message("explain.H_DUTY_RED_overdue", who=who, title=title, indicator=shown,
                           due=s.due_on, days=s.days_overdue)
        ids = [duty] + ([holder] if holder else []) + ([unit] if unit and unit != holder else [])
        out.append(Finding.make(
            "H_DUTY_RED", "medium", ids, unit=unit,
            evidence={"rule": s.rule, "indicator": indicator, "done": s.done,
                      "expected": s.expected, "target": s.target, "period": s.period,
                      "due_on": s.due_on, "days_overdue": s.days_overdue, "holder": holder},
            explanation=said))
    return out


def check_order_overdue(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """V_ORDER_OVERDUE: a supervision order (督办) past its deadline without a reply."""
    out = []
    for j in _red(ix, "order", scope):
        s = j.status
        order, unit = str(j.node["uid"]), None if j.unit is None else str(j.unit["uid"])
        issuer = None if j.issuer is None else str(j.issuer["uid"])
        to = None if j.holder is None else str(j.holder["uid"])
        by: object = ix.caption(issuer) if issuer else Message("explain.unknown_issuer")
        who: object = ix.caption(to) if to else Message("explain.unknown_recipient")
        ids = [order] + [u for u in (issuer, to) if u]
        out.append(Finding.make(
            "V_ORDER_OVERDUE", "high", ids, unit=unit,
            evidence={"issued_on": j.node.get("issued_on"), "due_on": s.due_on,
                      "days_overdue": s.days_overdue, "status": j.recorded,
                      "finding": j.node.get("finding")},
            explanation=Message("explain.V_ORDER_OVERDUE", by=by, who=who,
                                title=ix.caption(order), due=s.due_on,
                                days=s.days_overdue)))
    return out


VERTICAL = (check_order_overdue,)
HORIZONTAL = (check_duty_red,)
