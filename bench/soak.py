"""Soak: mixed authenticated reads for 2 minutes at 50 concurrent clients, zero errors.

A bounded load test (loopback only; it stops by itself after ``--duration`` seconds or
``--max-requests`` requests). The app runs under uvicorn in a subprocess on 127.0.0.1; the
clients are this process (bench/loadgen: asyncio, keep-alive HTTP/1.1), each sending its
next request as soon as the last one answered, with a bearer token of a throw-away admin (so
logins, scope checks and the audit log are part of the work). The mix is that of
``bench/api.py`` (holders, person, search, issue chain, case trace, open loops,
neighbourhood, statistics). Any non-200 answer or transport error counts as an error; the
result says ``zero_errors`` (false: FAILED).

Against Neo4j with the district dataset (``--load`` CLEARS the database and loads it; use a
server of your own)::

    NEO4J_CTL_HOME=/tmp/neo4j-soak NEO4J_CTL_PORT=17730 ops/neo4j/neo4jctl start
    eval "$(NEO4J_CTL_HOME=/tmp/neo4j-soak NEO4J_CTL_PORT=17730 ops/neo4j/neo4jctl env)"
    .venv/bin/python -m bench soak --load            # 120 s, 50 clients

``--backend embedded --scale sample`` runs against the embedded store with the sample data
(what the test suite's short version does, for 5 s at 10 clients).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.api import MIX, chooser, free_port, request_pools, stop_server, wait_ready
from bench.common import ROOT
from bench.loadgen import drive


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backend", choices=("neo4j", "embedded"), default="neo4j")
    parser.add_argument("--scale", choices=("district", "sample"), default="district")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--load", action="store_true",
                        help="neo4j: CLEAR the database and load the dataset into it")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds (cap)")
    parser.add_argument("--max-requests", type=int, default=2_000_000, help="requests (cap)")


def _server(home: Path, port: int, neo4j: bool) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DUTYGRAPH_HOME": str(home)}
    if not neo4j:
        env.pop("NEO4J_URI", None)  # the embedded store under DUTYGRAPH_HOME
    cmd = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
           "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
           "--no-access-log"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)


def soak(*, backend: str = "neo4j", scale: str = "district", seed: int = 1, load: bool = False,
         clients: int = 50, duration: float = 120.0, max_requests: int = 2_000_000
         ) -> dict[str, Any]:
    """Run the soak; the result (``errors`` must be empty) as a dict."""
    from api.security.users import Role, UserStore
    from bench.queries import dataset, load_into
    from graph.settings import Settings
    from graph.store import open_store
    from graph.store.embedded import EmbeddedStore

    folder, _ = dataset(scale, seed)
    result: dict[str, Any] = {"backend": backend, "scale": scale, "seed": seed,
                              "bounds": {"duration_s": duration, "max_requests": max_requests,
                                         "clients": clients}}
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        home = Path(tmp)
        if backend == "neo4j":
            settings = Settings()
            if not settings.neo4j_uri:
                raise SystemExit("set NEO4J_URI (and NEO4J_PASSWORD) to the Neo4j to soak")
            store = open_store(settings)
        else:
            store = EmbeddedStore(home)
            load = True
        try:
            if load:
                result["load_seconds"] = round(load_into(store, folder), 1)
            counts = store.counts()
            info: dict[str, Any] = store.server_info()
            result["neo4j_version"] = info.get("version")
        finally:
            store.close()
        result.update(nodes=counts.total_nodes, relationships=counts.total_relationships)
        users = UserStore(home)
        users.add("soak", Role.admin, "soak-password-not-secret", ["*"])
        headers = {"Authorization": f"Bearer {users.issue_token('soak', 'soak')}"}
        result["authenticated"] = True
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = _server(home, port, backend == "neo4j")
        try:
            wait_ready(base, proc)
            pools = request_pools(folder, seed)
            out = asyncio.run(drive("127.0.0.1", port, headers, chooser(pools, MIX, seed),
                                    clients=clients, duration=duration,
                                    max_requests=max_requests, think=0.0, seed=seed))
        finally:
            stop_server(proc)
    result.update(out)
    result["zero_errors"] = not out["errors"]
    return result


def run(args: argparse.Namespace) -> dict[str, Any]:
    result = soak(backend=args.backend, scale=args.scale, seed=args.seed, load=args.load,
                  clients=args.clients, duration=args.duration, max_requests=args.max_requests)
    print(f"{result['requests']} requests in {result['seconds']} s: "
          f"{result['throughput_rps']} req/s, p50 {result.get('p50_ms')} ms, "
          f"p95 {result.get('p95_ms')} ms, errors {result['errors']}", flush=True)
    if not result["zero_errors"]:
        print("SOAK FAILED: errors", file=sys.stderr)
    return result
