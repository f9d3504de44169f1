"""The Neo4j half of ``bench load``: dutygraph load, (a), (b) and ``load --initial``.

See :mod:`bench.load` for what is measured and :mod:`bench.ceiling` for (a) and (b).
Every measured write is checked to have written what the generator's manifest says
(nodes and relationships counted on the server), so no phase can pass by writing nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

from bench.ceiling import (
    admin_import,
    collect,
    fresh_database,
    plain_schema,
    plain_write,
    schema_size,
    server_cpu,
)
from bench.load import GOAL_FRACTION_OF_PLAIN, run_load
from graph.checksum import graph_checksum
from graph.settings import Settings
from graph.store.neo4j import Neo4jStore
from graph.store.neo4j_ctl import ManagedNeo4j


def _median(values: list[float]) -> float:
    return round(float(statistics.median(values)), 3)


def _check_counts(store: Neo4jStore, manifest: dict[str, Any], what: str) -> None:
    counts = store.counts()
    got = (counts.total_nodes, counts.total_relationships)
    want = (manifest["nodes"], manifest["relationships"])
    if got != want:
        raise SystemExit(f"{what} wrote {got} (nodes, relationships), the dataset has {want}")


def _server(env: dict[str, str]) -> tuple[ManagedNeo4j, Settings]:
    server = ManagedNeo4j.from_env(env)
    settings = Settings()
    if server is None or not settings.neo4j_uri:
        raise SystemExit("the Neo4j half needs the neo4jctl server: set NEO4J_CTL_HOME, "
                         "NEO4J_CTL_PORT and NEO4J_URI (see bench/load.py) or --skip-neo4j")
    if not server.serves(settings.neo4j_uri, settings.neo4j_database):
        raise SystemExit(f"NEO4J_URI {settings.neo4j_uri} is not the neo4jctl server of "
                         f"{server.home} (port {server.port})")
    return server, settings


def measure_neo4j(args: argparse.Namespace, folder: Path, manifest: dict[str, Any],
                  env: dict[str, str]) -> dict[str, Any]:
    """Rounds of (dutygraph load, (a)), then (b) and ``load --initial``; with ratios."""
    server, settings = _server(env)
    batch = int(env.get("DUTYGRAPH_BATCH_SIZE", "5000"))
    server.start()  # a no-op when it runs; else with this environment's NEO4J_CTL_* memory
    store = Neo4jStore.from_settings(settings)
    store.batch_size = batch
    out: dict[str, Any] = {"schema": schema_size()}
    try:
        held = store.stored_nodes()
        if held and not args.clear:
            raise SystemExit(f"the Neo4j database holds {held} nodes: --clear replaces it")
        out["neo4j_version"] = store.server_info().get("version", "")
        t0 = time.perf_counter()
        collected = collect(folder)
        out["bench_validate_seconds"] = round(time.perf_counter() - t0, 2)
        rounds: list[dict[str, Any]] = []
        checksum_load = None
        for i in range(args.rounds):
            this: dict[str, Any] = {}
            for what in (("load", "plain") if i % 2 == 0 else ("plain", "load")):
                fresh_database(server)
                if what == "load":
                    store.ensure_schema()  # in place before the load, as in production
                    cpu0 = server_cpu(server)
                    this["load"] = run_load(folder, env)
                    this["load"]["server_cpu_seconds"] = round(server_cpu(server) - cpu0, 2)
                    _check_counts(store, manifest, "dutygraph load")
                    if args.checksum and checksum_load is None:
                        checksum_load = graph_checksum(store)
                else:
                    this["plain_indexes"] = plain_schema(store)
                    this["plain"] = plain_write(store, collected, batch, server)
                    _check_counts(store, manifest, "(a) plain Cypher")
            rounds.append(this)
            print(f"round {i + 1}: load {this['load']['seconds']['total']}s, "
                  f"(a) {this['plain']['seconds']}s", flush=True)
        out["rounds"] = rounds
        out["neo4j"] = rounds[0]["load"]
        out["plain_cypher"] = rounds[0]["plain"]
        out["plain_cypher"]["indexes_during_load"] = rounds[0]["plain_indexes"]
        if not args.skip_import:
            fresh_database(server)
            out["admin_import"] = admin_import(store, collected, server)
            _check_counts(store, manifest, "(b) neo4j-admin import")
            del collected
            fresh_database(server)
            out["initial"] = run_load(folder, env, "--initial")
            _check_counts(store, manifest, "dutygraph load --initial")
            if args.checksum:
                checksum_initial = graph_checksum(store)
                out["checksums"] = {"load": checksum_load, "initial": checksum_initial,
                                    "equal": checksum_load == checksum_initial}
        out["ratios"] = _ratios(out, rounds)
    finally:
        store.close()
    return out


def _ratios(out: dict[str, Any], rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """``dutygraph load`` as a fraction of each ceiling's rate (= ceiling time / load time);
    medians over the rounds."""
    load_total = _median([r["load"]["seconds"]["total"] for r in rounds])
    load_write = _median([r["load"]["seconds"]["write"] for r in rounds])
    plain = _median([r["plain"]["seconds"] for r in rounds])
    ratios: dict[str, Any] = {
        "load_seconds": load_total, "load_write_seconds": load_write, "plain_seconds": plain,
        # End to end (reading, validating and writing) against (a)'s write alone.
        "load_vs_plain_cypher": round(plain / load_total, 3),
        # The write phase alone against (a).
        "load_write_vs_plain_cypher": round(plain / load_write, 3),
        "server_cpu_plain_over_load": round(
            _median([r["plain"]["server_cpu_seconds"] for r in rounds])
            / _median([r["load"]["server_cpu_seconds"] for r in rounds]), 3),
        "goal_fraction_of_plain_cypher": GOAL_FRACTION_OF_PLAIN,
        "meets_goal": plain / load_total >= GOAL_FRACTION_OF_PLAIN,
        "meets_goal_write_phase": plain / load_write >= GOAL_FRACTION_OF_PLAIN,
    }
    b = out.get("admin_import")
    if b:
        all_in = (b["files_seconds"] + b["stop_seconds"] + b["import_seconds"]
                  + b["start_seconds"] + b["schema_seconds"])
        ratios.update({
            # The import alone (the tool's JVM included), as the (b).
            "load_vs_admin_import": round(b["import_seconds"] / load_total, 3),
            "load_vs_admin_import_tool": round(b["import_tool_seconds"] / load_total, 3),
            # What a first load by import really costs: files, stop, import, start, schema.
            "load_vs_admin_import_with_restart_and_schema": round(all_in / load_total, 3),
            "admin_import_all_in_seconds": round(all_in, 3),
        })
    initial = out.get("initial")
    if initial:
        ratios["initial_seconds"] = initial["seconds"]["total"]
        ratios["initial_speedup_over_load"] = round(load_total / initial["seconds"]["total"], 3)
    return ratios
