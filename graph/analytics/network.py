"""The coordination network and its structural metrics.

The coordination network is an undirected weighted graph of **persons and units** only:
an edge joins two of them when there is evidence that they coordinate -- a current post
(任职), a portfolio (分管), supervision, an integrity referral (issuer unit -- recipient) or
a duty record (actor -- target). Its weight sums the evidence (weights in the config), its
``evidence`` attribute counts each kind. The org chart (``SUBORDINATE_TO``) is left out by
default: being placed under a unit is not evidence that anyone works together.

It is far smaller than the full graph (no duties, issues, records as nodes), which is what
makes the structural metrics fast at city scale:

* bridges and articulation points, **with the number of units each one cuts off**, in one
  iterative depth-first search (Hopcroft-Tarjan, linear time) -- NetworkX's
  ``bridges``/``articulation_points`` give no cut sizes;
* betweenness by this module's *vectorised Brandes* (:func:`algebraic_betweenness`) over
  the SciPy CSR adjacency (frontier-at-a-time gathers and ``np.bincount`` accumulation,
  many times faster than NetworkX's per-edge Python loop): exact -- every node a source,
  equal to ``nx.betweenness_centrality(H)`` -- up to ``exact_betweenness_max_nodes``
  nodes, above it from ``betweenness_k`` pivots drawn with a fixed seed, the estimator of
  ``nx.betweenness_centrality(H, k=...)`` for those pivots (the tests compare both with
  NetworkX on small graphs);
* k-core numbers and connected components (NetworkX, linear).

Examples
--------
>>> import networkx as nx
>>> H = nx.path_graph(["unit:A", "person:P", "unit:B"])
>>> nx.set_node_attributes(H, {"unit:A": "Unit", "person:P": "Person", "unit:B": "Unit"}, "label")
>>> cuts = cut_analysis(H)
>>> cuts.articulation["person:P"], sorted(cuts.bridges.values())
(1, [1, 1])
>>> round(algebraic_betweenness(H, list(H))["person:P"], 3)
1.0
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.analytics.config import AnalyticsConfig
from graph.analytics.index import GraphIndex
from graph.analytics.vertical import Scope, days_before

EVIDENCE_KINDS = ("posts", "portfolios", "supervision", "referrals", "records", "hierarchy")


def edge_attrs(evidence: dict[str, int], cfg: AnalyticsConfig) -> dict[str, Any]:
    """An edge's attributes from its evidence counts: the counts in :data:`EVIDENCE_KINDS`
    order and the weight summed in that order (the same floats whatever order the evidence
    was found in).

    >>> edge_attrs({"records": 2, "posts": 1}, AnalyticsConfig())
    {'weight': 2.0, 'evidence': {'posts': 1, 'records': 2}}
    """
    weights = _weights(cfg)
    ev = {k: evidence[k] for k in EVIDENCE_KINDS if k in evidence}
    return {"weight": sum(n * weights[k] for k, n in ev.items()), "evidence": ev}


def _weights(cfg: AnalyticsConfig) -> dict[str, float]:
    return {"posts": cfg.weight_post, "portfolios": cfg.weight_portfolio,
            "supervision": cfg.weight_supervision, "referrals": cfg.weight_referral,
            "records": cfg.weight_record, "hierarchy": 1.0}


def node_attrs(ix: GraphIndex, x: str) -> dict[str, Any]:
    """A network node's attributes: its label and caption."""
    return {"label": ix.attrs(x).get("label"), "caption": ix.caption(x)}


