"""The home page, search results and the instant-suggestion fragment."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.i18n import translate
from api.security.policy import ReadScope
from api.ui.render import get_store, page, render, request_lang
from graph.errors import InvalidArgument
from graph.messages import Message
from graph.queries.search import search
from graph.schema import SCHEMA, uid_of
from graph.scope import Scope
from graph.store.base import GraphStore

router = APIRouter(include_in_schema=False)

#: The pilot units of the source article, shown on the home page when the graph has them.
PILOT_IDS = ("SH", "SH-JW", "JD", "JD-JW", "MH", "MH-JW", "JWDW", "SIPG", "SIPG-JW")
SEARCH_LIMIT = 50
SUGGEST_LIMIT = 8


def pilot_units(store: GraphStore) -> list[dict[str, Any]]:
    """The pilot units present in the graph, as links for the home page and scope pickers."""
    out = []
    for node_id in PILOT_IDS:
        node = store.get_node(uid_of("Unit", node_id))
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


@router.get("/", response_class=HTMLResponse)
@page
def home(request: Request, scope: ReadScope) -> Response:
    store = get_store(request)
    return render(request, "home.html", pilots=pilot_units(store),
                  counts=store.counts())


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
            q: Annotated[str, Query(max_length=100)] = "") -> Response:
    """Options for the search box, as an HTML fragment (the JS drops it into the listbox)."""
    text = " ".join(q.split())
    if not text:
        return HTMLResponse("")
    store = get_store(request)
    results = _hits(store, text, None, SUGGEST_LIMIT, request_lang(request), scope)
    return render(request, "suggest.html", results=results)
