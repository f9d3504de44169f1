"""Write rate: one transaction per row vs batched UNWIND on Neo4j, and the embedded store.

The same rows each time: ``--rows`` Unit nodes (default 10,000) and a 10-ary tree of
SUBORDINATE_TO relationships between them (rows - 1). Neo4j is the server of
``NEO4J_URI``/``NEO4J_USERNAME``/``NEO4J_PASSWORD``/``NEO4J_DATABASE``; the benchmark
writes only nodes whose id starts with ``--prefix`` and deletes them before and after,
so it never touches other data. Start a local server with::

    ops/neo4j/neo4jctl start && eval "$(ops/neo4j/neo4jctl env)"
    .venv/bin/python -m bench store_write
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from bench.common import Timer, rate
from graph.schema import SCHEMA
from graph.settings import Settings
from graph.store.base import NodeRecord, RelRecord
from graph.store.embedded import EmbeddedStore
from graph.store.neo4j import Neo4jStore
from graph.store.neo4j_load import LoadBatch, NodeRows, RelRows


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rows", type=int, default=10_000, help="nodes to write (default 10000)")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="rows per UNWIND transaction (default: DUTYGRAPH_BATCH_SIZE)")
    parser.add_argument("--prefix", default="BENCH-W-", help="id prefix of the written nodes")
    parser.add_argument("--skip-neo4j", action="store_true", help="embedded store only")


def make_rows(n: int, prefix: str) -> tuple[list[NodeRecord], list[RelRecord]]:
    nodes = [
        NodeRecord("Unit", f"{prefix}{i}", {"name": f"单位{i}", "kind": "other",
                                            "level": _depth(i), "code": f"C{i:06d}"})
        for i in range(n)
    ]
    rels = [
        RelRecord.make("SUBORDINATE_TO", f"unit:{prefix}{i}", f"unit:{prefix}{(i - 1) // 10}")
        for i in range(1, n)
    ]
    return nodes, rels


def bulk_batches(nodes: list[NodeRecord], rels: list[RelRecord],
                 size: int) -> list[LoadBatch]:
    """The rows as the loader's CREATE batches: edge i -> parent(i) rides with node i."""
    names = SCHEMA.node("Unit").prop_names
    out = []
    for start in range(0, len(nodes), size):
        part = nodes[start:start + size]
        edges = rels[max(start - 1, 0):start + len(part) - 1]  # rels[j] is node j+1's edge
        out.append(LoadBatch(
            nodes=[NodeRows("Unit", names, [[n.id, n.uid, *(n.props.get(p) for p in names)]
                                            for n in part])],
            rels=[RelRows("SUBORDINATE_TO", (), [[r.src, r.dst, r.key] for r in edges])],
            new=True))
    return out


def _depth(i: int) -> int:
    d = 0
    while i > 0:
        i = (i - 1) // 10
        d += 1
    return min(d, 9)


def _cleanup(store: Neo4jStore, prefix: str) -> None:
    # Only the benchmark's own nodes, in bounded transactions.
    while True:
        rows = store.write(
            "MATCH (n:Unit) WHERE n.id STARTS WITH $p WITH n LIMIT 5000 "
            "DETACH DELETE n RETURN count(*) AS deleted",
            {"p": prefix},
        )
        if not rows or rows[0]["deleted"] == 0:
            return


def _phase(label: str, nodes: int, rels: int, t_nodes: float, t_rels: float) -> dict[str, Any]:
    total = t_nodes + t_rels
    return {
        "mode": label,
        "node_rows": nodes,
        "rel_rows": rels,
        "node_seconds": round(t_nodes, 3),
        "rel_seconds": round(t_rels, 3),
        "node_rows_per_s": rate(nodes, t_nodes),
        "rel_rows_per_s": rate(rels, t_rels),
        "rows_per_s": rate(nodes + rels, total),
    }


