"""Scope filters the routes call on their results (a few call sites in the API and pages)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.security.context import allowed_for, current_user
from api.security.prune import prune_any, prune_subgraph
from graph.queries.subgraph import Subgraph
from graph.store.base import GraphStore


def _visible(request: Request, store: GraphStore) -> Any:
    scope = allowed_for(request, store)
    return lambda uids: store.reads.visible(uids, scope) | store.reads.outline(uids, scope)


def sees_everything(request: Request) -> bool:
    user = current_user(request)
    # No user: a public route (or security not installed, as in unit tests of the routes).
    return user is None or user.sees_everything


def scoped_subgraph(request: Request, store: GraphStore, sub: Subgraph) -> Subgraph:
    """``sub`` without the nodes (and their edges and paths) outside the user's scope."""
    if sees_everything(request):
        return sub
    return prune_subgraph(sub, _visible(request, store))


def scoped_context(request: Request, context: dict[str, Any]) -> dict[str, Any]:
    """A page's template context without list items about out-of-scope nodes."""
    if sees_everything(request):
        return context
    from api.deps import holder_of

    visible = _visible(request, holder_of(request).get())
    skip = {"request", "t", "schema", "lang"}
    return {k: v if k in skip else prune_any(v, visible) for k, v in context.items()}


def csp_nonce(request: Request) -> str | None:
    """The request's CSP nonce for inline scripts (None when security is not installed)."""
    nonce: str | None = getattr(request.state, "csp_nonce", None)
    return nonce


def nonced(request: Request, response: HTMLResponse) -> HTMLResponse:
    """A generated page (Swagger UI, ReDoc) whose bare ``<script>`` tags — its own inline
    init code, written by FastAPI, no user input — carry the request's CSP nonce."""
    nonce = csp_nonce(request)
    if not nonce:
        return response
    body = bytes(response.body).replace(b"<script>", f'<script nonce="{nonce}">'.encode())
    return HTMLResponse(body, status_code=response.status_code)
