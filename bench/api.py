"""HTTP API: p95 of the holders endpoint at 50 concurrent clients, and a mixed read workload.

The app runs under uvicorn in a subprocess on 127.0.0.1 against the Neo4j of
``NEO4J_URI``/``NEO4J_USERNAME``/``NEO4J_PASSWORD``; the load comes from this process (a
second process: :mod:`bench.loadgen`, raw asyncio HTTP/1.1 keep-alive connections, its own
CPU recorded), with a bearer token of a throw-away admin, so authentication and the audit
log are part of what is measured. The data is the district dataset of ``bench/queries.py``
(``--load`` CLEARS the database and loads it; use a server of your own)::

    NEO4J_CTL_HOME=/tmp/neo4j-bench ops/neo4j/neo4jctl start
    eval "$(NEO4J_CTL_HOME=/tmp/neo4j-bench ops/neo4j/neo4jctl env)"
    .venv/bin/python -m bench api --load

Each phase is bounded by ``--duration`` seconds and ``--max-requests`` requests:

* ``holders_closed``: ``--clients`` clients each sending the next request as soon as the
  last one answered (saturation: latency = clients / throughput);
* ``holders_paced``: the same clients with exponential think time (mean ``--think`` s), the
  way inspectors click; the offered rate is recorded -- the goal (p95 <= 30 ms at 50
  clients) is read against this one;
* ``mixed_closed``: a mix of holders, person, search, issue chain, case trace, open loops,
  neighbourhood and statistics requests, throughput and per-endpoint latency;
* ``mixed_paced``: the same mix with think time.

A/B: ``--variant NAME:key=value,...`` (repeatable; keys ``workers``, ``cache`` on/off,
``root`` = another checkout, e.g. a ``git worktree`` of an older commit) starts one server
per variant; every phase runs against each variant in turn, so they see the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from api.cache import STATS_EVERY
from bench.common import ROOT
from bench.loadgen import drive
from bench.queries import dataset, load_into, read_rows

GOAL_P95_MS = 30.0
#: Endpoint mix of the mixed workload (weights).
MIX = {"holders": 30, "person": 15, "search": 15, "issue_chain": 10, "case_trace": 5,
       "loops": 10, "neighbourhood": 10, "stats": 5}
PHASES = ("holders_closed", "holders_paced", "mixed_closed", "mixed_paced")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", choices=("district", "sample"), default="district")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--load", action="store_true",
                        help="CLEAR the Neo4j database and load the dataset into it")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per phase (cap)")
    parser.add_argument("--max-requests", type=int, default=20_000, help="requests per phase (cap)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time, paced phases")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--phases", default=",".join(PHASES),
                        help=f"comma-separated subset of {','.join(PHASES)}")
    parser.add_argument("--variant", action="append", default=[], metavar="NAME:K=V,...",
                        help="a server variant to compare (keys: workers, cache=on|off, "
                             "root=DIR); repeatable; default one variant from --workers")


@dataclass
class Variant:
    name: str
    workers: int = 1
    cache: str = "on"
    root: Path = ROOT
    port: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None


def parse_variant(spec: str, workers: int) -> Variant:
    name, _, rest = spec.partition(":")
    v = Variant(name=name, workers=workers)
    for item in filter(None, rest.split(",")):
        key, _, value = item.partition("=")
        if key == "workers":
            v.workers = int(value)
        elif key == "cache":
            v.cache = value
        elif key == "root":
            v.root = Path(value).resolve()
        else:
            raise SystemExit(f"unknown variant key {key!r} in {spec!r}")
    return v


# -- the server ------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(home: Path, v: Variant) -> subprocess.Popen[bytes]:
    # The server writes its cache counters into the home (clients are never told whether
    # an answer was reused: that would tell one user what another looked at).
    env = {**os.environ, "DUTYGRAPH_HOME": str(home), "DUTYGRAPH_API_CACHE": v.cache,
           "DUTYGRAPH_API_CACHE_STATS": "true"}
    cmd = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
           "--host", "127.0.0.1", "--port", str(v.port), "--workers", str(v.workers),
           "--log-level", "warning", "--no-access-log"]
    # cwd first on sys.path: ``root`` decides which checkout of the app is served.
    return subprocess.Popen(cmd, cwd=v.root, env=env, start_new_session=True)


def wait_ready(base: str, proc: subprocess.Popen[bytes], seconds: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not answer /health")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    import signal

    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def cache_hits(home: Path) -> int | None:
    """Response-cache hits so far over the server's worker processes (their counter files,
    ``api/cache.py``); None when the server writes none (cache off, an older checkout)."""
    import json

    files = sorted((home / "cache-stats").glob("*.json"))
    if not files:
        return None
    return sum(int(json.loads(f.read_text())["hits"]) for f in files)


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds (user + system) of the live processes of a process group (the server)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 of stat: the process group
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


# -- requests ----------------------------------------------------------------------------------
def request_pools(folder: Path, seed: int) -> dict[str, list[str]]:
    """URLs per endpoint, ids drawn (seeded) from the dataset."""
    rng = random.Random(seed)  # reproducible choices, not secrets
    units = read_rows(folder, "units")
    people = [r["id"] for r in read_rows(folder, "people")]
    issues = [r["id"] for r in read_rows(folder, "issues")]
    cases = [r["id"] for r in read_rows(folder, "cases")]
    unit_ids = [r["id"] for r in units]
    upper = [r["id"] for r in units if r["level"] in ("1", "2")] or unit_ids
    names = [r["name"] for r in units]
    n = 2000

    def pick(pool: list[str]) -> list[str]:
        return [rng.choice(pool) for _ in range(n)]

    return {
        "holders": [f"/api/units/unit:{u}/holders" for u in pick(unit_ids)],
        "person": [f"/api/people/person:{p}" for p in pick(people)],
        "search": [f"/api/search?q={quote(rng.choice(names)[:2])}&limit=20"
                   for _ in range(n)],
        "issue_chain": [f"/api/issues/issue:{i}/chain" for i in pick(issues)],
        "case_trace": [f"/api/cases/case:{c}/trace" for c in pick(cases)],
        "loops": [f"/api/loops?unit=unit:{u}&limit=50" for u in pick(upper)],
        "neighbourhood": [f"/api/graph/neighbourhood/unit:{u}?limit=200" for u in pick(upper)],
        "stats": [f"/api/stats/accountability?unit=unit:{u}" for u in pick(upper)],
    }


def chooser(pools: dict[str, list[str]], weights: dict[str, int], seed: int) -> Any:
    rng = random.Random(seed)  # reproducible mix, not secrets
    names = list(weights)
    cum = list(weights.values())
    counters = dict.fromkeys(names, 0)

    def choose() -> tuple[str, str]:
        name = rng.choices(names, weights=cum)[0]
        pool = pools[name]
        counters[name] += 1
        return name, pool[counters[name] % len(pool)]

    return choose


# -- the benchmark ---------------------------------------------------------------------------
def _summary(out: dict[str, Any]) -> str:
    return (f"{out.get('throughput_rps')} req/s (offered {out.get('offered_rps')})  "
            f"p50 {out.get('p50_ms')}  p95 {out.get('p95_ms')}  p99 {out.get('p99_ms')} ms  "
            f"errors {out['errors']}  hits {out['cache_hit_ratio']}  "
            f"loadgen {out['loadgen_cpu_pct_of_core']}% of a core  "
            f"server {out.get('server_cpu_pct_of_core')}%  load {out['load_average']}")


def run(args: argparse.Namespace) -> dict[str, Any]:
    from graph.settings import Settings
    from graph.store import open_store

    settings = Settings()
    if not settings.neo4j_uri:
        raise SystemExit("set NEO4J_URI (and NEO4J_PASSWORD) to the Neo4j to benchmark against")
    folder, _manifest = dataset(args.scale, args.seed)
    store = open_store(settings)
    try:
        loaded_s = load_into(store, folder) if args.load else None
        counts = store.counts()
        info: dict[str, Any] = store.server_info()
        neo4j_version = info.get("version")
    finally:
        store.close()
    print(f"dataset {args.scale}: {counts.total_nodes} nodes, {counts.total_relationships} "
          "relationships", flush=True)

    from api.security.users import Role, UserStore

    variants = [parse_variant(s, args.workers) for s in args.variant] or [
        Variant(name=f"workers{args.workers}", workers=args.workers)]
    phases = [p for p in args.phases.split(",") if p]
    result: dict[str, Any] = {
        "scale": args.scale, "seed": args.seed, "neo4j_version": neo4j_version,
        "nodes": counts.total_nodes, "relationships": counts.total_relationships,
        "load_seconds": None if loaded_s is None else round(loaded_s, 1),
        "goal_holders_p95_ms": GOAL_P95_MS, "clients": args.clients, "think_s": args.think,
        "bounds": {"duration_s": args.duration, "max_requests": args.max_requests},
        "load_generator": "bench.loadgen: asyncio HTTP/1.1, one keep-alive connection per "
                          "client, gzip accepted and not inflated",
        "variants": {},
    }
    pools = request_pools(folder, args.seed)
    holders_only = {"holders": 1}
    shapes = {"holders_closed": (holders_only, 0.0), "holders_paced": (holders_only, args.think),
              "mixed_closed": (MIX, 0.0), "mixed_paced": (MIX, args.think)}
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        try:
            for v in variants:
                home = Path(tmp) / v.name
                users = UserStore(home)
                users.add("bench", Role.admin, "bench-password-not-secret", ["*"])
                v.headers = {"Authorization": f"Bearer {users.issue_token('bench', 'bench')}"}
                v.port = free_port()
                v.proc = start_server(home, v)
                result["variants"][v.name] = {"workers": v.workers, "cache": v.cache,
                                              "root": str(v.root)}
            for v in variants:
                assert v.proc is not None
                wait_ready(f"http://127.0.0.1:{v.port}", v.proc)
            for phase in ["warmup", *phases]:
                weights, think = shapes.get(phase, (MIX, 0.0))
                # Every variant sees the same requests in the same order (same seeds).
                for v in variants:
                    assert v.proc is not None
                    cpu0 = group_cpu_seconds(v.proc.pid)
                    hits0 = cache_hits(Path(tmp) / v.name)
                    out = asyncio.run(drive(
                        "127.0.0.1", v.port, v.headers,
                        chooser(pools, weights, PHASES.index(phase) + 1 if phase in PHASES
                                else 7),
                        clients=args.clients,
                        duration=min(5.0, args.duration) if phase == "warmup" else args.duration,
                        max_requests=args.max_requests, think=think, seed=args.seed))
                    server_cpu = group_cpu_seconds(v.proc.pid) - cpu0
                    time.sleep(2 * STATS_EVERY)  # the workers' last counts reach their files
                    hits1 = cache_hits(Path(tmp) / v.name)
                    out["cache_hit_ratio"] = (
                        round((hits1 - (hits0 or 0)) / out["requests"], 3)
                        if hits1 is not None and out["requests"] else None)
                    out["server_cpu_s"] = round(server_cpu, 2)
                    out["server_cpu_pct_of_core"] = round(100 * server_cpu / out["seconds"], 1)
                    out["server_cpu_ms_per_request"] = (
                        round(1000 * server_cpu / out["requests"], 2) if out["requests"] else None)
                    out["load_average"] = [round(x, 2) for x in os.getloadavg()]
                    print(f"{phase:15} {v.name:10} {_summary(out)}", flush=True)
                    if phase != "warmup":
                        result["variants"][v.name][phase] = out
        finally:
            for v in variants:
                if v.proc is not None:
                    stop_server(v.proc)
    for name, data in result["variants"].items():
        paced = data.get("holders_paced", {}).get("p95_ms")
        data["holders_goal_met"] = paced is not None and paced <= GOAL_P95_MS
        print(f"{name}: holders paced p95 {paced} ms (offered "
              f"{data.get('holders_paced', {}).get('offered_rps')} req/s) -> goal "
              f"{'PASS' if data['holders_goal_met'] else 'FAIL'} (<= {GOAL_P95_MS} ms)")
    return result
