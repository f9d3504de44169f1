"""Subgraphs for graph views: a capped neighbourhood around a node, and shortest paths.

**Neighbourhood** (breadth first, relationships in either direction): level 0 is the node;
level *k + 1* holds the not yet included neighbours of level *k*, taken in a fixed order --
by kind (:data:`KIND_ORDER`: structure before evidence), then uid -- until ``limit`` nodes
are included. Every included node closer than ``depth`` is *expanded*: the result holds all
its relationships to included nodes, and ``more[uid]`` counts its neighbours the cap left
out (the "N more" a view shows). Filters: relationship types, neighbour kinds, and
``as_of``, which drops tenures (relationships with ``start``/``end``) not held that day.

**Shortest paths**: all shortest undirected paths between two nodes up to ``max_depth``
hops, as node sequences, the first ``limit`` in lexicographic order of their uids (at most
:data:`PATH_CAP` are considered), with every relationship along them.

Both backends return identical results for the same data: Neo4j answers a neighbourhood
with one query (a CALL per level, then the edges and cut counts, all in one record) and
paths with ``allShortestPaths`` (the depth from a whitelist); the embedded store walks its
MultiDiGraph; the ordering rules above are applied in both.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel, Field

from graph.errors import InvalidArgument, NotFound, SchemaError
from graph.queries.common import active, embedded, neo4j, no_gc, parse_date, resolve, uid_form
from graph.queries.models import NodeRef
from graph.schema import SCHEMA, cypher_type, split_uid
from graph.store.base import GraphStore, NodeRecord

#: Order in which a capped level takes neighbours: the structure of responsibility first.
KIND_ORDER: dict[str, int] = {p: i for i, p in enumerate((
    "unit", "person", "duty", "issue", "case", "accountability", "referral", "project",
    "inspection", "record",
))}
MAX_LIMIT = 5000
MAX_DEPTH = 5
MAX_PATH_DEPTH = 10
#: At most this many shortest paths are looked at before the first ``limit`` are chosen.
PATH_CAP = 1000
#: Hop bounds allowed in variable-length patterns (Cypher cannot take them as parameters).
_HOPS = {n: str(n) for n in range(1, MAX_PATH_DEPTH + 1)}


class SubNode(BaseModel):
    uid: str
    label: str
    id: str
    caption: str
    #: Hops from the centre (neighbourhood) or position on the first path through it.
    level: int
    #: Short properties (long text such as goals and summaries left out).
    props: dict[str, Any] = Field(default_factory=dict)

    def ref(self) -> NodeRef:
        return NodeRef(uid=self.uid, label=self.label, id=self.id, caption=self.caption)


class SubEdge(BaseModel):
    src: str
    dst: str
    type: str
    key: str
    props: dict[str, Any] = Field(default_factory=dict)


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
def _prio(uid: str) -> tuple[int, str]:
    return (KIND_ORDER.get(uid.partition(":")[0], len(KIND_ORDER)), uid)


def _types(rel_types: Iterable[str] | None) -> list[str] | None:
    if rel_types is None:
        return None
    try:
        return sorted({SCHEMA.rel(t).type for t in rel_types})
    except SchemaError as exc:
        raise InvalidArgument("rel_types", str(exc)) from None


def _labels(labels: Iterable[str] | None) -> list[str] | None:
    if labels is None:
        return None
    try:
        return sorted({SCHEMA.node(lbl).label for lbl in labels})
    except SchemaError as exc:
        raise InvalidArgument("labels", str(exc)) from None


#: Per label, the properties a subgraph node carries (long free text left out).
_SHORT = {n.label: tuple(p.name for p in n.properties if p.type != "text") for n in SCHEMA.nodes}
#: Per relationship type, its property names and key property names.
_REL_PROPS = {r.type: (r.prop_names, r.key) for r in SCHEMA.relationships}
_WITH_PROPS = sorted(r.type for r in SCHEMA.relationships if r.properties)
#: Relationship type ↔ small integer, for the one-integer edges of the neighbourhood query.
_TYPES = tuple(r.type for r in SCHEMA.relationships)
_TYPE_CODE = {t: i for i, t in enumerate(_TYPES)}
assert len(_TYPES) < 32


#: Types whose relationships carry properties (the others have an empty key).
_WITH_PROPS_SET = frozenset(_WITH_PROPS)
Row = dict[str, Any]


def _short_props(label: str, props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k in _SHORT[label] if (v := props.get(k)) is not None}


# Nodes and edges are shaped as dicts and the Subgraph validated once at the end: one
# pydantic-core pass over a thousand nodes costs a fraction of a thousand model objects
# built one by one in Python (model_construct included).
def _node_dict(uid: str, props: Mapping[str, Any], level: int) -> Row:
    label, node_id = split_uid(uid)
    caption = props.get(SCHEMA.node(label).caption)
    return {"uid": uid, "label": label, "id": node_id,
            "caption": str(caption) if caption not in (None, "") else node_id,
            "level": level, "props": _short_props(label, props)}


def _edge_dict(rel_type: str, src: str, dst: str, props: Mapping[str, Any] | None) -> Row:
    names, key_names = _REL_PROPS[rel_type]
    clean = {k: v for k in names if (v := (props or {}).get(k)) is not None}
    key = "|".join("" if clean.get(k) is None else str(clean[k]) for k in key_names)
    return {"src": src, "dst": dst, "type": rel_type, "key": key, "props": clean}


def _add_edge(edges: dict[tuple[str, str, str, str], Row], rel_type: str, src: str, dst: str,
              props: Mapping[str, Any] | None) -> None:
    """Add an edge once by its identity (type, src, dst, key)."""
    if rel_type not in _WITH_PROPS_SET:  # no properties: the key is empty, known at once
        if (rel_type, src, dst, "") not in edges:
            edges[(rel_type, src, dst, "")] = _edge_dict(rel_type, src, dst, None)
        return
    e = _edge_dict(rel_type, src, dst, props)
    edges.setdefault((rel_type, src, dst, e["key"]), e)


def _tenure_ok(props: Mapping[str, Any], as_of: str | None) -> bool:
    return as_of is None or active(props, as_of)


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
) -> Subgraph:
    """The capped neighbourhood of ``node`` (uid or bare id), see the module docstring.

    Parameters
    ----------
    depth
        Hops from the node, 1..5.
    rel_types, labels
        Follow only these relationship types; include only neighbours of these kinds.
    limit
        At most this many nodes, the centre included (1..5000).
    as_of
        Leave out tenures not held on this date.

    Raises
    ------
    NotFound
        No such node.
    InvalidArgument
        Bad depth, limit, date, type or label.
    """
    if not 1 <= depth <= MAX_DEPTH:
        raise InvalidArgument("depth", f"must be between 1 and {MAX_DEPTH}")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidArgument("limit", f"must be between 1 and {MAX_LIMIT}")
    types, kinds, day = _types(rel_types), _labels(labels), parse_date(as_of)
    db = neo4j(store)
    if db is not None:
        # A uid needs no lookup first: the query finds the centre, or nothing.
        uid = uid_form(node)
        centre = uid if uid is not None else resolve(store, node).uid
        with no_gc():  # decoding and shaping a thousand nodes (see no_gc)
            found = _neighbourhood_neo4j(db, centre, depth, types, kinds, limit, day)
        if found is None:
            raise NotFound(*split_uid(centre))
        return found
    centre_node = resolve(store, node)
    with no_gc():
        return _neighbourhood_embedded(store, centre_node, depth, types, kinds, limit, day)


def _neighbourhood_embedded(
    store: GraphStore, centre: NodeRecord, depth: int, types: list[str] | None,
    kinds: list[str] | None, limit: int, as_of: str | None,
) -> Subgraph:
    g = embedded(store).graph
    wanted_types = None if types is None else set(types)
    wanted_kinds = None if kinds is None else set(kinds)

    def links(u: str) -> Iterable[tuple[str, str, str, dict[str, Any]]]:
        """(src, dst, other, attrs) of every relationship at ``u`` that passes the filters."""
        for side, adj in (("out", g.succ[u]), ("in", g.pred[u])):
            for other, keyed in adj.items():
                if wanted_kinds is not None and g.nodes[other]["label"] not in wanted_kinds:
                    continue
                for attrs in keyed.values():
                    if wanted_types is not None and attrs["type"] not in wanted_types:
                        continue
                    if _tenure_ok(attrs, as_of):
                        src, dst = (u, other) if side == "out" else (other, u)
                        yield src, dst, other, attrs

    level = {centre.uid: 0}
    frontier = [centre.uid]
    for k in range(1, depth + 1):
        room = limit - len(level)
        if room <= 0 or not frontier:
            break
        found = {o for f in frontier for _, _, o, _ in links(f) if o not in level}
        frontier = sorted(found, key=_prio)[:room]
        level.update((u, k) for u in frontier)

    edges: dict[tuple[str, str, str, str], Row] = {}
    more = {}
    for u in (u for u, lv in level.items() if lv < depth):
        cut = set()
        for src, dst, other, attrs in links(u):
            if other in level:
                _add_edge(edges, attrs["type"], src, dst, attrs)
            else:
                cut.add(other)
        if cut:
            more[u] = len(cut)
    nodes = [_node_dict(u, g.nodes[u], lv) for u, lv in level.items()]
    return _finish([centre.uid], nodes, list(edges.values()), more)


def _finish(roots: list[str], nodes: list[Row], edges: list[Row],
            more: dict[str, int], paths: list[list[str]] | None = None) -> Subgraph:
    nodes.sort(key=lambda n: (n["level"], *_prio(n["uid"])))
    unique = {(e["type"], e["src"], e["dst"], e["key"]): e for e in edges}
    return Subgraph.model_validate({
        "roots": roots, "nodes": nodes, "edges": [unique[k] for k in sorted(unique)],
        "more": dict(sorted(more.items())), "truncated": bool(more), "paths": paths or []})


def _rel_pattern(types: list[str] | None) -> str:
    return "" if types is None else ":" + "|".join(cypher_type(t) for t in types)


_FILTERS = """
  ($labels IS NULL OR any(l IN labels(b) WHERE l IN $labels))
  AND ($as_of IS NULL
       OR ((r.start IS NULL OR r.start <= $as_of) AND (r.end IS NULL OR r.end >= $as_of)))
