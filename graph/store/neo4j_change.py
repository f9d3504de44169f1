"""Writes of change sets on Neo4j: load batches with provenance, exact state writes, and
the reads they need -- each write transaction records its part of the change set.

A load batch is written as :mod:`graph.store.neo4j_load` writes it (``CREATE`` what is new,
``MERGE`` what may exist), with the two provenance properties (``_change``: the change set;
``_sources``: the row's token). A ``MERGE`` returns what the fact held before, so that the
part records every replaced state; whether a fact keeps its sources and gains the row's
(the same values asserted again) or gets the row's alone (new values) is decided in the
statement itself, atomically with the write. The rules are those of the embedded store
(:mod:`graph.store.embedded_change`), which the contract tests compare.

Labels, types and property names enter the text only through the schema's whitelist
(:func:`graph.schema.cypher_label`, :func:`graph.schema.cypher_type`,
:func:`graph.store.neo4j_load._checked`); every value is a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from neo4j import ManagedTransaction

from graph.history.facts import (
    CHANGE,
    MAX_SOURCES,
    SOURCES,
    FactKey,
    FactState,
    RelKey,
    same_values,
)
from graph.history.model import ChangePart, Outcome, Replaced
from graph.schema import ENTITY_LABEL, SCHEMA, cypher_label, cypher_type, split_uid
from graph.store.batch import LoadBatch
from graph.store.history import StateWrite, check_expect, order_writes
from graph.store.neo4j_load import _checked, reject_missing

_ENTITY = f"`{ENTITY_LABEL}`"
#: The label of a change set's part (no ``Entity`` label: no query of the graph sees it).
PART_LABEL = "DutyGraphChangePart"
_NODE_SKIP = ("id", "uid")
_REL_SKIP = ("key",)


def _same(var: str, names: Sequence[str], all_names: Sequence[str], first: int) -> str:
    """Cypher: the stored ``old`` map holds exactly the row's values (null = not set)."""
    terms = []
    for p in all_names:
        value = f"row[{first + names.index(p)}]" if p in names else "null"
        terms.append(f"({var}.`{p}` = {value} OR ({var}.`{p}` IS NULL AND {value} IS NULL))")
    body = " AND ".join(terms) if terms else "true"
    return f"coalesce({var} IS NOT NULL AND {body}, false)"


def _sources(tok: str) -> str:
    """Cypher: the sources after the write -- the old ones and the row's token when the
    values stay, else the token alone (the last ``MAX_SOURCES`` kept)."""
    return (f"CASE WHEN same AND old.`{SOURCES}` IS NOT NULL "
            f"THEN substring(reduce(s = '', t IN (split(old.`{SOURCES}`, ' ') + {tok})"
            f"[-{MAX_SOURCES}..] | s + ' ' + t), 1) ELSE {tok} END")


def node_statement(label: str, props: Sequence[str], create: bool) -> str:
    """``UNWIND $rows`` statement for the nodes of a change set's load batch."""
    kind = SCHEMA.node(label)
    names = _checked(props, kind.prop_names, kind.label)
    lbl = cypher_label(kind.label)
    tok = f"row[{2 + len(names)}]"
    if create:
        values = "".join(f", `{p}`: row[{i + 2}]" for i, p in enumerate(names))
        return (f"UNWIND $rows AS row CREATE (n:{lbl}:{_ENTITY} {{id: row[0], uid: row[1]"
                f"{values}, `{CHANGE}`: $change, `{SOURCES}`: {tok}}})")
    sets = [f"n.`{p}` = row[{i + 2}]" for i, p in enumerate(names)]
    sets += [f"n.`{p}` = null" for p in kind.prop_names if p not in names]
    return (f"UNWIND $rows AS row MERGE (n:{lbl} {{id: row[0]}}) "
            "WITH n, row, CASE WHEN n.uid IS NULL THEN null ELSE properties(n) END AS old "
            f"WITH n, row, old, {_same('old', names, kind.prop_names, 2)} AS same "
            f"SET n:{_ENTITY}, n.uid = row[1]" + "".join(", " + s for s in sets)
            + f", n.`{CHANGE}` = $change, n.`{SOURCES}` = {_sources(tok)} "
            "RETURN row[1] AS k, old, same")


