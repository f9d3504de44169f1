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

_KIND_ZH = {"posts": "任职", "portfolios": "分管", "supervision": "监督", "referrals": "抄告",
            "records": "记实", "hierarchy": "隶属"}


def _unit_of(ix: GraphIndex, node: str) -> str | None:
    return node if ix.attrs(node).get("label") == "Unit" else ix.home_unit(node)


def _evidence_text(e: dict[str, int]) -> tuple[str, str]:
    zh = "、".join(f"{_KIND_ZH.get(k, k)}{v}" for k, v in sorted(e.items()))
    en = ", ".join(f"{v} {k}" for k, v in sorted(e.items()))
    return zh, en


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
        ev_zh, ev_en = _evidence_text(ev)
        sev: Severity = "high" if cut >= 10 else "medium"
        na, nb = ix.caption(side), ix.caption(other)
        out.append(Finding.make(
            "S_BRIDGE", sev, [side, other], unit=_unit_of(ix, side),
            evidence={"units_cut_off": cut, "link": ev, "weight": H.edges[a, b]["weight"]},
            zh=f"{na}与{nb}之间的联系（{ev_zh}）是唯一纽带：一旦中断，{cut}个单位将与协同网络主体失去联系。"
               f"请建立第二条联系（如另一位分管领导、监督机构的约谈或抄告）。",
            en=f"The link between {na} and {nb} ({ev_en}) is the only one: if it fails, {cut} "
               f"units lose contact with the rest of the coordination network. Add a second "
               f"link (another member in charge, talks or referrals by the supervising body)."))
    return out


def _articulation_findings(ix: GraphIndex, cuts: Cuts, cfg: AnalyticsConfig) -> list[Finding]:
    out = []
    for v, cut in cuts.articulation.items():
        if cut < cfg.cut_min_units:
            continue
        sev: Severity = "high" if cut >= 10 else "medium"
        name = ix.caption(v)
        is_person = ix.attrs(v).get("label") == "Person"
        who_zh, who_en = ("人员", "person") if is_person else ("单位", "unit")
        out.append(Finding.make(
            "S_ARTICULATION_POINT", sev, [v], unit=_unit_of(ix, v),
            evidence={"units_cut_off": cut, "kind": ix.attrs(v).get("label")},
            zh=f"{who_zh}{name}是协同网络中的单点枢纽（割点）：其缺位将使{cut}个单位与其余部分失去联系。"
               f"请安排AB角或增加分管、监督联系。",
            en=f"The {who_en} {name} is a single point of failure (articulation point) of the "
               f"coordination network: without it {cut} units are cut off from the rest. Name a "
               f"deputy or add portfolios or supervision links around it."))
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
            zh=f"{name}是协同瓶颈：约{dep:.0f}个人员或单位须经其与协同网络其余部分联系"
               f"（介数中心性{score:.4f}，第{rank}位）。请分散职责、建立直接联系。",
            en=f"{name} is a bottleneck: about {dep:.0f} people or units reach the rest of the "
               f"coordination network only through them (betweenness {score:.4f}, rank "
               f"{rank}). Spread their duties and add direct links."))
    return out


def _component_findings(ix: GraphIndex, comps: list[set[str]]) -> list[Finding]:
    out = []
    main = len(comps[0]) if comps else 0
    for comp in comps[1:]:
        units = sorted(v for v in comp if ix.attrs(v).get("label") == "Unit")
        if not units:
            continue
        head = min(units, key=lambda u: (int(ix.attrs(u).get("level") or 0), u))
        names = "、".join(ix.caption(u) for u in units[:5]) + ("等" if len(units) > 5 else "")
        names_en = ", ".join(ix.caption(u) for u in units[:5]) + (" …" if len(units) > 5 else "")
        sev: Severity = "high" if len(units) > 1 else "medium"
        out.append(Finding.make(
            "S_ISOLATED_COMPONENT", sev, [head, *[u for u in units if u != head][:49]], unit=head,
            evidence={"units": len(units), "persons": len(comp) - len(units),
                      "main_component_size": main},
            zh=f"{names}（{len(units)}个单位、{len(comp) - len(units)}人）与协同网络主体之间"
               f"没有任何任职、分管、监督、抄告或记实联系，处于孤立状态。请明确上级分管领导和监督机构。",
            en=f"{names_en} ({len(units)} units, {len(comp) - len(units)} people) have no post, "
               f"portfolio, supervision, referral or record linking them to the main "
               f"coordination network: they are isolated. Assign a member in charge above and a "
               f"supervising body."))
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
