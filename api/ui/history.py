"""数据来源与导入记录: the admins' page of the history -- every change set, each one's files
(with SHA-256) and diff, and undo with confirmation.

Admin only (the access policy); the undo form posts the session's CSRF token in a hidden
field and a confirmation box, checked here (:func:`api.security.routes.form_csrf_ok`), and
every undo is appended to the audit log before the answer leaves.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.i18n import translate
from api.security.context import current_user, security_of
from api.security.policy import ADMIN
from api.security.routes import form_csrf_ok, page_csrf
from api.ui.render import error_page, get_store, page, render, request_lang
from graph.errors import DutyGraphError
from graph.history.diff import diff
from graph.history.undo import UndoPlan, UndoRefused, header_or_404, plan_undo, undo

router = APIRouter(include_in_schema=False)

#: Facts of a diff listed on the page (the JSON API and the CLI list more).
PAGE_FACTS = 200


@router.get("/admin/history", response_class=HTMLResponse, dependencies=[ADMIN])
@page
def history_page(request: Request,
                 limit: Annotated[int, Query(ge=1, le=10_000)] = 200) -> Response:
    store = get_store(request)
    headers = store.history.headers()[:limit]
    title = translate("history.page_title", request_lang(request))
    return render(request, "admin_history.html", title=title, headers=headers)


@router.get("/admin/history/{change}", response_class=HTMLResponse, dependencies=[ADMIN])
@page
def change_page(request: Request, change: int, undone: int | None = None) -> Response:
    return _change_page(request, change, undone=undone)


def _change_page(request: Request, change: int, *, undone: int | None = None,
                 error: str | None = None, status: int = 200) -> Response:
    try:
        return _render_change(request, change, undone, error, status)
    except DutyGraphError as exc:
        return error_page(request, exc)


def _render_change(request: Request, change: int, undone: int | None, error: str | None,
                   status: int) -> Response:
    store = get_store(request)
    lang = request_lang(request)
    header = header_or_404(store, change)
    result = diff(store, change, limit=PAGE_FACTS)
    plan: UndoPlan | None = None
    refusal: str | None = None
    try:
        plan = plan_undo(store, change)
        if plan.dependencies:
            refusal = translate(plan.refusal(), lang)
    except UndoRefused as exc:
        refusal = translate(exc.message, lang)
    title = translate("history.change_title", lang, id=change)
    return render(request, "admin_change.html", status=status, title=title, header=header,
                  diff=result, plan=plan, refusal=refusal, csrf=page_csrf(request),
                  undone=undone, error=error, shown=PAGE_FACTS)


@router.post("/admin/history/{change}/undo", response_class=HTMLResponse,
             dependencies=[ADMIN])
async def undo_form(request: Request, change: int) -> Response:
    """Undo after the confirmation box; back to the undo's page, or this page with why not."""
    lang = request_lang(request)
    ok, form = await form_csrf_ok(request)
    if not ok:
        return await anyio.to_thread.run_sync(lambda: _change_page(
            request, change, error=translate("auth.csrf", lang), status=403))
    if form.get("confirm") != "yes":
        return await anyio.to_thread.run_sync(lambda: _change_page(
            request, change, error=translate("history.confirm_required", lang), status=400))
    user = current_user(request)
    who = user.username if user is not None else "-"
    reason = form.get("reason", "").strip()[:2000] or None
    store = get_store(request)
    try:
        done = await anyio.to_thread.run_sync(lambda: undo(store, change, who, reason=reason))
    except DutyGraphError as exc:  # refused, or a guard met another change meanwhile
        message = translate(exc.message, lang)
        return await anyio.to_thread.run_sync(lambda: _change_page(
            request, change, error=message, status=409))
    await asyncio.wrap_future(security_of(request).audit.submit(
        who, "undo", request.url.path, [], {"change": done.id, "undoes": change,
                                            "reason": reason}))
    return RedirectResponse(f"/admin/history/{done.id}?undone={change}", status_code=303)