def bench_neo4j(settings: Settings, nodes: list[NodeRecord], rels: list[RelRecord],
                prefix: str, batch_size: int) -> tuple[list[dict[str, Any]], str]:
    assert settings.neo4j_uri
    auth = (settings.neo4j_username, settings.neo4j_password.get_secret_value())
    store = Neo4jStore(settings.neo4j_uri, auth, database=settings.neo4j_database,
                       batch_size=batch_size)
    try:
        store.ensure_schema()
        version = store.server_info()["version"]
        phases = []
        _cleanup(store, prefix)
        # Warm up the query plans so neither mode pays for Cypher compilation.
        store.upsert_nodes(nodes[:2])
        store.upsert_relationships(rels[:1])
        _cleanup(store, prefix)

        with Timer() as tn:
            for rec in nodes:
                store.upsert_nodes([rec])
        with Timer() as tr:
            for rel in rels:
                store.upsert_relationships([rel])
        phases.append(_phase("neo4j: one transaction per row", len(nodes), len(rels),
                             tn.seconds, tr.seconds))
        _cleanup(store, prefix)

        with Timer() as tn:
            store.upsert_nodes(nodes)
        with Timer() as tr:
            store.upsert_relationships(rels)
        phases.append(_phase(f"neo4j: batched UNWIND ({batch_size} rows/tx)", len(nodes),
                             len(rels), tn.seconds, tr.seconds))
        _cleanup(store, prefix)
        # The loader's way (graph.store.neo4j_load): new nodes CREATEd, each batch also
        # creating the relationships to its nodes (a tree edge goes with its child).
        with Timer() as tb:
            for batch in bulk_batches(nodes, rels, batch_size):
                store.write_batch(batch)
        bulk = _phase(f"neo4j: bulk load, CREATE ({batch_size} nodes/tx)", len(nodes),
                      len(rels), tb.seconds, 0.0)
        # Nodes and their relationships share transactions: only the total rate is real.
        bulk.update(node_seconds=None, rel_seconds=None, node_rows_per_s=None,
                    rel_rows_per_s=None, seconds=round(tb.seconds, 3))
        phases.append(bulk)
        _cleanup(store, prefix)
        store.upsert_nodes(nodes)
        store.upsert_relationships(rels)
        # The same batch again: MERGE finds everything, nothing new is created.
        with Timer() as tn:
            store.upsert_nodes(nodes)
        with Timer() as tr:
            store.upsert_relationships(rels)
        phases.append(_phase("neo4j: batched UNWIND, rewrite of existing rows", len(nodes),
                             len(rels), tn.seconds, tr.seconds))
        _cleanup(store, prefix)
        return phases, version
    finally:
        store.close()


def bench_embedded(nodes: list[NodeRecord], rels: list[RelRecord]) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp))
        with Timer() as tn:
            store.upsert_nodes(nodes)
        with Timer() as tr:
            store.upsert_relationships(rels)
        with Timer() as tf:
            store.flush()
        phase = _phase("embedded: in memory", len(nodes), len(rels), tn.seconds, tr.seconds)
        saved = _phase("embedded: in memory + atomic save", len(nodes), len(rels),
                       tn.seconds, tr.seconds + tf.seconds)
        return [phase, saved]


def run(args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings()
    batch_size = args.batch_size or settings.batch_size
    nodes, rels = make_rows(args.rows, args.prefix)
    phases: list[dict[str, Any]] = []
    version = None
    if not args.skip_neo4j:
        if not settings.neo4j_uri:
            raise SystemExit("NEO4J_URI is not set: start Neo4j with ops/neo4j/neo4jctl start "
                             "and eval \"$(ops/neo4j/neo4jctl env)\", or pass --skip-neo4j")
        neo, version = bench_neo4j(settings, nodes, rels, args.prefix, batch_size)
        phases += neo
    phases += bench_embedded(nodes, rels)

    width = max(len(p["mode"]) for p in phases)
    print(f"{'mode':<{width}}  {'nodes/s':>10}  {'rels/s':>10}  {'rows/s':>10}")
    for p in phases:
        print(f"{p['mode']:<{width}}  {p['node_rows_per_s'] or '-':>10}  "
              f"{p['rel_rows_per_s'] or '-':>10}  "
              f"{p['rows_per_s']:>10}")
    result: dict[str, Any] = {"rows": args.rows, "batch_size": batch_size, "phases": phases,
                              "neo4j_version": version}
    if not args.skip_neo4j:
        per_row, batched = phases[0]["rows_per_s"], phases[1]["rows_per_s"]
        result["batched_vs_per_row"] = round(batched / per_row, 1)
        result["bulk_vs_per_row"] = round(phases[2]["rows_per_s"] / per_row, 1)
        result["embedded_vs_batched"] = round(phases[-2]["rows_per_s"] / batched, 1)
        print(f"bulk load (CREATE) is {result['bulk_vs_per_row']}x one transaction per row")
        print(f"batched UNWIND is {result['batched_vs_per_row']}x one transaction per row; "
              f"the embedded store (in memory) is {result['embedded_vs_batched']}x batched Neo4j")
    return result
