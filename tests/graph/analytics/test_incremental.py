"""Incremental analysis equals a full re-analysis after random small changes.

The oracle is the product's own :func:`graph.analytics.report.analyze` of the store's
projection after the change. The changes are random writes through the store (both
backends: new nodes cloned from existing ones with some of their relationships, properties
copied from another node or relationship of the same kind, relationships re-pointed at
another node of the same label), and on the embedded store's graph also removals, which
no store write makes (the change set is then built by hand, as the module allows).
"""

from __future__ import annotations

import random
from typing import Any

import networkx as nx
import pytest

from graph.analytics.config import AnalyticsConfig
from graph.analytics.incremental import AnalysisState
from graph.analytics.report import Report, analysis_state, analyze, cached_report
from graph.history.facts import PROVENANCE
from graph.store.base import GraphStore, NodeRecord, RelRecord
from graph.store.changes import ChangeSet
from graph.store.embedded import EmbeddedStore
from loaders.pipeline import load_sample

AS_OF = "2026-12-01"
#: Sampled betweenness (as at district and city scale), so that each step takes a fraction
#: of the exact computation's seconds on the sample; the pivots are drawn from the sorted
#: nodes, so both analyses draw the same ones.
SAMPLED = AnalyticsConfig(exact_betweenness_max_nodes=0, betweenness_k=32)
#: Labels whose nodes a random change clones or edits.
LABELS = ("Unit", "Person", "Issue", "Case", "Accountability", "Referral", "Record", "Project",
          "Inspection", "Duty")


def comparable(report: Report) -> dict[str, Any]:
    """The report without its seconds (the only part allowed to differ)."""
    out = report.model_dump(mode="json")
    out["metrics"].pop("timings_s")
    out["metrics"]["coordination_network"].pop("timings_s", None)
    return out


def _node(G: nx.MultiDiGraph, uid: str, **changes: Any) -> NodeRecord:
    a = G.nodes[uid]
    props = {k: v for k, v in a.items() if k not in ("label", "id", *PROVENANCE)}
    props.update(changes)
    return NodeRecord(a["label"], a["id"], {k: v for k, v in props.items() if v is not None})


def _rel(s: str, d: str, a: dict[str, Any], **changes: Any) -> RelRecord:
    props = {k: v for k, v in a.items() if k != "type" and k not in PROVENANCE}
    props.update(changes)
    return RelRecord.make(a["type"], s, d, {k: v for k, v in props.items() if v is not None})


def random_writes(store: GraphStore, rng: random.Random, step: int) -> None:
    """One to three random small writes through the store."""
    G = store.to_networkx()
    by_label: dict[str, list[str]] = {}
    for uid, a in G.nodes(data=True):
        by_label.setdefault(a["label"], []).append(uid)
    for label in by_label:
        by_label[label].sort()
    edges = sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    for n in range(rng.randint(1, 3)):
        what = rng.choice(("clone", "edit", "edit_rel", "repoint"))
        if what == "clone":
            x = rng.choice(by_label[rng.choice([lb for lb in LABELS if lb in by_label])])
            a = G.nodes[x]
            rec = NodeRecord(a["label"], f"{a['id']}-x{step}-{n}", _node(G, x).props)
            store.upsert_nodes([rec])
            rels = [_rel(rec.uid, d, ea) for _, d, ea in G.out_edges(x, data=True)]
            rels += [_rel(s, rec.uid, ea) for s, _, ea in G.in_edges(x, data=True)]
            store.upsert_relationships([r for r in rels if rng.random() < 0.7])
        elif what == "edit":
            x = rng.choice(by_label[rng.choice([lb for lb in LABELS if lb in by_label])])
            a = G.nodes[x]
            other = G.nodes[rng.choice(by_label[a["label"]])]
            keys = sorted((set(a) | set(other)) - {"label", "id", "name", "title", *PROVENANCE})
            if keys:
                k = rng.choice(keys)
                store.upsert_nodes([_node(G, x, **{k: other.get(k)})])
        elif what == "edit_rel":
            s, d, _, a = rng.choice(edges)
            same = [e for e in edges if e[3]["type"] == a["type"]]
            _, _, _, b = rng.choice(same)
            keys = sorted((set(a) | set(b)) - {"type", *PROVENANCE})
            if keys:
                k = rng.choice(keys)
                store.upsert_relationships([_rel(s, d, a, **{k: b.get(k)})])
        else:
            s, d, _, a = rng.choice(edges)
            d2 = rng.choice(by_label[G.nodes[d]["label"]])
            if d2 != s:
                store.upsert_relationships([_rel(s, d2, a)])


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_equals_full_after_random_writes(store: GraphStore, seed: int) -> None:
    load_sample(store, progress=False)
    rng = random.Random(seed)
    state = AnalysisState.build(store.to_networkx(), as_of=AS_OF, config=SAMPLED)
    full = analyze(store.to_networkx(), as_of=AS_OF, config=SAMPLED).report
    assert comparable(state.report) == comparable(full)
    for step in range(8):
        version = store.data_version()
        random_writes(store, rng, step)
        changes = store.changes_since(version)
        assert changes is not None and 0 < len(changes) <= 30
        assert state.advance(store.touching, changes)
        full = analyze(store.to_networkx(), as_of=AS_OF, config=SAMPLED).report
        assert comparable(state.report) == comparable(full), (seed, step, state.last)


def test_cached_report_follows_a_write(store: GraphStore) -> None:
    load_sample(store, progress=False)
    first = cached_report(store, as_of=AS_OF)
    state = analysis_state(store, as_of=AS_OF)
    assert state.report is first
    random_writes(store, random.Random(7), 0)
    after = cached_report(store, as_of=AS_OF)
    # The same state, advanced (not analysed afresh), equal to a full analysis.
    assert analysis_state(store, as_of=AS_OF) is state and state.last["uids"] > 0
    assert after is state.report and after is not first
    assert comparable(after) == comparable(analyze(store.to_networkx(), as_of=AS_OF).report)


def test_unknown_changes_mean_a_fresh_analysis(store: GraphStore) -> None:
    load_sample(store, progress=False)
    state = analysis_state(store, as_of=AS_OF)
    assert not state.advance(store.touching, None)
    assert store.changes_since("no such version") is None
    store.clear()
    assert store.changes_since(store.data_version()) is not None
    fresh = analysis_state(store, as_of=AS_OF)
    assert fresh is not state and fresh.report.metrics["graph"]["nodes"] == 0


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_removals_on_the_embedded_graph(seed: int) -> None:
    store = EmbeddedStore(None)
    load_sample(store, progress=False)
    rng = random.Random(seed)
    state = AnalysisState.build(store.to_networkx(), as_of=AS_OF, config=SAMPLED)
    g = store.graph
    for _ in range(6):
        nodes: set[str] = set()
        ends: set[str] = set()
        for _ in range(rng.randint(1, 4)):
            if rng.random() < 0.5:
                x = rng.choice(sorted(g))
                ends.update(g.pred[x])
                ends.update(g.succ[x])
                g.remove_node(x)
                nodes.add(x)
            else:
                s, d, k = rng.choice(sorted(g.edges(keys=True)))
                g.remove_edge(s, d, key=k)
                ends.update((s, d))
        assert state.advance(store.touching, ChangeSet(frozenset(nodes), frozenset(ends)))
        full = analyze(store.to_networkx(), as_of=AS_OF, config=SAMPLED).report
        assert comparable(state.report) == comparable(full), (seed, state.last)
