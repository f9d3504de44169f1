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
from api.i18n import Lang, api_lang, translate
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


def _tooltip(n: ViewNode, lang: Lang) -> str:
    kind = n.kind_en if lang == "en" else n.kind_zh
    lines = [f"{kind} {n.caption}", n.uid]
    lines += [f"{k}: {v}" for k, v in n.props.items() if k not in ("name", "title")]
    if n.more:
        lines.append(translate("views.more_neighbours", lang, n=n.more))
    return "\n".join(lines)


def build_network(sub: Subgraph, lang: Lang = "zh") -> tuple[Network, GraphView]:
    """A pyvis network of the subgraph with schema styles (and positions when large), its
    tooltips and relationship names in ``lang``."""
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
        net.add_node(n.uid, label=label, title=_tooltip(n, lang), shape=n.style.shape,
                     color=n.style.color, group=n.style.group,
                     borderWidth=4 if n.uid in roots else 1, **extra)
    for e in view.edges:
        # Large views: the relationship name only as a tooltip; a thousand edge labels
        # cost more to draw than everything else together.
        name = e.label_en if lang == "en" else e.label_zh
        edge_label = {} if large else {"label": name}
        net.add_edge(e.src, e.dst, title=name, color=e.style.color,
                     dashes=e.style.dashes, width=e.style.width, arrows=e.style.arrows,
                     id=e.id, **edge_label)
    if large:
        # Node captions appear once zoomed in far enough to read them.
        net.options["nodes"]["scaling"] = {"label": {"enabled": True, "drawThreshold": 9}}
        net.options["edges"]["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.5}}
        net.options["interaction"]["hideEdgesOnDrag"] = True
        net.options["interaction"]["hideEdgesOnZoom"] = True
    return net, view


def _page(sub: Subgraph, title: str, lang: Lang, nonce: str | None = None) -> HTMLResponse:
    net, view = build_network(sub, lang)
    notes = []
    if view.truncated:
        notes.append(translate("views.truncated", lang, n=sum(view.more.values())))
    if not view.paths and len(view.roots) == 2 and view.roots[0] != view.roots[1]:
        notes.append(translate("views.no_path", lang))
    banner = ""
    if notes:
        banner = ('<div role="note" style="position:absolute;top:8px;left:8px;z-index:1;'
                  'background:#fff;border:1px solid #ccc;padding:2px 6px;font-size:13px">'
                  + html.escape(" · ".join(notes)) + "</div>")
    return HTMLResponse(render_html(net, title=title, inline_assets=False, body_before=banner,
                                    nonce=nonce, lang=lang))


@router.get(
    "/neighbourhood/{uid}",
    response_class=HTMLResponse,
    summary="Neighbourhood page / 节点邻域图",
    description="The view of `/api/graph/neighbourhood/{uid}` as an interactive page "
    "(same parameters), in the request's language (`?lang=`, the pages' cookie, "
    "Accept-Language; Chinese by default). Everything it loads comes from this server.",
    responses={**_HTML, **QUERY_ERRORS},
)
def neighbourhood_page(request: Request,
                       sub: Annotated[Subgraph, Depends(neighbourhood_dep)]) -> HTMLResponse:
    centre = next((n for n in sub.nodes if n.uid == sub.roots[0]), None)
    name = centre.caption if centre else sub.roots[0]
    lang = api_lang(request)
    return _page(sub, translate("views.neighbourhood_title", lang, name=name), lang,
                 csp_nonce(request))


@router.get(
    "/path",
    response_class=HTMLResponse,
    summary="Shortest paths page / 最短路径图",
    description="The view of `/api/graph/path` as an interactive page (same parameters).",
    responses={**_HTML, **QUERY_ERRORS},
)
def path_page(request: Request, sub: Annotated[Subgraph, Depends(path_dep)]) -> HTMLResponse:
    lang = api_lang(request)
    title = translate("views.path_title", lang, a=sub.roots[0], b=sub.roots[-1])
    return _page(sub, title, lang, csp_nonce(request))
