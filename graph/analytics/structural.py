"""Structural weak links: single points of failure of the coordination network.

:func:`structural_analysis` returns the findings (S_BRIDGE, S_ARTICULATION_POINT,
S_HIGH_BETWEENNESS, S_ISOLATED_COMPONENT) and the metrics (sizes, components, k-core,
the betweenness method) of :func:`graph.analytics.network.coordination_network`.

Examples
--------
>>> import networkx as nx
>>> from graph.analytics.config import AnalyticsConfig
>>> from graph.analytics.index import GraphIndex
>>> G = nx.MultiDiGraph()
>>> for u in "ABC":
...     G.add_node(f"unit:{u}", label="Unit", id=u, name=u + "单位", kind="department", level=1)
>>> G.add_node("person:P", label="Person", id="P", name="张三")
>>> for u in "AB":
...     _ = G.add_edge("person:P", f"unit:{u}", key="IN_CHARGE_OF||", type="IN_CHARGE_OF")
>>> res = structural_analysis(GraphIndex.build(G, "2024-01-01"), AnalyticsConfig())
>>> sorted({f.code for f in res.findings})
['S_ARTICULATION_POINT', 'S_BRIDGE', 'S_ISOLATED_COMPONENT']
>>> res.metrics["components"], res.metrics["betweenness"]["method"]
(2, 'exact')
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.analytics.config import AnalyticsConfig
from graph.analytics.findings import Finding, Severity
from graph.analytics.index import GraphIndex
from graph.analytics.network import (
    Cuts,
    betweenness,
    components,
    coordination_network,
    core_numbers,
    cut_analysis,
)
from graph.analytics.vertical import Scope
from graph.messages import N_, Bilingual, Message
from graph.schema import SCHEMA

#: Evidence kind of a network link (:data:`graph.analytics.network.EVIDENCE_KINDS`) → the
#: catalogue code that counts it.
_EVIDENCE_TEXTS = {
    "posts": N_("explain.link_posts"),
    "portfolios": N_("explain.link_portfolios"),
    "supervision": N_("explain.link_supervision"),
    "referrals": N_("explain.link_referrals"),
    "records": N_("explain.link_records"),
    "hierarchy": N_("explain.link_hierarchy"),
}


def _unit_of(ix: GraphIndex, node: str) -> str | None:
    return node if ix.attrs(node).get("label") == "Unit" else ix.home_unit(node)


def evidence_text(evidence: dict[str, int]) -> list[Message]:
    """What a network link rests on, one message per kind (``任职3`` / ``3 posts``)."""
    return [Message(_EVIDENCE_TEXTS[k], n=v) for k, v in sorted(evidence.items())]


def _bridge_findings(
    ix: GraphIndex, H: nx.Graph, cuts: Cuts, cfg: AnalyticsConfig
) -> list[Finding]:
    out = []
    for (a, b), cut in cuts.bridges.items():
        if cut < cfg.cut_min_units:
            continue
        side = cuts.bridge_side[(a, b)]
        other = b if side == a else a
        ev = H.edges[a, b]["evidence"]
        sev: Severity = "high" if cut >= 10 else "medium"
        na, nb = ix.caption(side), ix.caption(other)
        out.append(Finding.make(
            "S_BRIDGE", sev, [side, other], unit=_unit_of(ix, side),
            evidence={"units_cut_off": cut, "link": ev, "weight": H.edges[a, b]["weight"]},
            explanation=Message("explain.S_BRIDGE", a=na, b=nb, link=evidence_text(ev),
                                units=cut)))
    return out


def _articulation_findings(ix: GraphIndex, cuts: Cuts, cfg: AnalyticsConfig) -> list[Finding]:
    out = []
    for v, cut in cuts.articulation.items():
        if cut < cfg.cut_min_units:
            continue
        sev: Severity = "high" if cut >= 10 else "medium"
        name = ix.caption(v)
        kind = SCHEMA.node("Person" if ix.attrs(v).get("label") == "Person" else "Unit")
        out.append(Finding.make(
            "S_ARTICULATION_POINT", sev, [v], unit=_unit_of(ix, v),
            evidence={"units_cut_off": cut, "kind": ix.attrs(v).get("label")},
            explanation=Message("explain.S_ARTICULATION_POINT", kind=Bilingual(kind.zh, kind.en),
                                name=name, units=cut)))
    return out


def _betweenness_findings(
    ix: GraphIndex, H: nx.Graph, bc: dict[str, float], exact: bool, cuts: Cuts,
    cfg: AnalyticsConfig,
) -> list[Finding]:
    """Persons many others depend on: dependents = betweenness x (n-1)/2.

    With exact betweenness that is the measure. With a pivot sample it is not used for
    findings: a pivot landing behind a small node inflates that node's estimate by ~n/2k,
    so the exact lower bound from the block-cut structure is used instead (pairs of nodes
    the person separates / (n-2)); the sampled values stay in the metrics.
    """
    n = H.number_of_nodes()
    if n < 3:
        return []
    labels = set(cfg.betweenness_labels)
    dependents: dict[str, float] = {}
    for v, pairs in cuts.separated_pairs.items():
        dependents[v] = pairs / (n - 2)
    if exact:
        for v, score in bc.items():
            dependents[v] = max(dependents.get(v, 0.0), score * (n - 1) / 2)
    ranked = sorted(((v, d) for v, d in dependents.items()
                     if H.nodes[v].get("label") in labels and d >= cfg.betweenness_min_dependents),
                    key=lambda kv: (-kv[1], kv[0]))
    top = ranked[: cfg.betweenness_top] if cfg.betweenness_top else ranked
    out = []
    for rank, (v, dep) in enumerate(top, start=1):
        score = bc.get(v, 0.0)
        name = ix.caption(v)
        out.append(Finding.make(
            "S_HIGH_BETWEENNESS", "medium", [v], unit=_unit_of(ix, v),
            evidence={"betweenness": round(score, 6), "dependents": round(dep, 1),
                      "rank": rank, "exact": exact},
            explanation=Message("explain.S_HIGH_BETWEENNESS", name=name,
                                dependents=format(dep, ".0f"), score=format(score, ".4f"),
                                rank=rank)))
    return out


def _component_findings(ix: GraphIndex, comps: list[set[str]]) -> list[Finding]:
    out = []
    main = len(comps[0]) if comps else 0
    for comp in comps[1:]:
        units = sorted(v for v in comp if ix.attrs(v).get("label") == "Unit")
        if not units:
            continue
        head = min(units, key=lambda u: (int(ix.attrs(u).get("level") or 0), u))
        first = [ix.caption(u) for u in units[:5]]
        names = Message("explain.names_and_more", names=first) if len(units) > 5 else first
        sev: Severity = "high" if len(units) > 1 else "medium"
        out.append(Finding.make(
            "S_ISOLATED_COMPONENT", sev, [head, *[u for u in units if u != head][:49]], unit=head,
            evidence={"units": len(units), "persons": len(comp) - len(units),
                      "main_component_size": main},
            explanation=Message("explain.S_ISOLATED_COMPONENT", names=names, units=len(units),
                                persons=len(comp) - len(units))))
    return out


@dataclass
class StructuralResult:
    """Findings and metrics of the coordination network, and the network itself."""

    findings: list[Finding]
    metrics: dict[str, Any]
    network: nx.Graph
    #: Bridges cutting off units: the weak links to draw in red.
    weak_edges: list[tuple[str, str]] = field(default_factory=list)
    #: Articulation points cutting off units: the single points of failure to mark.
    single_points: list[str] = field(default_factory=list)


@dataclass
class Structure:
    """What the structural findings need that depends only on the network's nodes and
    edges (not on the evidence and weights on the edges): cuts, betweenness, k-cores and
    components, and the seconds each took. An incremental update reuses it while the
    network's topology stays the same."""

    cuts: Cuts
    betweenness: dict[str, float]
    method: dict[str, Any]
    cores: dict[str, int]
    components: list[set[str]]
    timings: dict[str, float] = field(default_factory=dict)


