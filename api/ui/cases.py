"""The case list page: the cases that occurred in a unit's subtree, newest first (the way
from a unit's page to its case trace-backs; the query is
:func:`graph.queries.cases.cases_in_subtree`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.i18n import translate
from api.security.policy import ReadScope
from api.ui.names import read_field
from api.ui.pages import pilot_units
from api.ui.render import get_store, page, render, request_lang
from graph.errors import InvalidArgument
from graph.messages import Message
from graph.queries.cases import cases_in_subtree
from graph.queries.stats import AccountabilityStats, accountability_stats

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
    if field.ref is None:  # a name that matched nothing, or several units
        return render(request, "cases.html", status=field.status,
                      title=translate("ui.cases_title", lang), scope=None, cases=None,
                      field=field, show_as_of=False, pilots=pilot_units(store, user_scope))
    cases = cases_in_subtree(store, field.ref.uid, limit=LIST_LIMIT, scope=user_scope)
    stats = accountability_stats(store, unit=field.ref.uid, scope=user_scope)
    title = f"{translate('ui.cases_title', lang)} · {field.ref.caption}"
    return render(request, "cases.html", title=title, scope=field.ref, cases=cases,
                  stats=stats, stat_years=_stat_years(stats), field=field, show_as_of=False,
                  pilots=pilot_units(store, user_scope))


def _stat_years(stats: AccountabilityStats) -> list[dict[str, Any]]:
    """One row per year: persons (人次) and organisations (个) side by side, never summed."""
    persons = {y.year: y for y in stats.persons.by_year}
    orgs = {y.year: y for y in stats.organisations.by_year}
    return [{"year": year, "persons": persons.get(year), "orgs": orgs.get(year)}
            for year in sorted(persons.keys() | orgs.keys())]