def coordination_network(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope = None) -> nx.Graph:
    """The persons-and-units coordination network as of ``ix.as_of``.

    With a scope (a set of unit uids) only those units, the people posted in or in charge of
    them and the bodies supervising them take part.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("unit:A", label="Unit", id="A", name="甲", kind="street_town", level=1)
    >>> G.add_node("person:P", label="Person", id="P", name="张")
    >>> _ = G.add_edge("person:P", "unit:A", key="SERVES_IN|secretary|", type="SERVES_IN",
    ...                role="secretary")
    >>> _ = G.add_edge("person:P", "unit:A", key="IN_CHARGE_OF|x|", type="IN_CHARGE_OF")
    >>> H = coordination_network(GraphIndex.build(G, "2024-01-01"), AnalyticsConfig())
    >>> H.edges["person:P", "unit:A"]["weight"], H.edges["person:P", "unit:A"]["evidence"]
    (3.0, {'posts': 1, 'portfolios': 1})
    """
    units = list(ix.units) if scope is None else [u for u in ix.units if u in scope]
    H: nx.Graph = nx.Graph()
    for u in units:
        H.add_node(u, label="Unit", caption=ix.caption(u))
    unit_set = set(units)
    found: dict[tuple[str, str], dict[str, int]] = {}

    def add(a: str, b: str, kind: str) -> None:
        if a == b:
            return
        key = (a, b) if a < b else (b, a)
        ev = found.get(key)
        if ev is None:
            found[key] = ev = {}
            for x in key:
                if x not in H:
                    H.add_node(x, **node_attrs(ix, x))
        ev[kind] = ev.get(kind, 0) + 1

    for u in units:
        for t in ix.posts.get(u, ()):
            add(t.person, u, "posts")
        for t in ix.in_charge.get(u, ()):
            add(t.person, u, "portfolios")
        for d in ix.supervisors.get(u, ()):
            # A supervising body outside the scope still coordinates with the unit.
            add(d, u, "supervision")
        if cfg.include_hierarchy and ix.parent.get(u) in unit_set:
            add(u, ix.parent[u], "hierarchy")
    # Referrals and records only join nodes already in the network (in scope).
    since = days_before(ix.as_of, cfg.link_window_days)
    for r in ix.referrals:
        day = ix.attrs(r).get("issued_on")
        if day and str(day) < since:
            continue
        issuer = ix.referral_issuer.get(r)
        if issuer in H:
            for p in ix.referral_to.get(r, ()):
                if p in H:
                    add(issuer, p, "referrals")  # type: ignore[arg-type]
    for r in ix.records:
        day = ix.attrs(r).get("on")
        if day and str(day) < since:
            continue
        for a in ix.record_by.get(r, ()):
            for b in ix.record_concerns.get(r, ()):
                if a in H and b in H:
                    add(a, b, "records")
    for (a, b), ev in found.items():
        H.add_edge(a, b, **edge_attrs(ev, cfg))
    return H


def in_network(ix: GraphIndex, x: str) -> bool:
    """Whether ``x`` is a node of the whole graph's coordination network: a unit, someone
    in a current post or portfolio, or a body supervising a unit."""
    units = ix.units
    return (x in units
            or any(t.unit in units for t in ix.person_posts.get(x, ()))
            or any(t.unit in units for t in ix.portfolios.get(x, ()))
            or any(u != x and u in units for u in ix.supervised.get(x, ())))


