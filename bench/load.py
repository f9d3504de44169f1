"""Load rate: ``dutygraph load`` of a generated dataset into Neo4j and the embedded store.

Generates the dataset with the synthetic generator (``--scale district``, or ``city``)
into ``bench/work/`` (reused when already there), then runs the real command,
``dutygraph load DIR --json``, once per target in a child process, so each measurement
includes reading, validating, resolving and writing, and the peak RSS is that load's alone
(``os.wait4``). Reported: input rows/s (end to end and per phase), records (nodes +
relationships) per second, peak RSS.

Neo4j is the server of ``NEO4J_URI``/``NEO4J_USERNAME``/``NEO4J_PASSWORD``/
``NEO4J_DATABASE``. The load needs an empty database: the benchmark refuses a non-empty
one unless ``--clear`` is given (then it deletes everything in it first). Example::

    NEO4J_CTL_HOME=/tmp/neo4j-bench ops/neo4j/neo4jctl start
    eval "$(NEO4J_CTL_HOME=/tmp/neo4j-bench ops/neo4j/neo4jctl env)"
    .venv/bin/python -m bench load --scale district --clear

``--dry-run-only`` measures the loader without a store write (read + validate + resolve):
the loader's own memory at city scale.

For ``--scale city`` (2.1M nodes, 5.5M relationships, ~1.5 GB of store files) give the
server a page cache that holds the store, e.g.::

    NEO4J_CTL_HEAP=2g NEO4J_CTL_PAGECACHE=3g NEO4J_CTL_HOME=/tmp/neo4j-bench \
        ops/neo4j/neo4jctl start
    .venv/bin/python -m bench load --scale city --clear --skip-embedded
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import RESULTS, ROOT, rate

WORK = ROOT / "bench" / "work"
GOAL_ROWS_PER_S = 30_000
GOAL_PEAK_RSS = 4 << 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", choices=("district", "city"), default="district")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clear", action="store_true",
                        help="delete everything in the Neo4j database first")
    parser.add_argument("--skip-neo4j", action="store_true", help="embedded store only")
    parser.add_argument("--skip-embedded", action="store_true", help="Neo4j only")
    parser.add_argument("--dry-run-only", action="store_true",
                        help="validate only (no writes): loader speed and memory")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="DUTYGRAPH_BATCH_SIZE for the loads")


def dataset(scale: str, seed: int) -> tuple[Path, dict[str, Any]]:
    """The generated input folder and its manifest (generated once, then reused)."""
    out = WORK / f"load-{scale}-{seed}"
    manifest = out / ".manifest.json"
    if not manifest.exists():
        from loaders.synthetic import generate

        t0 = time.perf_counter()
        generate(out, scale, seed)
        print(f"generated {out} in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    return out, json.loads(manifest.read_text(encoding="utf-8"))


def _run_load(folder: Path, env: dict[str, str], dry_run: bool) -> dict[str, Any]:
    """``dutygraph load FOLDER --json`` in a child; its report, wall time and peak RSS."""
    cmd = [sys.executable, "-c", "from api.cli import main; main()", "load", str(folder), "--json"]
    if dry_run:
        cmd.append("--dry-run")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"load failed ({proc.returncode}):\n{stderr[-3000:]}\n{stdout[-3000:]}")
    report = json.loads(stdout)
    records = sum(report["nodes"].values()) + sum(report["relationships"].values())
    rows = report["total_rows"]
    seconds = report["seconds"]
    return {
        "rows": rows,
        "records_written": records,
        "seconds": seconds,
        "wall_seconds": round(wall, 2),
        "rows_per_s": rate(rows, seconds["total"]),
        "rows_per_s_wall": rate(rows, wall),
        "records_per_s": rate(records, seconds["total"]) if records else None,
        "validate_rows_per_s": rate(rows, seconds["read"] + seconds["resolve"]),
        "write_records_per_s": rate(records, seconds["write"]) if "write" in seconds else None,
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # ru_maxrss is in KiB on Linux
        # The loader's own CPU time: far below the wall time means it waited on the store.
        "loader_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "errors": report["error_count"],
    }


def _neo4j_prepare(clear: bool) -> str:
    from graph.settings import Settings
    from graph.store.neo4j import Neo4jStore

    store = Neo4jStore.from_settings(Settings())
    try:
        store.ensure_schema()
        total = store.counts().total_nodes
        if total and not clear:
            raise SystemExit(f"the Neo4j database holds {total} nodes: use --clear to empty it")
        if total:
            store.clear()
        return store.server_info().get("version", "")
    finally:
        store.close()


def run(args: argparse.Namespace) -> dict[str, Any]:
    """This run's measurements, kept next to earlier runs of other scales/modes.

    ``bench/results/load.json`` holds one entry per (scale, mode) under ``runs`` (each with
    its own time and load average), so a city dry run does not erase the district load.
    """
    key = f"{args.scale}{'-dry-run' if args.dry_run_only else ''}"
    this = _measure(args)
    this["timestamp"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    this["load_average"] = [round(x, 2) for x in os.getloadavg()]
    runs: dict[str, Any] = {}
    previous = RESULTS / "load.json"
    if previous.exists():
        runs = json.loads(previous.read_text(encoding="utf-8")).get("result", {}).get("runs", {})
    runs[key] = this
    out: dict[str, Any] = {"latest": key, "runs": dict(sorted(runs.items()))}
    if "neo4j_version" in this:
        out["neo4j_version"] = this["neo4j_version"]
    return out


def _measure(args: argparse.Namespace) -> dict[str, Any]:
    folder, manifest = dataset(args.scale, args.seed)
    base_env = dict(os.environ)
    if args.batch_size:
        base_env["DUTYGRAPH_BATCH_SIZE"] = str(args.batch_size)
    result: dict[str, Any] = {
        "scale": args.scale, "seed": args.seed,
        "dataset": {"nodes": manifest["nodes"], "relationships": manifest["relationships"],
                    "rows": sum(manifest["rows"].values())},
        "batch_size": int(base_env.get("DUTYGRAPH_BATCH_SIZE", "5000")),
        "goals": {"neo4j_rows_per_s": GOAL_ROWS_PER_S, "peak_rss_mb": GOAL_PEAK_RSS >> 20},
    }
    if args.dry_run_only:
        env = {k: v for k, v in base_env.items() if k != "NEO4J_URI"}
        with tempfile.TemporaryDirectory() as home:
            env["DUTYGRAPH_HOME"] = home
            result["dry_run"] = _run_load(folder, env, dry_run=True)
        return result
    if not args.skip_neo4j:
        if not base_env.get("NEO4J_URI"):
            raise SystemExit("set NEO4J_URI (see the module docstring) or use --skip-neo4j")
        result["neo4j_version"] = _neo4j_prepare(args.clear)
        neo = _run_load(folder, base_env, dry_run=False)
        neo["meets_goal"] = neo["rows_per_s"] >= GOAL_ROWS_PER_S
        result["neo4j"] = neo
    if not args.skip_embedded:
        env = {k: v for k, v in base_env.items() if k != "NEO4J_URI"}
        with tempfile.TemporaryDirectory() as home:
            env["DUTYGRAPH_HOME"] = home
            result["embedded"] = _run_load(folder, env, dry_run=False)
    return result
