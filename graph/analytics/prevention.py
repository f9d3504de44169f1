"""Prevention weak links: risk points without working controls (廉政风险防控) and 三重一大
decisions above the threshold taken without a collective decision. The rules are those of
:mod:`graph.risk` and :mod:`graph.decisions`, shared with the risk and decision registers.

* ``H_RISK_UNCONTROLLED`` — a risk point of a checked level (``risk_levels_checked``),
  identified by the date, with no active control (high), or whose active controls were none
  of them checked within ``control_check_days`` (medium).
* ``H_DECISION_NOT_COLLECTIVE`` — a decision of a covered kind, dated by the date, whose
  amount exceeds its unit's threshold and that records no collective decision; a decision
  an issue is already about (``ABOUT_DECISION``: found, and being dealt with) is not
  reported again.

Examples
--------
>>> import networkx as nx
>>> from graph.analytics.config import AnalyticsConfig
>>> from graph.analytics.index import GraphIndex
>>> G = nx.MultiDiGraph()
>>> G.add_node("unit:U", label="Unit", id="U", name="某公司", kind="enterprise", level=2)
>>> G.add_node("decision:D", label="Decision", id="D", title="采购预付款", kind="large_fund",
...            amount=280000.0, decided_on="2026-08-12", mode="individual")
>>> _ = G.add_edge("decision:D", "unit:U", key="TAKEN_BY|", type="TAKEN_BY")
>>> ix = GraphIndex.build(G, "2026-12-01")
>>> [(f.code, f.evidence["threshold"]) for f in check_decisions(ix, AnalyticsConfig(), None)]
[('H_DECISION_NOT_COLLECTIVE', 100000.0)]
"""

from __future__ import annotations

from graph.analytics.assessment import Scope, edges, wanted
from graph.analytics.config import AnalyticsConfig
from graph.analytics.findings import Finding, Severity
from graph.analytics.index import GraphIndex
from graph.dates import dated_by
from graph.decisions import breaks_rule, threshold_for
from graph.messages import Bilingual, Message
from graph.risk import control_active, control_checked
from graph.schema import SCHEMA


def _unit_of(ix: GraphIndex, uid: str, rel_type: str) -> str | None:
    return next((u for u, _ in edges(ix.G.succ, uid, rel_type)), None)


def check_risks(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """H_RISK_UNCONTROLLED (see the module docstring)."""
    levels = set(cfg.risk_levels_checked)
    ok = wanted(scope)
    out = []
    for rp in ix.risk_points:
        a = ix.attrs(rp)
        if a.get("level") not in levels or not dated_by(a.get("identified_on"), ix.as_of):
            continue
        unit = _unit_of(ix, rp, "RISK_IN")
        if ok is not None and (unit is None or unit not in ok):
            continue
        controls = sorted(c for c, _ in edges(ix.G.pred, rp, "CONTROLS"))
        active = [c for c in controls if control_active(ix.attrs(c), ix.as_of)]
        if any(control_checked(ix.attrs(c), ix.as_of, cfg.control_check_days) for c in active):
            continue
        layer = SCHEMA.enum("risk_layer").value(str(a.get("layer") or "operation"))
        name: object = ix.caption(unit) if unit else Message("explain.unknown_unit")
        title = ix.caption(rp)
        sev: Severity
        state: Message
        if not active:
            sev, reason = "high", "no_active_control"
            state = Message("explain.risk_no_control")
        else:
            sev, reason = "medium", "unchecked"
            lasts = sorted(str(ix.attrs(c).get("last_checked") or "") for c in active)
            last = lasts[-1] or None
            state = (Message("explain.risk_checked_on", date=last,
                             days=cfg.control_check_days) if last
                     else Message("explain.risk_never_checked", days=cfg.control_check_days))
        out.append(Finding.make(
            "H_RISK_UNCONTROLLED", sev, [rp, *active, *([unit] if unit else [])], unit=unit,
            evidence={"reason": reason, "layer": a.get("layer"), "level": a.get("level"),
                      "controls": len(controls), "active_controls": len(active),
                      "window_days": cfg.control_check_days},
            explanation=Message("explain.H_RISK_UNCONTROLLED", unit=name, title=title,
                                layer=Bilingual(layer.zh, layer.en), state=state)))
    return out


def wan(amount: float) -> str:
    """An amount in 万元, as few digits as it needs (``12``, ``0.5``)."""
    return format(amount / 10_000, "g")


def yuan(amount: float) -> str:
    """An amount in yuan with thousands separators (``120,000``)."""
    return format(amount, ",.0f")


def _chain(ix: GraphIndex, unit: str) -> list[str]:
    chain = [unit]
    while chain[-1] in ix.parent and len(chain) <= len(ix.units):
        chain.append(ix.parent[chain[-1]])
    return chain


def check_decisions(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """H_DECISION_NOT_COLLECTIVE (see the module docstring)."""
    ok = wanted(scope)
    out = []
    for d in ix.decisions:
        a = ix.attrs(d)
        if not dated_by(a.get("decided_on"), ix.as_of):
            continue
        unit = _unit_of(ix, d, "TAKEN_BY")
        if ok is not None and (unit is None or unit not in ok):
            continue
        threshold = threshold_for(_chain(ix, unit) if unit else [], cfg.decision_thresholds,
                                  cfg.decision_threshold)
        if not breaks_rule(a, cfg.decision_threshold_kinds, threshold):
            continue
        if any(True for _ in edges(ix.G.pred, d, "ABOUT_DECISION")):
            continue
        kind = SCHEMA.enum("decision_kind").value(str(a["kind"]))
        name = ix.caption(unit) if unit else Message("explain.unknown_unit")
        amount, title = float(a["amount"]), ix.caption(d)
        out.append(Finding.make(
            "H_DECISION_NOT_COLLECTIVE", "high", [d, *([unit] if unit else [])], unit=unit,
            evidence={"kind": a.get("kind"), "amount": amount, "threshold": threshold,
                      "decided_on": a.get("decided_on"), "mode": a.get("mode"),
                      "meeting": a.get("meeting")},
            explanation=Message("explain.H_DECISION_NOT_COLLECTIVE", unit=name, title=title,
                                kind=Bilingual(kind.zh, kind.en),
                                amount_wan=wan(amount), threshold_wan=wan(threshold),
                                amount=yuan(amount), threshold=yuan(threshold))))
    return out


#: Registered with the horizontal checks (graph/analytics/horizontal.py).
CHECKS = (check_risks, check_decisions)