def measure(H: nx.Graph, cfg: AnalyticsConfig) -> Structure:
    """Cuts, betweenness, k-cores and components of the coordination network."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    cuts = cut_analysis(H)
    timings["cuts"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    bc, method = betweenness(H, cfg)
    timings["betweenness"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    cores = core_numbers(H)
    comps = components(H)
    timings["cores_components"] = time.perf_counter() - t0
    return Structure(cuts, bc, method, cores, comps, timings)


def structural_result(
    ix: GraphIndex, H: nx.Graph, st: Structure, cfg: AnalyticsConfig,
    timings: dict[str, float] | None = None,
) -> StructuralResult:
    """The structural findings and metrics of network ``H`` measured as ``st``."""
    cuts, bc, cores, comps = st.cuts, st.betweenness, st.cores, st.components
    findings = (_bridge_findings(ix, H, cuts, cfg) + _articulation_findings(ix, cuts, cfg)
                + _betweenness_findings(ix, H, bc, st.method["method"] == "exact", cuts, cfg)
                + _component_findings(ix, comps))
    top = sorted(bc.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    hist = Counter(cores.values())
    metrics: dict[str, Any] = {
        "nodes": H.number_of_nodes(),
        "edges": H.number_of_edges(),
        "units": sum(1 for _, lbl in H.nodes(data="label") if lbl == "Unit"),
        "persons": sum(1 for _, lbl in H.nodes(data="label") if lbl == "Person"),
        "components": len(comps),
        "largest_component": len(comps[0]) if comps else 0,
        "bridges": len(cuts.bridges),
        "bridges_cutting_units": sum(1 for c in cuts.bridges.values() if c >= cfg.cut_min_units),
        "articulation_points": len(cuts.articulation),
        "articulation_points_cutting_units": sum(
            1 for c in cuts.articulation.values() if c >= cfg.cut_min_units),
        "k_core_max": max(cores.values(), default=0),
        "k_core_histogram": {str(k): v for k, v in sorted(hist.items())},
        "betweenness": st.method,
        "betweenness_top": [{"uid": v, "caption": ix.caption(v), "score": round(s, 6)}
                            for v, s in top],
        "timings_s": {k: round(v, 3) for k, v in {**(timings or {}), **st.timings}.items()},
    }
    return StructuralResult(
        findings, metrics, H,
        weak_edges=[e for e, c in cuts.bridges.items() if c >= cfg.cut_min_units],
        single_points=[v for v, c in cuts.articulation.items() if c >= cfg.cut_min_units])


def structural_analysis(
    ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope = None, network: nx.Graph | None = None
) -> StructuralResult:
    """Findings and metrics of the coordination network (in scope); ``network``: the network
    already built (a partitioned run assembles it from its partitions)."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    H = coordination_network(ix, cfg, scope) if network is None else network
    timings["network"] = time.perf_counter() - t0
    return structural_result(ix, H, measure(H, cfg), cfg, timings)