def rel_statement(rel_type: str, props: Sequence[str], create: bool) -> str:
    """``UNWIND $rows`` statement for the relationships of a change set's load batch."""
    kind = SCHEMA.rel(rel_type)
    names = _checked(props, kind.prop_names, kind.type)
    typ = cypher_type(kind.type)
    tok = f"row[{3 + len(names)}]"
    match = (f"UNWIND $rows AS row MATCH (a:{_ENTITY} {{uid: row[0]}}) "
             f"MATCH (b:{_ENTITY} {{uid: row[1]}}) ")
    if create:
        values = "".join(f", `{p}`: row[{i + 3}]" for i, p in enumerate(names))
        return match + (f"CREATE (a)-[:{typ} {{key: row[2]{values}, `{CHANGE}`: $change, "
                        f"`{SOURCES}`: {tok}}}]->(b) RETURN count(*) AS n")
    sets = [f"r.`{p}` = row[{i + 3}]" for i, p in enumerate(names)]
    sets += [f"r.`{p}` = null" for p in kind.prop_names if p not in names]
    return match + (
        f"WITH a, b, row, head([(a)-[o:{typ} {{key: row[2]}}]->(b) | properties(o)]) AS old "
        f"MERGE (a)-[r:{typ} {{key: row[2]}}]->(b) "
        f"WITH r, row, old, {_same('old', names, kind.prop_names, 3)} AS same "
        "SET " + "".join(s + ", " for s in sets)
        + f"r.`{CHANGE}` = $change, r.`{SOURCES}` = {_sources(tok)} "
        "RETURN row[0] AS s, row[1] AS d, row[2] AS k, old, same")


def _replaced(part: ChangePart, key: FactKey, old: dict[str, Any] | None, same: bool,
              skip: tuple[str, ...]) -> None:
    if old is None:
        part.added.append(key)
    elif same:
        before = FactState.of(old, skip)
        part.replaced.append(Replaced("reasserted", key,
                                      FactState({}, before.change, before.sources)))
    else:
        part.replaced.append(Replaced("changed", key, FactState.of(old, skip)))


def write_change_tx(tx: ManagedTransaction, batch: LoadBatch, create: bool, chunk: int) -> None:
    """Every group of a change set's ``batch`` in one transaction, and its part."""
    assert batch.change is not None
    change = batch.change
    part = ChangePart()
    for nodes in batch.nodes:
        query = node_statement(nodes.label, nodes.props, create)
        for i in range(0, len(nodes.rows), chunk):
            rows = nodes.rows[i:i + chunk]
            result = tx.run(query, {"rows": rows, "change": change})
            if create:
                result.consume()
                part.added.extend(str(r[1]) for r in rows)
            else:
                for rec in result:
                    _replaced(part, rec["k"], rec["old"], rec["same"], _NODE_SKIP)
    for rels in batch.rels:
        query = rel_statement(rels.type, rels.props, create)
        for i in range(0, len(rels.rows), chunk):
            rows = rels.rows[i:i + chunk]
            result = tx.run(query, {"rows": rows, "change": change})
            if create:
                matched = result.single(strict=True)["n"]
                if matched != len(rows):
                    reject_missing(tx, rels.type, [(r[0], r[1]) for r in rows])
                part.added.extend((rels.type, str(r[0]), str(r[1]), str(r[2])) for r in rows)
                continue
            records = list(result)
            if len(records) != len(rows):
                reject_missing(tx, rels.type, [(r[0], r[1]) for r in rows])
            for rec in records:
                _replaced(part, (rels.type, rec["s"], rec["d"], rec["k"]), rec["old"],
                          rec["same"], _REL_SKIP)
    write_part(tx, change, part)


