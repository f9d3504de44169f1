"""Incremental analytics: the report after a small write, brought up to date vs recomputed.

After each of ``--rounds`` small writes through the store -- a new duty record, a new
accountability decision, a new person, each a copy of a random existing one with its
relationships (``bench.incremental.clone``) -- the same process measures, side by side:

* ``incremental_s``: :func:`graph.analytics.report.analysis_state`, what the API's
  ``cached_report`` does for the whole graph: the store's change log since the last
  report, the graph around those uids (``store.touching``), and the state advanced;
* ``full_s``: :func:`graph.analytics.report.analyze_store`, the whole projection and the
  whole analysis -- what ``cached_report`` did before, and what the incremental result is
  checked against (``equal``: the reports are the same but for their seconds).

The store is the embedded one (a copy of the district snapshot of ``bench analytics``,
loaded once under ``bench/work/analytics-<scale>-<seed>/``), and/or with ``--stores
neo4j|both`` the server of the usual ``NEO4J_*`` settings, which must already hold the same
dataset (``dutygraph load bench/work/load-<scale>-<seed>``); the bench's writes stay there.
Example::

    .venv/bin/python -m bench incremental --scale district --rounds 6
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from graph.store.base import GraphStore, NodeRecord, RelRecord

#: The writes measured: the label of the node copied.
KINDS = {"record": "Record", "decision": "Accountability", "person": "Person"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", choices=("district", "city"), default="district")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=6, help="writes measured (each kind in turn)")
    parser.add_argument("--stores", choices=("embedded", "neo4j", "both"), default="embedded")


def clone(store: GraphStore, uid: str, new_id: str) -> int:
    """Write a copy of node ``uid`` under ``new_id`` with all its relationships; the number
    of relationships written."""
    rec = store.get_node(uid)
    assert rec is not None, uid
    copy = NodeRecord(rec.label, new_id, dict(rec.props))
    store.upsert_nodes([copy])
    rels = [RelRecord.make(n.type, copy.uid, n.node.uid, n.props) if n.direction == "out"
            else RelRecord.make(n.type, n.node.uid, copy.uid, n.props)
            for n in store.neighbours(uid)]
    return store.upsert_relationships(rels)


def _comparable(report: Any) -> dict[str, Any]:
    out: dict[str, Any] = report.model_dump(mode="json")
    out["metrics"].pop("timings_s")
    out["metrics"]["coordination_network"].pop("timings_s", None)
    return out


def _open(args: argparse.Namespace, backend: str) -> tuple[GraphStore, str]:
    from bench.analytics import snapshot

    home, data = snapshot(args.scale, args.seed)
    as_of = json.loads((Path(data) / ".manifest.json").read_text())["as_of"]
    if backend == "neo4j":
        from graph.settings import Settings
        from graph.store.neo4j import Neo4jStore

        return Neo4jStore.from_settings(Settings()), as_of
    from graph.store.embedded import EmbeddedStore

    # A copy of the snapshot, so that the bench's writes do not reach the one other
    # benchmarks reuse.
    work = Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    shutil.copytree(home, work / "home")
    return EmbeddedStore(work / "home"), as_of


def run(args: argparse.Namespace) -> dict[str, Any]:
    kinds = {"both": ("embedded", "neo4j")}.get(args.stores, (args.stores,))
    return {"scale": args.scale, "seed": args.seed,
            "stores": {k: measure(args, k) for k in kinds}}


def measure(args: argparse.Namespace, backend: str) -> dict[str, Any]:
    """The rounds on one backend."""
    from graph.analytics.config import AnalyticsConfig
    from graph.analytics.report import analysis_state, analyze_store

    store, as_of = _open(args, backend)
    cfg = AnalyticsConfig()
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    state = analysis_state(store, as_of=as_of, config=cfg)
    first_s = time.perf_counter() - t0
    G = state.G
    by_label: dict[str, list[str]] = {}
    for uid, a in G.nodes(data=True):
        by_label.setdefault(a["label"], []).append(uid)
    rounds = []
    kinds = list(KINDS)
    for i in range(args.rounds):
        kind = kinds[i % len(kinds)]
        source = rng.choice(sorted(by_label[KINDS[kind]]))
        rels = clone(store, source, f"BENCH-{args.seed}-{i}-{time.time_ns()}")
        t0 = time.perf_counter()
        state = analysis_state(store, as_of=as_of, config=cfg)
        incremental_s = time.perf_counter() - t0
        advanced = dict(state.last)
        t0 = time.perf_counter()
        full = analyze_store(store, as_of=as_of, config=cfg).report
        full_s = time.perf_counter() - t0
        rounds.append({
            "write": kind, "copied": source, "relationships": rels,
            "incremental_s": round(incremental_s, 3), "full_s": round(full_s, 3),
            "ratio_full_over_incremental": round(full_s / incremental_s, 1),
            "equal": _comparable(state.report) == _comparable(full),
            "changed_uids": advanced.get("uids"), "index_entries_refreshed":
                advanced.get("entries"), "structure_measured_again": advanced.get("measured"),
            "incremental_steps_s": advanced.get("timings_s")})
        print(json.dumps(rounds[-1], ensure_ascii=False), file=sys.stderr)
    inc = [r["incremental_s"] for r in rounds]
    full_times = [r["full_s"] for r in rounds]
    result = {
        "backend": backend, "server": store.server_info(), "as_of": as_of,
        "graph": state.report.metrics["graph"],
        "first_report_s": round(first_s, 2),
        "median_incremental_s": round(statistics.median(inc), 3),
        "median_full_s": round(statistics.median(full_times), 3),
        "ratio_full_over_incremental": round(statistics.median(full_times)
                                             / statistics.median(inc), 1),
        "all_equal": all(r["equal"] for r in rounds),
        "rounds": rounds,
    }
    store.close()
    return result
