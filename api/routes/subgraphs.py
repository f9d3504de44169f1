"""A query subgraph in the shapes the graph routes serve: JSON with kind, labels (Chinese
and English) and style hints; a NetworkX graph for GraphML/GEXF; CSV tables; and a pyvis
network for the HTML views. The parameters of the two subgraph queries are declared here
once, as dependencies, so the JSON, download and page routes accept exactly the same ones.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from functools import partial
from typing import Annotated, Any

import networkx as nx
from fastapi import Depends, Path, Query
from pydantic import BaseModel, Field

from api.deps import AsOfParam, StoreDep, iso, one_of
from api.security.policy import ReadScope
from api.views.cells import csv_cell
from api.views.style import edge_style, legend, node_style
from graph.history.facts import FactKey
from graph.history.provenance import EXPORT_COLUMNS, Provenance, export_cells
from graph.queries.subgraph import MAX_DEPTH, MAX_LIMIT, MAX_PATH_DEPTH, Subgraph
from graph.queries.subgraph import neighbourhood as neighbourhood_query
from graph.queries.subgraph import shortest_paths as paths_query
from graph.schema import SCHEMA

# -- parameters ---------------------------------------------------------------------------
UidParam = Annotated[
    str, Path(description="Node uid (`unit:JD`) or bare id. / 节点编号。",
              examples=["unit:JD", "unit:SIPG"])]
RelTypesParam = Annotated[list[Annotated[str, one_of(SCHEMA.rel_types)]] | None, Query(
    alias="rel_type",
    description="Follow only these relationship types (repeat). / 只沿这些关系。 "
                + ", ".join(SCHEMA.rel_types),
    examples=[["SUBORDINATE_TO", "SERVES_IN"]])]
LabelsParam = Annotated[list[Annotated[str, one_of(SCHEMA.labels)]] | None, Query(
    alias="label",
    description="Include only neighbours of these kinds (repeat). / 只含这些类型。 "
                + ", ".join(SCHEMA.labels),
    examples=[["Unit", "Person"]])]


#: A subgraph query with the request's parameters, not yet run: the JSON routes run it
#: only when the response cache has no answer (api/cache.py).
SubgraphQuery = Callable[[], Subgraph]


def neighbourhood_query_dep(
    store: StoreDep,
    scope: ReadScope,
    uid: UidParam,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Hops from the node.")] = 1,
    rel_types: RelTypesParam = None,
    labels: LabelsParam = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT,
                                description="At most this many nodes (centre included).")] = 200,
    as_of: AsOfParam = None,
) -> SubgraphQuery:
    """The capped neighbourhood the graph routes show (see graph.queries.subgraph), to run."""
    return partial(neighbourhood_query, store, uid, depth=depth, rel_types=rel_types,
                   labels=labels, limit=limit, as_of=iso(as_of), scope=scope)


def neighbourhood_dep(
    query: Annotated[SubgraphQuery, Depends(neighbourhood_query_dep)],
) -> Subgraph:
    """The capped neighbourhood, run."""
    return query()


def path_query_dep(
    store: StoreDep,
    scope: ReadScope,
    source: Annotated[str, Query(alias="from", description="One end (uid or id). / 起点。",
                                 examples=["person:P-SIPG-01"])],
    target: Annotated[str, Query(alias="to", description="Other end (uid or id). / 终点。",
                                 examples=["unit:SH"])],
    max_depth: Annotated[int, Query(ge=1, le=MAX_PATH_DEPTH,
                                    description="Longest path looked for (hops).")] = 6,
    rel_types: RelTypesParam = None,
    limit: Annotated[int, Query(ge=1, le=100, description="At most this many paths.")] = 5,
) -> SubgraphQuery:
    """All shortest undirected paths between two nodes, to run."""
    return partial(paths_query, store, source, target, max_depth=max_depth,
                   rel_types=rel_types, limit=limit, scope=scope)


def path_dep(query: Annotated[SubgraphQuery, Depends(path_query_dep)]) -> Subgraph:
    """All shortest undirected paths between two nodes, run."""
    return query()


# -- JSON view ---------------------------------------------------------------------------
class NodeStyle(BaseModel):
    shape: str
    color: str
    group: str


class EdgeStyle(BaseModel):
    color: str
    dashes: bool
    width: float
    arrows: str


class ViewNode(BaseModel):
    uid: str
    kind: str = Field(description="Node label (`Unit`, `Person`, ...).")
    id: str
    caption: str = Field(description="Name or title shown on the node.")
    kind_zh: str
    kind_en: str
    hops: int = Field(description="Hops from the centre, or position on the first path.")
    more: int = Field(0, description="Neighbours the cap left out (the \"N more\").")
    props: dict[str, Any]
    style: NodeStyle


class ViewEdge(BaseModel):
    id: str = Field(description="`TYPE|src|dst|key`, unique in the view.")
    src: str
    dst: str
    type: str
    key: str
    label_zh: str
    label_en: str
    props: dict[str, Any]
    style: EdgeStyle


class LegendNode(BaseModel):
    label: str
    name: str
    color: str
    shape: str


class LegendRel(BaseModel):
    type: str
    name: str
    color: str
    dashes: bool
    axis: str


class Legend(BaseModel):
    nodes: list[LegendNode]
    relationships: list[LegendRel]


class GraphView(BaseModel):
    """A subgraph ready to draw: nodes and edges with labels and style hints."""

    roots: list[str]
    nodes: list[ViewNode]
    edges: list[ViewEdge]
    more: dict[str, int] = Field(description="uid → neighbours left out by the cap.")
    truncated: bool
    paths: list[list[str]] = Field(description="Shortest paths as uid sequences (path view).")
    legend: Legend = Field(description="Every kind and type in the view, in Chinese.")


def edge_id(e: Any) -> str:
    return f"{e.type}|{e.src}|{e.dst}|{e.key}"


def to_view(sub: Subgraph) -> GraphView:
    """The subgraph with kinds, Chinese/English labels and schema-derived styles."""
    nodes = []
    for n in sub.nodes:
        kind = SCHEMA.node(n.label)
        st = node_style(n.label)
        nodes.append(ViewNode(
            uid=n.uid, kind=n.label, id=n.id, caption=n.caption, kind_zh=kind.zh,
            kind_en=kind.en, hops=n.level, more=sub.more.get(n.uid, 0), props=n.props,
            style=NodeStyle(shape=st["shape"], color=st["color"], group=st["group"])))
    edges = []
    for e in sub.edges:
        rel = SCHEMA.rel(e.type)
        st = edge_style(e.type)
        edges.append(ViewEdge(
            id=edge_id(e), src=e.src, dst=e.dst, type=e.type, key=e.key, label_zh=rel.zh,
            label_en=rel.en, props=e.props,
            style=EdgeStyle(color=st["color"], dashes=st["dashes"], width=st["width"],
                            arrows=st["arrows"])))
    kinds = {n.kind for n in nodes}
    types = {e.type for e in edges}
    full = legend("zh")
    return GraphView(
        roots=sub.roots, nodes=nodes, edges=edges, more=sub.more, truncated=sub.truncated,
        paths=sub.paths,
        legend=Legend(
            nodes=[LegendNode(**x) for x in full["nodes"] if x["label"] in kinds],
            relationships=[LegendRel(**x) for x in full["relationships"] if x["type"] in types]))


# -- NetworkX (GraphML / GEXF) -----------------------------------------------------------
_GEXF_SHAPES = {"box": "square", "square": "square", "diamond": "diamond",
                "triangle": "triangle"}


def _rgb(color: str) -> dict[str, int]:
    c = color.lstrip("#")
    return {"r": int(c[0:2], 16), "g": int(c[2:4], 16), "b": int(c[4:6], 16)}


def fact_keys(sub: Subgraph) -> list[FactKey]:
    """Every node and relationship of the view, as facts (for their provenance)."""
    return [*(n.uid for n in sub.nodes), *((e.type, e.src, e.dst, e.key) for e in sub.edges)]


def to_networkx(sub: Subgraph, *, viz: bool = False,
                provenance: Mapping[FactKey, Provenance] | None = None) -> nx.MultiDiGraph:
    """The subgraph as a MultiDiGraph for Gephi/yEd: ``label`` is the caption (what they
    show), ``kind`` the node label; ``viz`` adds GEXF colours and shapes; ``provenance``
    adds each fact's (:data:`graph.history.provenance.EXPORT_COLUMNS`, set ones only)."""
    prov = provenance or {}
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    for n in sub.nodes:
        kind = SCHEMA.node(n.label)
        attrs: dict[str, Any] = {"label": n.caption, "kind": n.label, "kind_zh": kind.zh,
                                 "node_id": n.id, "hops": n.level}
        attrs.update({f"p_{k}": v for k, v in n.props.items() if v is not None})
        attrs.update(_set(export_cells(prov.get(n.uid))))
        if viz:
            attrs["viz"] = {"color": {**_rgb(kind.color), "a": 1.0},
                            "shape": _GEXF_SHAPES.get(kind.shape, "disc")}
        g.add_node(n.uid, **attrs)
    for e in sub.edges:
        rel = SCHEMA.rel(e.type)
        attrs = {"type": e.type, "label": rel.zh, "label_en": rel.en}
        attrs.update({f"p_{k}": v for k, v in e.props.items() if v is not None})
        attrs.update(_set(export_cells(prov.get((e.type, e.src, e.dst, e.key)))))
        g.add_edge(e.src, e.dst, key=edge_id(e), **attrs)
    return g


