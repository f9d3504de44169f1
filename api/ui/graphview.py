"""The interactive graph page. The page itself only carries the controls and a JSON block
of configuration (styles, property names and the legend from the schema, the strings of the
page, the API addresses); ``graph.js`` fetches the subgraphs from the JSON graph API and
draws them with the vis-network copy that ships inside pyvis, served by this server.

The start node and the path ends may be typed as names: a name that matches several
nodes lists them beside the kept input, one that matches none answers 404 with the form.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.i18n import Translator, translate
from api.security.policy import ReadScope
from api.ui.links import link_as_of, with_params
from api.ui.names import read_field
from api.ui.render import get_store, page, render, request_lang
from api.views.style import WEAK_COLOR, edge_style, legend, node_style
from api.views.vis import STATIC_PREFIX
from graph.messages import N_
from graph.schema import SCHEMA

router = APIRouter(include_in_schema=False)

#: What ``encodeURIComponent`` leaves as it is besides letters, digits and ``_.-~``.
ENCODE_URI_SAFE = "!*'()"
#: Nodes fetched for the first view and for each expansion.
DEFAULT_LIMIT = 150
MAX_LIMIT = 2000

#: Texts graph.js shows (catalogue codes; ``%(name)s`` placeholders filled in the browser).
JS_STRINGS = (
    N_("ui.graph_status"), N_("ui.graph_status_grouped"), N_("ui.graph_more"),
    N_("ui.graph_error"), N_("ui.graph_path_none"), N_("ui.graph_empty"), N_("ui.loading"),
    N_("ui.graph_expand_node"), N_("ui.open_page_node"), N_("ui.graph_path_from"),
    N_("ui.graph_path_to"), N_("ui.graph_weak_mark"), N_("ui.graph_group"),
    N_("ui.graph_group_members"), N_("ui.graph_expand"), N_("ui.graph_open_group"),
    N_("ui.graph_open_page"), N_("ui.graph_set_from"), N_("ui.graph_set_to"),
    N_("ui.graph_id"), N_("ui.graph_neighbours"), N_("ui.graph_select_hint"),
    N_("ui.graph_path_found"), N_("ui.graph_path_clear"), N_("ui.graph_name_choose"),
    N_("ui.graph_legend"), N_("ui.graph_path_legend"), N_("ui.graph_group_legend"),
    N_("ui.graph_png_title"), N_("ui.graph_png_footer"),
    N_("ui.graph_layout_fallback"), N_("ui.csv_src"), N_("ui.csv_src_kind"),
    N_("ui.csv_src_name"), N_("ui.csv_rel"), N_("ui.csv_type"), N_("ui.csv_dst"),
    N_("ui.csv_dst_kind"), N_("ui.csv_dst_name"), N_("ui.csv_weak"),
)


def js_strings(t: Translator) -> dict[str, str]:
    """The texts graph.js shows, from the catalogues, keyed without the ``ui.`` prefix.

    Placeholders stay in (``%(n)s``): the page fills them in for each use.
    """
    from api.i18n import translations

    catalogue = translations(t.lang)
    return {code[3:]: catalogue.gettext(code) for code in JS_STRINGS}


def prop_names(t: Translator) -> dict[str, dict[str, Any]]:
    """Per node kind, each property's name and (for enums) its values' names, so tooltips
    and details read 类型：委办局 instead of ``kind: department``."""
    out: dict[str, dict[str, Any]] = {}
    for kind in SCHEMA.nodes:
        props: dict[str, Any] = {}
        for p in kind.properties:
            values = ({v.code: v.label(t.lang) for v in SCHEMA.enum(p.enum).values}
                      if p.enum else {})
            props[p.name] = [t.prop(kind.label, p.name), values]
        out[kind.label] = props
    return out


def first_view_url(uid: str, depth: int, limit: int, as_of: str | None) -> str:
    """The address graph.js fetches the start node's view from, character for character
    (``encodeURIComponent`` of the uid, then ``as_of``, ``depth`` and ``limit`` in that
    order), so that the page can have the browser fetch it while the scripts load.

    >>> first_view_url("unit:JD", 2, 1000, "2018-06-30")
    '/api/graph/neighbourhood/unit%3AJD?as_of=2018-06-30&depth=2&limit=1000'
    """
    params = ([("as_of", as_of)] if as_of else []) + [("depth", depth), ("limit", limit)]
    return f"/api/graph/neighbourhood/{quote(uid, safe=ENCODE_URI_SAFE)}?{urlencode(params)}"


def graph_config(lang: str, t: Translator, **extra: Any) -> dict[str, Any]:
    """Everything graph.js needs besides the data: styles, legend and strings."""
    return {
        "lang": lang,
        "api": {"neighbourhood": "/api/graph/neighbourhood/", "path": "/api/graph/path",
                "resolve": "/search/resolve"},
        "nodeStyles": {n.label: node_style(n.label, t.lang) for n in SCHEMA.nodes},
        "edgeStyles": {r.type: edge_style(r.type, t.lang) for r in SCHEMA.relationships},
        # The relationship that places a node under its parent in the tree layout (a
        # unit under its superior, a person under the unit they serve in).
        "treeRel": {n.label: list(n.context) for n in SCHEMA.nodes},
        "props": prop_names(t),
        "weakColor": WEAK_COLOR,
        "strings": js_strings(t),
        "font": '"Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif',
        **extra,
    }


def _can(request: Request, action: str) -> bool:
    user = getattr(request.state, "user", None)
    return user is None or bool(user.can(action))


def export_links(uid: str, depth: int, limit: int, as_of: str | None) -> dict[str, str]:
    """The server's downloads of the start node's view (GraphML, GEXF, zipped CSV)."""
    base = f"/api/graph/neighbourhood/{quote(uid, safe='')}"
    params = {"depth": depth, "limit": limit, "as_of": as_of}
    return {ext: with_params(f"{base}.{ext}", params) for ext in ("graphml", "gexf", "csv.zip")}


@router.get("/graph", response_class=HTMLResponse)
@page
def graph_page(
    request: Request,
    scope: ReadScope,
    node: Annotated[str, Query(max_length=200)] = "",
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    layout: Annotated[str, Query(pattern="^(auto|tree|hierarchical|radial)$")] = "auto",
    path_to: Annotated[str, Query(alias="to", max_length=200)] = "",
) -> Response:
    store = get_store(request)
    t = Translator(request_lang(request))
    start_field = read_field(store, node, None, scope=scope, lang=t.lang)
    target_field = read_field(store, path_to, None, scope=scope, lang=t.lang)
    start, target = start_field.ref, target_field.ref
    as_of = link_as_of(request)
    title = translate("ui.graph_title", t.lang) + (f" · {start.caption}" if start else "")
    cfg = graph_config(
        t.lang, t,
        start=start.model_dump() if start else None,
        target=target.model_dump() if target else None,
        depth=depth, limit=limit, layout=layout, as_of=as_of, title=title,
        weak_url="/fragments/weak-marks" if _can(request, "analytics") else None,
    )
    # Inside <script type="application/json"> no "<" may start a tag or a comment
    # ("</script>", "<!--"): JSON's \u003c escape keeps the text inert and JSON.parse-able.
    config_json = json.dumps(cfg, ensure_ascii=False).replace("<", "\\u003c")
    downloads = export_links(start.uid, depth, limit, as_of) \
        if start and _can(request, "export") else None
    # The start node's view is fetched while the scripts load (a path is fetched instead
    # when both ends are given).
    first_view = first_view_url(start.uid, depth, limit, as_of) \
        if start and not target else None
    status = max(start_field.status, target_field.status)
    return render(request, "graph.html", status=status, title=title, start=start,
                  target=target, start_field=start_field, target_field=target_field,
                  config_json=config_json, legend=legend(t.lang), depth=depth, limit=limit,
                  layout=layout, vis_prefix=STATIC_PREFIX, downloads=downloads,
                  first_view=first_view)