def write_part(tx: ManagedTransaction, change: int, part: ChangePart) -> None:
    """Record ``part`` of ``change`` in the transaction that did what it describes."""
    if not part:
        return
    tx.run(f"CREATE (:{PART_LABEL} {{change: $change, at: timestamp(), counts: $counts, "
           "data: $data})",
           {"change": change, "counts": orjson.dumps(part.counts()).decode(),
            "data": part.encode()}).consume()


# -- reads of facts -----------------------------------------------------------------------
def _by_type(keys: Iterable[RelKey]) -> dict[str, list[list[str]]]:
    groups: dict[str, list[list[str]]] = {}
    for rel_type, src, dst, key in keys:
        groups.setdefault(SCHEMA.rel(rel_type).type, []).append([src, dst, key])
    return groups


def read_states(tx: ManagedTransaction, keys: Iterable[FactKey]) -> dict[FactKey, FactState]:
    """The state of each fact of ``keys`` that exists."""
    keys = list(keys)
    uids = [k for k in keys if isinstance(k, str)]
    out: dict[FactKey, FactState] = {}
    if uids:
        for rec in tx.run(f"UNWIND $uids AS u MATCH (n:{_ENTITY} {{uid: u}}) "
                          "RETURN u, properties(n) AS p", {"uids": uids}):
            out[rec["u"]] = FactState.of(rec["p"], _NODE_SKIP)
    for rel_type, rows in _by_type(k for k in keys if not isinstance(k, str)).items():
        query = (f"UNWIND $keys AS k MATCH (a:{_ENTITY} {{uid: k[0]}})"
                 f"-[r:{cypher_type(rel_type)} {{key: k[2]}}]->(b:{_ENTITY} {{uid: k[1]}}) "
                 "RETURN k, properties(r) AS p")
        for rec in tx.run(query, {"keys": rows}):
            src, dst, key = rec["k"]
            out[(rel_type, src, dst, key)] = FactState.of(rec["p"], _REL_SKIP)
    return out


def read_attached(tx: ManagedTransaction, uids: Sequence[str]
                  ) -> dict[RelKey, FactState]:
    """Every relationship touching one of ``uids``, with its state."""
    out: dict[RelKey, FactState] = {}
    if not uids:
        return out
    for rec in tx.run(f"UNWIND $uids AS u MATCH (n:{_ENTITY} {{uid: u}})-[r]-() "
                      "RETURN DISTINCT type(r) AS t, startNode(r).uid AS s, "
                      "endNode(r).uid AS d, properties(r) AS p", {"uids": list(uids)}):
        p = rec["p"]
        out[(rec["t"], rec["s"], rec["d"], str(p.get("key", "")))] = FactState.of(p, _REL_SKIP)
    return out


def fact_keys(tx: ManagedTransaction, labels: Iterable[str],
              rel_types: Iterable[str]) -> list[FactKey]:
    out: list[FactKey] = []
    for label in sorted({SCHEMA.node(lbl).label for lbl in labels}):
        out.extend(r["u"] for r in tx.run(f"MATCH (n:{cypher_label(label)}) RETURN n.uid AS u"))
    for rel_type in sorted({SCHEMA.rel(t).type for t in rel_types}):
        out.extend((rel_type, r["s"], r["d"], r["k"]) for r in tx.run(
            f"MATCH (a)-[r:{cypher_type(rel_type)}]->(b) "
            "RETURN a.uid AS s, b.uid AS d, r.key AS k"))
    return out