def _set(cells: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in cells.items() if v is not None}


# -- CSV -----------------------------------------------------------------------------------
def csv_tables(sub: Subgraph, provenance: Mapping[FactKey, Provenance] | None = None
               ) -> tuple[list[str], list[list[Any]], list[str], list[list[Any]]]:
    """(node header, node rows, edge header, edge rows), cells already escaped; each row
    ends with its fact's provenance (:data:`graph.history.provenance.EXPORT_COLUMNS`)."""
    prov = provenance or {}

    def tail(key: FactKey) -> list[Any]:
        return list(export_cells(prov.get(key)).values())

    nprops = sorted({k for n in sub.nodes for k in n.props})
    nhead = ["uid", "kind", "kind_zh", "id", "caption", "hops", "more", *nprops,
             *EXPORT_COLUMNS]
    nrows = [[csv_cell(v) for v in (n.uid, n.label, SCHEMA.node(n.label).zh, n.id, n.caption,
                                    n.level, sub.more.get(n.uid, 0),
                                    *(n.props.get(k) for k in nprops), *tail(n.uid))]
             for n in sub.nodes]
    eprops = sorted({k for e in sub.edges for k in e.props})
    ehead = ["src", "dst", "type", "type_zh", "key", *eprops, *EXPORT_COLUMNS]
    erows = [[csv_cell(v) for v in (e.src, e.dst, e.type, SCHEMA.rel(e.type).zh, e.key,
                                    *(e.props.get(k) for k in eprops),
                                    *tail((e.type, e.src, e.dst, e.key)))]
             for e in sub.edges]
    return nhead, nrows, ehead, erows


