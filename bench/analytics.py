"""Analytics: the full report (every finding, network metrics, health, roll-up) at district
and city scale, side by side with the naive approach, with time and peak memory.

The dataset comes from the synthetic generator (``bench/work/load-<scale>-<seed>``, shared
with ``bench load``) and is loaded once into an embedded store snapshot under
``bench/work/analytics-<scale>-<seed>/`` (reused). Each measurement runs in a child process,
so its peak RSS (``os.wait4``) is its own:

* ``report``: open the snapshot, take the projection (``store.to_networkx()``, a copy) and run
  :func:`graph.analytics.analyze` on it; reports each phase's seconds, the analysis' own
  timings, the betweenness method, recall of the planted weak links and precision per code.
* ``naive`` (district): exact betweenness (NetworkX Brandes) on the whole graph, undirected.
  It would take hours, so it runs from ``--naive-pivots`` sources and is extrapolated
  linearly to all n sources (Brandes' cost is the same for every source).

Goals: district report <= 10 s, city <= 120 s, peak RSS <= 8 GiB (city). Example::

    .venv/bin/python -m bench analytics --scale district
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT

WORK = ROOT / "bench" / "work"
GOALS = {"district": 10.0, "city": 120.0}
GOAL_PEAK_RSS = 8 << 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", choices=("district", "city", "both"), default="district")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--naive-pivots", type=int, default=8,
                        help="sources timed for the naive exact betweenness (extrapolated)")


def snapshot(scale: str, seed: int) -> tuple[Path, Path]:
    """(embedded store home, generated input dir): generated and loaded once."""
    from bench.load import dataset

    data, _ = dataset(scale, seed)
    home = WORK / f"analytics-{scale}-{seed}"
    if not (home / "graph.json").exists():
        from graph.store.embedded import EmbeddedStore
        from loaders import load_paths

        store = EmbeddedStore(home)
        report = load_paths(store, [data], progress=False)
        if not report.ok:
            raise SystemExit(f"load of {data} failed: {report.errors[:3]}")
        store.close()
    return home, data


def _child(kind: str, home: str, data: str, pivots: int, no_copy: bool = False) -> dict[str, Any]:
    """Runs inside the measured child process."""
    from graph.store.embedded import EmbeddedStore

    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    store = EmbeddedStore(Path(home))
    out["open_snapshot_s"] = round(time.perf_counter() - t0, 2)
    as_of = json.loads((Path(data) / ".manifest.json").read_text())["as_of"]
    if kind == "naive":
        import networkx as nx

        t0 = time.perf_counter()
        U: nx.Graph = nx.Graph(store.graph)
        out["undirected_copy_s"] = round(time.perf_counter() - t0, 2)
        n = U.number_of_nodes()
        t0 = time.perf_counter()
        c0 = time.process_time()
        nx.betweenness_centrality(U, k=pivots, seed=1)
        took = time.perf_counter() - t0
        cpu = time.process_time() - c0
        out.update(measured_cpu_s=round(cpu, 2),
                   extrapolated_exact_cpu_s=round(cpu / pivots * n, 0))
        out.update(nodes=n, edges=U.number_of_edges(), pivots=pivots,
                   measured_s=round(took, 2), per_source_s=round(took / pivots, 3),
                   extrapolated_exact_s=round(took / pivots * n, 0))
        return out
    from graph.analytics import analyze
    from graph.analytics.evaluate import score

    t0 = time.perf_counter()
    G = store.graph if no_copy else store.to_networkx()
    out["projection_s"] = round(time.perf_counter() - t0, 2)
    out["projection"] = "store.graph (read in place)" if no_copy else "store.to_networkx() copy"
    t0, c0 = time.perf_counter(), time.process_time()
    analysis = analyze(G, as_of=as_of)
    out["analyze_s"] = round(time.perf_counter() - t0, 2)
    # CPU seconds: what the wall time would be without other work competing for the cores.
    out["analyze_cpu_s"] = round(time.process_time() - c0, 2)
    r = analysis.report
    planted = json.loads((Path(data) / "planted.json").read_text(encoding="utf-8"))
    scores = score(planted, r.findings)
    out.update(
        graph=r.metrics["graph"], timings_s=r.metrics["timings_s"],
        network={k: v for k, v in r.metrics["coordination_network"].items()
                 if k not in ("betweenness_top", "k_core_histogram")},
        findings=len(r.findings), severity=r.severity_counts,
        planted=len(planted),
        recall=round(sum(s["recalled"] for s in scores.values()) / len(planted), 4),
        missed=[p for s in scores.values() for p in s["missed"]],
        per_code={c: {k: s[k] for k in ("planted", "found", "precision")}
                  for c, s in scores.items()},
        weakest_units=[(h.caption, h.score) for h in r.health[:5]])
    return out


def measure(kind: str, home: Path, data: Path, pivots: int = 0,
            no_copy: bool = False) -> dict[str, Any]:
    """Run one measurement in a child process; add its wall time and peak RSS."""
    code = ("import json, sys; from bench.analytics import _child; "
            "print(json.dumps(_child(*sys.argv[1:4], int(sys.argv[4]), sys.argv[5] == '1'), "
            "ensure_ascii=False))")
    t0 = time.perf_counter()
    argv = [sys.executable, "-c", code, kind, str(home), str(data), str(pivots),
            "1" if no_copy else "0"]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    text = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"{kind} measurement failed (status {status})")
    result: dict[str, Any] = json.loads(text.strip().splitlines()[-1])
    result["wall_s"] = round(wall, 2)
    result["peak_rss_gib"] = round(usage.ru_maxrss * 1024 / 2**30, 2)
    result["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 2)
    return result


def run(args: argparse.Namespace) -> dict[str, Any]:
    scales = ("district", "city") if args.scale == "both" else (args.scale,)
    out: dict[str, Any] = {"goals": {"report_s": GOALS, "peak_rss_gib": 8}}
    for scale in scales:
        t0 = time.perf_counter()
        home, data = snapshot(scale, args.seed)
        prep = round(time.perf_counter() - t0, 1)
        # At city scale the projection is read in place: a copy would double the memory.
        report = measure("report", home, data, no_copy=scale == "city")
        report["prepare_snapshot_s"] = prep
        report["meets_goal_cpu"] = (report["analyze_cpu_s"] <= GOALS[scale]
                                    and report["peak_rss_gib"] <= GOAL_PEAK_RSS / 2**30)
        report["meets_goal"] = (report["analyze_s"] <= GOALS[scale]
                                and report["peak_rss_gib"] <= GOAL_PEAK_RSS / 2**30)
        out[scale] = {"report": report}
        if scale == "district" and not args.skip_naive:
            naive = measure("naive", home, data, args.naive_pivots)
            naive["speedup_vs_report"] = round(naive["extrapolated_exact_s"]
                                               / report["analyze_s"], 0)
            out[scale]["naive_exact_betweenness_whole_graph"] = naive
        print(json.dumps({scale: out[scale]}, ensure_ascii=False)[:2000], file=sys.stderr)
    return out
