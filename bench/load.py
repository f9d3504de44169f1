"""Load rate: ``dutygraph load`` against the server's own ceilings, in one run on one server.

Generates the dataset with the synthetic generator (``--scale district``, or ``city``)
into ``bench/work/`` (reused when already there), then, on the Neo4j server that
``ops/neo4j/neo4jctl`` runs (``NEO4J_CTL_HOME``/``NEO4J_CTL_PORT``, the one
``NEO4J_URI`` names), each from an empty, freshly started database
(:func:`bench.ceiling.fresh_database`):

* ``dutygraph load DIR --json`` in a child process (reading, validating, resolving and
  writing; its peak RSS via ``os.wait4``) -- the measured thing;
* (a) the same nodes and relationships written by plain batched Cypher (``UNWIND ...
  CREATE``, one transaction at a time, with only the ``Entity.uid`` uniqueness
  constraint; see :mod:`bench.ceiling`);
* (b) ``neo4j-admin database import full`` of the same rows, through ``neo4jctl import``:
  the import timed apart from the stop, the start and the constraints/indexes built after;
* ``dutygraph load --initial DIR --json`` (the product's way to use (b)) end to end;

and the embedded store (``--skip-embedded`` to leave it out). ``--rounds N`` repeats the
load and (a), alternating which goes first. Reported in ``bench/results/load.json``:
``dutygraph load`` as a fraction of (a) and (b) (``ratios``), server and client CPU
seconds, and the load average. Example::

    export NEO4J_CTL_HOME=/tmp/neo4j-bench NEO4J_CTL_PORT=17720 \
        NEO4J_CTL_HEAP=2g NEO4J_CTL_PAGECACHE=3g
    ops/neo4j/neo4jctl start && eval "$(ops/neo4j/neo4jctl env)"
    .venv/bin/python -m bench load --scale district --clear

``--clear`` is required when the database holds data: the benchmark replaces it.
For ``--scale city`` (2.1M nodes, 5.5M relationships, ~1.5 GB of store files) the server
needs a page cache that holds the store (3 GB as above) and the machine ~12 GB free
(server, the benchmark's own copy of the validated rows, and the child load).
``--dry-run-only`` measures the loader without a store write (read + validate + resolve):
the loader's own memory at city scale.
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
#: The issue's goal: dutygraph load at >= 0.8 of plain batched Cypher's rate.
GOAL_FRACTION_OF_PLAIN = 0.8


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", choices=("district", "city"), default="district")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clear", action="store_true",
                        help="replace the Neo4j database even if it holds data")
    parser.add_argument("--skip-neo4j", action="store_true", help="embedded store only")
    parser.add_argument("--skip-embedded", action="store_true", help="Neo4j only")
    parser.add_argument("--skip-import", action="store_true",
                        help="leave out (b) neo4j-admin import and load --initial")
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat dutygraph load and (a), alternating their order")
    parser.add_argument("--checksum", action="store_true",
                        help="compare the graph checksums of load and load --initial "
                             "(reads the whole graph: district, not city)")
    parser.add_argument("--dry-run-only", action="store_true",
                        help="validate only (no writes): loader speed and memory")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="DUTYGRAPH_BATCH_SIZE for the loads and for (a)")


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


def run_load(folder: Path, env: dict[str, str], *extra: str) -> dict[str, Any]:
    """``dutygraph load FOLDER --json [extra]`` in a child; report, wall time, peak RSS."""
    cmd = [sys.executable, "-c", "from api.cli import main; main()", "load", str(folder),
           "--json", *extra]
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


def run(args: argparse.Namespace) -> dict[str, Any]:
    """This run's measurements, kept next to earlier runs of other scales/modes.

    ``bench/results/load.json`` holds one entry per (scale, mode) under ``runs`` (each with
    its own time and load average), so a city dry run does not erase the district load.
    """
    key = f"{args.scale}{'-dry-run' if args.dry_run_only else ''}"
    load_before = [round(x, 2) for x in os.getloadavg()]
    this = _measure(args)
    this["timestamp"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    # Other work on the shared machine skews every figure: the load before and after.
    this["load_average_before"] = load_before
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
        "goals": {"neo4j_rows_per_s": GOAL_ROWS_PER_S, "peak_rss_mb": GOAL_PEAK_RSS >> 20,
                  "fraction_of_plain_cypher": GOAL_FRACTION_OF_PLAIN},
    }
    if args.dry_run_only:
        env = {k: v for k, v in base_env.items() if k != "NEO4J_URI"}
        with tempfile.TemporaryDirectory() as home:
            env["DUTYGRAPH_HOME"] = home
            result["dry_run"] = run_load(folder, env, "--dry-run")
        return result
    if not args.skip_neo4j:
        from bench.load_neo4j import measure_neo4j

        result.update(measure_neo4j(args, folder, manifest, base_env))
    if not args.skip_embedded:
        env = {k: v for k, v in base_env.items() if k != "NEO4J_URI"}
        with tempfile.TemporaryDirectory() as home:
            env["DUTYGRAPH_HOME"] = home
            result["embedded"] = run_load(folder, env)
    return result