# -- layout for large views ----------------------------------------------------------------
def radial_positions(sub: Subgraph, *, ring: float = 260.0, spacing: float = 46.0
                     ) -> dict[str, tuple[float, float]]:
    """Positions on concentric rings by hops from the centre, children near their parent.

    Linear in the size of the view (a force layout of 1,000 nodes takes seconds here),
    so large views can be drawn at once with physics off.
    """
    parent: dict[str, str] = {}
    hops = {n.uid: n.level for n in sub.nodes}
    for e in sub.edges:
        for a, b in ((e.src, e.dst), (e.dst, e.src)):
            if hops.get(b, 0) == hops.get(a, 0) + 1 and b not in parent:
                parent[b] = a
    rings: dict[int, list[str]] = defaultdict(list)
    for n in sub.nodes:
        rings[n.level].append(n.uid)
    angle: dict[str, float] = {}
    pos: dict[str, tuple[float, float]] = {}
    radius = 0.0
    for level in sorted(rings):
        members = rings[level]
        if level == 0 and len(members) == 1:
            pos[members[0]] = (0.0, 0.0)
            angle[members[0]] = 0.0
            continue
        members.sort(key=lambda u: (angle.get(parent.get(u, ""), 0.0), u))
        # Each ring is far enough out for its nodes to sit ``spacing`` apart.
        radius = max(radius + ring, len(members) * spacing / (2 * math.pi))
        for i, u in enumerate(members):
            theta = 2 * math.pi * i / len(members)
            angle[u] = theta
            pos[u] = (radius * math.cos(theta), radius * math.sin(theta))
    return pos