"""


def _short_projection(var: str) -> str:
    """``CASE split(b.uid, ':')[0] WHEN 'unit' THEN [b.name, b.kind, b.level, b.code] ...
    END``: only the short properties travel, as a list in :data:`_SHORT` order (no keys to
    decode). The kind is read off the uid (read anyway), not tested label by label; labels,
    prefixes and property names come from the schema, the whitelist."""
    cases = "".join(
        f" WHEN '{SCHEMA.node(label).prefix}' THEN [{', '.join(f'{var}.`{k}`' for k in names)}]"
        for label, names in _SHORT.items()
    )
    return f"CASE split({var}.uid, ':')[0]" + cases + " ELSE [] END"


#: Per uid prefix: (label, short property names, caption property).
_BY_PREFIX = {n.prefix: (n.label, _SHORT[n.label], n.caption) for n in SCHEMA.nodes}


def _short_node(uid: str, values: list[Any], level: int) -> Row:
    """:func:`_node_dict` of a :func:`_short_projection` row, without the general path's
    lookups (a thousand of these per view)."""
    prefix, _, node_id = uid.partition(":")
    label, names, caption_key = _BY_PREFIX[prefix]
    props = {k: v for k, v in zip(names, values, strict=False) if v is not None}
    caption = props.get(caption_key)
    return {"uid": uid, "label": label, "id": node_id,
            "caption": str(caption) if caption not in (None, "") else node_id,
            "level": level, "props": props}


def _neighbourhood_query(types: list[str] | None, depth: int) -> str:
    """One round trip, one record: each level chosen in a CALL (``seen`` is a list, but
    Cypher checks ``IN`` against a list through a hash set), then every relationship of
    each expanded node, the other end named by uid (``included`` or not is decided here,
    with the same set). Per-row overhead in the driver dominated when levels and edges
    came back as thousands of records; now they come back as lists in one record."""
    pattern = _rel_pattern(types)
    level = (
        "CALL (seen, frontier) {\n"
        "  UNWIND CASE WHEN size(seen) < $limit THEN frontier ELSE [] END AS a\n"
        "  MATCH (a)-[r" + pattern + "]-(b:Entity)\n"
        "  WHERE NOT b IN seen AND " + _FILTERS + "\n"
        "  WITH DISTINCT b\n"
        "  ORDER BY coalesce($prio[split(b.uid, ':')[0]], $nprio), b.uid\n"
        "  RETURN collect(b) AS found\n"
        "}\n"
        "WITH seen, levels,\n"
        "     found[..CASE WHEN $limit > size(seen) THEN $limit - size(seen) ELSE 0 END] AS next\n"
        "WITH seen + next AS seen, next AS frontier, levels + [next] AS levels\n"
    )
    return (
        "MATCH (c:Entity {uid: $uid})\n"
        "WITH [c] AS seen, [c] AS frontier, [[c]] AS levels\n"
        + level * _DEPTHS[depth]
        + "WITH seen, levels, [lv IN levels | [b IN lv | [b.uid, " + _short_projection("b")
        + "]]] AS nodes\n"
        "UNWIND range(0, size(levels) - 2) AS k\n"
        "UNWIND levels[k] AS a\n"
        "CALL (a, seen) {\n"
        "  MATCH (a)-[r" + pattern + "]-(b:Entity)\n"
        "  WHERE " + _FILTERS + "\n"
        "  WITH r, b, b IN seen AS inc,\n"
        "       CASE WHEN startNode(r) = a THEN 32 ELSE 0 END + $type_code[type(r)] AS code\n"
        "  RETURN collect(CASE WHEN inc THEN b.uid END) AS others,\n"
        "         collect(CASE WHEN inc THEN code END) AS codes,\n"
        "         collect(CASE WHEN inc AND type(r) IN $with_props THEN properties(r) END)\n"
        "           AS rich,\n"
        "         count(DISTINCT CASE WHEN NOT inc THEN b END) AS cut\n"
        "}\n"
        "RETURN nodes, collect([a.uid, others, codes, rich, cut]) AS adjacency"
    )


#: Depths allowed in the neighbourhood query text (levels are unrolled, one CALL each).
_DEPTHS = {n: n for n in range(1, MAX_DEPTH + 1)}


def _neighbourhood_neo4j(
    db: Any, centre: str, depth: int, types: list[str] | None,
    kinds: list[str] | None, limit: int, as_of: str | None,
) -> Subgraph | None:
    """The neighbourhood, or None when no node has uid ``centre``."""
    rows = db.read_plain(_neighbourhood_query(types, depth), {
        "uid": centre, "labels": kinds, "as_of": as_of, "limit": limit, "prio": KIND_ORDER,
        "nprio": len(KIND_ORDER), "with_props": _WITH_PROPS, "type_code": _TYPE_CODE})
    if not rows:
        return None
    return _shape_neighbourhood(centre, rows[0])


def _shape_neighbourhood(centre: str, row: Row) -> Subgraph:
    """The Subgraph of the neighbourhood query's one row."""
    nodes = [_short_node(uid, values, k)
             for k, level in enumerate(row["nodes"]) for uid, values in level]
    edges: dict[tuple[str, str, str, str], Row] = {}
    more: dict[str, int] = {}
    for uid, others, codes, rich, cut in row["adjacency"]:
        # collect() drops the nulls, and ``rich`` only has entries for typed-with-props
        # edges, in the same order as theirs in ``others``/``codes``.
        props = iter(rich)
        for other, code in zip(others, codes, strict=True):
            rel_type = _TYPES[code & 31]
            src, dst = (uid, other) if code & 32 else (other, uid)
            if rel_type in _WITH_PROPS_SET:
                _add_edge(edges, rel_type, src, dst, next(props))
            elif (rel_type, src, dst, "") not in edges:
                edges[(rel_type, src, dst, "")] = {"src": src, "dst": dst, "type": rel_type,
                                                   "key": "", "props": {}}
        if cut:
            more[uid] = int(cut)
    return _finish([centre], nodes, list(edges.values()), more)