# -- exact states -----------------------------------------------------------------------
def apply_states_tx(tx: ManagedTransaction, change: int,
                    writes: Sequence[StateWrite], *, record: bool = True) -> ChangePart:
    """Guards, then every write of ``writes`` (see ``GraphStore.apply_states``), and the
    part (written here unless ``record`` is false: the caller writes it with what closes
    the change set); any failure raises and rolls the transaction back."""
    current = read_states(tx, [w.key for w in writes])
    for w in writes:
        check_expect(w.key, w.expect, current.get(w.key))
    phases = order_writes(writes)
    listed = {w.key for w in writes}
    part = ChangePart()
    # 1. Relationships deleted.
    gone = [w.key for w in phases[0] if not isinstance(w.key, str) and w.key in current]
    for w_key in gone:
        part.replaced.append(Replaced("deleted", w_key, current[w_key]))
    for rel_type, rows in _by_type(k for k in gone if not isinstance(k, str)).items():
        tx.run(f"UNWIND $keys AS k MATCH (a:{_ENTITY} {{uid: k[0]}})"
               f"-[r:{cypher_type(rel_type)} {{key: k[2]}}]->(b:{_ENTITY} {{uid: k[1]}}) "
               "DELETE r", {"keys": rows}).consume()
    # 2. Nodes deleted, with the relationships still attached (recorded).
    uids = [w.key for w in phases[1] if isinstance(w.key, str) and w.key in current]
    for rkey, state in sorted(read_attached(tx, uids).items()):
        if rkey not in listed:
            part.replaced.append(Replaced("deleted", rkey, state))
    for uid in uids:
        part.replaced.append(Replaced("deleted", uid, current[uid]))
    if uids:
        tx.run(f"UNWIND $uids AS u MATCH (n:{_ENTITY} {{uid: u}}) DETACH DELETE n",
               {"uids": uids}).consume()
    # 3. Nodes written whole, 4. relationships written whole.
    by_label: dict[str, list[dict[str, Any]]] = {}
    for w in phases[2]:
        assert isinstance(w.key, str) and w.state is not None
        label, node_id = split_uid(w.key)
        _note(part, w.key, current.get(w.key), w.state)
        by_label.setdefault(label, []).append(
            {"id": node_id, "all": {"id": node_id, "uid": w.key, **_checked_state(
                label, w.state, node=True)}})
    for label, node_rows in by_label.items():
        tx.run(f"UNWIND $rows AS row MERGE (n:{cypher_label(label)} {{id: row.id}}) "
               f"SET n = row.all, n:{_ENTITY}", {"rows": node_rows}).consume()
    by_type: dict[str, list[dict[str, Any]]] = {}
    for w in phases[3]:
        assert not isinstance(w.key, str) and w.state is not None
        rel_type, src, dst, key = w.key
        SCHEMA.check_endpoints(rel_type, split_uid(src)[0], split_uid(dst)[0])
        _note(part, w.key, current.get(w.key), w.state)
        by_type.setdefault(rel_type, []).append(
            {"s": src, "d": dst, "k": key,
             "all": {"key": key, **_checked_state(rel_type, w.state, node=False)}})
    for rel_type, rel_rows in by_type.items():
        typ = cypher_type(rel_type)
        n = tx.run(f"UNWIND $rows AS row MATCH (a:{_ENTITY} {{uid: row.s}}) "
                   f"MATCH (b:{_ENTITY} {{uid: row.d}}) "
                   f"MERGE (a)-[r:{typ} {{key: row.k}}]->(b) SET r = row.all "
                   "RETURN count(*) AS n", {"rows": rel_rows}).single(strict=True)["n"]
        if n != len(rel_rows):
            reject_missing(tx, rel_type, [(r["s"], r["d"]) for r in rel_rows])
    if record:
        write_part(tx, change, part)
    return part


def _note(part: ChangePart, key: FactKey, old: FactState | None, new: FactState) -> None:
    if old is None:
        part.added.append(key)
    else:
        outcome: Outcome = "reasserted" if same_values(old.props, new.props) else "changed"
        part.replaced.append(Replaced(outcome, key, old))


def _checked_state(owner: str, state: FactState, *, node: bool) -> dict[str, Any]:
    """The properties to store for ``state``, names checked against the schema."""
    allowed = SCHEMA.node(owner).prop_names if node else SCHEMA.rel(owner).prop_names
    _checked(list(state.props), allowed, owner)
    return state.stored()