def network_links(ix: GraphIndex, x: str, cfg: AnalyticsConfig) -> dict[str, dict[str, int]]:
    """Every edge of the whole graph's coordination network at ``x``, seen from ``x``: the
    other end and the evidence counts, equal to what :func:`coordination_network` (without
    a scope) puts on that edge. Reads only index entries of ``x`` and of the referrals and
    records at ``x`` -- what an incremental update or a partition refreshes.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("unit:A", label="Unit", id="A", name="甲", kind="street_town", level=1)
    >>> G.add_node("person:P", label="Person", id="P", name="张")
    >>> _ = G.add_edge("person:P", "unit:A", key="SERVES_IN|secretary|", type="SERVES_IN",
    ...                role="secretary")
    >>> network_links(GraphIndex.build(G, "2024-01-01"), "unit:A", AnalyticsConfig())
    {'person:P': {'posts': 1}}
    """
    out: dict[str, dict[str, int]] = {}
    if not in_network(ix, x):
        return out

    def add(y: str | None, kind: str) -> None:
        if y is None or y == x:
            return
        ev = out.get(y)
        if ev is None:
            out[y] = ev = {}
        ev[kind] = ev.get(kind, 0) + 1

    units = ix.units
    if x in units:
        for t in ix.posts.get(x, ()):
            add(t.person, "posts")
        for t in ix.in_charge.get(x, ()):
            add(t.person, "portfolios")
        for d in ix.supervisors.get(x, ()):
            add(d, "supervision")
        if cfg.include_hierarchy:
            if ix.parent.get(x) in units:
                add(ix.parent[x], "hierarchy")
            for c in ix.children.get(x, ()):
                if c in units and ix.parent.get(c) == x:
                    add(c, "hierarchy")
    for t in ix.person_posts.get(x, ()):
        if t.unit in units:
            add(t.unit, "posts")
    for t in ix.portfolios.get(x, ()):
        if t.unit in units:
            add(t.unit, "portfolios")
    for u in ix.supervised.get(x, ()):
        if u in units:
            add(u, "supervision")
    since = days_before(ix.as_of, cfg.link_window_days)

    def current(r: str, listed: dict[str, None], prop: str) -> bool:
        day = ix.attrs(r).get(prop)
        return r in listed and not (day and str(day) < since)

    for r in ix.issued.get(x, ()):
        if ix.referral_issuer.get(r) == x and current(r, ix.referrals, "issued_on"):
            for p in ix.referral_to.get(r, ()):
                if in_network(ix, p):
                    add(p, "referrals")
    for r in ix.received.get(x, ()):
        issuer = ix.referral_issuer.get(r)
        if issuer is not None and current(r, ix.referrals, "issued_on") \
                and in_network(ix, issuer):
            add(issuer, "referrals")
    for r in ix.records_by.get(x, ()):
        if current(r, ix.records, "on"):
            for b in ix.record_concerns.get(r, ()):
                if in_network(ix, b):
                    add(b, "records")
    for r in ix.records_about.get(x, ()):
        if current(r, ix.records, "on"):
            for a in ix.record_by.get(r, ()):
                if in_network(ix, a):
                    add(a, "records")
    return out


@dataclass
class Cuts:
    """Single points of failure of a graph and how many units each one cuts off."""

    #: (u, v) -> units on the smaller side of the bridge.
    bridges: dict[tuple[str, str], int] = field(default_factory=dict)
    #: (u, v) -> the endpoint on the smaller side.
    bridge_side: dict[tuple[str, str], str] = field(default_factory=dict)
    #: node -> units separated from the largest remaining piece when the node is removed.
    articulation: dict[str, int] = field(default_factory=dict)
    #: node -> pairs of nodes every path between which runs through the node (a lower bound
    #: of its unnormalised betweenness, exact for the pairs it separates).
    separated_pairs: dict[str, int] = field(default_factory=dict)


