"""The early-warning workbench (三色预警) and the forms of the working loop's acts.

``/warnings`` lists the loop's items in the user's scope, most urgent first, with the counts
per type and colour, filters (type, unit by name or id, holder, colour, date), the CSV/XLSX
downloads and, per item, the acts the user's role may make on it. The four forms
(``/warnings/record``, ``/warnings/reply``, ``/warnings/verify``, ``/warnings/order``) are
plain HTML forms (no script needed) carrying the session's CSRF token, checked by the
security layer before the route runs. They write through the same acts as the JSON API
(:mod:`api.routes.acts`): a refused form is shown again with each field's problem next to
it (422) and nothing written; a written act is audited and answered with a redirect to the
workbench naming what was written.
"""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from api.deps import holder_of
from api.i18n import translate
from api.reports.warnings import COLOUR_TEXT, TYPE_TEXT, rule_text
from api.security.acting import actor_of, audit_write
from api.security.policy import ReadScope, require_supervise, require_write
from api.ui.pages import pilot_units
from api.ui.render import error_page, get_store, page, render, request_lang
from graph.errors import DutyGraphError, InvalidFields, NotFound
from graph.messages import N_
from graph.queries.common import parse_date, uid_for
from graph.queries.warnings import COLOURS, TYPES, warnings
from graph.schema import SCHEMA
from graph.scope import Scope
from loaders import acts
from loaders.change import Change

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Query(max_length=200)]
#: Rows the workbench shows (the rest are counted; the downloads carry every item).
ROWS = 500
#: Each act's form: its fields in order (name, input type), and the permission it needs.
FORMS: dict[str, tuple[tuple[str, str], ...]] = {
    "record": (("duty", "text"), ("action", "select"), ("on", "date"), ("summary", "textarea"),
               ("title", "text"), ("by", "text"), ("evidence", "file")),
    "reply": (("item", "text"), ("reply", "textarea"), ("replied_on", "date"),
              ("replied_by", "text")),
    "verify": (("item", "text"), ("accept", "select"), ("verification", "textarea"),
               ("on", "date"), ("due_on", "date")),
    "order": (("issued_by", "text"), ("sent_to", "text"), ("about", "text"),
              ("due_on", "date"), ("title", "text"), ("request", "textarea")),
}


#: Each form field's label (catalogue codes).
FIELD_TEXT = {
    "duty": N_("ui.field.duty"), "action": N_("ui.field.action"), "on": N_("ui.field.on"),
    "summary": N_("ui.field.summary"), "title": N_("ui.field.title"), "by": N_("ui.field.by"),
    "evidence": N_("ui.field.evidence"), "item": N_("ui.field.item"),
    "reply": N_("ui.field.reply"), "replied_on": N_("ui.field.replied_on"),
    "replied_by": N_("ui.field.replied_by"), "accept": N_("ui.field.accept"),
    "verification": N_("ui.field.verification"), "due_on": N_("ui.field.due_on"),
    "issued_by": N_("ui.field.issued_by"), "sent_to": N_("ui.field.sent_to"),
    "about": N_("ui.field.about"), "request": N_("ui.field.request"),
    "target": N_("ui.field.target"), "finding": N_("ui.field.finding"),
    "issued_on": N_("ui.field.issued_on"),
}
#: Each form's title.
ACT_TEXT = {"record": N_("ui.act.record"), "reply": N_("ui.act.reply"),
            "verify": N_("ui.act.verify"), "order": N_("ui.act.order")}


def _csrf(request: Request) -> str:
    session = getattr(request.state, "session", None)
    return str(session.csrf) if session is not None else ""


@router.get("/warnings", response_class=HTMLResponse)
@page
def workbench(request: Request, user_scope: ReadScope, unit: Text = "", holder: Text = "",
              type: Annotated[list[str] | None, Query(max_length=20)] = None,
              status: Annotated[list[str] | None, Query(max_length=20)] = None,
              as_of: Text = "", done: Text = "", uid: Text = "") -> Response:
    store = get_store(request)
    lang = request_lang(request)
    types = [t for t in type or () if t in TYPES] or None
    colours = [c for c in status or () if c in COLOURS] or None
    result = warnings(store, as_of=parse_date(as_of), unit=unit.strip() or None, types=types,
                      colours=colours, holder=holder.strip() or None, limit=ROWS,
                      scope=user_scope)
    user = getattr(request.state, "user", None)
    rows = [(item, rule_text(item, lang)) for item in result.items]
    downloads = request.url.query
    return render(request, "warnings.html", title=translate("ui.warnings_title", lang),
                  result=result, rows=rows, type_text=TYPE_TEXT, colour_text=COLOUR_TEXT,
                  types=TYPES, colours=COLOURS, unit_param=unit.strip(),
                  holder_param=holder.strip(), type_param=types or [],
                  status_param=colours or [], as_of_param=parse_date(as_of) or "",
                  pilots=_visible_pilots(store, user_scope), downloads=downloads, done=done,
                  done_uid=uid,
                  can_write=user is None or user.can("write"),
                  can_supervise=user is None or user.can("supervise"), csrf=_csrf(request))


