"""Search results, the instant-suggestion fragment and the name resolution of the name
fields; the pilot units (the home page is :mod:`api.ui.home`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.i18n import translate
from api.security.policy import ReadScope
from api.ui.names import read_field
from api.ui.render import get_store, page, render, request_lang
from graph.errors import InvalidArgument
from graph.messages import Message
from graph.queries.search import search
from graph.schema import SCHEMA, uid_of
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore

router = APIRouter(include_in_schema=False)

#: The pilot units of the source article, shown on the home page when the graph has them.
PILOT_IDS = ("SH", "SH-JW", "JD", "JD-JW", "MH", "MH-JW", "JWDW", "SIPG", "SIPG-JW")
SEARCH_LIMIT = 50
SUGGEST_LIMIT = 8


def pilot_units(store: GraphStore, scope: Scope = EVERYTHING_SCOPE) -> list[dict[str, Any]]:
    """The pilot units present in the graph and visible in ``scope``, as links for the home
    page and scope pickers."""
    out = []
    uids = [uid_of("Unit", node_id) for node_id in PILOT_IDS]
    shown = store.reads.visible(uids, scope)
    for uid in uids:
        node = store.get_node(uid) if uid in shown else None
        if node is not None:
            out.append({"uid": node.uid, "label": node.label, "id": node.id,
                        "caption": node.caption, "kind": node.props.get("kind")})
    return out


def _hits(
    store: GraphStore, q: str, kind: str | None, limit: int, lang: str, scope: Scope
) -> list[dict[str, Any]]:
    labels = [SCHEMA.node(kind).label] if kind else None
    results = search(store, q, labels=labels, limit=limit, scope=scope)
    return [
        {"node": h.node, "score": h.score,
         "context": (h.context_en or h.context) if lang == "en" else h.context}
        for h in results.hits
    ]


@router.get("/search", response_class=HTMLResponse)
@page
def search_page(
    request: Request,
    scope: ReadScope,
    q: Annotated[str, Query(max_length=100)] = "",
    kind: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    store = get_store(request)
    lang = request_lang(request)
    text = " ".join(q.split())
    if kind and kind not in SCHEMA.labels:
        raise InvalidArgument("kind", Message("reason.unknown_kind", value=kind))
    results = _hits(store, text, kind or None, SEARCH_LIMIT, lang, scope) if text else []
    title = translate("ui.search_title", lang, q=text)
    return render(request, "search.html", title=title if text else "", results=results,
                  kind=kind)


@router.get("/search/suggest", response_class=HTMLResponse)
@page
def suggest(request: Request, scope: ReadScope,
            q: Annotated[str, Query(max_length=100)] = "",
            kind: Annotated[str, Query(max_length=40)] = "",
            mode: Annotated[str, Query(pattern="^(open|fill)$")] = "open") -> Response:
    """Options for a search box or a name field, as an HTML fragment (the JS drops it into
    the listbox): ``mode=fill`` options carry the node's uid and name instead of a link."""
    text = " ".join(q.split())
    if not text:
        return HTMLResponse("")
    if kind and kind not in SCHEMA.labels:
        raise InvalidArgument("kind", Message("reason.unknown_kind", value=kind))
    store = get_store(request)
    results = _hits(store, text, kind or None, SUGGEST_LIMIT, request_lang(request), scope)
    return render(request, "suggest.html", results=results, fill=mode == "fill")


@router.get("/search/resolve")
@page
def resolve_name(request: Request, scope: ReadScope,
                 q: Annotated[str, Query(max_length=100)],
                 kind: Annotated[str, Query(max_length=40)] = "") -> Response:
    """The node a name field means, for the graph page's path fields (JSON): ``node`` (or
    null), ``choices`` when several match, ``message`` (in the page's language) when none
    does."""
    if kind and kind not in SCHEMA.labels:
        raise InvalidArgument("kind", Message("reason.unknown_kind", value=kind))
    store = get_store(request)
    field = read_field(store, q, (kind,) if kind else None, scope=scope,
                       lang=request_lang(request))
    return JSONResponse({"node": field.ref.model_dump() if field.ref else None,
                         "choices": [c.model_dump() for c in field.choices],
                         "message": field.error})
