"""Assemble the analysis: findings of every kind, network metrics, health and roll-up.

:func:`analyze` is the one entry point (pure: a NetworkX projection in, a model out);
:func:`analyze_store` takes the projection from a store first -- of the nodes a user's
scope shows -- and :func:`cached_report` keeps its reports in the store's derived values.

A scoped analysis is the analysis of what the scope shows, as if nothing else existed: the
projection holds only the nodes in scope (``store.reads.members``) and the relationships
between them, so every finding, count, score and roll-up is computed over the visible
subtrees and names nothing outside them. Relationships that leave the scope are not seen:
a unit supervised only by a body outside the scope reads as unsupervised there. Units
above the scope, seen in outline elsewhere, take no part (an analysis of them would
describe what lies below them).

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

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx
from pydantic import BaseModel

from graph.analytics.config import AnalyticsConfig
from graph.analytics.findings import CODES, Finding, sort_findings
from graph.analytics.health import SubtreeHealth, UnitHealth, rollup, unit_health
from graph.analytics.horizontal import horizontal_findings
from graph.analytics.index import GraphIndex
from graph.analytics.structural import structural_analysis
from graph.analytics.vertical import vertical_findings
from graph.dates import as_of_or_today
from graph.errors import NotFound
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore

if TYPE_CHECKING:
    from graph.analytics.incremental import AnalysisState


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
        raise NotFound("Unit", uid.partition(":")[2])
    return uid


def analyze(
    G: nx.MultiDiGraph,
    *,
    as_of: str | None = None,
    unit: str | None = None,
    config: AnalyticsConfig | None = None,
    index: GraphIndex | None = None,
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
    index : GraphIndex, optional
        The index of ``G`` as of the same date, already built (a partitioned run assembles
        it from its partitions: :mod:`graph.analytics.partitioned`).
    """
    cfg = config or AnalyticsConfig()
    day = as_of_or_today(as_of)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    ix = GraphIndex.build(G, day) if index is None else index
    timings["index"] = time.perf_counter() - t0
    scope: set[str] | None = None
    root = None
    if unit is not None:
        root = resolve_unit(G, unit)
        scope = {root, *ix.descendants(root)}
    found = rule_findings(ix, cfg, scope, timings)
    t0 = time.perf_counter()
    structural = structural_analysis(ix, cfg, scope)
    timings["structural"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    units = list(ix.units) if scope is None else [u for u in ix.units if u in scope]
    health = unit_health({u: unit_info(ix, u) for u in units}, found + structural.findings, cfg)
    by_uid = {h.uid: h for h in health}
    parent = ix.parent if root is None else {u: p for u, p in ix.parent.items() if u != root}
    roll = rollup(parent, [u for u in ix.postorder() if u in by_uid], by_uid, cfg)
    timings["health"] = time.perf_counter() - t0
    report = assemble(
        as_of=day, root=root, root_caption=ix.caption(root) if root else None, cfg=cfg,
        findings=found + structural.findings, graph={
            "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
            "units_in_scope": len(units)},
        network=structural.metrics, health=health, roll=roll, timings=timings)
    return Analysis(report, structural.network, structural.weak_edges, structural.single_points)


def rule_findings(
    ix: GraphIndex, cfg: AnalyticsConfig, scope: set[str] | None,
    timings: dict[str, float] | None = None,
) -> list[Finding]:
    """The findings of every registered rule over the index (all but the structural ones,
    which need the whole coordination network); each axis's seconds go to ``timings``."""
    found: list[Finding] = []
    for name, run in (("vertical", vertical_findings), ("horizontal", horizontal_findings)):
        t0 = time.perf_counter()
        found += run(ix, cfg, scope)
        if timings is not None:
            timings[name] = time.perf_counter() - t0
    return found


def unit_info(ix: GraphIndex, u: str) -> tuple[str, int | None, str | None]:
    """What a unit's health row shows of it: caption, level, kind."""
    a = ix.attrs(u)
    return ix.caption(u), _int(a.get("level")), a.get("kind")


def assemble(
    *, as_of: str, root: str | None, root_caption: str | None, cfg: AnalyticsConfig,
    findings: list[Finding], graph: dict[str, int], network: dict[str, Any],
    health: list[UnitHealth], roll: list[SubtreeHealth], timings: dict[str, float],
) -> Report:
    """The report from its parts (findings in any order; health and roll-up sorted)."""
    ordered = sort_findings(findings)
    counts = dict.fromkeys(CODES, 0)
    sev = {"high": 0, "medium": 0, "low": 0}
    for f in ordered:
        counts[f.code] += 1
        sev[f.severity] += 1
    metrics = {"graph": graph, "coordination_network": network,
               "timings_s": {k: round(v, 3) for k, v in timings.items()}}
    return Report(
        as_of=as_of, scope=root, scope_caption=root_caption,
        config=cfg.model_dump(mode="json"), counts=counts, severity_counts=sev,
        findings=ordered, metrics=metrics, health=health, rollup=roll)


def analyze_store(
    store: GraphStore,
    *,
    as_of: str | None = None,
    unit: str | None = None,
    config: AnalyticsConfig | None = None,
    in_place: bool = False,
    scope: Scope = EVERYTHING_SCOPE,
) -> Analysis:
    """:func:`analyze` over the projection of the nodes ``scope`` shows (either backend).

    Parameters
    ----------
    unit : str, optional
        Restrict to this unit and every unit below it; it must be in ``scope`` (else
        NotFound). Default: the scope's root when it has exactly one, else the whole
        scope (a scope of 嘉定 has two roots, 嘉定区委 and 嘉定区纪委监委).
    in_place : bool
        Read the store's own graph where it keeps one, instead of a copy (half the memory
        at city scale); only safe when nothing writes to the store meanwhile (the CLI).
        A scoped analysis always reads a projection of its own.
    scope : Scope
        What the user may see; the module docstring says how it shapes the analysis.
    """
    t0 = time.perf_counter()
    if scope.everything:
        G = store.to_networkx(shared=in_place)
    else:
        G = store.to_networkx(store.reads.members(scope))
        if unit is None and scope.roots is not None and len(scope.roots) == 1:
            unit = next(iter(scope.roots))
    projected = time.perf_counter() - t0
    result = analyze(G, as_of=as_of, unit=unit, config=config)
    result.report.metrics["timings_s"]["projection"] = round(projected, 3)
    return result


#: Reports kept per data version (each holds every finding: megabytes at city scale).
MAX_REPORTS = 16


class _Reports:
    """The reports of one data version: least recently used go first, and one computation
    per key at a time (concurrent requests for it wait for that one)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[Any, ...], Report] = OrderedDict()
        self._gates: dict[tuple[Any, ...], threading.Lock] = {}

    def get(self, key: tuple[Any, ...], compute: Callable[[], Report]) -> Report:
        with self._lock:
            gate = self._gates.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    return self._items[key]
            report = compute()
            with self._lock:
                self._items[key] = report
                while len(self._items) > MAX_REPORTS:
                    self._items.popitem(last=False)
                self._gates.pop(key, None)
        return report


def cached_report(
    store: GraphStore,
    *,
    as_of: str | None = None,
    unit: str | None = None,
    config: AnalyticsConfig | None = None,
    scope: Scope = EVERYTHING_SCOPE,
) -> Report:
    """The report of :func:`analyze_store`, computed once per (date, unit, scope, config)
    and kept in ``store.derived`` until the store's data version changes (the only
    staleness rule). The whole graph's report (no unit, every scope) is kept as an
    :class:`~graph.analytics.incremental.AnalysisState` instead and brought up to date
    from the writes since (:meth:`~graph.store.base.Derived.evolve`). Reports are shared:
    do not modify them."""
    cfg = config or AnalyticsConfig()
    day = as_of_or_today(as_of)
    uid = None if unit is None else (unit if unit.startswith("unit:") else f"unit:{unit}")
    key = (day, uid, scope.key, cfg.model_dump_json())
    if uid is None and scope.everything:
        return analysis_state(store, as_of=day, config=cfg).report
    reports = store.derived.get(("analysis-reports",), _Reports)
    return reports.get(key, lambda: analyze_store(store, as_of=day, unit=uid, config=cfg,
                                                  scope=scope).report)


def analysis_state(
    store: GraphStore, *, as_of: str | None = None, config: AnalyticsConfig | None = None
) -> AnalysisState:
    """The whole graph's analysis of one date and configuration, kept in ``store.derived``
    and brought up to date from the writes since the data version it was computed at
    (:meth:`~graph.analytics.incremental.AnalysisState.advance`); analysed afresh when the
    store cannot tell what changed. Shared: read its ``report``, do not modify it."""
    from graph.analytics.incremental import AnalysisState

    cfg = config or AnalyticsConfig()
    day = as_of_or_today(as_of)
    return store.derived.evolve(
        ("analysis-state", day, cfg.model_dump_json()),
        lambda: AnalysisState.build(store.to_networkx(), as_of=day, config=cfg),
        lambda state, old: state.advance(store.touching, store.changes_since(old)))


def _int(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None
