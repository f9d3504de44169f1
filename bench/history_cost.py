"""What provenance and the load history cost: ``dutygraph load`` into Neo4j, A/B against a
checkout from before them, in one run on one server (issue #16: at most 25% of the load
rate, at most 30% more store size).

``python -m bench history_cost --before DIR [--rounds N] [--scale district]`` generates the
dataset with the *before* checkout's generator (``bench/work/history-<scale>-<seed>``, reused
when there; both checkouts load it: the older schema is a subset of the newer, and the
cells a newer rule refuses -- an accountability ``form`` on an organisation -- are blanked
first, found by a dry run of the after checkout), then for
each round and side, alternating which side goes first (before, after, after, before, …) so
that a drift of the machine's load falls on both alike, on the Neo4j server of
``NEO4J_CTL_HOME``/``NEO4J_CTL_PORT`` (``NEO4J_URI`` names it):

* an empty, freshly started database (:func:`bench.ceiling.fresh_database`), the side's
  schema made by the side's own code (``ensure_schema``, as in production);
* ``dutygraph load DIR --json`` of the side's checkout in a child process (its ``.venv``,
  ``PYTHONPATH`` = the checkout): the rate is the report's rows over its ``seconds.total``;
* the nodes and relationships counted on the server (both sides must write the same);
* the store size: with the server stopped (a clean shutdown checkpoints; Community Edition
  has no ``db.checkpoint()``), the bytes of the database's store files
  (``data/databases/<db>``, what the graph and the history occupy) and, apart, of its
  transaction logs (``data/transactions/<db>``, rotated and pruned by the server's policy).

Reported in ``bench/results/history_cost.json``: every round, the median per side, and
``rate_cost`` (1 - after/before rows per second) and ``size_growth`` (after/before - 1 of the
store files) against the goals. Example::

    export NEO4J_CTL_HOME=/work/neo4j/NAME NEO4J_CTL_PORT=PORT
    ops/neo4j/neo4jctl start && eval "$(ops/neo4j/neo4jctl env)"
    .venv/bin/python -m bench history_cost --before ../base --rounds 2 --clear
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.ab import _python
from bench.ceiling import fresh_database
from bench.common import ROOT, rate
from bench.load import WORK
from bench.load_neo4j import _server
from graph.store.neo4j import Neo4jStore
from graph.store.neo4j_ctl import ManagedNeo4j

#: The issue's goals.
GOAL_RATE_COST = 0.25
GOAL_SIZE_GROWTH = 0.30

_ENSURE_SCHEMA = ("from graph.settings import Settings; from graph.store.neo4j import "
                  "Neo4jStore; s = Neo4jStore.from_settings(Settings()); s.ensure_schema(); "
                  "s.close()")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--before", type=Path, required=True,
                        help="the checkout from before provenance and history")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--scale", choices=("district", "city"), default="district")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clear", action="store_true",
                        help="replace the Neo4j database even if it holds data")


def _env(root: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(root), "DUTYGRAPH_HOME": str(WORK / "home")}


def _dataset(before: Path, scale: str, seed: int) -> tuple[Path, dict[str, Any]]:
    out = WORK / f"history-{scale}-{seed}"
    manifest = out / ".manifest.json"
    if not manifest.exists():
        code = (f"from pathlib import Path; from loaders.synthetic import generate; "
                f"generate(Path({str(out)!r}), {scale!r}, {seed})")
        subprocess.run([_python(before), "-c", code], cwd=before, env=_env(before), check=True)
    return out, json.loads(manifest.read_text(encoding="utf-8"))


#: Rules the after checkout added that the before checkout's generator does not follow: the
#: cells they refuse are blanked in the dataset, so that both sides load the same rows.
_NEWER_RULES = {"FORM_ON_ORGANISATION"}


def _compatible(root: Path, folder: Path) -> int:
    """Blank the cells that ``root``'s loader refuses by :data:`_NEWER_RULES` (a dry run
    finds them); any other error stops the benchmark. Returns the cells blanked."""
    done = subprocess.run([_python(root), "-c", "from api.cli import main; main()", "load",
                           str(folder), "--dry-run", "--json"], cwd=root, env=_env(root),
                          capture_output=True, text=True, check=False)
    report = json.loads(done.stdout)
    other = [e for e in report["errors"] if e["code"] not in _NEWER_RULES]
    if other or report["truncated"]:
        raise SystemExit(f"{root} refuses the dataset: {other[:3]}")
    cells: dict[Path, list[tuple[int, str]]] = {}
    for e in report["errors"]:
        cells.setdefault(Path(e["file"]), []).append((e["row"], e["column"]))
    for path, where in cells.items():
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        for row, column in where:
            rows[row - 1][rows[0].index(column)] = ""
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
    return sum(len(w) for w in cells.values())


def _load(root: Path, folder: Path) -> dict[str, Any]:
    """``dutygraph load FOLDER --json`` of checkout ``root`` in a child."""
    t0 = time.perf_counter()
    done = subprocess.run([_python(root), "-c", "from api.cli import main; main()", "load",
                           str(folder), "--json"], cwd=root, env=_env(root),
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{root}: load failed ({done.returncode}):\n{done.stderr[-3000:]}")
    report = json.loads(done.stdout)
    rows, seconds = report["total_rows"], report["seconds"]
    return {"rows": rows, "seconds": seconds, "wall_seconds": round(wall, 2),
            "rows_per_s": rate(rows, seconds["total"]),
            "write_seconds": seconds.get("write"), "errors": report["error_count"],
            "change": report.get("change")}


def _bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _size(server: ManagedNeo4j, database: str) -> dict[str, int]:
    """The database's bytes on disk, measured with the server stopped (a clean shutdown
    checkpoints: everything written is in the store files)."""
    server.stop()
    try:
        home = server.home
        return {"store_bytes": _bytes(home / "data" / "databases" / database),
                "transaction_log_bytes": _bytes(home / "data" / "transactions" / database)}
    finally:
        server.start()


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(r[key] for r in runs))


def run(args: argparse.Namespace) -> dict[str, Any]:
    sides = {"before": args.before.resolve(), "after": ROOT}
    folder, manifest = _dataset(sides["before"], args.scale, args.seed)
    blanked = _compatible(sides["after"], folder)
    env = dict(os.environ)
    server, settings = _server(env)
    server.start()
    store = Neo4jStore.from_settings(settings)
    load_start = [round(x, 2) for x in os.getloadavg()]
    runs: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    try:
        held = store.stored_nodes()
        if held and not args.clear:
            raise SystemExit(f"the Neo4j database holds {held} nodes: --clear replaces it")
        version = store.server_info().get("version", "")
        for i in range(args.rounds):
            order = ("before", "after") if i % 2 == 0 else ("after", "before")
            for side in order:
                root = sides[side]
                fresh_database(server)
                subprocess.run([_python(root), "-c", _ENSURE_SCHEMA], cwd=root,
                               env=_env(root), check=True)
                this = _load(root, folder)
                counts = store.counts()
                this["nodes"], this["relationships"] = (counts.total_nodes,
                                                        counts.total_relationships)
                if (this["nodes"], this["relationships"]) != (manifest["nodes"],
                                                              manifest["relationships"]):
                    raise SystemExit(f"{side} wrote {this['nodes']} nodes and "
                                     f"{this['relationships']} relationships; the dataset "
                                     f"has {manifest['nodes']} and {manifest['relationships']}")
                print(f"round {i + 1} {side}: loaded", flush=True)
                this.update(_size(server, settings.neo4j_database))
                this["round"] = i + 1
                runs[side].append(this)
                print(f"round {i + 1} {side}: {this['rows_per_s']} rows/s "
                      f"({this['seconds']['total']} s), store {this['store_bytes']} B, "
                      f"logs {this['transaction_log_bytes']} B", flush=True)
    finally:
        store.close()
    summary: dict[str, Any] = {}
    for side in sides:
        summary[side] = {k: _median(runs[side], k) for k in
                         ("rows_per_s", "store_bytes", "transaction_log_bytes")}
    rate_cost = 1 - summary["after"]["rows_per_s"] / summary["before"]["rows_per_s"]
    growth = summary["after"]["store_bytes"] / summary["before"]["store_bytes"] - 1
    logs = (summary["after"]["transaction_log_bytes"]
            / summary["before"]["transaction_log_bytes"] - 1)
    summary.update({
        "rate_cost": round(rate_cost, 3), "size_growth": round(growth, 3),
        "transaction_log_growth": round(logs, 3),
        "goals": {"rate_cost_at_most": GOAL_RATE_COST, "size_growth_at_most": GOAL_SIZE_GROWTH},
        "meets_rate_goal": rate_cost <= GOAL_RATE_COST,
        "meets_size_goal": growth <= GOAL_SIZE_GROWTH})
    print(json.dumps({k: summary[k] for k in ("before", "after", "rate_cost", "size_growth",
                                              "transaction_log_growth")}, indent=1))
    return {"scale": args.scale, "seed": args.seed, "neo4j_version": version,
            "dataset": {"nodes": manifest["nodes"], "relationships": manifest["relationships"],
                        "rows": sum(manifest["rows"].values())},
            "cells_blanked_for_newer_rules": blanked,
            "before": str(sides["before"]), "rounds": args.rounds,
            "load_average_start": load_start,
            "load_average_end": [round(x, 2) for x in os.getloadavg()],
            "summary": summary, "runs": runs}
