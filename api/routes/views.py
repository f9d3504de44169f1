"""Graph views as interactive pages (vis-network through pyvis), served with every asset
from this server. Small views settle with bounded physics, which is then switched off;
large ones (more than :data:`PHYSICS_MAX_NODES` nodes) get a radial layout computed here
and are drawn at once without physics, so 1,000 nodes stay responsive."""

from __future__ import annotations

import html
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pyvis.network import Network

from api.errors import QUERY_ERRORS
from api.routes.subgraphs import (
    GraphView,
    ViewNode,
    neighbourhood_dep,
    path_dep,
    radial_positions,
    to_view,
)
from api.security.scoped import csp_nonce
from api.views.vis import make_network, render_html
from graph.queries.subgraph import Subgraph

router = APIRouter(prefix="/views", tags=["views"])

#: Above this many nodes the page is laid out on the server and drawn without physics.
PHYSICS_MAX_NODES = 300

_HTML: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {"schema": {"type": "string"}}},
          "description": "An HTML page / 页面"}}


def _tooltip(n: ViewNode) -> str:
    lines = [f"{n.kind_zh} {n.caption}", n.uid]
    lines += [f"{k}: {v}" for k, v in n.props.items() if k not in ("name", "title")]
    if n.more:
        lines.append(f"另有 {n.more} 个相邻节点未显示 / {n.more} more not shown")
    return "\n".join(lines)


def build_network(sub: Subgraph) -> tuple[Network, GraphView]:
    """A pyvis network of the subgraph with schema styles (and positions when large)."""
    view = to_view(sub)
    large = len(view.nodes) > PHYSICS_MAX_NODES
    net = make_network(physics=not large)
    pos = radial_positions(sub) if large else {}
    roots = set(view.roots)
    for n in view.nodes:
        label = n.caption if n.more == 0 else f"{n.caption} (+{n.more})"
        extra = {}
        if n.uid in pos:
            x, y = pos[n.uid]
            extra = {"x": round(x, 1), "y": round(y, 1)}
        net.add_node(n.uid, label=label, title=_tooltip(n), shape=n.style.shape,
                     color=n.style.color, group=n.style.group,
                     borderWidth=4 if n.uid in roots else 1, **extra)
    for e in view.edges:
        # Large views: the relationship name only as a tooltip; a thousand edge labels
        # cost more to draw than everything else together.
        edge_label = {} if large else {"label": e.label_zh}
        net.add_edge(e.src, e.dst, title=f"{e.label_zh} / {e.label_en}", color=e.style.color,
                     dashes=e.style.dashes, width=e.style.width, arrows=e.style.arrows,
                     id=e.id, **edge_label)
    if large:
        # Node captions appear once zoomed in far enough to read them.
        net.options["nodes"]["scaling"] = {"label": {"enabled": True, "drawThreshold": 9}}
        net.options["edges"]["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.5}}
        net.options["interaction"]["hideEdgesOnDrag"] = True
        net.options["interaction"]["hideEdgesOnZoom"] = True
    return net, view


def _page(sub: Subgraph, title: str, nonce: str | None = None) -> HTMLResponse:
    net, view = build_network(sub)
    notes = []
    if view.truncated:
        notes.append(f"已截断：{sum(view.more.values())} 个相邻节点未显示 / truncated")
    if not view.paths and len(view.roots) == 2 and view.roots[0] != view.roots[1]:
        notes.append("未找到路径 / no path found")
    banner = ""
    if notes:
        banner = ('<div role="note" style="position:absolute;top:8px;left:8px;z-index:1;'
                  'background:#fff;border:1px solid #ccc;padding:2px 6px;font-size:13px">'
                  + html.escape(" · ".join(notes)) + "</div>")
    return HTMLResponse(render_html(net, title=title, inline_assets=False, body_before=banner,
                                    nonce=nonce))


@router.get(
    "/neighbourhood/{uid}",
    response_class=HTMLResponse,
    summary="Neighbourhood page / 节点邻域图",
    description="The view of `/api/graph/neighbourhood/{uid}` as an interactive page "
    "(same parameters). Everything it loads comes from this server.",
    responses={**_HTML, **QUERY_ERRORS},
)
def neighbourhood_page(request: Request,
                       sub: Annotated[Subgraph, Depends(neighbourhood_dep)]) -> HTMLResponse:
    centre = next((n for n in sub.nodes if n.uid == sub.roots[0]), None)
    name = centre.caption if centre else sub.roots[0]
    return _page(sub, f"{name} — 邻域 / neighbourhood", csp_nonce(request))


@router.get(
    "/path",
    response_class=HTMLResponse,
    summary="Shortest paths page / 最短路径图",
    description="The view of `/api/graph/path` as an interactive page (same parameters).",
    responses={**_HTML, **QUERY_ERRORS},
)
def path_page(request: Request, sub: Annotated[Subgraph, Depends(path_dep)]) -> HTMLResponse:
    return _page(sub, f"{sub.roots[0]} → {sub.roots[-1]} — 路径 / paths", csp_nonce(request))
