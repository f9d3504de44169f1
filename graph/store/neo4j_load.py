"""Bulk-load transactions for Neo4j: CREATE what is new, MERGE only what may exist.

The loader knows, before it writes, which of its nodes the graph already holds (it asks
once). Nodes that are new are written with ``CREATE`` -- no lookup before the insert --
and so are the relationships that touch them. ``MERGE`` (find, then create) is kept for
nodes the graph holds and for relationships between two such nodes.

Why this stays correct when two loads of the same data run at once: a relationship is
created only **in the same transaction that creates one of its endpoints** (the loader
puts each relationship into the batch of its later-created endpoint). No other
transaction can see that endpoint -- so none can write that relationship -- before this
one commits, and by then the relationship exists for their ``MERGE`` to find. Two
``CREATE`` s of one relationship would each need the other's endpoint to be committed
first, which cannot both happen. A ``CREATE`` batch that meets a node a concurrent load
created first fails on the uniqueness constraint, rolls back whole, and is rerun with
``MERGE`` for every node and relationship in it.

Rows are compact lists (no dict keys on the wire) with the property names fixed in the
statement; ``null`` entries in a ``CREATE`` map are simply not stored, and ``MERGE`` sets
every schema property (``null`` removes it), so a rewrite replaces a node's properties as
:meth:`graph.store.neo4j.Neo4jStore.upsert_nodes` does.
"""

from __future__ import annotations

from collections.abc import Sequence

from neo4j import ManagedTransaction

from graph.errors import SchemaError, StoreError
from graph.history.facts import PROVENANCE
from graph.messages import Message
from graph.schema import ENTITY_LABEL, SCHEMA, cypher_label, cypher_type
from graph.store.batch import LoadBatch, NodeRows, RelRows

__all__ = ["LoadBatch", "NodeRows", "RelRows", "node_statement", "rel_statement",
           "write_batch_tx"]

_ENTITY = f"`{ENTITY_LABEL}`"


def _checked(names: Sequence[str], allowed: tuple[str, ...], owner: str) -> tuple[str, ...]:
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise SchemaError(Message("schema.no_properties", owner=owner, names=sorted(unknown)))
    return tuple(names)


def node_statement(label: str, props: Sequence[str], create: bool) -> str:
    """``UNWIND $rows`` statement for :class:`NodeRows` of ``label`` (names whitelisted)."""
    kind = SCHEMA.node(label)
    names = _checked(props, kind.prop_names, kind.label)
    lbl = cypher_label(kind.label)
    if create:
        values = "".join(f", `{p}`: row[{i + 2}]" for i, p in enumerate(names))
        return (f"UNWIND $rows AS row CREATE (n:{lbl}:{_ENTITY} "
                f"{{id: row[0], uid: row[1]{values}}})")
    # Every schema property is set, absent ones to null: a rewrite replaces the node. A
    # write outside a change set leaves no provenance (graph.store.neo4j_change has both).
    sets = [f"n.`{p}` = row[{i + 2}]" for i, p in enumerate(names)]
    sets += [f"n.`{p}` = null" for p in kind.prop_names if p not in names]
    sets += [f"n.`{p}` = null" for p in PROVENANCE]
    return (f"UNWIND $rows AS row MERGE (n:{lbl} {{id: row[0]}}) "
            f"SET n:{_ENTITY}, n.uid = row[1]" + "".join(", " + s for s in sets))


def rel_statement(rel_type: str, props: Sequence[str], create: bool) -> str:
    """``UNWIND $rows`` statement for :class:`RelRows`, returning the rows it matched."""
    kind = SCHEMA.rel(rel_type)
    names = _checked(props, kind.prop_names, kind.type)
    typ = cypher_type(kind.type)
    match = (f"UNWIND $rows AS row MATCH (a:{_ENTITY} {{uid: row[0]}}) "
             f"MATCH (b:{_ENTITY} {{uid: row[1]}}) ")
    if create:
        values = "".join(f", `{p}`: row[{i + 3}]" for i, p in enumerate(names))
        return match + f"CREATE (a)-[:{typ} {{key: row[2]{values}}}]->(b) RETURN count(*) AS n"
    sets = [f"r.`{p}` = row[{i + 3}]" for i, p in enumerate(names)]
    sets += [f"r.`{p}` = null" for p in kind.prop_names if p not in names]
    sets += [f"r.`{p}` = null" for p in PROVENANCE]
    tail = (" SET " + ", ".join(sets)) if sets else ""
    return match + f"MERGE (a)-[r:{typ} {{key: row[2]}}]->(b){tail} RETURN count(*) AS n"


def write_batch_tx(tx: ManagedTransaction, batch: LoadBatch, create: bool, chunk: int) -> None:
    """Every group of ``batch`` in one transaction, statements of at most ``chunk`` rows."""
    for nodes in batch.nodes:
        query = node_statement(nodes.label, nodes.props, create)
        for i in range(0, len(nodes.rows), chunk):
            tx.run(query, {"rows": nodes.rows[i:i + chunk]}).consume()
    for rels in batch.rels:
        query = rel_statement(rels.type, rels.props, create)
        for i in range(0, len(rels.rows), chunk):
            rows = rels.rows[i:i + chunk]
            matched = tx.run(query, {"rows": rows}).single(strict=True)["n"]
            if matched != len(rows):  # an endpoint is missing: raising rolls back the batch
                reject_missing(tx, rels.type, [(r[0], r[1]) for r in rows])


def reject_missing(tx: ManagedTransaction, rel_type: str, ends: list[tuple[str, str]]) -> None:
    """Raise for the first (src, dst) whose endpoint is missing (rolling the batch back)."""
    uids = sorted({u for pair in ends for u in pair})
    present = {
        r["uid"]
        for r in tx.run(
            f"UNWIND $uids AS u MATCH (n:{_ENTITY} {{uid: u}}) RETURN n.uid AS uid",
            {"uids": uids},
        )
    }
    for src, dst in ends:
        missing = [u for u in (src, dst) if u not in present]
        if missing:
            raise StoreError(Message("store.missing_endpoints", type=rel_type, src=src, dst=dst,
                                     missing=missing))
    raise StoreError(Message("store.batch_unmatched", type=rel_type))