# -- shortest paths ----------------------------------------------------------------------------
def shortest_paths(
    store: GraphStore,
    a: str,
    b: str,
    *,
    max_depth: int = 6,
    rel_types: Iterable[str] | None = None,
    limit: int = 5,
) -> Subgraph:
    """All shortest undirected paths between ``a`` and ``b`` (uids or bare ids).

    Returns a subgraph with ``paths`` (the first ``limit`` uid sequences in lexicographic
    order), their nodes (``level`` = position on the first path through the node) and every
    relationship along them; no path within ``max_depth`` hops gives empty ``paths``.

    Raises
    ------
    NotFound
        Either node does not exist.
    InvalidArgument
        ``max_depth`` outside 1..10, ``limit`` outside 1..100, unknown type.
    """
    if not 1 <= max_depth <= MAX_PATH_DEPTH:
        raise InvalidArgument("max_depth", f"must be between 1 and {MAX_PATH_DEPTH}")
    if not 1 <= limit <= 100:
        raise InvalidArgument("limit", "must be between 1 and 100")
    types = _types(rel_types)
    start, end = resolve(store, a), resolve(store, b)
    roots = [start.uid, end.uid]
    if start.uid == end.uid:
        return _finish(roots, [_node_dict(start.uid, start.props, 0)], [], {}, [[start.uid]])
    db = neo4j(store)
    if db is not None:
        return _paths_neo4j(db, start, end, max_depth, types, limit)
    return _paths_embedded(store, start, end, max_depth, types, limit)