def cut_analysis(H: nx.Graph, count_label: str = "Unit") -> Cuts:
    """Bridges and articulation points with cut sizes, in one iterative DFS (linear time).

    For each DFS tree edge (v, c) with ``low[c] > disc[v]`` the edge is a bridge and the
    DFS subtree of ``c`` is one side; with ``low[c] >= disc[v]`` the subtree of ``c`` is a
    piece left when ``v`` is removed. Counting units per DFS subtree gives the sizes.
    """
    # Sorted nodes and neighbours: the same DFS, hence the same bridge orientations, however
    # the network was built (from scratch or updated in place).
    nodes = sorted(H)
    index = {n: i for i, n in enumerate(nodes)}
    n = len(nodes)
    adj = [sorted(index[m] for m in H.adj[v]) for v in nodes]
    weight = [1 if H.nodes[v].get("label") == count_label else 0 for v in nodes]
    disc = [-1] * n
    low = [0] * n
    sub = [0] * n  # units in the DFS subtree
    size = [0] * n  # nodes in the DFS subtree
    cuts = Cuts()
    timer = 0
    for root in range(n):
        if disc[root] != -1:
            continue
        # First pass: DFS computing disc, low, subtree unit counts and tree parents.
        order: list[int] = []
        parent = {root: -1}
        disc[root] = low[root] = timer
        timer += 1
        stack = [(root, iter(adj[root]))]
        order.append(root)
        while stack:
            v, it = stack[-1]
            advanced = False
            for w in it:
                if disc[w] == -1:
                    parent[w] = v
                    disc[w] = low[w] = timer
                    timer += 1
                    order.append(w)
                    stack.append((w, iter(adj[w])))
                    advanced = True
                    break
                if w != parent[v] and disc[w] < low[v]:
                    low[v] = disc[w]
            if advanced:
                continue
            stack.pop()
            sub[v] += weight[v]
            size[v] += 1
            p = parent[v]
            if p != -1:
                sub[p] += sub[v]
                size[p] += size[v]
                if low[v] < low[p]:
                    low[p] = low[v]
        total = sub[root]
        total_size = size[root]
        # Second pass: pieces per articulation point, sides per bridge.
        pieces: dict[int, list[int]] = {}
        piece_sizes: dict[int, list[int]] = {}
        for v in order:
            p = parent[v]
            if p == -1:
                continue
            if low[v] > disc[p]:
                key = (nodes[p], nodes[v])
                cuts.bridges[key] = min(sub[v], total - sub[v])
                cuts.bridge_side[key] = nodes[v] if sub[v] <= total - sub[v] else nodes[p]
            if low[v] >= disc[p]:
                pieces.setdefault(p, []).append(sub[v])
                piece_sizes.setdefault(p, []).append(size[v])
        for v, ps in pieces.items():
            sizes = piece_sizes[v]
            if parent[v] == -1:
                if len(ps) < 2:
                    continue
                rest = ps
            else:
                rest = [*ps, total - weight[v] - sum(ps)]
                sizes = [*sizes, total_size - 1 - sum(sizes)]
            cut = sum(rest) - max(rest)
            cuts.articulation[nodes[v]] = cut
            # Pairs in different pieces: ((sum)^2 - sum of squares) / 2.
            cuts.separated_pairs[nodes[v]] = (sum(sizes) ** 2 - sum(x * x for x in sizes)) // 2
    return cuts


