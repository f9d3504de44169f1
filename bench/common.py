"""What every benchmark shares: the machine it ran on, timing, percentiles, result files.

A benchmark is a module ``bench/<name>.py`` with ``run(args) -> dict`` and, optionally,
``add_arguments(parser)``; ``python -m bench <name>`` calls them and stores the returned
dict with :func:`write_result`.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


class Timer:
    """``with Timer() as t: ...`` then ``t.seconds`` (monotonic, high resolution)."""

    def __init__(self) -> None:
        self.start = 0.0
        self.seconds = 0.0

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.seconds = time.perf_counter() - self.start


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0-100) with linear interpolation, as numpy's default."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError("p must be within 0..100")
    xs = sorted(values)
    pos = (len(xs) - 1) * p / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def rate(rows: int, seconds: float) -> float:
    """Rows per second, rounded for reports."""
    return round(rows / seconds, 1) if seconds > 0 else float("inf")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def _git_commit() -> str | None:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ("-dirty" if dirty else "")


def machine_info(neo4j_version: str | None = None) -> dict[str, Any]:
    """CPU, cores, memory, OS, Python, Neo4j (when given) and the git commit."""
    mem = _memory_bytes()
    try:
        load: list[float] | None = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": round(mem / 2**30, 1) if mem else None,
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "neo4j": neo4j_version,
        "git_commit": _git_commit(),
        # Other work on the machine skews timings; the load average says how much.
        "load_average": load,
    }


def write_result(name: str, data: dict[str, Any], *, neo4j_version: str | None = None,
                 directory: Path | None = None) -> Path:
    """Store ``data`` as ``bench/results/<name>.json`` with a UTC timestamp and the machine."""
    out_dir = directory or RESULTS
    out_dir.mkdir(parents=True, exist_ok=True)
    doc = {
        "benchmark": name,
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_info(neo4j_version or data.get("neo4j_version")),
        "result": data,
    }
    path = out_dir / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    tmp.replace(path)
    return path