def _paths_result(
    roots: list[str],
    seqs: list[list[str]],
    limit: int,
    props_of: Callable[[str], Mapping[str, Any]],
    edges_of: Callable[[str, str], list[Row]],
) -> Subgraph:
    chosen = sorted({tuple(s) for s in seqs})[:limit]
    first: dict[str, int] = {}
    edges: list[Row] = []
    for seq in chosen:
        for i, u in enumerate(seq):
            first.setdefault(u, i)
        for u, v in itertools.pairwise(seq):
            edges.extend(edges_of(u, v))
    nodes = [_node_dict(u, props_of(u), lv) for u, lv in first.items()]
    return _finish(roots, nodes, edges, {}, [list(s) for s in chosen])


class _Side:
    """One end of a bidirectional breadth-first search (embedded shortest paths)."""

    def __init__(self, root: str) -> None:
        self.dist: dict[str, int] = {root: 0}
        self.preds: dict[str, list[str]] = {root: []}
        self.frontier = [root]

    def expand(self, around: Callable[[str], set[str]]) -> None:
        level = self.dist[self.frontier[0]] + 1
        nxt: list[str] = []
        for u in self.frontier:
            for v in around(u):
                if v not in self.dist:
                    self.dist[v], self.preds[v] = level, [u]
                    nxt.append(v)
                elif self.dist[v] == level:
                    self.preds[v].append(u)
        self.frontier = nxt

    def paths(self, node: str) -> Iterator[list[str]]:
        """Every shortest path from ``node`` back to the root (node first)."""
        stack = [[node]]
        while stack:
            path = stack.pop()
            preds = self.preds[path[-1]]
            if not preds:
                yield path
            stack.extend([*path, p] for p in sorted(preds, reverse=True))


