"""A/B: a benchmark run alternately on another checkout (before) and this one (after).

``python -m bench ab --before DIR [--rounds N] -- NAME [NAME's options]`` runs
``python -m bench --no-save NAME ...`` as a child process ``N`` times in each checkout,
alternating (before, after, before, after, …) so that a drift of the machine's load falls
on both sides alike, against the same database and data. Each child's JSON result is
reduced to its per-query latencies (every ``p50_ms``/``p95_ms`` found under ``queries``);
the result holds each round's numbers, the median over rounds per side, and the ratio
after/before per query (below 1: faster now). ``DIR`` is usually a ``git worktree`` of the
commit before a change, set up with ``scripts/setup``::

    git worktree add --detach ../before 9cd921e && (cd ../before && bash scripts/setup)
    python -m bench ab --before ../before --rounds 3 -- queries --scale district --skip-embedded

The machine and its load average before and after are recorded with the result;
``bench/results/ab.json`` keeps the last comparison of each benchmark.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.common import RESULTS, ROOT


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--before", type=Path, required=True,
                        help="the other checkout (its .venv is used when it has one)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("benchmark", nargs=argparse.REMAINDER,
                        help="-- NAME [options]: the benchmark and its options")


def _python(root: Path) -> str:
    own = root / ".venv" / "bin" / "python"
    return str(own) if own.exists() else sys.executable


def _child(root: Path, argv: list[str]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([_python(root), "-m", "bench", "--no-save", *argv], cwd=root,
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{root}: {' '.join(argv)} failed:\n{done.stderr[-3000:]}")
    out = done.stdout
    start = out.rfind("\n{\n")  # the result is printed last, indented JSON
    return dict(json.loads(out[start + 1:] if start >= 0 else out[out.index("{"):]))


def latencies(result: Any, path: str = "") -> dict[str, dict[str, float]]:
    """Every ``{"p50_ms", "p95_ms"}`` under a ``queries`` mapping, keyed by its path.

    >>> latencies({"scales": {"district": {"neo4j": {"queries": {"search": {
    ...     "p50_ms": 2.0, "p95_ms": 4.0}}}}}})
    {'scales.district.neo4j.search': {'p50_ms': 2.0, 'p95_ms': 4.0}}
    """
    found: dict[str, dict[str, float]] = {}
    if isinstance(result, dict):
        for key, value in result.items():
            here = f"{path}.{key}" if path else str(key)
            if key == "queries" and isinstance(value, dict):
                for name, q in value.items():
                    if isinstance(q, dict) and "p95_ms" in q:
                        found[f"{path}.{name}"] = {k: float(q[k]) for k in ("p50_ms", "p95_ms")
                                                   if k in q}
            else:
                found.update(latencies(value, here))
    return found


def run(args: argparse.Namespace) -> dict[str, Any]:
    argv = [a for a in args.benchmark if a != "--"]
    if not argv:
        raise SystemExit("name the benchmark after --, e.g. -- queries --scale district")
    sides = {"before": args.before.resolve(), "after": ROOT}
    rounds: dict[str, list[dict[str, dict[str, float]]]] = {"before": [], "after": []}
    load_start = os.getloadavg()
    for i in range(args.rounds):
        for side, root in sides.items():
            print(f"round {i + 1}/{args.rounds}: {side} ({root}) ...", flush=True)
            rounds[side].append(latencies(_child(root, argv)))
    load_end = os.getloadavg()
    summary: dict[str, Any] = {}
    names = sorted(set(rounds["before"][0]) & set(rounds["after"][0]))
    # A benchmark result may carry its checkout's stored figures of what this run did not
    # measure (another scale's last result): the same numbers in every round of a side.
    copied = [n for n in names
              if all(r.get(n) == rounds[side][0][n] for side in sides for r in rounds[side])]
    if copied and args.rounds > 1:
        print(f"not measured by this run (stored figures, left out): {', '.join(copied)}")
        names = [n for n in names if n not in copied]
    print(f"\n{'query':<45} {'before p95':>11} {'after p95':>10} {'ratio':>7}")
    for name in names:
        row: dict[str, Any] = {}
        for side in sides:
            for q in ("p50_ms", "p95_ms"):
                row[f"{side}_{q}"] = round(statistics.median(r[name][q] for r in rounds[side]
                                                             if name in r), 2)
        row["ratio_p95"] = round(row["after_p95_ms"] / row["before_p95_ms"], 3) \
            if row["before_p95_ms"] else None
        summary[name] = row
        print(f"{name:<45} {row['before_p95_ms']:>11} {row['after_p95_ms']:>10} "
              f"{row['ratio_p95']!s:>7}")
    entry = {"timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
             "benchmark": argv, "before": str(sides["before"]), "rounds": args.rounds,
             "load_average_start": [round(x, 2) for x in load_start],
             "load_average_end": [round(x, 2) for x in load_end],
             "summary": summary, "runs": rounds}
    # One file keeps the last comparison of each benchmark.
    try:
        previous = json.loads((RESULTS / "ab.json").read_text(encoding="utf-8"))["result"]
        comparisons = dict(previous.get("comparisons", {}))
    except (OSError, ValueError, KeyError):
        comparisons = {}
    comparisons[argv[0]] = entry
    return {"comparisons": dict(sorted(comparisons.items()))}