def csr_adjacency(H: nx.Graph, index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, indices) of the symmetric adjacency of ``H`` (faster than
    ``nx.to_scipy_sparse_array``, which walks attribute dicts)."""
    n = len(index)
    m = H.number_of_edges()
    rows = np.empty(m, dtype=np.int64)
    cols = np.empty(m, dtype=np.int64)
    for k, (a, b) in enumerate(H.edges()):
        rows[k], cols[k] = index[a], index[b]
    both = (np.concatenate([rows, cols]), np.concatenate([cols, rows]))
    A = sp.csr_matrix((np.ones(2 * m), both), shape=(n, n))
    A.sum_duplicates()
    return A.indptr.astype(np.int64), A.indices.astype(np.int64)


def algebraic_betweenness(
    H: nx.Graph, sources: Sequence[str], *, normalized: bool = True
) -> dict[str, float]:
    """Betweenness of every node from the given pivot sources (Brandes, vectorised in NumPy).

    Each source runs Brandes' breadth-first search and dependency accumulation level by
    level over the CSR adjacency: the edges leaving a BFS frontier are gathered with array
    indexing and path counts / dependencies summed with ``np.bincount``, so the work per
    source is O(V + E) in vector operations instead of a Python loop over edges.

    With every node as a source this equals ``nx.betweenness_centrality(H)``; with a sample
    of k pivots it is the estimator of ``nx.betweenness_centrality(H, k=k)`` (same scaling).
    Unweighted: edge weights measure evidence, not distance. Nodes are indexed in sorted
    order, so the floating-point sums are the same however the network was built.
    """
    nodes = sorted(H)
    n = len(nodes)
    if n < 3 or not sources:
        return dict.fromkeys(nodes, 0.0)
    index = {v: i for i, v in enumerate(nodes)}
    indptr, indices = csr_adjacency(H, index)
    bc = np.zeros(n)
    for s in (index[v] for v in sources):
        dist = np.full(n, -1, dtype=np.int64)
        sigma = np.zeros(n)
        dist[s], sigma[s] = 0, 1.0
        frontier = np.array([s], dtype=np.int64)
        dag: list[tuple[np.ndarray, np.ndarray]] = []  # per level: (parent, child) edges
        d = 0
        while frontier.size:
            starts = indptr[frontier]
            counts = indptr[frontier + 1] - starts
            total = int(counts.sum())
            if total == 0:
                break
            src = np.repeat(frontier, counts)
            offsets = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
            dst = indices[offsets]
            fresh = dist[dst] == -1
            dist[dst[fresh]] = d + 1
            keep = dist[dst] == d + 1
            src, dst = src[keep], dst[keep]
            if not dst.size:
                break
            sigma += np.bincount(dst, weights=sigma[src], minlength=n)
            dag.append((src, dst))
            # np.flatnonzero over a mask is much cheaper than np.unique on the edge list.
            frontier = np.flatnonzero(dist == d + 1)
            d += 1
        delta = np.zeros(n)
        for src, dst in reversed(dag):
            delta += np.bincount(src, weights=sigma[src] / sigma[dst] * (1.0 + delta[dst]),
                                 minlength=n)
        delta[s] = 0.0
        bc += delta
    # The scaling of nx.betweenness_centrality (NetworkX 3.6): ordered (s, t) pairs, and with
    # a sample a pivot cannot be its own path's inner node, so pivots are scaled by k-1,
    # others by k.
    N = n - 1
    k = len(sources)
    if k == n:
        scale = 1.0 / (N * (N - 1)) if normalized else 0.5
        return {v: float(bc[i] * scale) for i, v in enumerate(nodes)}
    pivots = {index[v] for v in sources}
    if normalized:
        s_src = 1.0 / ((k - 1) * (N - 1)) if k > 1 else float("nan")
        s_other = 1.0 / (k * (N - 1))
    else:
        s_src = N / ((k - 1) * 2) if k > 1 else float("nan")
        s_other = N / (k * 2)
    return {v: float(bc[i] * (s_src if i in pivots else s_other)) for i, v in enumerate(nodes)}


def betweenness(H: nx.Graph, cfg: AnalyticsConfig) -> tuple[dict[str, float], dict[str, Any]]:
    """Normalised betweenness by :func:`algebraic_betweenness`: from every node up to
    ``cfg.exact_betweenness_max_nodes`` nodes, else from ``cfg.betweenness_k`` pivots drawn
    with ``cfg.seed``; and how it was computed."""
    n = H.number_of_nodes()
    if n <= cfg.exact_betweenness_max_nodes:
        return algebraic_betweenness(H, list(H)), {
            "method": "exact", "nodes": n,
            "algorithm": "vectorised Brandes over scipy.sparse CSR (all sources)"}
    k = min(cfg.betweenness_k, n)
    # A reproducible sample, not a secret: the seed is part of the reported method.
    pivots = random.Random(cfg.seed).sample(sorted(H), k)  # noqa: S311
    return algebraic_betweenness(H, pivots), {
        "method": "sampled", "k": k, "seed": cfg.seed, "nodes": n,
        "algorithm": "vectorised Brandes over scipy.sparse CSR (pivot sample)"}


def core_numbers(H: nx.Graph) -> dict[str, int]:
    """k-core number of every node."""
    return nx.core_number(H) if H.number_of_nodes() else {}


def components(H: nx.Graph) -> list[set[str]]:
    """Connected components, largest first (ties broken by the smallest member)."""
    comps = [set(c) for c in nx.connected_components(H)]
    comps.sort(key=lambda c: (-len(c), min(c)))
    return comps


def degree_of(H: nx.Graph, nodes: Iterable[str]) -> dict[str, int]:
    return {v: int(H.degree(v)) for v in nodes}