def _visible_pilots(store: Any, scope: Scope) -> list[Any]:
    """The pilot units the user may see (the unit filter's suggestions)."""
    pilots = pilot_units(store)
    seen = store.reads.visible([u["uid"] for u in pilots], scope)
    return [u for u in pilots if u["uid"] in seen]


def _form_page(request: Request, act: str, values: dict[str, Any], status: int = 200,
               problems: list[tuple[str, str]] | None = None) -> HTMLResponse:
    lang = request_lang(request)
    actions = [(v.code, v.label(lang)) for v in SCHEMA.enum("record_action").values]
    return render(request, "act_form.html", status=status,
                  title=translate(ACT_TEXT[act], lang), act=act, field_text=FIELD_TEXT,
                  fields=FORMS[act],
                  values=values, problems=dict(problems or ()), problem_list=problems or [],
                  actions=actions, csrf=_csrf(request))


def _prefill(store: Any, scope: Scope, act: str, values: dict[str, str]) -> dict[str, str]:
    """The form's values from the query; an item named must be in scope (404 otherwise,
    as for a missing id), and is shown by its caption."""
    for field in ("duty", "item", "about"):
        ref = values.get(field, "").strip()
        if ref:
            label = {"duty": ("Duty",), "item": ("Referral", "SupervisionOrder"),
                     "about": ("Issue", "Referral", "Duty", "Project")}[field]
            row = store.reads.act_context(ref if ":" in ref else uid_for(ref, label[0]), scope)
            if row is None:
                raise NotFound(label[0], ref.partition(":")[2] or ref)
            values[f"{field}_caption"] = str(row["node"].get("title") or row["node"]["uid"])
    return values


def _form_route(act: str, scope_dep: Any) -> None:
    params = [f for f, _ in FORMS[act] if f != "evidence"]

    @router.get(f"/warnings/{act}", response_class=HTMLResponse, name=f"form_{act}")
    @page
    def show(request: Request, user_scope: Scope = Depends(scope_dep)) -> Response:
        values = {k: v[:200] for k, v in request.query_params.items() if k in params}
        return _form_page(request, act, _prefill(get_store(request), user_scope, act, values))

    @router.post(f"/warnings/{act}", response_class=HTMLResponse, name=f"submit_{act}")
    async def submit(request: Request,
                     user_scope: Scope = Depends(scope_dep)) -> Response:
        store = await anyio.to_thread.run_sync(holder_of(request).get)
        form = await request.form(max_files=1, max_fields=40)
        values = {k: v.strip() for k, v in form.items() if isinstance(v, str) and k in params}
        upload = form.get("evidence")
        actor = actor_of(request, user_scope)
        settings = request.app.state.settings
        try:
            file = None
            if isinstance(upload, UploadFile) and upload.filename:
                file = acts.Upload(upload.filename, await upload.read())
            change = await anyio.to_thread.run_sync(
                lambda: _act(store, actor, act, values, file, settings))
        except InvalidFields as bad:
            lang = request_lang(request)
            problems = [(f, translate(r, lang)) for f, r in bad.problems]
            return _form_page(request, act, values, 422, problems)
        except DutyGraphError as exc:
            return error_page(request, exc)
        finally:
            await form.close()
        await audit_write(request, change)
        return RedirectResponse(
            f"/warnings?done={change.reason}&uid={change.nodes[0].uid}", status_code=303)


def _act(store: Any, actor: acts.Actor, act: str, v: dict[str, str],
         file: acts.Upload | None, settings: Any) -> Change:
    """The act a form asks for, through :mod:`loaders.acts`."""
    def ref(value: str | None, label: str) -> str | None:
        value = (value or "").strip()
        return uid_for(value, label) if value and ":" not in value else value or None

    if act == "record":
        return acts.record_fulfilment(
            store, actor, ref(v.get("duty"), "Duty") or "", action=v.get("action"),
            on=v.get("on"), summary=v.get("summary"), title=v.get("title"),
            by=ref(v.get("by"), "Person"), upload=file, home=settings.home,
            max_bytes=int(settings.evidence_max_mb * 1024 * 1024))
    if act == "reply":
        return acts.reply(store, actor, ref(v.get("item"), "Referral") or "",
                          text=v.get("reply"), replied_on=v.get("replied_on"),
                          replied_by=ref(v.get("replied_by"), "Person"))
    if act == "verify":
        return acts.verify(store, actor, ref(v.get("item"), "Referral") or "",
                           accept=v.get("accept") == "yes", text=v.get("verification"),
                           on=v.get("on"), due_on=v.get("due_on"))
    return acts.issue_order(store, actor, issued_by=ref(v.get("issued_by"), "Unit"),
                            sent_to=v.get("sent_to"), due_on=v.get("due_on"),
                            about=v.get("about"), title=v.get("title"),
                            request=v.get("request"))


# The act's permission as a plain dependency: the scope annotation of a route made in a
# loop cannot be resolved from the module's names.
_form_route("record", require_write)
_form_route("reply", require_write)
_form_route("verify", require_supervise)
_form_route("order", require_supervise)
