"""The Neo4j store: the system of record, over the official driver.

One driver per store (and one store per process, see :func:`graph.store.open_store`);
every query is parameterised, labels and types enter Cypher text only through
:func:`graph.schema.cypher_label` / :func:`graph.schema.cypher_type`, and ``database_`` is
always given so nothing depends on the server's default database. Every read and write
goes through managed transactions (``execute_read`` / ``execute_write``), which the driver
retries on transient failures and routes correctly on ``neo4j://`` cluster and Aura URIs.

Writes are batched ``UNWIND $rows`` statements, one transaction per batch of
``batch_size`` rows. Relationship batches check inside their transaction that every row
found both endpoints and otherwise raise :class:`graph.errors.StoreError`, which rolls
that batch back -- the embedded store's contract. (A call larger than one batch commits
its earlier batches before a later one fails; within one batch nothing is written.)
Rows travel as compact lists, the property names fixed in the statement
(:mod:`graph.store.neo4j_load`). The loader writes through :meth:`Neo4jStore.write_batch`
instead, which creates what is new rather than merging everything.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, LiteralString, TypeVar

import networkx as nx
from neo4j import (
    Driver,
    GraphDatabase,
    ManagedTransaction,
    Query,
    Result,
    RoutingControl,
    unit_of_work,
)
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from graph.errors import DutyGraphError, StoreError, StoreUnavailable
from graph.history.facts import PROVENANCE, FactKey, FactState, RelKey
from graph.history.model import ChangeHeader, ChangeKind, ChangePart
from graph.messages import Message
from graph.schema import ENTITY_LABEL, FULLTEXT_INDEX, SCHEMA, cypher_label, cypher_type, split_uid
from graph.settings import Settings
from graph.store.base import (
    Counts,
    Derived,
    Direction,
    Neighbour,
    NodeRecord,
    RelRecord,
    check_rel,
    clean_props,
    edge_key,
)
from graph.store.changes import ChangeLog, ChangeSet
from graph.store.cypher import CypherReads
from graph.store.history import Applied, StateWrite, now_iso, stamped, touched
from graph.store.neo4j_change import (
    apply_states_tx,
    fact_keys,
    read_attached,
    read_states,
    write_change_tx,
)
from graph.store.neo4j_history import OWN_LABELS, Neo4jHistory, begin_tx, close_tx
from graph.store.neo4j_load import LoadBatch, NodeRows, RelRows, write_batch_tx
from graph.store.ops import ReadOps

T = TypeVar("T")
Rows = list[dict[str, Any]]

#: Node properties given a range index besides the constraints: the enum codes and due
#: dates that the queries and the weak-link checks filter on.
_INDEXED_DATES = ("deadline", "due_on")
#: Rows per page when streaming the graph out (``to_networkx``) and per delete transaction.
_PAGE = 10_000
_ENTITY = f"`{ENTITY_LABEL}`"
#: A new random data version on the one meta node (see ``Neo4jStore.data_version``).
_BUMP_DATA_VERSION: LiteralString = (
    "MERGE (m:DutyGraphMeta {key: 'data'}) WITH m, m.version AS old "
    "SET m.version = randomUUID() RETURN old, m.version AS new"
)
#: (A change set written whole renews it in the statement that closes it:
#: ``graph.store.neo4j_history.close_tx``.)
#: Seconds a data version read from the server is trusted (see ``Neo4jStore.data_version``).
VERSION_TTL = 1.0
#: Bolt and routing schemes (the driver's HTTP Query API support is a preview: not used).
_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def _plain_rows(result: Result) -> list[dict[str, Any]]:
    return [dict(r) for r in result]


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def schema_statements() -> list[tuple[str, str]]:
    """(name, DDL) of every constraint and index the schema calls for, all idempotent."""
    out: list[tuple[str, str]] = []
    for node in SCHEMA.nodes:
        lbl = cypher_label(node.label)
        name = f"{node.prefix}_id_unique"
        out.append((name, f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                          f"FOR (n:{lbl}) REQUIRE n.id IS UNIQUE"))
    out.append(("entity_uid_unique", f"CREATE CONSTRAINT entity_uid_unique IF NOT EXISTS "
                                     f"FOR (n:{_ENTITY}) REQUIRE n.uid IS UNIQUE"))
    out.append(("entity_id", f"CREATE INDEX entity_id IF NOT EXISTS FOR (n:{_ENTITY}) ON (n.id)"))
    for node in SCHEMA.nodes:
        for p in node.properties:
            if p.type == "enum" or p.name in _INDEXED_DATES:
                name = f"{node.prefix}_{p.name}"
                out.append((name, f"CREATE INDEX {name} IF NOT EXISTS "
                                  f"FOR (n:{cypher_label(node.label)}) ON (n.`{p.name}`)"))
    for rel in SCHEMA.relationships:
        for p in rel.properties:
            if p.type == "enum":
                name = f"{rel.type.lower()}_{p.name}"
                out.append((name, f"CREATE INDEX {name} IF NOT EXISTS "
                                  f"FOR ()-[r:{cypher_type(rel.type)}]-() ON (r.`{p.name}`)"))
    labels = [n.label for n in SCHEMA.nodes if any(p.searchable for p in n.properties)]
    props = sorted({p.name for n in SCHEMA.nodes for p in n.properties if p.searchable})
    out.append((FULLTEXT_INDEX,
                f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS "
                f"FOR (n:{'|'.join(cypher_label(lbl) for lbl in labels)}) "
                f"ON EACH [{', '.join(f'n.`{p}`' for p in props)}] "
                "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"))
    return out


class Neo4jStore:
    """A :class:`graph.store.base.GraphStore` on a Neo4j 5.26+ server (or cluster, or Aura).

    Parameters
    ----------
    uri
        ``bolt://``, ``neo4j://`` or their ``+s``/``+ssc`` variants.
    auth
        (user, password).
    database
        Passed with every session.
    batch_size
        Rows per write transaction.
    query_timeout
        Seconds a read transaction may run before the server cancels it.
    **driver_config
        Extra :func:`neo4j.GraphDatabase.driver` options (e.g. ``connection_timeout``).
    """

    backend = "neo4j"

    def __init__(
        self,
        uri: str,
        auth: tuple[str, str],
        *,
        database: str = "neo4j",
        batch_size: int = 5000,
        query_timeout: float = 30.0,
        **driver_config: Any,
    ) -> None:
        self.uri = uri
        self.database = database
        self.batch_size = batch_size
        self.query_timeout = query_timeout
        config: dict[str, Any] = {
            "user_agent": "dutygraph",
            "connection_timeout": 10.0,
            "max_transaction_retry_time": 15.0,
            # Labels and types the schema declares but the data does not (yet) hold are
            # normal here, as are IF NOT EXISTS hits; deprecations and hints still log.
            "notifications_disabled_classifications": ["UNRECOGNIZED", "SCHEMA"],
        }
        config.update(driver_config)
        scheme = uri.partition("://")[0]
        if scheme not in _SCHEMES:
            raise StoreError(Message("store.bad_scheme", uri=uri,
                                     schemes=[s + "://" for s in _SCHEMES]))
        try:
            self.driver: Driver = GraphDatabase.driver(uri, auth=auth, **config)
        except (ConfigurationError, ValueError) as exc:
            raise StoreError(Message("store.bad_address", uri=uri, detail=str(exc))) from exc
        self._verified = False
        self._schema_ready = False
        self._version: tuple[str, float] | None = None  # (data version, read at)
        self._pending = False  # written since the version was last renewed
        self._pending_writes = 0  # writes that set ``_pending``, counted
        self._version_lock = threading.Lock()
        self.derived = Derived(self.data_version)
        self.changes = ChangeLog()
        self.reads: ReadOps = CypherReads(self)
        self.history = Neo4jHistory(self)

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> Neo4jStore:
        """The store ``settings`` name; ``options`` override constructor defaults (e.g. the
        API's shorter retry and connection timeouts)."""
        if not settings.neo4j_uri:
            raise StoreError(Message("store.no_uri"))
        return cls(
            settings.neo4j_uri,
            (settings.neo4j_username, settings.neo4j_password.get_secret_value()),
            database=settings.neo4j_database,
            batch_size=settings.batch_size,
            query_timeout=settings.query_timeout,
            **options,
        )

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}, database={self.database!r})"

    # -- plumbing ----------------------------------------------------------------------
    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Translate the driver's exceptions into DutyGraph's own."""
        try:
            yield
        except DutyGraphError:
            raise
        except AuthError as exc:
            raise StoreUnavailable(Message("store.bad_credentials", uri=self.uri,
                                           detail=str(exc.message))) from exc
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(Message("store.unreachable", uri=self.uri,
                                           detail=str(exc))) from exc
        except Neo4jError as exc:
            if exc.code and exc.code.endswith("DatabaseNotFound"):
                raise StoreUnavailable(Message("store.no_database", uri=self.uri,
                                               database=self.database)) from exc
            raise StoreError(Message("store.neo4j_error", code=str(exc.code),
                                     detail=str(exc.message))) from exc
        except (DriverError, OSError) as exc:
            raise StoreError(Message("store.driver_error", detail=str(exc))) from exc

    def _connect(self) -> None:
        # Fail fast (no retry loop) when the server is down or the password wrong: the
        # managed transactions below would otherwise retry for max_transaction_retry_time.
        if not self._verified:
            with self._errors():
                self.driver.verify_connectivity()
            self._verified = True

    def _execute(self, write: bool, work: Callable[[ManagedTransaction], T],
                 timeout: float | None = None) -> T:
        self._connect()
        fn = unit_of_work(timeout=timeout)(work) if timeout else work
        with self._errors(), self.driver.session(database=self.database) as session:
            return session.execute_write(fn) if write else session.execute_read(fn)

    def read(self, query: LiteralString, params: dict[str, Any] | None = None) -> Rows:
        """Rows of a read query as plain dicts (nodes become property maps).

        Runs in a managed read transaction (retried, routed to a reader), cancelled by the
        server after ``query_timeout`` seconds.
        """

        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return [r.data() for r in tx.run(query, params or {})]

        return self._execute(False, work, self.query_timeout)

    def read_plain(self, query: LiteralString, params: dict[str, Any] | None = None) -> Rows:
        """Rows of a read query whose columns are plain values (maps, lists, scalars).

        The same transaction as :meth:`read`, without ``Record.data()``: that walks every
        value to turn nodes/relationships into dicts, which costs milliseconds on a result
        of thousands of values and is wasted on queries that return no graph entities
        (added for the latency of graph/queries; nodes would come back as driver objects).
        Run through ``driver.execute_query``: a managed read transaction, retried and routed
        like :meth:`read`, whose BEGIN the driver pipelines with the query -- one round trip
        fewer than ``session.execute_read``.
        """
        self._connect()
        with self._errors():
            return self.driver.execute_query(
                Query(query, timeout=self.query_timeout), params or {},
                routing_=RoutingControl.READ, database_=self.database,
                bookmark_manager_=None, result_transformer_=_plain_rows,
            )

    def write(self, query: LiteralString, params: dict[str, Any] | None = None) -> Rows:
        """Rows of a write query, in one managed write transaction (retried, to the leader)."""

        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return [r.data() for r in tx.run(query, params or {})]

        return self._execute(True, work)

    def server_info(self) -> dict[str, str]:
        """Address, agent (``Neo4j/5.26.x``) and edition of the server answering."""
        rows = self.read(
            "CALL dbms.components() YIELD name, versions, edition "
            "RETURN name, versions[0] AS version, edition"
        )
        row = rows[0] if rows else {}
        return {"uri": self.uri, "database": self.database, "name": str(row.get("name", "")),
                "version": str(row.get("version", "")), "edition": str(row.get("edition", ""))}

    def close(self) -> None:
        with self._errors():
            self.driver.close()

    def flush(self) -> None:
        """Every batch has committed already; renew the data version (:meth:`data_version`)
        so that what is derived from the graph (caches of answers, indexes) is dropped."""
        with self._version_lock:
            self._bump()
            self._pending = False
            self._version = None

    def refresh(self) -> bool:
        """Read the data version from the server now (instead of within
        :data:`VERSION_TTL`); True when it changed."""
        with self._version_lock:
            before = None if self._version is None else self._version[0]
            self._version = None
        return self.data_version() != before

    def _bump(self) -> None:
        """A new data version; the writes noted since the last one are sealed under it
        (hold ``_version_lock``)."""
        rows = self.write(_BUMP_DATA_VERSION)
        row = rows[0] if rows else {}
        self.changes.seal(row.get("old") or "", row.get("new"))

    def _written(self) -> None:
        # The version is renewed lazily, on the next data_version() of this process (other
        # processes see it at flush): a write costs no extra transaction.
        with self._version_lock:
            self._pending = True
            self._pending_writes += 1
            self._version = None

    def changes_since(self, version: str | None) -> ChangeSet | None:
        return self.changes.since(version, self.data_version())

    def data_version(self, *, wait: bool = True) -> str | None:
        """A token that changes whenever a load finishes (``flush``) or the store is cleared
        (``""`` then). Kept on one ``DutyGraphMeta`` node, which carries no ``Entity``
        label, so no query of the graph sees it.

        Read from the server at most once per :data:`VERSION_TTL` seconds: another
        process's load is seen within that time; this process's own at once.
        """
        now = time.monotonic()
        known = self._version
        if known is not None and now - known[1] < VERSION_TTL:
            return known[0]
        if not wait:
            return None
        with self._version_lock:
            if self._pending:
                self._bump()
                self._pending = False
            known = self._version
            if known is not None and time.monotonic() - known[1] < VERSION_TTL:
                return known[0]
            rows = self.read_plain("MATCH (m:DutyGraphMeta {key: 'data'}) RETURN m.version AS v")
            version = str(rows[0]["v"]) if rows else ""
            self._version = (version, time.monotonic())
            return version

    # -- schema ------------------------------------------------------------------------
    def ensure_schema(self, wait: int = 300) -> None:
        """Create the constraints and indexes of :func:`schema_statements` that are missing,
        then wait until every index is online (at most ``wait`` seconds, else raise)."""
        # Only what is missing is created, so a user without schema rights can still write
        # to a database whose schema is in place.
        existing = {r["name"] for r in self.read("SHOW CONSTRAINTS YIELD name RETURN name")}
        existing |= {r["name"] for r in self.read("SHOW INDEXES YIELD name RETURN name")}
        if FULLTEXT_INDEX in existing and self._fulltext_outdated():
            # A database made before the schema gained labels: its full-text index would
            # leave the new kinds out of search (an index's labels cannot be altered).
            self.write(f"DROP INDEX {FULLTEXT_INDEX} IF EXISTS")
            existing.discard(FULLTEXT_INDEX)
        for name, ddl in schema_statements():
            if name not in existing:
                self.write(ddl)  # text built from the whitelist
        self.write("CALL db.awaitIndexes($wait)", {"wait": wait})
        self._schema_ready = True

    def defer_indexes(self) -> list[str]:
        """Drop the schema's indexes that no write reads, for a bulk load into an empty
        database; returns their names.

        These are the range indexes and the full-text index -- not the uniqueness
        constraints, which ``CREATE`` relies on against concurrent loads and ``MERGE`` to
        find nodes. :meth:`ensure_schema` builds them again after the load, one pass each,
        which costs the server less than updating them row by row (docs/loading.md).
        """
        self._ensure_schema_once()  # else the first write would recreate them
        names = [name for name, ddl in schema_statements() if "CONSTRAINT" not in ddl]
        for name in names:
            self.write(f"DROP INDEX `{name}` IF EXISTS")  # names from the schema
        return names

    def _fulltext_outdated(self) -> bool:
        """Whether the full-text index covers other labels or properties than the schema's
        searchable ones."""
        rows = self.read("SHOW INDEXES YIELD name, labelsOrTypes, properties "
                         "WHERE name = $name RETURN labelsOrTypes, properties",
                         {"name": FULLTEXT_INDEX})
        labels = {n.label for n in SCHEMA.nodes if any(p.searchable for p in n.properties)}
        props = {p.name for n in SCHEMA.nodes for p in n.properties if p.searchable}
        return any(set(r["labelsOrTypes"] or ()) != labels or set(r["properties"] or ()) != props
                   for r in rows)

    def _ensure_schema_once(self) -> None:
        # MERGE by id needs the constraints (uniqueness under concurrency, and speed):
        # the first write of a store makes sure they exist, whoever forgot to.
        if not self._schema_ready:
            self.ensure_schema()

    # -- writes ------------------------------------------------------------------------
    def upsert_nodes(self, records: Sequence[NodeRecord]) -> int:
        # Compact rows ([id, uid, *every schema property]) merged per label; a property
        # not given is set to null, so a rewrite replaces the node's properties, as in
        # the embedded store.
        rows: list[tuple[str, list[Any]]] = []
        for r in records:
            props = clean_props(r.label, r.props, node=True)
            rows.append((SCHEMA.node(r.label).label, [r.id, r.uid, *props.values()]))
        if rows:
            self._ensure_schema_once()
        for batch in _chunks(rows, self.batch_size):
            groups = [NodeRows(label, SCHEMA.node(label).prop_names, group)
                      for label, group in _group(batch).items()]
            self._execute(True, functools.partial(write_batch_tx, batch=LoadBatch(nodes=groups),
                                                  create=False, chunk=self.batch_size))
        if rows:
            self.changes.note(nodes=[row[1] for _, row in rows])
            self._written()
        return len(rows)

    def upsert_relationships(self, records: Sequence[RelRecord]) -> int:
        # Batches check inside their transaction that every row found both endpoints and
        # otherwise raise, which rolls the batch back.
        rows: list[tuple[str, list[Any]]] = []
        for r in records:
            check_rel(r)
            props = clean_props(r.type, r.props, node=False)
            rows.append((SCHEMA.rel(r.type).type, [r.src, r.dst, r.key, *props.values()]))
        if rows:
            self._ensure_schema_once()
        for batch in _chunks(rows, self.batch_size):
            rels = [RelRows(t, SCHEMA.rel(t).prop_names, group)
                    for t, group in _group(batch).items()]
            self._execute(True, functools.partial(write_batch_tx, batch=LoadBatch(rels=rels),
                                                  create=False, chunk=self.batch_size))
        if rows:
            self.changes.note(ends=[u for _, row in rows for u in row[:2]])
            self._written()
        return len(rows)

    def write_batch(self, batch: LoadBatch) -> int:
        """One transaction of a bulk load (see :mod:`graph.store.neo4j_load`).

        A ``new`` batch is written with ``CREATE``; if a concurrent load created one of its
        nodes first (uniqueness constraint), the batch rolls back and is rewritten with
        ``MERGE``. Returns the records written.
        """
        if not batch.size:
            return 0
        self._ensure_schema_once()  # the constraints make CREATE safe (and MERGE fast)
        self._connect()
        # A batch of a change set also writes the provenance and its part of the history.
        work = write_batch_tx if batch.change is None else write_change_tx
        try:
            with self._errors(), self.driver.session(database=self.database) as session:
                if batch.new:
                    try:
                        session.execute_write(work, batch, True, self.batch_size)
                        return batch.size
                    except ConstraintError:
                        pass  # someone else created some of these nodes: merge instead
                session.execute_write(work, batch, False, self.batch_size)
            return batch.size
        finally:
            self.changes.note(nodes=[row[1] for g in batch.nodes for row in g.rows],
                              ends=[u for g in batch.rels for row in g.rows for u in row[:2]])
            self._written()

    def write_change(self, kind: ChangeKind, user: str, writes: Sequence[StateWrite], *,
                     reason: str | None = None) -> Applied:
        """The change set opened, its writes applied, its part recorded, it closed, and the
        data version renewed, in one write transaction (so the versions returned are
        exactly those around this write, and a refused write leaves nothing)."""
        self._ensure_schema_once()
        self._connect()
        with self._version_lock:
            unversioned, seen = self._pending, self._pending_writes

        def work(tx: ManagedTransaction
                 ) -> tuple[ChangeHeader, ChangePart, str | None, str | None]:
            header = begin_tx(tx, ChangeHeader(id=0, kind=kind, user=user, at=now_iso(),
                                               reason=reason))
            part = apply_states_tx(tx, header.id, stamped(writes, header.id), record=False)
            # The part, the header closed and the version renewed: one statement (an act's
            # latency is mostly round trips).
            done, before, after = close_tx(tx, header.id, part)
            return done, part, before, after

        # A failed transaction (a guard, a missing end) writes nothing.
        header, part, before, after = self._execute(True, work)
        with self._version_lock:
            self._version = (str(after), time.monotonic())
            if not (unversioned or self._pending) and before is not None:
                # Exactly these writes took the graph from ``before`` to ``after``: an
                # incremental analysis recomputes only around them. (With other writes
                # pending, the step is left unknown: a full recomputation, never a miss.)
                self.changes.record(str(before), str(after), touched(part))
            elif self._pending_writes == seen:
                # The writes pending when this one began committed before it: the version
                # it renewed covers them (what they noted is sealed with the next step).
                self._pending = False
        return Applied(header, part, None if unversioned or before is None else str(before),
                       str(after))

    def apply_states(self, change: int, writes: Sequence[StateWrite]) -> ChangePart:
        """Set facts to exact states as change ``change``, in one transaction."""
        self._ensure_schema_once()
        try:
            return self._execute(True, functools.partial(apply_states_tx, change=change,
                                                         writes=list(writes)))
        finally:
            # A change set's writes are not listed uid by uid: the next version's entry
            # says "unknown", so an incremental analysis recomputes everything.
            self.changes.forget()
            self._written()

    def fact_states(self, keys: Iterable[FactKey]) -> dict[FactKey, FactState]:
        out: dict[FactKey, FactState] = {}
        for batch in _chunks(list(dict.fromkeys(keys)), self.batch_size):
            out.update(self._execute(False, functools.partial(read_states, keys=batch)))
        return out

    def fact_keys(self, labels: Iterable[str], rel_types: Iterable[str]) -> list[FactKey]:
        return self._execute(False, functools.partial(fact_keys, labels=list(labels),
                                                      rel_types=list(rel_types)))

    def attached(self, uids: Iterable[str]) -> list[RelKey]:
        found: set[RelKey] = set()
        for batch in _chunks(list(dict.fromkeys(uids)), self.batch_size):
            found.update(self._execute(False, functools.partial(read_attached, uids=batch)))
        return sorted(found)

    def clear(self) -> None:
        """Delete everything in transactions of ``_PAGE`` rows, so memory stays bounded."""
        self._connect()
        with self._errors(), self.driver.session(database=self.database) as session:
            # CALL ... IN TRANSACTIONS needs an auto-commit transaction (session.run);
            # relationships first, so each node delete is cheap.
            session.run(
                "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF $n ROWS",
                {"n": _PAGE},
            ).consume()
            session.run(
                "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $n ROWS",
                {"n": _PAGE},
            ).consume()
        self.changes.forget()
        self._written()

    # -- reads -------------------------------------------------------------------------
    @staticmethod
    def _record(labels: list[str], props: dict[str, Any]) -> NodeRecord:
        label = next(lbl for lbl in labels if lbl != ENTITY_LABEL)
        clean = {k: v for k, v in props.items() if k not in ("id", "uid") and k not in PROVENANCE}
        return NodeRecord(label, props["id"], clean)

    def get_node(self, uid: str) -> NodeRecord | None:
        split_uid(uid)
        rows = self.read(
            f"MATCH (n:{_ENTITY} {{uid: $uid}}) RETURN labels(n) AS labels, properties(n) AS props",
            {"uid": uid},
        )
        return self._record(rows[0]["labels"], rows[0]["props"]) if rows else None

    def find_ids(self, node_id: str, labels: Iterable[str] | None = None) -> list[NodeRecord]:
        wanted = None if labels is None else sorted({SCHEMA.node(lbl).label for lbl in labels})
        rows = self.read(
            f"MATCH (n:{_ENTITY}) WHERE n.id = $id "
            "AND ($labels IS NULL OR any(l IN labels(n) WHERE l IN $labels)) "
            "RETURN labels(n) AS labels, properties(n) AS props ORDER BY n.uid",
            {"id": node_id, "labels": wanted},
        )
        out = [self._record(r["labels"], r["props"]) for r in rows]
        return sorted(out, key=lambda n: n.uid)

    def stored_nodes(self) -> int:
        """Nodes in the database besides DutyGraph's own meta and history nodes (any other
        label, schema or not): 0 means the database holds no data."""
        rows = self.read("MATCH (n) RETURN count(n) AS n")
        own = sum(int(self.read(f"MATCH (m:{label}) RETURN count(m) AS n")[0]["n"])
                  for label in OWN_LABELS)
        return int(rows[0]["n"]) - own

    def existing_uids(self, uids: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(uids))
        found: set[str] = set()
        for batch in _chunks(wanted, self.batch_size):
            rows = self.read(
                f"UNWIND $uids AS u MATCH (n:{_ENTITY} {{uid: u}}) RETURN n.uid AS uid",
                {"uids": list(batch)},
            )
            found.update(r["uid"] for r in rows)
        return found

    def neighbours(
        self,
        uid: str,
        *,
        rel_types: Iterable[str] | None = None,
        direction: Direction = "both",
        labels: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> list[Neighbour]:
        types = None if rel_types is None else sorted({SCHEMA.rel(t).type for t in rel_types})
        wanted = None if labels is None else sorted({SCHEMA.node(lbl).label for lbl in labels})
        if direction not in ("out", "in", "both"):
            raise StoreError(Message("error.invalid_argument", field="direction", reason=Message(
                "reason.one_of", expected=["out", "in", "both"])))
        rows = self.read(
            "CALL (){ "
            f"  MATCH (n:{_ENTITY} {{uid: $uid}})-[r]->(m) WHERE $dir IN ['out', 'both'] "
            "   RETURN r, m, 'out' AS direction "
            "  UNION ALL "
            f"  MATCH (n:{_ENTITY} {{uid: $uid}})<-[r]-(m) WHERE $dir IN ['in', 'both'] "
            "   RETURN r, m, 'in' AS direction "
            "} "
            "WITH r, m, direction WHERE ($types IS NULL OR type(r) IN $types) "
            "  AND ($labels IS NULL OR any(l IN labels(m) WHERE l IN $labels)) "
            "RETURN type(r) AS type, direction, properties(r) AS rprops, "
            "       labels(m) AS labels, properties(m) AS mprops, m.uid AS uid "
            "ORDER BY type, direction, uid, rprops.key "
            "LIMIT coalesce($limit, 9223372036854775807)",
            {"uid": uid, "dir": direction, "types": types, "labels": wanted, "limit": limit},
        )
        found = []
        for row in rows:
            rprops = {k: v for k, v in row["rprops"].items() if k not in PROVENANCE}
            key = rprops.pop("key", "")
            node = self._record(row["labels"], row["mprops"])
            found.append(((row["type"], row["direction"], node.uid, key),
                          Neighbour(row["type"], row["direction"], rprops, key, node)))
        # Python's string order, so both stores agree on ties to the last code point.
        found.sort(key=lambda t: t[0])
        return [n for _, n in found]

    def counts(self) -> Counts:
        # One branch per label and type, each answered from the count store; the names
        # come back as parameters so that no value is written into the query text.
        names = {f"k{i}": name for i, name in enumerate((*SCHEMA.labels, *SCHEMA.rel_types))}
        branches = [f"MATCH (n:{cypher_label(lbl)}) RETURN 'n' AS kind, $k{i} AS name, "
                    "count(n) AS c" for i, lbl in enumerate(SCHEMA.labels)]
        offset = len(SCHEMA.labels)
        branches += [f"MATCH ()-[r:{cypher_type(t)}]->() RETURN 'r' AS kind, $k{offset + i} "
                     "AS name, count(r) AS c" for i, t in enumerate(SCHEMA.rel_types)]
        rows = self.read(" UNION ALL ".join(branches), names)
        nodes = {r["name"]: r["c"] for r in rows if r["kind"] == "n" and r["c"]}
        rels = {r["name"]: r["c"] for r in rows if r["kind"] == "r" and r["c"]}
        return Counts(nodes, rels)

    def to_networkx(self, uids: Iterable[str] | None = None, *,
                    shared: bool = False) -> nx.MultiDiGraph:
        # Always a graph of its own: the data lives on the server.
        del shared
        g: nx.MultiDiGraph = nx.MultiDiGraph()
        edges: list[tuple[str, str, str, dict[str, Any]]] = []
        keep: set[str] | None = None
        if uids is None:
            pages: Iterator[list[dict[str, Any]]] = self._node_pages()
        else:
            keep = set(uids)
            pages = self._nodes_of(sorted(keep))
        for page in pages:
            for row in page:
                rec = self._record(row["labels"], row["props"])
                prov = {k: row["props"][k] for k in PROVENANCE if k in row["props"]}
                g.add_node(rec.uid, label=rec.label, id=rec.id, **rec.props, **prov)
                for rel_type, dst, rprops in row["out"]:
                    if keep is None or dst in keep:
                        edges.append((rec.uid, dst, rel_type, rprops))
        for src, dst, rel_type, rprops in edges:
            key = rprops.pop("key", "")
            g.add_edge(src, dst, key=edge_key(rel_type, key), type=rel_type, **rprops)
        return g

    _TOUCHING: LiteralString = (
        f"UNWIND $uids AS u MATCH (a:{_ENTITY} {{uid: u}}) "
        "RETURN labels(a) AS labels, properties(a) AS props, "
        "[(a)-[r]->(b) | [type(r), b.uid, properties(r)]] AS out, "
        "[(b)-[r]->(a) | [type(r), b.uid, properties(r)]] AS in"
    )
    _NODES: LiteralString = (
        f"UNWIND $uids AS u MATCH (a:{_ENTITY} {{uid: u}}) "
        "RETURN labels(a) AS labels, properties(a) AS props"
    )

    def touching(self, uids: Iterable[str]) -> nx.MultiDiGraph:
        g: nx.MultiDiGraph = nx.MultiDiGraph()
        edges: list[tuple[str, str, str, dict[str, Any]]] = []
        for batch in _chunks(sorted(set(uids)), _PAGE):
            for row in self.read(self._TOUCHING, {"uids": list(batch)}):
                rec = self._record(row["labels"], row["props"])
                g.add_node(rec.uid, label=rec.label, id=rec.id, **rec.props)
                edges += [(rec.uid, other, t, p) for t, other, p in row["out"]]
                edges += [(other, rec.uid, t, p) for t, other, p in row["in"]]
        others = sorted({x for s, d, _, _ in edges for x in (s, d) if x not in g})
        for batch in _chunks(others, _PAGE):
            for row in self.read(self._NODES, {"uids": list(batch)}):
                rec = self._record(row["labels"], row["props"])
                g.add_node(rec.uid, label=rec.label, id=rec.id, **rec.props)
        for src, dst, rel_type, rprops in edges:
            rprops = dict(rprops)
            key = rprops.pop("key", "")
            g.add_edge(src, dst, key=edge_key(rel_type, key), type=rel_type, **rprops)
        return g

    _NODE_PAGE_RETURN: LiteralString = (
        "RETURN a.uid AS uid, labels(a) AS labels, properties(a) AS props, "
        "[(a)-[r]->(b) | [type(r), b.uid, properties(r)]] AS out"
    )

    def _node_pages(self) -> Iterator[list[dict[str, Any]]]:
        # Keyset pagination over the uid index: each page its own short read transaction.
        after = ""
        while True:
            page = self.read(
                f"MATCH (a:{_ENTITY}) WHERE a.uid > $after WITH a ORDER BY a.uid LIMIT $n "
                + self._NODE_PAGE_RETURN,
                {"after": after, "n": _PAGE},
            )
            if not page:
                return
            yield page
            after = page[-1]["uid"]

    def _nodes_of(self, uids: list[str]) -> Iterator[list[dict[str, Any]]]:
        for batch in _chunks(uids, _PAGE):
            yield self.read(
                f"UNWIND $uids AS u MATCH (a:{_ENTITY} {{uid: u}}) " + self._NODE_PAGE_RETURN,
                {"uids": list(batch)},
            )


def _group(batch: Sequence[tuple[str, list[Any]]]) -> dict[str, list[list[Any]]]:
    groups: dict[str, list[list[Any]]] = {}
    for name, row in batch:
        groups.setdefault(name, []).append(row)
    return groups
