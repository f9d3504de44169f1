"""HTTP API: p95 of the holders endpoint at 50 concurrent clients, and a mixed read workload.

The app runs under uvicorn in a subprocess on 127.0.0.1 against the Neo4j of
``NEO4J_URI``/``NEO4J_USERNAME``/``NEO4J_PASSWORD``; the load comes from this process
(asyncio + httpx, a second process), with a bearer token of a throw-away admin, so
authentication and the audit log are part of what is measured. The data is the district
dataset of ``bench/queries.py`` (``--load`` CLEARS the database and loads it; use a server
of your own)::

    NEO4J_CTL_HOME=/tmp/neo4j-bench ops/neo4j/neo4jctl start
    eval "$(NEO4J_CTL_HOME=/tmp/neo4j-bench ops/neo4j/neo4jctl env)"
    .venv/bin/python -m bench api --load

Each phase is bounded by ``--duration`` seconds and ``--max-requests`` requests:

* ``holders_closed``: ``--clients`` clients each sending the next request as soon as the
  last one answered (saturation: latency = clients / throughput);
* ``holders_paced``: the same clients with exponential think time (mean ``--think`` s), the
  way inspectors click — the goal (p95 ≤ 30 ms at 50 clients) is read against this one;
* ``mixed_closed``: a mix of holders, person, search, issue chain, case trace, open loops,
  neighbourhood and statistics requests, throughput and per-endpoint latency.
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
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.common import ROOT, percentile
from bench.queries import dataset, load_into, read_rows

GOAL_P95_MS = 30.0
#: Endpoint mix of the mixed workload (weights).
MIX = {"holders": 30, "person": 15, "search": 15, "issue_chain": 10, "case_trace": 5,
       "loops": 10, "neighbourhood": 10, "stats": 5}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", choices=("district", "sample"), default="district")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--load", action="store_true",
                        help="CLEAR the Neo4j database and load the dataset into it")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per phase (cap)")
    parser.add_argument("--max-requests", type=int, default=20_000, help="requests per phase (cap)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time, paced phase")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")


# -- the server ------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(home: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DUTYGRAPH_HOME": str(home)}
    cmd = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
           "--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)


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
        "search": [f"/api/search?q={rng.choice(names)[:2]}&limit=20" for _ in range(n)],
        "issue_chain": [f"/api/issues/issue:{i}/chain" for i in pick(issues)],
        "case_trace": [f"/api/cases/case:{c}/trace" for c in pick(cases)],
        "loops": [f"/api/loops?unit=unit:{u}&limit=50" for u in pick(upper)],
        "neighbourhood": [f"/api/graph/neighbourhood/unit:{u}?limit=200" for u in pick(upper)],
        "stats": [f"/api/stats/accountability?unit=unit:{u}" for u in pick(upper)],
    }


async def drive(base: str, headers: dict[str, str], choose: Any, *, clients: int,
                duration: float, max_requests: int, think: float, seed: int
                ) -> dict[str, Any]:
    """Run ``clients`` loops until the time or the request budget is spent."""
    import httpx

    rng = random.Random(seed)  # think times, reproducible
    lat: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    sent = 0
    stop_at = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits,
                                 timeout=60) as client:

        async def one_client() -> None:
            nonlocal sent
            while sent < max_requests and time.perf_counter() < stop_at:
                sent += 1
                name, url = choose()
                t0 = time.perf_counter()
                try:
                    r = await client.get(url)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                ms = (time.perf_counter() - t0) * 1000
                if ok:
                    lat[name].append(ms)
                else:
                    errors[name] += 1
                if think > 0:
                    await asyncio.sleep(rng.expovariate(1 / think))

        t_start = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        elapsed = time.perf_counter() - t_start
    every = [x for xs in lat.values() for x in xs]
    out: dict[str, Any] = {
        "clients": clients, "think_s": think, "seconds": round(elapsed, 2),
        "requests": len(every) + sum(errors.values()), "errors": dict(errors),
        "throughput_rps": round(len(every) / elapsed, 1) if elapsed else None,
    }
    if every:
        out.update(p50_ms=round(percentile(every, 50), 2), p95_ms=round(percentile(every, 95), 2),
                   p99_ms=round(percentile(every, 99), 2), max_ms=round(max(every), 2))
    if len(lat) > 1:
        out["endpoints"] = {
            k: {"requests": len(v), "p50_ms": round(percentile(v, 50), 2),
                "p95_ms": round(percentile(v, 95), 2)}
            for k, v in sorted(lat.items())
        }
    return out


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
        neo4j_version = getattr(store, "server_info", lambda: {})().get("version")
    finally:
        store.close()
    print(f"dataset {args.scale}: {counts.total_nodes} nodes, {counts.total_relationships} "
          "relationships", flush=True)

    from api.security.users import Role, UserStore

    result: dict[str, Any] = {
        "scale": args.scale, "seed": args.seed, "neo4j_version": neo4j_version,
        "nodes": counts.total_nodes, "relationships": counts.total_relationships,
        "load_seconds": None if loaded_s is None else round(loaded_s, 1),
        "workers": args.workers, "goal_holders_p95_ms": GOAL_P95_MS,
        "bounds": {"duration_s": args.duration, "max_requests": args.max_requests},
    }
    pools = request_pools(folder, args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        home = Path(tmp)
        users = UserStore(home)
        users.add("bench", Role.admin, "bench-password-not-secret", ["*"])
        headers = {"Authorization": f"Bearer {users.issue_token('bench', 'bench')}"}
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_server(home, port, args.workers)
        try:
            wait_ready(base, proc)
            phases = {
                "warmup": (chooser(pools, MIX, 7), 0.0, min(5.0, args.duration)),
                "holders_closed": (chooser(pools, {"holders": 1}, 1), 0.0, args.duration),
                "holders_paced": (chooser(pools, {"holders": 1}, 2), args.think, args.duration),
                "mixed_closed": (chooser(pools, MIX, 3), 0.0, args.duration),
            }
            for name, (choose, think, seconds) in phases.items():
                print(f"phase {name} ...", flush=True)
                out = asyncio.run(drive(base, headers, choose, clients=args.clients,
                                        duration=seconds, max_requests=args.max_requests,
                                        think=think, seed=args.seed))
                print(f"  {out.get('throughput_rps')} req/s  p50 {out.get('p50_ms')} ms  "
                      f"p95 {out.get('p95_ms')} ms  errors {out['errors']}", flush=True)
                if name != "warmup":
                    result[name] = out
        finally:
            stop_server(proc)
    paced = result.get("holders_paced", {}).get("p95_ms")
    result["holders_goal_met"] = paced is not None and paced <= GOAL_P95_MS
    return result
