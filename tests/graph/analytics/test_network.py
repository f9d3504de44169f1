"""The structural algorithms against NetworkX and brute force."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.analytics.config import AnalyticsConfig
from graph.analytics.network import algebraic_betweenness, betweenness, cut_analysis


def graphs() -> list[nx.Graph]:
    out = []
    for seed in range(6):
        g = nx.gnm_random_graph(40, 50 + seed * 5, seed=seed)
        g.add_edges_from([(100 + seed, 101 + seed), (101 + seed, 102 + seed)])  # a path piece
        g = nx.relabel_nodes(g, {v: f"n{v}" for v in g})
        rng = random.Random(seed)
        nx.set_node_attributes(g, {v: rng.choice(["Unit", "Person"]) for v in g}, "label")
        out.append(g)
    return out


def units_cut_by_removal(g: nx.Graph, remove_node: str | None = None,
                         remove_edge: tuple[str, str] | None = None) -> int:
    """Brute force: units outside the largest piece (by units) of the affected component."""
    h = g.copy()
    if remove_node is not None:
        comp = nx.node_connected_component(g, remove_node)
        h = g.subgraph(comp - {remove_node}).copy()
    else:
        assert remove_edge is not None
        comp = nx.node_connected_component(g, remove_edge[0])
        h = g.subgraph(comp).copy()
        h.remove_edge(*remove_edge)
    pieces = [sum(1 for v in c if g.nodes[v]["label"] == "Unit")
              for c in nx.connected_components(h)]
    return sum(pieces) - max(pieces) if pieces else 0


@pytest.mark.parametrize("g", graphs())
def test_cuts_match_networkx_and_brute_force(g: nx.Graph) -> None:
    cuts = cut_analysis(g)
    assert {frozenset(e) for e in cuts.bridges} == {frozenset(e) for e in nx.bridges(g)}
    assert set(cuts.articulation) == set(nx.articulation_points(g))
    for e, cut in cuts.bridges.items():
        assert cut == units_cut_by_removal(g, remove_edge=e)
    for v, cut in cuts.articulation.items():
        assert cut == units_cut_by_removal(g, remove_node=v)
        # Pairs of nodes every path between which runs through v.
        comp = nx.node_connected_component(g, v) - {v}
        h = g.subgraph(comp)
        sizes = [len(c) for c in nx.connected_components(h)]
        assert cuts.separated_pairs[v] == (sum(sizes) ** 2 - sum(x * x for x in sizes)) // 2
        assert cuts.separated_pairs[v] == sum(
            1 for a in comp for b in comp if a < b and not nx.has_path(h, a, b))


@pytest.mark.parametrize("g", graphs())
def test_betweenness_exact_and_sampled_match_networkx(g: nx.Graph) -> None:
    exact = algebraic_betweenness(g, list(g))
    ref = nx.betweenness_centrality(g)
    assert max(abs(exact[v] - ref[v]) for v in g) < 1e-9
    # Same pivots as networkx draws for (k, seed): the same estimate.
    pivots = random.Random(7).sample(list(g), 10)
    sampled = algebraic_betweenness(g, pivots)
    ref_k = nx.betweenness_centrality(g, k=10, seed=7)
    assert max(abs(sampled[v] - ref_k[v]) for v in g) < 1e-9


def test_betweenness_method_is_reported() -> None:
    g = nx.path_graph([f"n{i}" for i in range(30)])
    _, exact = betweenness(g, AnalyticsConfig())
    assert exact["method"] == "exact"
    _, sampled = betweenness(g, AnalyticsConfig(exact_betweenness_max_nodes=10, betweenness_k=5))
    assert sampled["method"] == "sampled" and sampled["k"] == 5 and sampled["seed"] == 42
