"""Writes of change sets on the embedded store's ``MultiDiGraph``, with their parts.

The same rules as Neo4j's (:mod:`graph.store.neo4j_change`): a load batch writes each fact
whole with its provenance -- a fact asserted again with the values it has keeps its sources
and gains the row's, a fact whose values change gets the row's alone -- and a state write
sets a fact to an exact state or deletes it (a node with its relationships). Each call
returns the :class:`graph.history.model.ChangePart` of what it did. The caller holds the
store's lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from graph.errors import StoreError
from graph.history.facts import (
    CHANGE,
    SOURCES,
    FactKey,
    FactState,
    RelKey,
    add_source,
    same_values,
)
from graph.history.model import ChangePart, Outcome, Replaced
from graph.messages import Message
from graph.schema import SCHEMA, split_uid
from graph.store.base import RelRecord, check_rel, clean_props, edge_key
from graph.store.batch import LoadBatch
from graph.store.history import StateWrite, check_expect, order_writes

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore

_NODE_SKIP = ("label", "id")
_REL_SKIP = ("type",)


def node_state(store: EmbeddedStore, uid: str) -> FactState | None:
    attrs = store.graph.nodes.get(uid)
    return None if attrs is None else FactState.of(attrs, _NODE_SKIP)


def rel_state(store: EmbeddedStore, key: RelKey) -> FactState | None:
    rel_type, src, dst, rel_key = key
    g = store.graph
    k = edge_key(rel_type, rel_key)
    if not g.has_edge(src, dst, k):
        return None
    return FactState.of(g.edges[src, dst, k], _REL_SKIP)


def state_of(store: EmbeddedStore, key: FactKey) -> FactState | None:
    return node_state(store, key) if isinstance(key, str) else rel_state(store, key)


def _put_node(store: EmbeddedStore, uid: str, attrs: dict[str, Any]) -> None:
    g = store.graph
    if uid in g:
        g.nodes[uid].clear()
        g.nodes[uid].update(attrs)
    else:
        g.add_node(uid, **attrs)
        store._by_id.setdefault(attrs["id"], set()).add(uid)


def _put_rel(store: EmbeddedStore, key: RelKey, attrs: dict[str, Any]) -> None:
    rel_type, src, dst, rel_key = key
    g = store.graph
    k = edge_key(rel_type, rel_key)
    if g.has_edge(src, dst, k):
        edge = g.edges[src, dst, k]
        edge.clear()
        edge.update(type=rel_type, **attrs)
    else:
        g.add_edge(src, dst, key=k, type=rel_type, **attrs)


def write_load_batch(store: EmbeddedStore, batch: LoadBatch) -> ChangePart:
    """Write a load batch (rows ending in their source token) as change ``batch.change``.

    Everything is checked first (schema properties, relationship kinds, endpoints in the
    graph or the batch): a bad batch raises :class:`graph.errors.StoreError` and writes
    nothing.
    """
    assert batch.change is not None
    change = batch.change
    g = store.graph
    nodes: list[tuple[str, dict[str, Any], dict[str, Any], str]] = []
    for group in batch.nodes:
        n = len(group.props)
        for row in group.rows:
            props = clean_props(group.label, dict(zip(group.props, row[2:2 + n], strict=True)),
                                node=True)
            nodes.append((str(row[1]), {"label": group.label, "id": str(row[0])},
                          {k: v for k, v in props.items() if v is not None}, str(row[2 + n])))
    batch_uids = {uid for uid, _, _, _ in nodes}
    rels: list[tuple[RelKey, dict[str, Any], str]] = []
    for rgroup in batch.rels:
        n = len(rgroup.props)
        for row in rgroup.rows:
            key: RelKey = (rgroup.type, str(row[0]), str(row[1]), str(row[2]))
            check_rel(RelRecord(rgroup.type, key[1], key[2]))
            props = clean_props(rgroup.type, dict(zip(rgroup.props, row[3:3 + n], strict=True)),
                                node=False)
            missing = [u for u in key[1:3] if u not in g and u not in batch_uids]
            if missing:
                raise StoreError(Message("store.missing_endpoints", type=rgroup.type,
                                         src=key[1], dst=key[2], missing=missing))
            rels.append((key, {k: v for k, v in props.items() if v is not None},
                         str(row[3 + n])))
    part = ChangePart()
    for uid, ident, props, tok in nodes:
        old = g.nodes.get(uid)
        sources = _record(part, uid, None if old is None else FactState.of(old, _NODE_SKIP),
                          props, tok, change)
        _put_node(store, uid, {**ident, **props, CHANGE: change, SOURCES: sources})
    for rkey, props, tok in rels:
        sources = _record(part, rkey, rel_state(store, rkey), props, tok, change)
        _put_rel(store, rkey, {**props, CHANGE: change, SOURCES: sources})
    return part


def _record(part: ChangePart, key: FactKey, old: FactState | None, props: dict[str, Any],
            tok: str, change: int) -> str:
    """Record what writing ``props`` from source ``tok`` does to a fact; its new sources."""
    if old is None:
        part.added.append(key)
        return tok
    if same_values(old.props, props):
        part.replaced.append(Replaced("reasserted", key, FactState({}, old.change, old.sources)))
        return add_source(old.sources, tok)
    part.replaced.append(Replaced("changed", key, old))
    return tok


def apply_states(store: EmbeddedStore, change: int, writes: Sequence[StateWrite]) -> ChangePart:
    """Set each fact to its state (or delete it), if every guard holds; else raise
    :class:`graph.store.history.Conflict` having written nothing."""
    g = store.graph
    for w in writes:
        check_expect(w.key, w.expect, state_of(store, w.key))
    phases = order_writes(writes)
    # Check the writes themselves before changing anything.
    created = {w.key for w in phases[2] if isinstance(w.key, str)}
    deleted = {w.key for w in phases[1] if isinstance(w.key, str)}
    for w in phases[2]:
        assert isinstance(w.key, str) and w.state is not None
        clean_props(split_uid(w.key)[0], dict(w.state.props), node=True)
    for w in phases[3]:
        assert not isinstance(w.key, str) and w.state is not None
        rel_type, src, dst, _ = w.key
        check_rel(RelRecord(rel_type, src, dst))
        clean_props(rel_type, dict(w.state.props), node=False)
        missing = [u for u in (src, dst) if (u not in g or u in deleted) and u not in created]
        if missing:
            raise StoreError(Message("store.missing_endpoints", type=rel_type, src=src,
                                     dst=dst, missing=missing))
    part = ChangePart()
    listed = {w.key for w in writes}
    for w in phases[0]:
        assert not isinstance(w.key, str)
        old = rel_state(store, w.key)
        if old is not None:
            part.replaced.append(Replaced("deleted", w.key, old))
            g.remove_edge(w.key[1], w.key[2], edge_key(w.key[0], w.key[3]))
    for w in phases[1]:
        assert isinstance(w.key, str)
        uid = w.key
        if uid not in g:
            continue
        for rkey in attached(store, [uid]):
            if rkey not in listed:  # its relationships go with it, recorded
                part.replaced.append(Replaced("deleted", rkey, rel_state(store, rkey)
                                              or FactState()))
        part.replaced.append(Replaced("deleted", uid, FactState.of(g.nodes[uid], _NODE_SKIP)))
        node_id = g.nodes[uid]["id"]
        g.remove_node(uid)
        ids = store._by_id.get(node_id)
        if ids is not None:
            ids.discard(uid)
            if not ids:
                del store._by_id[node_id]
    for w in phases[2] + phases[3]:
        assert w.state is not None
        old = state_of(store, w.key)
        if old is None:
            part.added.append(w.key)
        else:
            outcome: Outcome = ("reasserted" if same_values(old.props, w.state.props)
                                else "changed")
            part.replaced.append(Replaced(outcome, w.key, old))
        if isinstance(w.key, str):
            label, node_id = split_uid(w.key)
            _put_node(store, w.key, {"label": SCHEMA.node(label).label, "id": node_id,
                                     **w.state.stored()})
        else:
            _put_rel(store, w.key, w.state.stored())
    return part


def attached(store: EmbeddedStore, uids: Iterable[str]) -> list[RelKey]:
    """Every relationship touching one of ``uids``, once each, sorted."""
    g = store.graph
    found: set[RelKey] = set()
    for uid in uids:
        if uid not in g:
            continue
        for src, dst, k, a in g.out_edges(uid, keys=True, data=True):
            found.add((a["type"], src, dst, k.partition("|")[2]))
        for src, dst, k, a in g.in_edges(uid, keys=True, data=True):
            found.add((a["type"], src, dst, k.partition("|")[2]))
    return sorted(found)


def fact_keys(store: EmbeddedStore, labels: Iterable[str],
              rel_types: Iterable[str]) -> list[FactKey]:
    """Every node of ``labels`` and relationship of ``rel_types`` in the graph."""
    g = store.graph
    wanted = {SCHEMA.node(lbl).label for lbl in labels}
    types = {SCHEMA.rel(t).type for t in rel_types}
    out: list[FactKey] = [uid for uid, a in g.nodes(data=True) if a["label"] in wanted]
    if types:
        out.extend((a["type"], s, d, k.partition("|")[2])
                   for s, d, k, a in g.edges(keys=True, data=True) if a["type"] in types)
    return out
