"""The interactive graph page. The page itself only carries the controls and a JSON block
of configuration (styles and legend from the schema, the strings of the page, the API
addresses); ``graph.js`` fetches the subgraphs from the JSON graph API and draws them with
the vis-network copy that ships inside pyvis, served by this server."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.i18n import Translator, translate
from api.security.policy import ReadScope
from api.ui.render import get_store, page, render, request_lang
from api.views.style import WEAK_COLOR, edge_style, legend, node_style
from api.views.vis import STATIC_PREFIX
from graph.queries.common import resolve
from graph.queries.models import NodeRef
from graph.schema import SCHEMA

router = APIRouter(include_in_schema=False)

#: Nodes fetched for the first view and for each expansion.
DEFAULT_LIMIT = 150
MAX_LIMIT = 2000


def js_strings(t: Translator) -> dict[str, str]:
    """The texts graph.js shows, from the catalogues (``%(name)s`` placeholders)."""
    return {
        "graph_status": translate("ui.graph_status", t.lang),
        "graph_more": translate("ui.graph_more", t.lang),
        "graph_error": translate("ui.graph_error", t.lang),
        "graph_path_none": translate("ui.graph_path_none", t.lang),
        "graph_empty": translate("ui.graph_empty", t.lang),
        "loading": translate("ui.loading", t.lang),
        "graph_expand_node": translate("ui.graph_expand_node", t.lang),
        "open_page_node": translate("ui.open_page_node", t.lang),
        "graph_path_from": translate("ui.graph_path_from", t.lang),
        "graph_path_to": translate("ui.graph_path_to", t.lang),
        "graph_weak_mark": translate("ui.graph_weak_mark", t.lang),
    }


def graph_config(lang: str, t: Translator, **extra: Any) -> dict[str, Any]:
    """Everything graph.js needs besides the data: styles, legend and strings."""
    return {
        "lang": lang,
        "api": {"neighbourhood": "/api/graph/neighbourhood/", "path": "/api/graph/path"},
        "nodeStyles": {n.label: node_style(n.label, t.lang) for n in SCHEMA.nodes},
        "edgeStyles": {r.type: edge_style(r.type, t.lang) for r in SCHEMA.relationships},
        "weakColor": WEAK_COLOR,
        "strings": js_strings(t),
        "font": '"Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif',
        **extra,
    }


def _can_analytics(request: Request) -> bool:
    user = getattr(request.state, "user", None)
    return user is None or bool(user.can("analytics"))


@router.get("/graph", response_class=HTMLResponse)
@page
def graph_page(
    request: Request,
    scope: ReadScope,
    node: Annotated[str, Query(max_length=200)] = "",
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    layout: Annotated[str, Query(pattern="^(auto|hierarchical|radial)$")] = "auto",
    path_to: Annotated[str, Query(alias="to", max_length=200)] = "",
) -> Response:
    store = get_store(request)
    t = Translator(request_lang(request))
    start = NodeRef.of(resolve(store, node.strip(), scope=scope)) if node.strip() else None
    target = (NodeRef.of(resolve(store, path_to.strip(), scope=scope))
              if path_to.strip() else None)
    cfg = graph_config(
        t.lang, t,
        start=start.model_dump() if start else None,
        target=target.model_dump() if target else None,
        depth=depth, limit=limit, layout=layout,
        weak_url="/fragments/weak-marks" if _can_analytics(request) else None,
    )
    # Inside <script type="application/json"> no "<" may start a tag or a comment
    # ("</script>", "<!--"): JSON's \u003c escape keeps the text inert and JSON.parse-able.
    config_json = json.dumps(cfg, ensure_ascii=False).replace("<", "\\u003c")
    title = translate("ui.graph_title", t.lang) + (f" · {start.caption}" if start else "")
    return render(request, "graph.html", title=title, start=start, target=target,
                  config_json=config_json, legend=legend(t.lang), depth=depth,
                  layout=layout, vis_prefix=STATIC_PREFIX)
