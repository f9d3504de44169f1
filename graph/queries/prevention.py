"""Risk prevention (廉政风险防控) and the 三重一大 decision register of a unit or subtree.

* :func:`risk_register` — the risk points of a unit (or its subtree) identified by a date,
  by layer (决策层, 管理层, 操作层; 上港's three-level network), each with its controls:
  owner, frequency, status, last check, whether in force and checked in the window, and
  whether the point is uncontrolled (the rule of ``H_RISK_UNCONTROLLED``, :mod:`graph.risk`).
* :func:`owned_controls` — the controls a person owns.
* :func:`decision_register` — the 三重一大 decisions of a unit (or its subtree) by a date,
  each with the threshold that applies to its unit, whether it needed and had a collective
  decision (the rule of ``H_DECISION_NOT_COLLECTIVE``, :mod:`graph.decisions`), and the
  issues about it; counts per kind.

Windows, levels, thresholds and kinds come from the analytics configuration.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from graph.analytics.config import AnalyticsConfig
from graph.dates import as_of_or_today, dated_by
from graph.decisions import COLLECTIVE, breaks_rule, needs_collective, threshold_for
from graph.errors import InvalidArgument, NotFound
from graph.messages import Message
from graph.queries.common import ref_of, resolve, uid_for
from graph.queries.models import NodeRef
from graph.queries.prevention_models import (
    DecisionRegister,
    KindCount,
    LayerCount,
    OwnedControl,
    OwnedControls,
    RiskRegister,
)
from graph.risk import control_active, control_checked
from graph.schema import SCHEMA, split_uid
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore


def _code(enum: str, value: str | None, field: str) -> None:
    codes = SCHEMA.enum(enum).codes
    if value is not None and value not in codes:
        raise InvalidArgument(field, Message("reason.one_of", expected=", ".join(codes)))


def _control(c: Mapping[str, Any], owners: Sequence[Mapping[str, Any]], day: str,
             cfg: AnalyticsConfig) -> dict[str, Any]:
    active = control_active(c, day)
    return {"control": ref_of(c), "owners": sorted((ref_of(o) for o in owners),
                                                   key=lambda r: r["uid"]),
            "frequency": c.get("frequency"), "status": c.get("status"),
            "established_on": c.get("established_on"), "last_checked": c.get("last_checked"),
            "active": active, "checked": active and control_checked(c, day,
                                                                    cfg.control_check_days)}


def risk_register(store: GraphStore, unit: str, *, subtree: bool = False,
                  layer: str | None = None, as_of: str | None = None,
                  config: AnalyticsConfig | None = None,
                  scope: Scope = EVERYTHING_SCOPE) -> RiskRegister:
    """The risk points of ``unit`` (with ``subtree``: of every unit below it too) identified
    by ``as_of`` (default today), of ``layer`` when given, decision layer first.

    Raises NotFound for an unknown unit or one outside ``scope``, InvalidArgument for an
    unknown layer or a malformed date.
    """
    _code("risk_layer", layer, "layer")
    cfg = config or AnalyticsConfig()
    day = as_of_or_today(as_of)
    uid = uid_for(unit, "Unit")
    row = store.reads.risk_register(uid, subtree, scope)
    if row is None:
        raise NotFound("Unit", split_uid(uid)[1])
    layers = SCHEMA.enum("risk_layer").codes
    levels = SCHEMA.enum("risk_level").codes
    checked_levels = set(cfg.risk_levels_checked)
    points: list[dict[str, Any]] = []
    for p in row["points"]:
        rp = p["point"]
        if not dated_by(rp.get("identified_on"), day) or (layer and rp.get("layer") != layer):
            continue
        controls = sorted((_control(c["control"], c["owners"], day, cfg) for c in p["controls"]),
                          key=lambda c: c["control"]["uid"])
        active = [c for c in controls if c["active"]]
        uncontrolled = not active or (rp.get("level") in checked_levels
                                      and not any(c["checked"] for c in active))
        points.append({"point": ref_of(rp), "unit": ref_of(p["unit"]),
                       "layer": rp.get("layer") or "", "post": rp.get("post"),
                       "level": rp.get("level"), "identified_on": rp.get("identified_on"),
                       "controls": controls, "uncontrolled": uncontrolled})

    def order(x: dict[str, Any]) -> tuple[int, int, str]:
        lv = x["level"]
        return (layers.index(x["layer"]) if x["layer"] in layers else len(layers),
                levels.index(lv) if lv in levels else len(levels), x["point"]["uid"])

    points.sort(key=order)
    by_layer = []
    for code in layers:
        mine = [x for x in points if x["layer"] == code]
        if not mine and layer:
            continue
        controls = [c for x in mine for c in x["controls"]]
        counts = Counter(x["level"] for x in mine)
        by_layer.append(LayerCount(
            layer=code, points=len(mine),
            levels={lv: counts[lv] for lv in levels if counts.get(lv)},
            controls=len(controls), active=sum(1 for c in controls if c["active"]),
            checked=sum(1 for c in controls if c["checked"]),
            uncontrolled=sum(1 for x in mine if x["uncontrolled"])))
    return RiskRegister.model_validate({
        "unit": ref_of(row["unit"]), "as_of": day, "subtree": subtree, "layer": layer,
        "window_days": cfg.control_check_days, "by_layer": by_layer, "points": points,
        "total_points": len(points), "total_controls": sum(len(x["controls"]) for x in points)})


def owned_controls(store: GraphStore, person: str, *, as_of: str | None = None,
                   config: AnalyticsConfig | None = None,
                   scope: Scope = EVERYTHING_SCOPE) -> OwnedControls:
    """The controls ``person`` owns that ``scope`` shows, established by ``as_of``. Raises
    NotFound for an unknown person or one outside ``scope``."""
    cfg = config or AnalyticsConfig()
    day = as_of_or_today(as_of)
    node = resolve(store, person, ("Person",), scope=scope)
    out = []
    for r in store.reads.owned_controls(node.uid, scope):
        c = r["control"]
        if not dated_by(c.get("established_on"), day):
            continue
        point = r["point"]
        out.append(OwnedControl.model_validate({
            "control": _control(c, [], day, cfg),
            "point": ref_of(point) if point else None,
            "layer": point.get("layer") if point else None,
            "unit": ref_of(r["unit"]) if r["unit"] else None}))
    return OwnedControls(person=NodeRef.of(node), as_of=day, items=out)


def decision_register(store: GraphStore, unit: str, *, subtree: bool = False,
                      kind: str | None = None, as_of: str | None = None,
                      config: AnalyticsConfig | None = None,
                      scope: Scope = EVERYTHING_SCOPE) -> DecisionRegister:
    """The 三重一大 decisions of ``unit`` (with ``subtree``: of every unit below it too)
    dated by ``as_of`` (default today; undated ones always), of ``kind`` when given, newest
    first, with the threshold rule applied to each.

    Raises NotFound for an unknown unit or one outside ``scope``, InvalidArgument for an
    unknown kind or a malformed date.
    """
    _code("decision_kind", kind, "kind")
    cfg = config or AnalyticsConfig()
    day = as_of_or_today(as_of)
    uid = uid_for(unit, "Unit")
    row = store.reads.major_decisions(uid, subtree, scope)
    if row is None:
        raise NotFound("Unit", split_uid(uid)[1])
    parent = {child: up for child, up in row["parents"]}

    def chain(u: str) -> list[str]:
        out = [u]
        while out[-1] in parent and len(out) <= len(parent):
            out.append(parent[out[-1]])
        return out

    rule_kinds = list(cfg.decision_threshold_kinds)
    items: list[dict[str, Any]] = []
    for d in row["decisions"]:
        props = d["decision"]
        if not dated_by(props.get("decided_on"), day) or (kind and props.get("kind") != kind):
            continue
        unit_uid = str(d["unit"]["uid"])
        threshold = threshold_for(chain(unit_uid), cfg.decision_thresholds,
                                  cfg.decision_threshold)
        items.append({
            "decision": ref_of(props), "unit": ref_of(d["unit"]),
            "kind": props.get("kind") or "", "amount": props.get("amount"),
            "decided_on": props.get("decided_on"), "meeting": props.get("meeting"),
            "mode": props.get("mode"), "threshold": threshold,
            "needs_collective": needs_collective(props, rule_kinds, threshold),
            "collective": props.get("mode") == COLLECTIVE,
            "breaks_rule": breaks_rule(props, rule_kinds, threshold),
            "issues": sorted((ref_of(i) for i in d["issues"]), key=lambda r: r["uid"])})
    items.sort(key=lambda x: (x["decided_on"] or "", x["decision"]["uid"]), reverse=True)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for x in items:
        c = counts[str(x["kind"])]
        c["decisions"] += 1
        for flag in ("needs_collective", "collective", "breaks_rule"):
            c[flag] += int(bool(x[flag]))
    by_kind = [KindCount(kind=k, **counts[k]) for k in SCHEMA.enum("decision_kind").codes
               if k in counts]
    return DecisionRegister.model_validate({
        "unit": ref_of(row["unit"]), "as_of": day, "subtree": subtree, "kind": kind,
        "rule_kinds": rule_kinds, "default_threshold": cfg.decision_threshold,
        "by_kind": by_kind, "items": items})
