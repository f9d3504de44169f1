"""Partitioned analytics: single process vs the index per subtree partition on Dask workers.

On the district snapshot of ``bench analytics`` (embedded store, loaded once under
``bench/work/analytics-<scale>-<seed>/``), in one run:

* ``single``: :func:`graph.analytics.report.analyze_store` in this process -- seconds, and
  this process's peak RSS right after it;
* ``partitioned``: :func:`graph.analytics.partitioned.analyze_partitioned` on a local Dask
  cluster of ``--workers`` single-threaded processes (started beforehand, its start timed
  apart) -- seconds, each worker's peak RSS, the partition sizes, and ``equal``: the
  report is the single-process one but for its seconds.

Example::

    .venv/bin/python -m bench partitioned --scale district --workers 2
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", choices=("district", "city"), default="district")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)


def _peak_rss_gib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)


def _comparable(report: Any) -> dict[str, Any]:
    out: dict[str, Any] = report.model_dump(mode="json")
    out["metrics"].pop("timings_s")
    out["metrics"].pop("partitions", None)
    out["metrics"]["coordination_network"].pop("timings_s", None)
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    from bench.analytics import snapshot
    from graph.analytics.partitioned import analyze_partitioned, dask_client
    from graph.analytics.report import analyze_store
    from graph.store.embedded import EmbeddedStore

    home, data = snapshot(args.scale, args.seed)
    as_of = json.loads((Path(data) / ".manifest.json").read_text())["as_of"]
    store = EmbeddedStore(home)
    t0 = time.perf_counter()
    single = analyze_store(store, as_of=as_of).report
    single_s = time.perf_counter() - t0
    single_rss = _peak_rss_gib()
    print(f"single: {single_s:.1f} s", file=sys.stderr)
    t0 = time.perf_counter()
    with dask_client(args.workers) as client:
        start_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        split = analyze_partitioned(store, client, as_of=as_of).report
        split_s = time.perf_counter() - t0
        workers = client.run(_peak_rss_gib)
    out = {
        "scale": args.scale, "seed": args.seed, "as_of": as_of,
        "graph": single.metrics["graph"],
        "single": {"seconds": round(single_s, 2), "timings_s": single.metrics["timings_s"],
                   "peak_rss_gib": single_rss},
        "partitioned": {
            "workers": args.workers, "cluster_start_s": round(start_s, 2),
            "seconds": round(split_s, 2), "timings_s": split.metrics["timings_s"],
            "partition_nodes": split.metrics["partitions"],
            "worker_peak_rss_gib": sorted(workers.values()),
            "driver_peak_rss_gib": _peak_rss_gib()},
        "speedup": round(single_s / split_s, 2),
        "equal": _comparable(single) == _comparable(split),
    }
    print(json.dumps(out, ensure_ascii=False), file=sys.stderr)
    return out
