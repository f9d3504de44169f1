"""The case list page: the cases that occurred in a unit's subtree, newest first (the way
from a unit's page to its case trace-backs; the query is
:func:`graph.queries.cases.cases_in_subtree`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.i18n import translate
from api.security.policy import ReadScope
from api.ui.names import read_field
from api.ui.pages import pilot_units
from api.ui.render import get_store, keeps_form, page, render, request_lang, user_scope_of
from graph.errors import InvalidArgument
from graph.messages import Message
from graph.queries.cases import cases_in_subtree

router = APIRouter(include_in_schema=False)

#: Cases listed on the case list page.
LIST_LIMIT = 500


@router.get("/cases", response_class=HTMLResponse)
@page
def case_list_page(request: Request, user_scope: ReadScope,
                   unit: Annotated[str, Query(max_length=100)]) -> Response:
    store = get_store(request)
    lang = request_lang(request)
    field = read_field(store, unit, ("Unit",), scope=user_scope, lang=lang)
    if not field.failed and field.ref is None:
        raise InvalidArgument("unit", Message("reason.required"))
    cases = None if field.ref is None else cases_in_subtree(
        store, field.ref.uid, limit=LIST_LIMIT, scope=user_scope)
    title = translate("ui.cases_title", lang) + (f" · {field.ref.caption}" if field.ref else "")
    return render(request, "cases.html", status=field.status, title=title, scope=field.ref,
                  cases=cases, field=field, show_as_of=False, pilots=pilot_units(store))


def _cases_form(request: Request) -> HTMLResponse:
    return case_list_page(request=request, user_scope=user_scope_of(request),  # type: ignore[return-value]
                          unit=request.query_params.get("unit", ""))


keeps_form(case_list_page, _cases_form)
