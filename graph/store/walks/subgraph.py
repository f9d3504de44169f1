"""Graph views on the embedded store: the rows of :mod:`graph.store.cypher.subgraph` (see
there and :mod:`graph.queries.subgraph` for the rules) from walks of the ``MultiDiGraph``,
through nodes in scope only."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from graph.dates import active
from graph.projection import props
from graph.schema import SCHEMA
from graph.scope import Scope
from graph.store.ops.common import Props
from graph.store.ops.subgraph import (
    OUTGOING,
    TYPE_INDEX,
    VIEW_PROPS,
    Expansion,
    NeighbourhoodRow,
    PathRelRow,
    PathsRow,
    ViewNode,
)
from graph.store.paths import shortest_sequences
from graph.store.walks.scope import visibility

if TYPE_CHECKING:
    import networkx as nx

    from graph.store.embedded import EmbeddedStore

#: Per label, its rank in graph views (:attr:`graph.schema.NodeKind.view_rank`).
_RANK = {n.label: n.view_rank for n in SCHEMA.nodes}
#: Per relationship type, its schema property names (empty: the edge's key is empty too).
_REL_PROPS = {r.type: r.prop_names for r in SCHEMA.relationships}
#: A relationship seen from a node: (other end, outgoing, attributes).
Link = tuple[str, bool, dict[str, Any]]


def _linker(g: nx.MultiDiGraph, types: Sequence[str] | None, labels: Sequence[str] | None,
            as_of: str | None, shown: Callable[[str], bool] | None,
            ) -> Callable[[str], Iterator[Link]]:
    """The relationships at a node that pass the filters, to nodes ``shown`` allows."""
    wanted_types = None if types is None else frozenset(types)
    wanted_kinds = None if labels is None else frozenset(labels)
    nodes, succ, pred = g.nodes, g.succ, g.pred

    def links(u: str) -> Iterator[Link]:
        for outgoing, adj in ((True, succ[u]), (False, pred[u])):
            for other, keyed in adj.items():
                if wanted_kinds is not None and nodes[other]["label"] not in wanted_kinds:
                    continue
                if shown is not None and not shown(other):
                    continue
                for attrs in keyed.values():
                    if wanted_types is not None and attrs["type"] not in wanted_types:
                        continue
                    if as_of is None or active(attrs, as_of):
                        yield other, outgoing, attrs

    return links


def _schema_props(attrs: Mapping[str, Any]) -> Props:
    return {k: v for k in _REL_PROPS[attrs["type"]] if (v := attrs.get(k)) is not None}


class SubgraphWalks:
    """The graph-view operations of :class:`graph.store.ops.ReadOps` on the embedded store."""

    store: EmbeddedStore

    def neighbourhood(self, uid: str, *, depth: int, rel_types: Sequence[str] | None,
                      labels: Sequence[str] | None, limit: int, as_of: str | None,
                      scope: Scope) -> NeighbourhoodRow | None:
        g = self.store.graph
        vis = visibility(self.store, scope)
        if uid not in g or not vis(uid):
            return None
        links = _linker(g, rel_types, labels, as_of, None if scope.everything else vis)
        nodes = g.nodes

        def rank(u: str) -> tuple[int, str]:
            return (_RANK[nodes[u]["label"]], u)

        level = {uid: 0}
        levels = [[uid]]
        frontier = [uid]
        for k in range(1, depth + 1):
            room = limit - len(level)
            if room <= 0 or not frontier:
                levels.append([])
                frontier = []
                continue
            found = {o for f in frontier for o, _, _ in links(f) if o not in level}
            frontier = sorted(found, key=rank)[:room]
            level.update((u, k) for u in frontier)
            levels.append(frontier)

        expanded: list[Expansion] = []
        for u in (u for lv in levels[:depth] for u in lv):
            others: list[str] = []
            codes: list[int] = []
            rich: list[Props] = []
            cut: set[str] = set()
            for other, outgoing, attrs in links(u):
                if other in level:
                    t = attrs["type"]
                    others.append(other)
                    codes.append(TYPE_INDEX[t] + (OUTGOING if outgoing else 0))
                    if _REL_PROPS[t]:
                        rich.append(_schema_props(attrs))
                else:
                    cut.add(other)
            expanded.append((u, others, codes, rich, len(cut)))

        def view(u: str) -> ViewNode:
            attrs = nodes[u]
            return [u, *(attrs.get(k) for k in VIEW_PROPS[attrs["label"]])]

        return {"levels": [[view(u) for u in lv] for lv in levels], "expanded": expanded}

    def shortest_paths(self, a: str, b: str, *, max_depth: int,
                       rel_types: Sequence[str] | None, limit: int,
                       scope: Scope) -> PathsRow:
        g = self.store.graph
        vis = visibility(self.store, scope)
        ends = [props(g, u) for u in dict.fromkeys((a, b)) if u in g and vis(u)]
        if len(ends) < len({a, b}):
            return {"ends": ends, "paths": []}
        links = _linker(g, rel_types, None, None, None if scope.everything else vis)

        def around(frontier: list[str], seen: Collection[str]) -> dict[str, set[str]]:
            return {u: {o for o, _, _ in links(u)} for u in frontier}

        chosen = shortest_sequences(a, b, max_depth, around)[:limit]
        wanted = None if rel_types is None else frozenset(rel_types)

        def rels(u: str, v: str) -> list[PathRelRow]:
            out = [(u, v, x) for x in g.succ[u].get(v, {}).values()]
            out += [(v, u, x) for x in g.succ[v].get(u, {}).values()]
            return [{"type": x["type"], "src": s, "dst": d, "props": _schema_props(x)}
                    for s, d, x in out if wanted is None or x["type"] in wanted]

        return {"ends": ends, "paths": [
            {"nodes": [props(g, u) for u in seq],
             "rels": [r for u, v in itertools.pairwise(seq) for r in rels(u, v)]}
            for seq in chosen]}