def _paths_embedded(
    store: GraphStore, start: NodeRecord, end: NodeRecord, max_depth: int,
    types: list[str] | None, limit: int,
) -> Subgraph:
    g = embedded(store).graph
    wanted = None if types is None else set(types)

    def ok(keyed: Mapping[str, Mapping[str, Any]]) -> bool:
        return any(wanted is None or a["type"] in wanted for a in keyed.values())

    def around(u: str) -> set[str]:
        return ({v for v, kd in g.succ[u].items() if ok(kd)}
                | {v for v, kd in g.pred[u].items() if ok(kd)})

    # Breadth first from both ends, one whole level of the smaller frontier at a time,
    # recording every predecessor on a shortest path; the levels that meet hold the middle
    # nodes of every shortest path (both sides' levels were complete when they met).
    sides = [_Side(start.uid), _Side(end.uid)]
    middle: list[str] = []
    hops = 0
    while not middle and hops < max_depth:
        side, other = sorted(sides, key=lambda sd: len(sd.frontier))
        if not side.frontier:
            break
        side.expand(around)
        hops += 1
        middle = sorted(u for u in side.frontier if u in other.dist)
    joined = (left[::-1] + right[1:] for m in middle
              for left in sides[0].paths(m) for right in sides[1].paths(m))
    seqs = list(itertools.islice(joined, PATH_CAP))

    def edges_of(u: str, v: str) -> list[Row]:
        out = [(u, v, a) for a in g.succ[u].get(v, {}).values()]
        out += [(v, u, a) for a in g.succ[v].get(u, {}).values()]
        return [_edge_dict(a["type"], s, d, a)
                for s, d, a in out if wanted is None or a["type"] in wanted]

    return _paths_result([start.uid, end.uid], seqs, limit, lambda u: g.nodes[u], edges_of)


def _paths_query(types: list[str] | None, max_depth: int) -> str:
    return (
        "MATCH (a:Entity {uid: $a}), (b:Entity {uid: $b})\n"
        "MATCH p = allShortestPaths((a)-[" + _rel_pattern(types) + "*.." + _HOPS[max_depth]
        + "]-(b))\n"
        "RETURN [n IN nodes(p) | properties(n)] AS nodes,\n"
        "       [r IN relationships(p) | {type: type(r), src: startNode(r).uid,\n"
        "                                 dst: endNode(r).uid, props: properties(r)}] AS rels\n"
        "LIMIT $cap"
    )


def _paths_neo4j(
    db: Any, start: NodeRecord, end: NodeRecord, max_depth: int, types: list[str] | None,
    limit: int,
) -> Subgraph:
    rows = db.read_plain(_paths_query(types, max_depth),
                         {"a": start.uid, "b": end.uid, "cap": PATH_CAP})
    props: dict[str, Mapping[str, Any]] = {}
    pair_edges: dict[frozenset[str], list[Row]] = {}
    seqs = []
    for row in rows:
        seqs.append([n["uid"] for n in row["nodes"]])
        for n in row["nodes"]:
            props[n["uid"]] = n
        for r in row["rels"]:
            pair_edges.setdefault(frozenset((r["src"], r["dst"])), []).append(
                _edge_dict(r["type"], r["src"], r["dst"], r["props"]))
    return _paths_result([start.uid, end.uid], seqs, limit, lambda u: props[u],
                         lambda u, v: pair_edges.get(frozenset((u, v)), []))
