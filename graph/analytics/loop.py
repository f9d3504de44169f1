"""Weak links of the working loop: the red items of the warning list, as findings.

The items are judged exactly as the workbench judges them (:func:`graph.loop.items.judge`
over the rows :func:`graph.store.walks.loop.loop_facts_of` reads from the projection, with
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
from graph.loop.items import Judged, judge
from graph.loop.status import LoopRules
from graph.store.walks.loop import KIND_OF, loop_facts_of

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
        who = ix.caption(holder) if holder else "未知主体"
        title = ix.caption(duty)
        indicator = j.indicator or ""
        if s.rule == "failed":
            state_zh = (f"{s.period}期间履责记实{s.done or 0}次，未达到要求（截至{s.due_on}应完成"
                        f"{s.expected}次）")
            state_en = (f"recorded {s.done or 0} by {s.due_on}, short of the {s.expected} "
                        f"required for {s.period}")
        else:
            state_zh = f"已过完成时限{s.due_on}{s.days_overdue}天仍无履责记实"
            state_en = f"is {s.days_overdue} days past its date {s.due_on} with no record"
        ids = [duty] + ([holder] if holder else []) + ([unit] if unit and unit != holder else [])
        out.append(Finding.make(
            "H_DUTY_RED", "medium", ids, unit=unit,
            evidence={"rule": s.rule, "indicator": indicator, "done": s.done,
                      "expected": s.expected, "target": s.target, "period": s.period,
                      "due_on": s.due_on, "days_overdue": s.days_overdue, "holder": holder},
            zh=f"{who}承担的责任“{title}”（指标：{indicator or '未注明'}）{state_zh}，履责红灯。"
               f"请督促{who}补齐履责并记实，必要时发出督办。",
            en=f"The duty “{title}” held by {who} (indicator: {indicator or 'none'}) "
               f"{state_en}: a red light. Press {who} to act and record it; issue a "
               f"supervision order if needed."))
    return out


def check_order_overdue(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """V_ORDER_OVERDUE: a supervision order (督办) past its deadline without a reply."""
    out = []
    for j in _red(ix, "order", scope):
        s = j.status
        order, unit = str(j.node["uid"]), None if j.unit is None else str(j.unit["uid"])
        issuer = None if j.issuer is None else str(j.issuer["uid"])
        to = None if j.holder is None else str(j.holder["uid"])
        by = ix.caption(issuer) if issuer else "未知单位"
        who = ix.caption(to) if to else "未指定对象"
        title = ix.caption(order)
        ids = [order] + [u for u in (issuer, to) if u]
        out.append(Finding.make(
            "V_ORDER_OVERDUE", "high", ids, unit=unit,
            evidence={"issued_on": j.node.get("issued_on"), "due_on": s.due_on,
                      "days_overdue": s.days_overdue, "status": j.recorded,
                      "finding": j.node.get("finding")},
            zh=f"{by}向{who}发出的督办“{title}”已过办理时限{s.due_on}{s.days_overdue}天仍未回复，"
               f"督办未闭环。请{by}跟进催办，并视情况启动问责。",
            en=f"The supervision order “{title}” of {by} to {who} is {s.days_overdue} days past "
               f"its date {s.due_on} with no reply; the loop is open. {by} should follow it "
               f"up and consider accountability."))
    return out


VERTICAL = (check_order_overdue,)
HORIZONTAL = (check_duty_red,)
