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
from graph.risk import control_active, control_checked
from graph.schema import SCHEMA


def _unit_of(ix: GraphIndex, uid: str, rel_type: str) -> str | None:
    return next((u for u, _ in edges(ix.G.succ, uid, rel_type)), None)


def check_risks(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """H_RISK_UNCONTROLLED (see the module docstring)."""
    levels = set(cfg.risk_levels_checked)
    ok = wanted(scope)
    out = []
    for rp in ix.others.get("RiskPoint", ()):
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
        name = ix.caption(unit) if unit else "未知单位"
        name_en = ix.caption(unit) if unit else "an unknown unit"
        title = ix.caption(rp)
        sev: Severity
        if not active:
            sev, reason = "high", "no_active_control"
            state_zh = "没有在用的防控措施"
            state_en = "has no control measure in force"
        else:
            sev, reason = "medium", "unchecked"
            lasts = sorted(str(ix.attrs(c).get("last_checked") or "") for c in active)
            last = lasts[-1] or None
            state_zh = (f"防控措施最近一次检查为{last}" if last else "防控措施从未检查") + \
                f"，{cfg.control_check_days}天内未检查"
            state_en = (f"its controls were last checked on {last}" if last
                        else "its controls were never checked") + \
                f", not within {cfg.control_check_days} days"
        out.append(Finding.make(
            "H_RISK_UNCONTROLLED", sev, [rp, *active, *([unit] if unit else [])], unit=unit,
            evidence={"reason": reason, "layer": a.get("layer"), "level": a.get("level"),
                      "controls": len(controls), "active_controls": len(active),
                      "window_days": cfg.control_check_days},
            zh=f"{name}{layer.zh}高风险点“{title}”{state_zh}。请落实防控措施并定期检查。",
            en=f"The high-level risk point “{title}” ({layer.en}) of {name_en} {state_en}. "
               f"Put a control in force and check it regularly."))
    return out


def _chain(ix: GraphIndex, unit: str) -> list[str]:
    chain = [unit]
    while chain[-1] in ix.parent and len(chain) <= len(ix.units):
        chain.append(ix.parent[chain[-1]])
    return chain


def check_decisions(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """H_DECISION_NOT_COLLECTIVE (see the module docstring)."""
    ok = wanted(scope)
    out = []
    for d in ix.others.get("Decision", ()):
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
        name = ix.caption(unit) if unit else "未知单位"
        name_en = ix.caption(unit) if unit else "an unknown unit"
        amount, title = float(a["amount"]), ix.caption(d)
        out.append(Finding.make(
            "H_DECISION_NOT_COLLECTIVE", "high", [d, *([unit] if unit else [])], unit=unit,
            evidence={"kind": a.get("kind"), "amount": amount, "threshold": threshold,
                      "decided_on": a.get("decided_on"), "mode": a.get("mode"),
                      "meeting": a.get("meeting")},
            zh=f"{name}的{kind.zh}事项“{title}”金额{amount / 10_000:g}万元，超过"
               f"{threshold / 10_000:g}万元，但未记录经党委会（党组会）集体决策。"
               f"请核查决策程序，按“三重一大”规定补正。",
            en=f"The {kind.en} “{title}” of {name_en}, {amount:,.0f} yuan, is above the "
               f"threshold of {threshold:,.0f} yuan but records no collective decision of the "
               f"leading body. Check how it was decided and apply the 三重一大 rule."))
    return out


#: Registered with the horizontal checks (graph/analytics/horizontal.py).
CHECKS = (check_risks, check_decisions)
