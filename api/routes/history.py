"""The history as JSON: change sets, their diffs, undo and corrections (admins), and where
a fact comes from (anyone who may see it).

Undo and corrections change the graph: admin only (the access policy), with the session's
CSRF token when called from a browser (the security middleware), and appended to the audit
log before the answer leaves. They are left out of the public OpenAPI document, as the other
admin routes are (docs/security.md).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.deps import StoreDep
from api.errors import QUERY_ERRORS
from api.routes.examples import ok
from api.security.context import current_user, security_of
from api.security.policy import ADMIN, ReadScope
from graph.errors import InvalidArgument, NotFound
from graph.history.diff import ChangeDiff, diff
from graph.history.facts import FactKey, fact_nodes, is_rel, parse_fact_id
from graph.history.model import ChangeHeader
from graph.history.provenance import Provenance, provenance_of
from graph.history.undo import header_or_404, undo
from graph.messages import Message
from graph.scope import Scope
from graph.store.base import GraphStore
from loaders.corrections import CorrectionReport, CorrectionRequest, apply

router = APIRouter(prefix="/api", tags=["history"])
admin_router = APIRouter(prefix="/api/changes", tags=["history"], include_in_schema=False)
corrections_router = APIRouter(prefix="/api/corrections", tags=["history"],
                               include_in_schema=False)


class ChangeDetail(BaseModel):
    header: ChangeHeader
    diff: ChangeDiff


class UndoRequest(BaseModel):
    """An undo must be confirmed (``confirm: true``); the reason is recorded."""

    confirm: bool = Field(description="Must be true: the undo is written at once.")
    reason: str | None = Field(default=None, max_length=2000)


def _who(request: Request) -> str:
    user = current_user(request)
    return user.username if user is not None else "-"


async def _audit(request: Request, action: str, ids: list[str], detail: dict[str, Any]) -> None:
    sec = security_of(request)
    await asyncio.wrap_future(sec.audit.submit(_who(request), action, request.url.path, ids,
                                               detail))


def visible_fact(store: GraphStore, fact: str, scope: Scope) -> FactKey:
    """The fact ``fact`` names, if the user may see it (a relationship: both its ends);
    else NotFound, as for a missing one."""
    try:
        key = parse_fact_id(fact)
    except InvalidArgument:
        # Like any other id the API looks up: what names no fact is not found.
        raise NotFound("node", fact) from None
    uids = list(key[1:3]) if is_rel(key) else [str(key)]
    if not scope.everything and store.reads.visible(uids, scope) != set(uids):
        raise NotFound("node", fact)
    return key


@router.get("/provenance", response_model=Provenance,
            responses={**ok("provenance"), **QUERY_ERRORS},
            summary="Where a fact comes from / 数据来源",
            description="The change set that last wrote a node or relationship and the "
                        "source rows (file › sheet › row, with the file's SHA-256) that "
                        "assert it. `fact`: a uid, or `src-TYPE->dst[key]`.")
def fact_provenance(store: StoreDep, scope: ReadScope,
                    fact: Annotated[str, Query(
                        min_length=1, max_length=1000, examples=["person:P-JD-01"],
                        description="A node's uid, or a relationship written "
                                    "src-TYPE->dst[key].")]) -> Provenance:
    key = visible_fact(store, fact, scope)
    found = provenance_of(store, [key]).get(key)
    if found is None:
        raise NotFound("node", fact)
    return found


@admin_router.get("", response_model=list[ChangeHeader], dependencies=[ADMIN],
                  summary="Change sets, newest first / 导入记录")
def changes(store: StoreDep, limit: Annotated[int, Query(ge=1, le=10_000)] = 200
            ) -> list[ChangeHeader]:
    return store.history.headers()[:limit]


@admin_router.get("/{change}", response_model=ChangeDetail, dependencies=[ADMIN],
                  summary="One change set and its diff / 变更集")
def change_detail(store: StoreDep, change: int,
                  limit: Annotated[int, Query(ge=1, le=100_000)] = 1000) -> ChangeDetail:
    return ChangeDetail(header=header_or_404(store, change), diff=diff(store, change,
                                                                        limit=limit))


@admin_router.get("/{change}/diff", response_model=ChangeDiff, dependencies=[ADMIN],
                  summary="The diff of change sets / 变更对比")
def change_diff(store: StoreDep, change: int, last: int | None = None,
                limit: Annotated[int, Query(ge=1, le=100_000)] = 1000) -> ChangeDiff:
    return diff(store, change, last, limit=limit)


@admin_router.post("/{change}/undo", response_model=ChangeHeader, dependencies=[ADMIN],
                   summary="Undo a change set / 撤销")
async def change_undo(request: Request, store: StoreDep, change: int,
                      body: UndoRequest) -> ChangeHeader:
    """Undo ``change`` (409 with the change sets that depend on it, when any)."""
    if not body.confirm:
        raise InvalidArgument("confirm", Message("history.confirm_required"))
    done = await anyio.to_thread.run_sync(
        lambda: undo(store, change, _who(request), reason=body.reason))
    await _audit(request, "undo", [], {"change": done.id, "undoes": change,
                                       "reason": body.reason})
    return done


@corrections_router.post("", response_model=CorrectionReport, dependencies=[ADMIN],
                         summary="Apply corrections / 更正")
async def corrections(request: Request, store: StoreDep, body: CorrectionRequest) -> Response:
    """Set, delete or add facts as one change set; 422 with ``ok: false`` and the problems
    (each with its change's position and property; nothing written) when the request does
    not validate."""
    report = await anyio.to_thread.run_sync(
        lambda: apply(store, body, _who(request), source="api"))
    if report.written:
        await _audit(request, "correction", fact_nodes(report.facts),
                     {"change": report.change, "reason": body.reason,
                      "facts": report.facts[:100]})
    return Response(report.model_dump_json(), status_code=200 if report.ok else 422,
                    media_type="application/json")
