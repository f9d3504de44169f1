"""The initial load: the first load of an empty Neo4j database through ``neo4j-admin import``.

The same reading, validation and reference resolution as every load
(:func:`loaders.pipeline.load_paths`), and the same graph as the ordinary load writes (the
same :func:`graph.checksum.graph_checksum`); only the write differs. Instead of
transactions over Bolt:

1. the validated rows are written as the import tool's CSV files
   (:mod:`graph.store.neo4j_import`) in the instance's ``import`` directory, each fact
   with the provenance an ordinary load writes (``_change``: the load's change set, begun by
   the pipeline; ``_sources``: the row's source token);
2. the database is checked to be empty once more (DutyGraph's own history nodes apart:
   the change set just begun, and those of earlier, undone loads), those history nodes
   are read, then the server is stopped (``neo4jctl stop``): Neo4j Community has one user
   database, which cannot be taken offline alone;
3. ``neo4jctl import`` replaces the database by the files' graph -- all or nothing: if the
   import fails the previous store is put back;
4. the server is started again; the history nodes are put back and the change set records
   every imported fact as added (so ``dutygraph loads show/undo`` treat it as any load);
   the constraints, indexes and the full-text index are created (the import creates
   none) and awaited, and the data version is renewed.

Only for a server that ``ops/neo4j/neo4jctl`` runs (:class:`graph.store.neo4j_ctl.ManagedNeo4j`)
and whose database holds nothing: a database with data is refused before anything is read.
Invalid input is refused before the server is touched, exactly as by the ordinary load.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from graph.history.facts import FactKey
from graph.messages import Message
from graph.schema import uid_of
from graph.store.base import GraphStore
from graph.store.neo4j import Neo4jStore
from graph.store.neo4j_ctl import ManagedNeo4j, NotManaged, managed
from graph.store.neo4j_import import ImportFiles
from loaders.errors import LoadUsageError
from loaders.pipeline import LoadReport, Writer, load_paths
from loaders.validate import Collected
from loaders.write import WriteCounts, iter_rel_rows, node_rows, node_tables

#: Seconds the indexes built after the import may take to come online.
SCHEMA_WAIT = 3600
#: Relationship rows handed to the file writer at a time.
_CHUNK = 20_000


class InitialLoadRefused(LoadUsageError):
    """``--initial`` asked of a database or server it does not apply to."""


def check_server(store: GraphStore, server: ManagedNeo4j | None) -> Neo4jStore:
    """``store`` as the database of the managed ``server``; refuse any other setup."""
    try:
        return managed(store, server)
    except NotManaged as exc:
        raise InitialLoadRefused(exc.message) from None


def refuse_unless_empty(store: Neo4jStore) -> None:
    """Raise :class:`InitialLoadRefused` when the database holds any node besides
    DutyGraph's own meta and history nodes."""
    n = store.stored_nodes()
    if n:
        raise InitialLoadRefused(Message("load.initial_not_empty", nodes=n))


def write_files(collected: Collected, folder: Path,
                progress: Callable[[int], None] | None = None,
                change: int | None = None) -> ImportFiles:
    """Every validated row of ``collected`` as import files in ``folder``; with ``change``,
    each fact with its provenance as change set ``change``."""
    files = ImportFiles(folder)
    try:
        for t in node_tables():
            rows = collected.rows[t.name]
            for i in range(0, len(rows), _CHUNK):
                part = node_rows(t, rows[i:i + _CHUNK], change)
                files.add_nodes(part.label, part.props, part.rows, change)
                if progress:
                    progress(len(part.rows))
        groups: dict[tuple[str, tuple[str, ...]], list[Any]] = {}
        for rel, names, row in iter_rel_rows(collected, change):
            group = groups.setdefault((rel, names), [])
            group.append(row)
            if len(group) >= _CHUNK:
                files.add_relationships(rel, names, group, change)
                if progress:
                    progress(len(group))
                group.clear()
        for (rel, names), group in groups.items():
            files.add_relationships(rel, names, group, change)
            if progress:
                progress(len(group))
    finally:
        files.close()
    return files


def added_facts(collected: Collected) -> Iterator[FactKey]:
    """The key of every fact the import creates: node uids, then relationships."""
    for t in node_tables():
        assert t.node is not None
        for r in collected.rows[t.name]:
            yield uid_of(t.node, r[2])
    for rel, _, row in iter_rel_rows(collected):
        yield rel, str(row[0]), str(row[1]), str(row[2])


def import_writer(server: ManagedNeo4j, store: Neo4jStore) -> Writer:
    """A :data:`loaders.pipeline.Writer` that imports into ``server``'s database
    (``store``, the one the pipeline writes to) instead of writing over Bolt."""

    def write(_: GraphStore, collected: Collected, batch_size: int,
              progress: Callable[[int], None] | None = None,
              change: int | None = None) -> WriteCounts:
        seconds: dict[str, float] = {}
        t0 = time.perf_counter()
        server.import_dir.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="dutygraph-initial-", dir=server.import_dir))
        try:
            files = write_files(collected, folder, progress, change)
            seconds["files"] = time.perf_counter() - t0
            refuse_unless_empty(store)  # again: nothing may have arrived since the start
            kept = store.history.kept()  # the import replaces them with the database
            server.stop()
            try:
                server.import_files(folder)
            finally:
                server.start()  # also after a failed import: the server as it was
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        seconds.update(server.seconds)
        t1 = time.perf_counter()
        store.history.put_back(kept)
        store.ensure_schema(wait=SCHEMA_WAIT)
        seconds["schema"] = time.perf_counter() - t1
        if change is not None:
            t2 = time.perf_counter()
            store.history.record_added(change, added_facts(collected), batch_size)
            seconds["history"] = time.perf_counter() - t2
        # The import's writes are not listed uid by uid: the new data version's step is
        # "unknown", so an incremental analysis recomputes everything.
        store.changes.forget()
        store.flush()
        return WriteCounts(files.nodes, files.relationships, seconds)

    return write


def load_initial(
    store: GraphStore,
    paths: Iterable[Path | str],
    server: ManagedNeo4j | None,
    **options: Any,
) -> LoadReport:
    """The first load of an empty database (see the module docstring).

    ``options`` are those of :func:`loaders.pipeline.load_paths` (``skip_invalid``,
    ``dry_run``, ``progress``, ``max_issues``, ``user``, ``table``; not the sync's). The
    report's ``seconds`` has, besides the usual phases, ``files`` (writing the import
    files), ``stop``, ``import`` (wall time of ``neo4jctl import``; ``import_tool``: the
    time the tool reports), ``start``, ``schema`` (history nodes put back, constraints and
    indexes built and online) and ``history`` (the change set's parts recorded).

    Raises
    ------
    InitialLoadRefused
        No managed server, another server configured, or a database that is not empty.
    """
    neo = check_server(store, server)
    assert server is not None  # checked above
    refuse_unless_empty(neo)
    report = load_paths(neo, paths, writer=import_writer(server, neo), **options)
    report.initial = True
    return report
