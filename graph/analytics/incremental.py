"""Incremental analysis: after a write, recompute what can depend on it, not the city.

An :class:`AnalysisState` is the whole-graph analysis of one date and configuration with
everything needed to follow a change: its own copy of the projection, the index, the
coordination network with its measured structure, and the health and roll-up of every
unit. :meth:`AnalysisState.advance` takes a :class:`~graph.store.changes.ChangeSet` (the
uids a write touched; a store keeps them per data version, ``store.changes_since``) and a
way to read the graph around those uids (``store.touching``), and updates:

1. **the projection**: the changed nodes and every relationship at them are re-read;
2. **the index**: the entries of the changed nodes and of the neighbours of those whose
   properties changed -- the index's one-hop rule says nothing else can differ
   (:meth:`graph.analytics.index.GraphIndex.refresh`);
3. **the coordination network**: the edges at the persons and units among those nodes
   (:func:`graph.analytics.network.network_links`); its cuts, betweenness, k-cores and
   components are measured again only when a node or an edge appeared or went (the
   topology), not when only evidence and weights changed;
4. **the findings**: every registered rule runs again over the index (each is a linear
   pass over pre-indexed entries -- a fraction of a second at city scale -- so any rule
   added to the registry is incremental without declaring what it reads); the structural
   findings come from the (re)measured structure;
5. **health and roll-up**: only the units whose findings, name, level or kind changed are
   scored again, and only their ancestors' subtree figures are combined again.

The result equals a fresh :func:`graph.analytics.report.analyze` of the changed graph
(the property tests in ``tests/graph/analytics/test_incremental.py`` check it on random
change sets, on both stores' projections), except for ``metrics.timings_s``.

A change set larger than :data:`MAX_CHANGED` uids, or one the store cannot tell, means a
fresh analysis. :func:`graph.analytics.report.cached_report` keeps one state per (date,
configuration) in the store's derived values and advances it at each new data version.

Examples
--------
>>> import networkx as nx
>>> from graph.store.changes import ChangeSet
>>> G = nx.MultiDiGraph()
>>> G.add_node("unit:A", label="Unit", id="A", name="甲区委", kind="party_committee", level=1)
>>> state = AnalysisState.build(G.copy(), as_of="2024-01-01")
>>> state.report.counts["H_NO_SECRETARY"]
1
>>> G.add_node("person:P", label="Person", id="P", name="张三")
>>> _ = G.add_edge("person:P", "unit:A", key="SERVES_IN|secretary|", type="SERVES_IN",
...                role="secretary")
>>> state.advance(lambda uids: G.subgraph(list(uids) + list(G["person:P"])).copy(),
...               ChangeSet(nodes=frozenset({"person:P"}), ends=frozenset({"unit:A"})))
True
>>> state.report.counts["H_NO_SECRETARY"]
0
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.analytics.config import AnalyticsConfig
from graph.analytics.findings import Finding
from graph.analytics.health import (
    Aggregate,
    UnitHealth,
    by_unit,
    combine,
    score_unit,
    subtree_health,
    weakest_first,
    weakest_subtrees,
)
from graph.analytics.health import aggregates as subtree_aggregates
from graph.analytics.index import GraphIndex
from graph.analytics.network import (
    coordination_network,
    edge_attrs,
    in_network,
    network_links,
    node_attrs,
)
from graph.analytics.report import Analysis, Report, assemble, rule_findings, unit_info
from graph.analytics.structural import Structure, measure, structural_result
from graph.dates import as_of_or_today
from graph.store.changes import ChangeSet

#: A change set naming more uids than this is analysed afresh (re-reading that much of
#: the graph around it costs more than one pass over everything).
MAX_CHANGED = 50_000

Touching = Callable[[Iterable[str]], nx.MultiDiGraph]


def _info(ix: GraphIndex) -> dict[str, tuple[str, int | None, str | None]]:
    return {u: unit_info(ix, u) for u in ix.units}


def _signature(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return sorted((f.code, f.severity, f.key) for f in findings)


@dataclass
class AnalysisState:
    """The whole-graph analysis of one date and configuration, kept up to date (see the
    module docstring). ``report`` and ``analysis`` are replaced, never changed, by
    :meth:`advance`, so a caller may keep them."""

    G: nx.MultiDiGraph
    cfg: AnalyticsConfig
    day: str
    ix: GraphIndex
    network: nx.Graph
    structure: Structure
    rules: list[Finding]
    info: dict[str, tuple[str, int | None, str | None]]
    health: dict[str, UnitHealth]
    aggregates: dict[str, Aggregate]
    analysis: Analysis
    #: Unit -> (code, severity, key) of its findings at the last scoring.
    signatures: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    #: Relationships in ``G``, kept by :meth:`_patch` (counting a multigraph's edges walks
    #: every node: seconds at district scale).
    edges: int = 0
    #: What the last :meth:`advance` did (uids, refreshed entries, whether the structure
    #: was measured again) and its seconds per step.
    last: dict[str, Any] = field(default_factory=dict)

    @property
    def report(self) -> Report:
        return self.analysis.report

    # -- a fresh analysis --------------------------------------------------------------
    @classmethod
    def build(cls, G: nx.MultiDiGraph, *, as_of: str | None = None,
              config: AnalyticsConfig | None = None) -> AnalysisState:
        """Analyse ``G`` (kept and changed by :meth:`advance`: pass a graph of its own)."""
        cfg = config or AnalyticsConfig()
        day = as_of_or_today(as_of)
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        ix = GraphIndex.build(G, day)
        timings["index"] = time.perf_counter() - t0
        rules = rule_findings(ix, cfg, None, timings)
        t0 = time.perf_counter()
        H = coordination_network(ix, cfg)
        timings["network"] = time.perf_counter() - t0
        state = cls(G=G, cfg=cfg, day=day, ix=ix, network=H, structure=measure(H, cfg),
                    rules=rules, info=_info(ix), health={}, aggregates={},
                    analysis=None, edges=G.number_of_edges())  # type: ignore[arg-type]
        state._score(timings)
        return state

    # -- following a change ------------------------------------------------------------
    def advance(self, touching: Touching, changes: ChangeSet | None) -> bool:
        """Bring the analysis up to date with ``changes``, reading the graph around them
        with ``touching`` (``store.touching``). False (nothing done) when the change set is
        unknown or too large: analyse afresh then."""
        if changes is None or len(changes) > MAX_CHANGED:
            return False
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        keys = self._patch(touching(changes.uids), changes)
        timings["read_and_patch"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        ix = self.ix
        tree = {u: (u in ix.units, ix.parent.get(u)) for u in keys}
        ix.refresh(keys)
        reshaped_tree = any((u in ix.units, ix.parent.get(u)) != was for u, was in tree.items())
        timings["index"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        reshaped = self._rewire(keys)
        timings["network"] = time.perf_counter() - t0
        if reshaped:
            t0 = time.perf_counter()
            self.structure = measure(self.network, self.cfg)
            timings["structure"] = time.perf_counter() - t0
        self.rules = rule_findings(self.ix, self.cfg, None, timings)
        old_info = self.info
        self.info = _info(self.ix)
        self._score(timings, reshaped_tree, old_info)
        self.last = {"uids": len(changes), "entries": len(keys), "measured": reshaped,
                     "timings_s": {k: round(v, 4) for k, v in timings.items()}}
        return True

    def _patch(self, around: nx.MultiDiGraph, changes: ChangeSet) -> set[str]:
        """Replace the changed nodes and their relationships in ``G`` by what the store
        holds now; return the nodes whose index entries may differ (the one-hop rule)."""
        G = self.G
        keys = set(changes.uids)
        for x in changes.nodes:
            for side in (G, around):
                if x in side:
                    keys.update(side.pred[x])
                    keys.update(side.succ[x])
        for x in changes.uids:
            if x in G:
                # A set: a loop is both an out- and an in-edge.
                gone = {*G.out_edges(x, keys=True), *G.in_edges(x, keys=True)}
                G.remove_edges_from(gone)
                self.edges -= len(gone)
            if x not in around:
                if x in G:
                    G.remove_node(x)
                continue
            if x in G:
                attrs = G.nodes[x]
                attrs.clear()
                attrs.update(around.nodes[x])
            else:
                G.add_node(x, **around.nodes[x])
        for s, d, k, a in around.edges(keys=True, data=True):
            if s in keys or d in keys:
                for y in (s, d):
                    if y not in G:
                        G.add_node(y, **around.nodes[y])
                if not G.has_edge(s, d, key=k):
                    self.edges += 1
                G.add_edge(s, d, key=k, **a)
        return keys

    def _rewire(self, keys: set[str]) -> bool:
        """Recompute the network's nodes and edges at the persons and units among ``keys``;
        True when a node or an edge appeared or went."""
        H, ix, cfg = self.network, self.ix, self.cfg
        reshaped = False
        for x in sorted(keys):
            member = x in ix.G and in_network(ix, x)
            if not member:
                if x in H:
                    H.remove_node(x)
                    reshaped = True
                continue
            if x not in H:
                H.add_node(x, **node_attrs(ix, x))
                reshaped = True
            else:
                H.nodes[x].update(node_attrs(ix, x))
            links = network_links(ix, x, cfg)
            for y in [y for y in H.adj[x] if y not in links]:
                H.remove_edge(x, y)
                reshaped = True
            for y, ev in links.items():
                if y not in H:
                    H.add_node(y, **node_attrs(ix, y))
                    reshaped = True
                if not H.has_edge(x, y):
                    reshaped = True
                H.add_edge(x, y, **edge_attrs(ev, cfg))
        return reshaped

    def _score(self, timings: dict[str, float], reshaped_tree: bool = True,
               old_info: dict[str, tuple[str, int | None, str | None]] | None = None) -> None:
        """Structural findings, health, roll-up and the report. With ``old_info`` (an
        update) only units whose findings or row changed are scored again; with
        ``reshaped_tree`` False only their subtrees and ancestors' are combined again."""
        ix, cfg = self.ix, self.cfg
        t0 = time.perf_counter()
        structural = structural_result(ix, self.network, self.structure, cfg)
        timings["structural"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        found = self.rules + structural.findings
        grouped = by_unit(found)
        signatures = {u: _signature(grouped.get(u, [])) for u in self.info}
        if old_info is None:
            self.health = {}
            changed = set(self.info)
        else:
            for u in [u for u in self.health if u not in self.info]:
                del self.health[u]
            changed = {u for u in self.info if u not in self.health
                       or self.info[u] != old_info.get(u)
                       or signatures[u] != self.signatures.get(u)}
        for u in changed:
            self.health[u] = score_unit(u, self.info[u], grouped.get(u, ()), cfg)
        self.signatures = signatures
        order = ix.postorder()
        if reshaped_tree:
            self.aggregates = subtree_aggregates(ix.parent, order, self.health, cfg)
        elif changed:
            self._recombine(changed, order)
        health = self.health
        roll = weakest_subtrees(subtree_health(u, a, health)
                                for u, a in self.aggregates.items() if a.has_children)
        timings["health"] = time.perf_counter() - t0
        report = assemble(
            as_of=self.day, root=None, root_caption=None, cfg=cfg, findings=found,
            graph={"nodes": self.G.number_of_nodes(), "edges": self.edges,
                   "units_in_scope": len(ix.units)},
            network=structural.metrics, health=weakest_first(health.values()), roll=roll,
            timings=timings)
        self.analysis = Analysis(report, structural.network, structural.weak_edges,
                                 structural.single_points)

    def _recombine(self, changed: set[str], order: list[str]) -> None:
        """Combine again the subtrees of the changed units and of their ancestors, as
        :func:`graph.analytics.health.aggregates` would (children earlier in ``order``)."""
        ix, health, agg = self.ix, self.health, self.aggregates
        todo: set[str] = set()
        for u in changed:
            x: str | None = u
            while x is not None and x not in todo and x in health:
                todo.add(x)
                x = ix.parent.get(x)
        position = {u: i for i, u in enumerate(order)}
        for u in sorted(todo, key=position.__getitem__):
            below = [agg[c] for c in sorted(ix.children.get(u, ()))
                     if c in health and ix.parent.get(c) == u and position[c] < position[u]]
            agg[u] = combine(u, health[u], below, self.cfg)
