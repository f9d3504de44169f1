"""Assemble the analysis: findings of every kind, network metrics, health and roll-up.

:func:`analyze` is the one entry point (pure: a NetworkX projection in, a model out);
:func:`analyze_store` takes the projection from a store first.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("unit:A", label="Unit", id="A", name="甲区委", kind="party_committee", level=1)
>>> G.add_node("unit:B", label="Unit", id="B", name="乙镇党委", kind="street_town", level=2)
>>> _ = G.add_edge("unit:B", "unit:A", key="SUBORDINATE_TO|", type="SUBORDINATE_TO")
>>> a = analyze(G, as_of="2024-01-01")
>>> a.report.counts["H_NO_SECRETARY"], a.report.health[0].score < 100
(2, True)
>>> analyze(G, as_of="2024-01-01", unit="B").report.scope
'unit:B'
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from pydantic import BaseModel

from graph.analytics.config import AnalyticsConfig
from graph.analytics.findings import CODES, Finding, sort_findings
from graph.analytics.health import SubtreeHealth, UnitHealth, rollup, unit_health
from graph.analytics.horizontal import horizontal_findings
from graph.analytics.index import GraphIndex
from graph.analytics.structural import structural_analysis
from graph.analytics.vertical import vertical_findings
from graph.errors import NotFound
from graph.queries.common import as_of_or_today
from graph.store.base import GraphStore


class Report(BaseModel):
    """The analysis of one scope as of one date (what the CLI and the API serve)."""

    as_of: str
    scope: str | None
    scope_caption: str | None
    config: dict[str, Any]
    counts: dict[str, int]
    severity_counts: dict[str, int]
    findings: list[Finding]
    metrics: dict[str, Any]
    health: list[UnitHealth]
    rollup: list[SubtreeHealth]


@dataclass
class Analysis:
    """The report plus what a graph view needs (kept out of the JSON)."""

    report: Report
    network: nx.Graph
    weak_edges: list[tuple[str, str]] = field(default_factory=list)
    single_points: list[str] = field(default_factory=list)


def resolve_unit(G: nx.MultiDiGraph, unit: str) -> str:
    """The uid of a unit given as ``unit:ID`` or a bare id; raises NotFound."""
    uid = unit if unit.startswith("unit:") else f"unit:{unit}"
    if uid not in G or G.nodes[uid].get("label") != "Unit":
        raise NotFound("Unit", unit)
    return uid


def analyze(
    G: nx.MultiDiGraph,
    *,
    as_of: str | None = None,
    unit: str | None = None,
    config: AnalyticsConfig | None = None,
) -> Analysis:
    """Every finding, the coordination-network metrics and the health of the units in scope.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The projection of the graph (``store.to_networkx()``), not modified.
    as_of : str, optional
        ISO date the analysis is as of (default today).
    unit : str, optional
        Restrict to this unit and every unit below it (uid or id).
    config : AnalyticsConfig, optional
        Thresholds, windows and weights (default: the documented defaults).
    """
    cfg = config or AnalyticsConfig()
    day = as_of_or_today(as_of)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    ix = GraphIndex.build(G, day)
    timings["index"] = time.perf_counter() - t0
    scope: set[str] | None = None
    root = None
    if unit is not None:
        root = resolve_unit(G, unit)
        scope = {root, *ix.descendants(root)}
    t0 = time.perf_counter()
    found: list[Finding] = vertical_findings(ix, cfg, scope)
    timings["vertical"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    found += horizontal_findings(ix, cfg, scope)
    timings["horizontal"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    structural = structural_analysis(ix, cfg, scope)
    found += structural.findings
    timings["structural"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    units = ix.units if scope is None else [u for u in ix.units if u in scope]
    info = {u: (ix.caption(u), _int(ix.attrs(u).get("level")), ix.attrs(u).get("kind"))
            for u in units}
    health = unit_health(info, found, cfg)
    by_uid = {h.uid: h for h in health}
    parent = ix.parent if root is None else {u: p for u, p in ix.parent.items() if u != root}
    roll = rollup(parent, [u for u in ix.postorder() if u in by_uid], by_uid, cfg)
    timings["health"] = time.perf_counter() - t0
    findings = sort_findings(found)
    counts = dict.fromkeys(CODES, 0)
    sev = {"high": 0, "medium": 0, "low": 0}
    for f in findings:
        counts[f.code] += 1
        sev[f.severity] += 1
    metrics = {
        "graph": {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                  "units_in_scope": len(units)},
        "coordination_network": structural.metrics,
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
    }
    report = Report(
        as_of=day, scope=root, scope_caption=ix.caption(root) if root else None,
        config=cfg.model_dump(mode="json"), counts=counts, severity_counts=sev,
        findings=findings, metrics=metrics, health=health, rollup=roll)
    return Analysis(report, structural.network, structural.weak_edges, structural.single_points)


def analyze_store(
    store: GraphStore,
    *,
    as_of: str | None = None,
    unit: str | None = None,
    config: AnalyticsConfig | None = None,
    in_place: bool = False,
) -> Analysis:
    """:func:`analyze` over ``store.to_networkx()`` (either backend).

    ``in_place=True`` reads an embedded store's graph without copying it (half the memory
    at city scale); only safe when nothing writes to the store meanwhile (the CLI).
    """
    t0 = time.perf_counter()
    G: nx.MultiDiGraph = (
        store.graph if in_place and store.backend == "embedded"  # type: ignore[attr-defined]
        else store.to_networkx())
    projected = time.perf_counter() - t0
    result = analyze(G, as_of=as_of, unit=unit, config=config)
    result.report.metrics["timings_s"]["projection"] = round(projected, 3)
    return result


def _int(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None
