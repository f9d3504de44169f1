"""The two ceilings ``bench load`` measures ``dutygraph load`` against, on the same server.

(a) **Plain batched Cypher** (:func:`plain_write`): the same nodes and relationships the
    loader validated, written by the plainest batched statements -- one client thread, one
    transaction at a time, ``batch`` rows each: every node label with
    ``UNWIND $rows AS r CREATE (n:Label:Entity {id: r[0], uid: r[1], ...})``, then every
    relationship type with ``UNWIND $rows AS r MATCH (a:Entity {uid: r[0]})
    MATCH (b:Entity {uid: r[1]}) CREATE (a)-[:TYPE {key: r[2], ...}]->(b)``. During (a) the
    database has exactly one constraint, ``Entity.uid`` unique (:func:`plain_schema`: what
    the relationship ``MATCH`` needs), plus Neo4j's two token lookup indexes; no other
    index. Rows travel as lists, property names in the statement text.
(b) **neo4j-admin database import full** of the same rows (the import files of
    :mod:`graph.store.neo4j_import`) into a fresh database, through ``neo4jctl import`` on
    the benchmark's own server: the import is timed apart from the stop and the start, and
    from building the constraints and indexes afterwards.

Every phase starts from an empty database made the same way (:func:`fresh_database`: an
import of no rows, then a start), so each runs on a freshly started server. Server CPU
seconds come from ``/proc`` (the pid ``neo4jctl`` keeps).
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph.schema import ENTITY_LABEL, SCHEMA, cypher_label, cypher_type
from graph.store.base import GraphStore
from graph.store.embedded import EmbeddedStore
from graph.store.neo4j import Neo4jStore, schema_statements
from graph.store.neo4j_ctl import ManagedNeo4j
from graph.store.neo4j_import import ImportFiles
from loaders.initial import write_files
from loaders.pipeline import load_paths
from loaders.validate import Collected
from loaders.write import WriteCounts, iter_rel_rows, node_rows, node_tables

_ENTITY = f"`{ENTITY_LABEL}`"


def collect(folder: Path) -> Collected:
    """The loader's validated rows of ``folder`` (titles filled), without writing them.

    Validated against an empty store, as for a first load.
    """
    out: list[Collected] = []

    def keep(store: GraphStore, collected: Collected, batch_size: int,
             progress: Any = None) -> WriteCounts:
        out.append(collected)
        return WriteCounts()

    report = load_paths(EmbeddedStore(None), [folder], progress=False, writer=keep)
    if not report.ok:
        raise SystemExit(f"{folder}: {report.error_count} errors")
    return out[0]


# -- server process ---------------------------------------------------------------------
def server_cpu(server: ManagedNeo4j) -> float:
    """CPU seconds (user + system) the running server has used so far."""
    pid = (server.home / "neo4jctl.pid").read_text().strip()
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime


def client_cpu() -> float:
    """CPU seconds of this process (all threads)."""
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def fresh_database(server: ManagedNeo4j) -> dict[str, float]:
    """Replace the database by an empty one: stop, import no rows, start."""
    with tempfile.TemporaryDirectory(dir=server.import_dir) as tmp:
        files = ImportFiles(Path(tmp))
        files.add_nodes("Unit", (), [])
        files.close()
        server.stop()
        try:
            server.import_files(Path(tmp))
        finally:
            server.start()
    return {k: server.seconds[k] for k in ("stop", "import", "start")}


# -- (a) plain batched Cypher -----------------------------------------------------------
def plain_schema(store: Neo4jStore) -> list[str]:
    """Drop every constraint and index but the token lookups; create ``Entity.uid`` unique.

    Returns the names of what is left (the report lists them)."""
    for r in store.read("SHOW CONSTRAINTS YIELD name RETURN name"):
        store.write(f"DROP CONSTRAINT `{r['name']}`")
    for r in store.read("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"):
        store.write(f"DROP INDEX `{r['name']}`")
    # DutyGraph's own uid constraint (its name too, so ensure_schema later finds it).
    ddl = dict(schema_statements())["entity_uid_unique"]
    store.write(ddl)
    store.write("CALL db.awaitIndexes(300)")
    return sorted(r["name"] for r in store.read("SHOW INDEXES YIELD name RETURN name"))


def _node_statement(label: str, props: tuple[str, ...]) -> str:
    values = "".join(f", `{p}`: r[{i + 2}]" for i, p in enumerate(props))
    return (f"UNWIND $rows AS r CREATE (n:{cypher_label(label)}:{_ENTITY} "
            f"{{id: r[0], uid: r[1]{values}}})")


def _rel_statement(rel_type: str, props: tuple[str, ...]) -> str:
    values = "".join(f", `{p}`: r[{i + 3}]" for i, p in enumerate(props))
    return (f"UNWIND $rows AS r MATCH (a:{_ENTITY} {{uid: r[0]}}) "
            f"MATCH (b:{_ENTITY} {{uid: r[1]}}) "
            f"CREATE (a)-[:{cypher_type(rel_type)} {{key: r[2]{values}}}]->(b)")


def _rel_batches(collected: Collected, batch: int
                 ) -> Iterator[tuple[str, tuple[str, ...], list[Any]]]:
    """Relationship rows grouped by (type, property names), ``batch`` rows at a time."""
    groups: dict[tuple[str, tuple[str, ...]], list[Any]] = {}
    for rel, names, row in iter_rel_rows(collected):
        group = groups.setdefault((rel, names), [])
        group.append(row)
        if len(group) >= batch:
            yield rel, names, group
            groups[(rel, names)] = []
    for (rel, names), group in groups.items():
        if group:
            yield rel, names, group


def plain_write(store: Neo4jStore, collected: Collected, batch: int,
                server: ManagedNeo4j | None = None) -> dict[str, Any]:
    """Write ``collected`` the plain way (see the module docstring); times and counts.

    Rows are built batch by batch inside the timed part, as any client would; its CPU is
    reported (``client_cpu_seconds``) next to the server's.
    """
    nodes = rels = 0
    cpu0 = client_cpu()
    srv0 = server_cpu(server) if server else 0.0
    t0 = time.perf_counter()
    with store.driver.session(database=store.database) as session:
        def run(query: str, rows: list[Any]) -> None:
            session.execute_write(lambda tx: tx.run(query, {"rows": rows}).consume())

        for t in node_tables():
            assert t.node is not None
            rows = collected.rows[t.name]
            query = _node_statement(t.node, t.prop_names)
            for i in range(0, len(rows), batch):
                part = node_rows(t, rows[i:i + batch])
                run(query, part.rows)
                nodes += len(part.rows)
        t1 = time.perf_counter()
        for rel, names, group in _rel_batches(collected, batch):
            run(_rel_statement(rel, names), group)
            rels += len(group)
    t2 = time.perf_counter()
    out: dict[str, Any] = {
        "nodes": nodes, "relationships": rels, "records": nodes + rels,
        "seconds": round(t2 - t0, 3), "node_seconds": round(t1 - t0, 3),
        "relationship_seconds": round(t2 - t1, 3),
        "records_per_s": round((nodes + rels) / (t2 - t0), 1),
        "client_cpu_seconds": round(client_cpu() - cpu0, 2),
    }
    if server:
        out["server_cpu_seconds"] = round(server_cpu(server) - srv0, 2)
    return out


# -- (b) neo4j-admin import -------------------------------------------------------------
def admin_import(store: Neo4jStore, collected: Collected, server: ManagedNeo4j
                 ) -> dict[str, Any]:
    """Import files of ``collected``, then stop, import, start, build the schema: each timed.

    Leaves the database holding the imported graph with DutyGraph's full schema.
    """
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(dir=server.import_dir) as tmp:
        t0 = time.perf_counter()
        files = write_files(collected, Path(tmp))
        out["files_seconds"] = round(time.perf_counter() - t0, 3)
        out["files_mb"] = round(sum(p.stat().st_size for p in Path(tmp).iterdir()) / 2**20, 1)
        server.stop()
        try:
            server.import_files(Path(tmp))
        finally:
            server.start()
    out.update({f"{k}_seconds": v for k, v in server.seconds.items()})
    out["nodes"] = sum(files.nodes.values())
    out["relationships"] = sum(files.relationships.values())
    t1 = time.perf_counter()
    srv0 = server_cpu(server)
    store.ensure_schema(wait=3600)
    out["schema_seconds"] = round(time.perf_counter() - t1, 3)
    out["schema_server_cpu_seconds"] = round(server_cpu(server) - srv0, 2)
    records = out["nodes"] + out["relationships"]
    out["records_per_s"] = round(records / out["import_seconds"], 1)
    out["records_per_s_tool"] = round(records / out["import_tool_seconds"], 1)
    return out


def schema_size() -> dict[str, int]:
    """How many constraints and indexes DutyGraph's schema has (for the report)."""
    ddl = [d for _, d in schema_statements()]
    return {"constraints": sum("CONSTRAINT" in d for d in ddl),
            "indexes": sum("INDEX" in d and "FULLTEXT" not in d for d in ddl),
            "fulltext_indexes": sum("FULLTEXT" in d for d in ddl),
            "node_labels": len(SCHEMA.nodes)}
