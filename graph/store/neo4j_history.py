"""Neo4j's history: change-set headers and parts as nodes beside the graph.

* ``(:DutyGraphChange {id, doc, status, finished_at, counts, undone_by})``: one per change
  set; ``doc`` is the header's JSON as it began, the other properties what changes later;
* ``(:DutyGraphChangePart {change, at, counts, data})``: one per write transaction, created
  in that transaction (:func:`graph.store.neo4j_change.write_part`); ``data`` is the part's
  compressed bytes;
* ids come from a counter on the ``(:DutyGraphMeta {key: 'history'})`` node, incremented in
  the transaction that creates the header (unique under concurrent loads).

None of these nodes has the ``Entity`` label, so no query of the graph, count or export sees
them; :meth:`graph.store.neo4j.Neo4jStore.clear` deletes them with everything else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import orjson
from neo4j import ManagedTransaction

from graph.history.facts import FactKey
from graph.history.model import (
    ChangeBody,
    ChangeHeader,
    ChangeKind,
    ChangePart,
    SourceFile,
    SyncSpec,
    merge_counts,
)
from graph.schema import META_LABEL
from graph.store.history import now_iso
from graph.store.neo4j_change import PART_LABEL, write_part

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore

CHANGE_LABEL = "DutyGraphChange"
#: The labels of DutyGraph's own nodes beside the graph: what an offline import, which
#: replaces the whole database, must keep (:meth:`Neo4jHistory.kept`).
OWN_LABELS = (META_LABEL, CHANGE_LABEL, PART_LABEL)
_RETURN = ("RETURN c.doc AS doc, c.status AS status, c.finished_at AS finished_at, "
           "c.counts AS counts, c.undone_by AS undone_by")


def _header(row: dict[str, Any]) -> ChangeHeader:
    doc = orjson.loads(row["doc"])
    doc["status"] = row["status"]
    doc["finished_at"] = row["finished_at"]
    doc["counts"] = orjson.loads(row["counts"]) if row["counts"] else {}
    doc["undone_by"] = row["undone_by"]
    return ChangeHeader.model_validate(doc)


def begin_tx(tx: ManagedTransaction, header: ChangeHeader) -> ChangeHeader:
    """Open a change set like ``header`` with the next id, in transaction ``tx``."""
    change = tx.run("MERGE (m:DutyGraphMeta {key: 'history'}) "
                    "SET m.next = coalesce(m.next, 0) + 1 RETURN m.next AS id"
                    ).single(strict=True)["id"]
    header = header.model_copy(update={"id": change})
    tx.run(f"CREATE (:{CHANGE_LABEL} {{id: $id, doc: $doc, status: 'open'}})",
           {"id": change, "doc": header.model_dump_json()}).consume()
    return header


def finish_tx(tx: ManagedTransaction, change: int, counts: dict[str, dict[str, int]]
              ) -> ChangeHeader | None:
    """Mark ``change`` done with ``counts``, in transaction ``tx``; its header."""
    rows = [r.data() for r in tx.run(
        f"MATCH (c:{CHANGE_LABEL} {{id: $id}}) SET c.status = 'done', "
        "c.finished_at = $at, c.counts = $counts " + _RETURN,
        {"id": change, "at": now_iso(), "counts": orjson.dumps(counts).decode()})]
    return _header(rows[0]) if rows else None


def close_tx(tx: ManagedTransaction, change: int, part: ChangePart
             ) -> tuple[ChangeHeader, str | None, str]:
    """In one statement of transaction ``tx``: record ``part`` (the only part of
    ``change``), mark ``change`` done with its counts, and renew the data version (as
    ``graph.store.neo4j`` renews it); the header and the versions before and after."""
    counts = orjson.dumps(part.counts()).decode()
    create = (f"CREATE (:{PART_LABEL} {{change: $id, at: timestamp(), counts: $counts, "
              "data: $data}) WITH 1 AS one " if part else "")
    row = tx.run(create + f"MATCH (c:{CHANGE_LABEL} {{id: $id}}) SET c.status = 'done', "
                 "c.finished_at = $at, c.counts = $counts "
                 "WITH c MERGE (m:DutyGraphMeta {key: 'data'}) "
                 "WITH c, m, m.version AS before SET m.version = randomUUID() "
                 + _RETURN + ", before, m.version AS after",
                 {"id": change, "at": now_iso(), "counts": counts,
                  "data": part.encode()}).single(strict=True)
    data = row.data()
    return _header(data), data["before"], str(data["after"])


class Neo4jHistory:
    """:class:`graph.store.history.History` of a :class:`Neo4jStore`."""

    def __init__(self, store: Neo4jStore) -> None:
        self.store = store

    def begin(self, kind: ChangeKind, user: str, *, sources: Sequence[SourceFile] = (),
              reason: str | None = None, undoes: int | None = None,
              sync: SyncSpec | None = None) -> ChangeHeader:
        def work(tx: ManagedTransaction) -> ChangeHeader:
            return begin_tx(tx, ChangeHeader(id=0, kind=kind, user=user, at=now_iso(),
                                             sources=list(sources), reason=reason,
                                             undoes=undoes, sync=sync))

        self.store._ensure_schema_once()
        return self.store._execute(True, work)

    def finish(self, change: int, counts: dict[str, dict[str, int]] | None = None
               ) -> ChangeHeader:
        if counts is None:
            rows = self.store.read_plain(
                f"MATCH (p:{PART_LABEL} {{change: $id}}) RETURN p.counts AS counts",
                {"id": change})
            counts = merge_counts(orjson.loads(r["counts"]) for r in rows)
        found = self.store._execute(True, lambda tx: finish_tx(tx, change, counts))
        if found is None:
            raise KeyError(change)
        return found

    def discard(self, change: int) -> None:
        self.store.write(
            f"MATCH (c:{CHANGE_LABEL} {{id: $id}}) "
            f"WHERE NOT EXISTS {{ MATCH (p:{PART_LABEL} {{change: $id}}) }} DELETE c",
            {"id": change})

    def set_undone(self, change: int, by: int | None) -> None:
        self.store.write(f"MATCH (c:{CHANGE_LABEL} {{id: $id}}) SET c.undone_by = $by",
                         {"id": change, "by": by})

    def headers(self) -> list[ChangeHeader]:
        rows = self.store.read_plain(f"MATCH (c:{CHANGE_LABEL}) " + _RETURN
                                     + " ORDER BY c.id DESC")
        return [_header(r) for r in rows]

    def header(self, change: int) -> ChangeHeader | None:
        rows = self.store.read_plain(f"MATCH (c:{CHANGE_LABEL} {{id: $id}}) " + _RETURN,
                                     {"id": change})
        return _header(rows[0]) if rows else None

    def body(self, change: int) -> ChangeBody:
        rows = self.store.read_plain(
            f"MATCH (p:{PART_LABEL} {{change: $id}}) RETURN p.data AS data "
            "ORDER BY p.at, elementId(p)", {"id": change})
        return ChangeBody([ChangePart.decode(bytes(r["data"])) for r in rows])

    # -- around an offline import (graph.store.neo4j_ctl), which replaces the database -----
    def kept(self) -> list[tuple[str, dict[str, Any]]]:
        """Every node of :data:`OWN_LABELS` as (label, properties): the change-set headers
        and parts and the id counter, for :meth:`put_back` after the import."""
        out: list[tuple[str, dict[str, Any]]] = []
        for label in OWN_LABELS:
            rows = self.store.read_plain(f"MATCH (n:{label}) RETURN properties(n) AS p")
            out.extend((label, dict(r["p"])) for r in rows)
        return out

    def put_back(self, nodes: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """Create the nodes :meth:`kept` read (labels from :data:`OWN_LABELS` only)."""
        for label in OWN_LABELS:
            props = [p for lbl, p in nodes if lbl == label]
            if props:
                self.store.write(f"UNWIND $rows AS p CREATE (n:{label}) SET n = p",
                                 {"rows": props})

    def record_added(self, change: int, keys: Iterable[FactKey], chunk: int) -> None:
        """Record facts an import created as added by ``change``: parts of ``chunk`` keys,
        each in a transaction of its own, as a load's batches record theirs."""
        part = ChangePart()
        for key in keys:
            part.added.append(key)
            if len(part.added) >= chunk:
                self._record(change, part)
                part = ChangePart()
        self._record(change, part)

    def _record(self, change: int, part: ChangePart) -> None:
        if part:
            self.store._execute(True, lambda tx: write_part(tx, change, part))
