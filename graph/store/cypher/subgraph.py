"""Graph views in Cypher: a capped neighbourhood, and shortest paths, through nodes in
scope only (the rules are those of :mod:`graph.queries.subgraph`).

**Neighbourhood**: one round trip, one record. Each level is chosen in a CALL (``seen`` is
a list, but Cypher checks ``IN`` against a list through a hash set): the not yet included
neighbours of the level before that pass the filters and the scope, by view rank and uid,
cut to the room left. Then every relationship of each expanded node, the other end named
by uid; ``included`` or not is decided with the same set, and a node left out counts
towards the cut only when the scope shows it. Levels and edges come back as lists in one
record: per-record overhead in the driver dominated when they came as thousands.

**Shortest paths**: for a user who sees everything, ``allShortestPaths`` (one round trip,
with the ends). A scope check inside its path predicate makes Neo4j fall back to an
exhaustive search (seconds at district scale), so for a scoped user the search runs
level by level (:func:`graph.store.paths.shortest_sequences`), one query per level
expanding the smaller side's frontier through nodes in scope, then one for the chosen
paths' nodes and relationships.

A user who sees everything gets query text without the scope predicates at all (they
would be ``$scope_all OR ...``): the same plans and speed as before scope existed.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any, LiteralString, cast

from graph.schema import SCHEMA, cypher_type
from graph.scope import Scope
from graph.store.cypher.scope import compose, in_scope
from graph.store.ops.common import Props
from graph.store.ops.subgraph import (
    OUTGOING,
    TYPE_INDEX,
    VIEW_PROPS,
    Expansion,
    NeighbourhoodRow,
    PathRelRow,
    PathRow,
    PathsRow,
    ViewNode,
)
from graph.store.paths import PATH_CAP, shortest_sequences

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore

MAX_DEPTH = 10
#: Per uid prefix, the kind's rank in graph views.
_RANK = {n.prefix: n.view_rank for n in SCHEMA.nodes}
#: Types whose relationships carry properties (the others have an empty key).
_WITH_PROPS = sorted(r.type for r in SCHEMA.relationships if r.properties)
_REL_PROPS = {r.type: r.prop_names for r in SCHEMA.relationships}


def _rel_pattern(types: Sequence[str] | None) -> str:
    return "" if types is None else ":" + "|".join(cypher_type(t) for t in types)


def _scope(var: str, scoped: bool) -> str:
    return in_scope(var) if scoped else "true"


def _view_projection(var: str) -> str:
    """``CASE split(b.uid, ':')[0] WHEN 'unit' THEN [b.name, b.kind, b.level, b.code] ...
    END``: only the view properties travel, as a list in :data:`VIEW_PROPS` order (no keys
    to decode). The kind is read off the uid (read anyway), not tested label by label."""
    cases = "".join(
        f" WHEN '{SCHEMA.node(label).prefix}' THEN [{', '.join(f'{var}.`{k}`' for k in names)}]"
        for label, names in VIEW_PROPS.items())
    return f"CASE split({var}.uid, ':')[0]" + cases + " ELSE [] END"


def _rel_projection(var: str) -> str:
    """``CASE type(r) WHEN 'SERVES_IN' THEN r {.role, .start, .end} ... END``: the schema
    properties of a relationship whose type has any (``null`` for the others, which
    ``collect`` leaves out), and nothing of its provenance, which a view does not show and
    which would otherwise travel with every edge."""
    cases = "".join(
        f" WHEN '{t}' THEN {var} {{{', '.join(f'.`{k}`' for k in _REL_PROPS[t])}}}"
        for t in _WITH_PROPS)
    return f"CASE type({var})" + cases + " END"


_FILTERS = """
  ($labels IS NULL OR any(l IN labels(b) WHERE l IN $labels))
  AND ($as_of IS NULL
       OR ((r.start IS NULL OR r.start <= $as_of) AND (r.end IS NULL OR r.end >= $as_of)))
