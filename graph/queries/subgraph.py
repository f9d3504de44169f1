"""Subgraphs for graph views: a capped neighbourhood around a node, and shortest paths.

**Neighbourhood** (breadth first, relationships in either direction, through nodes the
user's scope shows): level 0 is the node; level *k + 1* holds the not yet included
neighbours of level *k*, taken in a fixed order -- by kind (the schema's
:attr:`~graph.schema.NodeKind.view_rank`: structure before evidence), then uid -- until
``limit`` nodes are included. Every included node closer than ``depth`` is *expanded*: the
result holds all its relationships to included nodes, and ``more[uid]`` counts its
neighbours in scope the cap left out (the "N more" a view shows). Filters: relationship
types, neighbour kinds, and ``as_of``, which drops tenures (relationships with
``start``/``end``) not held that day. Nodes out of scope are never taken, counted or
walked through, and neither are units above the scope: a view of them would show what
lies below them.

**Shortest paths**: all shortest undirected paths between two nodes up to ``max_depth``
hops through nodes in scope, as node sequences, the first ``limit`` in lexicographic order
of their uids (at most :data:`graph.store.paths.PATH_CAP` are considered), with every
relationship along them.

The stores' ``neighbourhood`` and ``shortest_paths`` operations select (Cypher in
:mod:`graph.store.cypher.subgraph`, walks in :mod:`graph.store.walks.subgraph`); this module
checks the arguments and shapes their rows, so both backends give identical results.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, Field
from pydantic.dataclasses import dataclass

from graph.errors import AmbiguousId, InvalidArgument, NotFound, SchemaError
from graph.messages import Message
from graph.queries.common import parse_date, uid_form
from graph.queries.models import NodeRef
from graph.schema import SCHEMA, split_uid
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore
from graph.store.ops.subgraph import OUTGOING, VIEW_PROPS, NeighbourhoodRow, PathsRow

MAX_LIMIT = 5000
MAX_DEPTH = 5
MAX_PATH_DEPTH = 10
MAX_PATHS = 100


# Nodes and edges are slotted pydantic dataclasses, not models: a model instance carries a
# __dict__ and a fields-set besides itself, three objects the garbage collector tracks; a
# thousand-node view made the collector run so often that it doubled the time of shaping
# and validation. One object each keeps that cost at a third (measured in
# tests/graph/queries/test_subgraph.py::test_a_view_is_few_tracked_objects).
@dataclass(slots=True)
class SubNode:
    uid: str
    label: str
    id: str
    caption: str
    #: Hops from the centre (neighbourhood) or position on the first path through it.
    level: int
    #: Short properties (long text such as goals and summaries left out).
    props: dict[str, Any] = dataclasses.field(default_factory=dict)

    def ref(self) -> NodeRef:
        return NodeRef(uid=self.uid, label=self.label, id=self.id, caption=self.caption)


@dataclass(slots=True)
class SubEdge:
    src: str
    dst: str
    type: str
    key: str
    props: dict[str, Any] = dataclasses.field(default_factory=dict)


class Subgraph(BaseModel):
    #: The centre (neighbourhood) or the two ends (paths).
    roots: list[str]
    nodes: list[SubNode]
    edges: list[SubEdge]
    #: uid → neighbours left out by the cap (only nodes that lost some).
    more: dict[str, int] = Field(default_factory=dict)
    truncated: bool = False
    #: Shortest paths as uid sequences (empty for a neighbourhood, or when none exists).
    paths: list[list[str]] = Field(default_factory=list)


# -- shared ------------------------------------------------------------------------------
#: Per uid prefix: (label, view property names, caption property, view rank).
_BY_PREFIX = {n.prefix: (n.label, VIEW_PROPS[n.label], n.caption, n.view_rank)
              for n in SCHEMA.nodes}
#: Per relationship type: its property names and key property names.
_REL_PROPS = {r.type: (r.prop_names, r.key) for r in SCHEMA.relationships}
_TYPES = SCHEMA.rel_types
Row = dict[str, Any]


def _rank(uid: str) -> tuple[int, str]:
    return (_BY_PREFIX[uid.partition(":")[0]][3], uid)


def _types(rel_types: Iterable[str] | None) -> list[str] | None:
    if rel_types is None:
        return None
    try:
        return sorted({SCHEMA.rel(t).type for t in rel_types})
    except SchemaError as exc:
        raise InvalidArgument("rel_types", exc.message) from None


def _labels(labels: Iterable[str] | None) -> list[str] | None:
    if labels is None:
        return None
    try:
        return sorted({SCHEMA.node(lbl).label for lbl in labels})
    except SchemaError as exc:
        raise InvalidArgument("labels", exc.message) from None


def _uid(store: GraphStore, ref: str, scope: Scope) -> str:
    """The uid a user means by ``ref`` (a uid, or a bare id naming one node in scope);
    whether a uid exists in scope is for the operation to find out (no round trip here)."""
    uid = uid_form(ref)
    if uid is not None:
        return uid
    found = sorted(store.reads.visible([n.uid for n in store.find_ids(ref)], scope))
    if not found:
        raise NotFound("node", ref)
    if len(found) > 1:
        raise AmbiguousId(ref, found)
    return found[0]


# Nodes and edges are shaped as dicts and the Subgraph validated once at the end: one
# pydantic-core pass over a thousand nodes costs a fraction of a thousand model objects
# built one by one in Python (model_construct included).
def _node(uid: str, values: Iterable[Any], level: int) -> Row:
    """A SubNode's fields from a node's view property values (in VIEW_PROPS order)."""
    prefix, _, node_id = uid.partition(":")
    label, names, caption_key, _ = _BY_PREFIX[prefix]
    props = {k: v for k, v in zip(names, values, strict=True) if v is not None}
    caption = props.get(caption_key)
    return {"uid": uid, "label": label, "id": node_id,
            "caption": str(caption) if caption not in (None, "") else node_id,
            "level": level, "props": props}


def _node_of(props: Mapping[str, Any], level: int) -> Row:
    uid = str(props["uid"])
    names = _BY_PREFIX[uid.partition(":")[0]][1]
    return _node(uid, (props.get(k) for k in names), level)


def _edge(rel_type: str, src: str, dst: str, props: Mapping[str, Any] | None) -> Row:
    names, key_names = _REL_PROPS[rel_type]
    clean = {k: v for k in names if (v := (props or {}).get(k)) is not None}
    key = "|".join("" if clean.get(k) is None else str(clean[k]) for k in key_names)
    return {"src": src, "dst": dst, "type": rel_type, "key": key, "props": clean}


def _ident(rel_type: str, src: str, dst: str, key: str) -> str:
    """An edge's identity as one string (no tuple to track), ordered as the tuple
    (type, src, dst, key) is: NUL sorts before every character a field holds."""
    return f"{rel_type}\0{src}\0{dst}\0{key}"


def _finish(roots: list[str], nodes: list[Row], edges: dict[str, Row],
            more: dict[str, int], paths: list[list[str]] | None = None) -> Subgraph:
    """The Subgraph of nodes (in view order), edges by identity and cut counts."""
    return Subgraph.model_validate({
        "roots": roots, "nodes": nodes, "edges": [edges[k] for k in sorted(edges)],
        "more": dict(sorted(more.items())), "truncated": bool(more), "paths": paths or []})


# -- neighbourhood --------------------------------------------------------------------------
def neighbourhood(
    store: GraphStore,
    node: str,
    *,
    depth: int = 1,
    rel_types: Iterable[str] | None = None,
    labels: Iterable[str] | None = None,
    limit: int = 200,
    as_of: str | None = None,
    scope: Scope = EVERYTHING_SCOPE,
) -> Subgraph:
    """The capped neighbourhood of ``node`` (uid or bare id), see the module docstring.

    Parameters
    ----------
    depth
        Hops from the node, 1..5.
    rel_types, labels
        Follow only these relationship types; include only neighbours of these kinds.
    limit
        At most this many nodes, the centre included (1..5000); as many as the scope
        shows, up to ``limit``.
    as_of
        Leave out tenures not held on this date.
    scope
        What the user may see: the neighbourhood is walked through its nodes only.

    Raises
    ------
    NotFound
        No such node in ``scope``.
    InvalidArgument
        Bad depth, limit, date, type or label.
    """
    if not 1 <= depth <= MAX_DEPTH:
        raise InvalidArgument("depth", Message("reason.between", min=1, max=MAX_DEPTH))
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidArgument("limit", Message("reason.between", min=1, max=MAX_LIMIT))
    types, kinds, day = _types(rel_types), _labels(labels), parse_date(as_of)
    centre = _uid(store, node, scope)
    row = store.reads.neighbourhood(centre, depth=depth, rel_types=types, labels=kinds,
                                    limit=limit, as_of=day, scope=scope)
    if row is None:
        raise NotFound(*split_uid(centre))
    return shape_neighbourhood(centre, row)


def shape_neighbourhood(centre: str, row: NeighbourhoodRow) -> Subgraph:
    """The Subgraph of a neighbourhood row (either store)."""
    # Levels come in view order (each level by rank and uid, as taken): no sort.
    nodes = [_node(item[0], itertools.islice(item, 1, None), k)
             for k, level in enumerate(row["levels"]) for item in level]
    edges: dict[str, Row] = {}
    more: dict[str, int] = {}
    for uid, others, codes, rich, cut in row["expanded"]:
        # ``rich`` holds the properties of the edges whose type has any, in their order.
        props = iter(rich)
        for other, code in zip(others, codes, strict=True):
            rel_type = _TYPES[code % OUTGOING]
            src, dst = (uid, other) if code >= OUTGOING else (other, uid)
            if _REL_PROPS[rel_type][0]:
                e = _edge(rel_type, src, dst, next(props))
                edges.setdefault(_ident(rel_type, src, dst, e["key"]), e)
            else:
                ident = _ident(rel_type, src, dst, "")
                if ident not in edges:
                    # Strings only (props left to its default): a dict the collector
                    # does not track.
                    edges[ident] = {"src": src, "dst": dst, "type": rel_type, "key": ""}
        if cut:
            more[uid] = cut
    return _finish([centre], nodes, edges, more)


# -- shortest paths ----------------------------------------------------------------------------
def shortest_paths(
    store: GraphStore,
    a: str,
    b: str,
    *,
    max_depth: int = 6,
    rel_types: Iterable[str] | None = None,
    limit: int = 5,
    scope: Scope = EVERYTHING_SCOPE,
) -> Subgraph:
    """All shortest undirected paths between ``a`` and ``b`` (uids or bare ids) through
    nodes in ``scope``.

    Returns a subgraph with ``paths`` (the first ``limit`` uid sequences in lexicographic
    order), their nodes (``level`` = position on the first path through the node) and every
    relationship along them; no path within ``max_depth`` hops gives empty ``paths``.

    Raises
    ------
    NotFound
        Either node does not exist in ``scope``.
    InvalidArgument
        ``max_depth`` outside 1..10, ``limit`` outside 1..100, unknown type.
    """
    if not 1 <= max_depth <= MAX_PATH_DEPTH:
        raise InvalidArgument("max_depth", Message("reason.between", min=1, max=MAX_PATH_DEPTH))
    if not 1 <= limit <= MAX_PATHS:
        raise InvalidArgument("limit", Message("reason.between", min=1, max=MAX_PATHS))
    types = _types(rel_types)
    start, end = _uid(store, a, scope), _uid(store, b, scope)
    row = store.reads.shortest_paths(start, end, max_depth=max_depth, rel_types=types,
                                     limit=limit, scope=scope)
    found = {str(p["uid"]) for p in row["ends"]}
    for uid in (start, end):
        if uid not in found:
            raise NotFound(*split_uid(uid))
    return shape_paths([start, end], row)


def shape_paths(roots: list[str], row: PathsRow) -> Subgraph:
    """The Subgraph of a paths row (either store)."""
    first: dict[str, Row] = {}
    edges: dict[str, Row] = {}
    for path in row["paths"]:
        for i, props in enumerate(path["nodes"]):
            if props["uid"] not in first:
                first[props["uid"]] = _node_of(props, i)
        for r in path["rels"]:
            e = _edge(r["type"], r["src"], r["dst"], r["props"])
            edges.setdefault(_ident(e["type"], e["src"], e["dst"], e["key"]), e)
    paths = [[str(p["uid"]) for p in path["nodes"]] for path in row["paths"]]
    nodes = sorted(first.values(), key=lambda n: (n["level"], *_rank(n["uid"])))
    return _finish(roots, nodes, edges, {}, paths)