"""


@functools.lru_cache(maxsize=64)
def neighbourhood_query(types: tuple[str, ...] | None, depth: int, scoped: bool) -> LiteralString:
    """The neighbourhood query for the relationship types (``None``: all), depth (levels
    unrolled, one CALL each) and whether a scope applies. Text from the schema only.

    Scoped, each level checks every candidate once -- even when the cap left no room, for
    the "N more" of the level before -- and keeps those in scope (``shown``); the counts
    of what the cap cut then look them up instead of checking again.
    """
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(depth)
    pattern = _rel_pattern(types)
    room = "CASE WHEN $limit > size(seen) THEN $limit - size(seen) ELSE 0 END"
    level = (
        "CALL (seen, frontier) {\n"
        + ("  UNWIND frontier AS a\n" if scoped else
           "  UNWIND CASE WHEN size(seen) < $limit THEN frontier ELSE [] END AS a\n")
        + "  MATCH (a)-[r" + pattern + "]-(b:Entity)\n"
        "  WHERE NOT b IN seen AND " + _FILTERS + "\n"
        "  WITH DISTINCT b\n"
        + ("  WHERE " + in_scope("b") + "\n" if scoped else "")
        + "  WITH b ORDER BY coalesce($rank[split(b.uid, ':')[0]], $nrank), b.uid\n"
        "  RETURN collect(b) AS found\n"
        "}\n"
        "WITH seen, levels, shown" + (" + found" if scoped else "") + " AS shown,\n"
        "     found[.." + room + "] AS next\n"
        "WITH seen + next AS seen, next AS frontier, levels + [next] AS levels, shown\n"
    )
    return compose(
        "MATCH (c:Entity {uid: $uid}) WHERE ", _scope("c", scoped), "\n"
        "WITH [c] AS seen, [c] AS frontier, [[c]] AS levels, [] AS shown\n",
        level * depth,
        "WITH seen, levels, shown, [lv IN levels | [b IN lv | [b.uid] + ",
        _view_projection("b"), "]] AS nodes\n"
        "UNWIND range(0, size(levels) - 2) AS k\n"
        "UNWIND levels[k] AS a\n"
        "CALL (a, seen, shown) {\n"
        "  MATCH (a)-[r", pattern, "]-(b:Entity)\n"
        "  WHERE ", _FILTERS, "\n"
        "  WITH r, b, b IN seen AS inc\n",
        "  WHERE inc OR b IN shown\n" if scoped else "",
        "  WITH r, b, inc,\n"
        "       CASE WHEN startNode(r) = a THEN $outgoing ELSE 0 END + $type_index[type(r)]"
        " AS code\n"
        "  RETURN collect(CASE WHEN inc THEN b.uid END) AS others,\n"
        "         collect(CASE WHEN inc THEN code END) AS codes,\n"
        "         collect(CASE WHEN inc THEN ", _rel_projection("r"), " END) AS rich,\n"
        "         count(DISTINCT CASE WHEN NOT inc THEN b END) AS cut\n"
        "}\n"
        "RETURN nodes, collect([a.uid, others, codes, rich, cut]) AS expanded")


def _schema_props(rel_type: str, props: Mapping[str, Any]) -> Props:
    return {k: v for k in _REL_PROPS[rel_type] if (v := props.get(k)) is not None}


_ENDS = compose("""
UNWIND $uids AS uid
MATCH (n:Entity {uid: uid}) WHERE """, in_scope("n"), """
RETURN properties(n) AS props
""")


@functools.lru_cache(maxsize=64)
def paths_query(types: tuple[str, ...] | None, max_depth: int, scoped: bool) -> LiteralString:
    """All shortest paths between two nodes, whatever the scope (the hop bound must be
    literal text; it is an int checked here); ``scoped``: with whether each path runs
    through nodes in scope only, checked on the paths found (not inside the search)."""
    if not 1 <= max_depth <= MAX_DEPTH:
        raise ValueError(max_depth)
    return compose(
        "MATCH (a:Entity {uid: $a}), (b:Entity {uid: $b})\n"
        "MATCH p = allShortestPaths((a)-[", _rel_pattern(types), "*..", str(int(max_depth)),
        "]-(b))\n"
        "RETURN [n IN nodes(p) | properties(n)] AS nodes,\n"
        "       [r IN relationships(p) | [type(r), startNode(r).uid, endNode(r).uid,\n"
        "                                 properties(r)]] AS rels,\n"
        "       ", "all(n IN nodes(p) WHERE " + in_scope("n") + ")" if scoped else "true",
        " AS shown\n"
        "LIMIT $cap")


@functools.lru_cache(maxsize=64)
def _expand_query(types: tuple[str, ...] | None) -> LiteralString:
    """One level of the scoped path search: the neighbours in scope of a frontier."""
    return compose(
        "UNWIND $frontier AS u\n"
        "MATCH (a:Entity {uid: u})-[", _rel_pattern(types), "]-(b:Entity)\n"
        "WHERE NOT b.uid IN $seen\n"
        "WITH DISTINCT u, b\n"  # each pair once before the scope check
        "WHERE ", in_scope("b"), "\n"
        "RETURN u, collect(b.uid) AS next")


@functools.lru_cache(maxsize=64)
def _along_query(types: tuple[str, ...] | None) -> LiteralString:
    """The nodes and the relationships between consecutive nodes of chosen paths."""
    return compose(
        "CALL () { UNWIND $uids AS uid MATCH (n:Entity {uid: uid})\n"
        "          RETURN collect(properties(n)) AS nodes }\n"
        "CALL () { UNWIND $pairs AS pair\n"
        "          MATCH (x:Entity {uid: pair[0]})-[r", _rel_pattern(types),
        "]-(y:Entity {uid: pair[1]})\n"
        "          RETURN collect(DISTINCT [type(r), startNode(r).uid, endNode(r).uid,\n"
        "                                   properties(r)]) AS rels }\n"
        "RETURN nodes, rels")


def _paths_rows(seqs: list[list[str]], props: Mapping[str, Props],
                rels: Sequence[Sequence[Any]]) -> list[PathRow]:
    by_pair: dict[frozenset[str], list[PathRelRow]] = {}
    seen: set[tuple[Any, ...]] = set()
    for rel_type, src, dst, p in rels:
        clean = _schema_props(rel_type, p)
        ident = (rel_type, src, dst, p.get("key", ""))
        if ident in seen:  # one relationship met on several paths
            continue
        seen.add(ident)
        by_pair.setdefault(frozenset((src, dst)), []).append(
            {"type": rel_type, "src": src, "dst": dst, "props": clean})
    return [{"nodes": [props[u] for u in seq],
             "rels": [r for u, v in itertools.pairwise(seq)
                      for r in by_pair.get(frozenset((u, v)), [])]}
            for seq in seqs]


class SubgraphCypher:
    """The graph-view operations of :class:`graph.store.ops.ReadOps` in Cypher."""

    db: Neo4jStore

    def neighbourhood(self, uid: str, *, depth: int, rel_types: Sequence[str] | None,
                      labels: Sequence[str] | None, limit: int, as_of: str | None,
                      scope: Scope) -> NeighbourhoodRow | None:
        query = neighbourhood_query(None if rel_types is None else tuple(rel_types), depth,
                                    not scope.everything)
        rows = self.db.read_plain(query, {
            "uid": uid, "labels": None if labels is None else list(labels), "as_of": as_of,
            "limit": limit, "rank": _RANK, "nrank": len(_RANK),
            "type_index": TYPE_INDEX, "outgoing": OUTGOING, **scope.params()})
        if not rows:
            return None
        # The driver's lists stand for the row's tuples as they are (no copy per node);
        # a map projection gives unset properties as null, ``properties(r)`` leaves them out.
        for _, _, _, rich, _ in rows[0]["expanded"]:
            rich[:] = [{k: v for k, v in p.items() if v is not None} for p in rich]
        return {"levels": cast(list[list[ViewNode]], rows[0]["nodes"]),
                "expanded": cast(list[Expansion], rows[0]["expanded"])}

    def shortest_paths(self, a: str, b: str, *, max_depth: int,
                       rel_types: Sequence[str] | None, limit: int,
                       scope: Scope) -> PathsRow:
        types = None if rel_types is None else tuple(rel_types)
        ends = [r["props"] for r in self.db.read_plain(
            _ENDS, {"uids": list(dict.fromkeys((a, b))), **scope.params()})]
        ends.sort(key=lambda p: 0 if p["uid"] == a else 1)
        if len(ends) < len({a, b}):
            return {"ends": ends, "paths": []}
        if a == b:
            return {"ends": ends, "paths": [{"nodes": ends, "rels": []}]}
        # Every shortest path, then those through nodes in scope: when some are, they are
        # the scoped shortest paths (no path in scope is shorter). Else, or when the cap
        # may have left some out, the scoped search level by level.
        found = self.db.read_plain(paths_query(types, max_depth, not scope.everything),
                                   {"a": a, "b": b, "cap": PATH_CAP, **scope.params()})
        shown = [row for row in found if row["shown"]]
        if (shown and (scope.everything or len(found) < PATH_CAP)) or not found:
            props: dict[str, Props] = {}
            rels: list[Any] = []
            seqs: set[tuple[str, ...]] = set()
            for row in shown:
                seqs.add(tuple(n["uid"] for n in row["nodes"]))
                props.update((n["uid"], n) for n in row["nodes"])
                rels.extend(row["rels"])
            chosen = [list(s) for s in sorted(seqs)[:limit]]
            return {"ends": ends, "paths": _paths_rows(chosen, props, rels)}

        expand = _expand_query(types)

        def around(frontier: list[str], seen: Collection[str]) -> dict[str, list[str]]:
            found = self.db.read_plain(expand, {"frontier": frontier, "seen": list(seen),
                                                **scope.params()})
            return {r["u"]: r["next"] for r in found}

        chosen = shortest_sequences(a, b, max_depth, around)[:limit]
        if not chosen:
            return {"ends": ends, "paths": []}
        pairs = sorted({(u, v) for seq in chosen for u, v in itertools.pairwise(seq)})
        uids = sorted({u for seq in chosen for u in seq})
        row = self.db.read_plain(_along_query(types), {"uids": uids,
                                                       "pairs": [list(p) for p in pairs]})[0]
        props = {n["uid"]: n for n in row["nodes"]}
        return {"ends": ends, "paths": _paths_rows(chosen, props, row["rels"])}
