"""The dashboards for a unit subtree: open loops and weak links (findings, health scores)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.i18n import Translator, translate
from api.security.policy import AnalyticsScope, ReadScope
from api.ui import weak
from api.ui.pages import pilot_units
from api.ui.render import get_store, page, render, request_lang
from graph.queries.common import parse_date, resolve
from graph.queries.loops import LOOP_KINDS, open_loops
from graph.queries.models import NodeRef

router = APIRouter(include_in_schema=False)

UnitParam = Annotated[str, Query(max_length=100)]
#: Rows a dashboard lists (the rest are counted, not shown).
DASHBOARD_ROWS = 1000


@router.get("/loops", response_class=HTMLResponse)
@page
def loops_page(request: Request, user_scope: ReadScope, unit: UnitParam = "",
               as_of: UnitParam = "") -> Response:
    store = get_store(request)
    root = (NodeRef.of(resolve(store, unit.strip(), ("Unit",), scope=user_scope))
            if unit.strip() else None)
    day = parse_date(as_of)
    loops = open_loops(store, unit=root.uid if root else None, as_of=day, scope=user_scope,
                       limit=DASHBOARD_ROWS)
    title = translate("ui.loops_title", request_lang(request)) + (
        f" · {root.caption}" if root else "")
    return render(request, "loops.html", title=title, loops=loops, scope=root,
                  kind_names=LOOP_KINDS, unit_param=unit.strip(), as_of_param=day or "",
                  show_as_of=True, pilots=pilot_units(store))


@router.get("/weak-links", response_class=HTMLResponse)
@page
def weak_page(request: Request, user_scope: AnalyticsScope, unit: UnitParam = "") -> Response:
    store = get_store(request)
    root = (NodeRef.of(resolve(store, unit.strip(), ("Unit",), scope=user_scope))
            if unit.strip() else None)
    t = Translator(request_lang(request))
    findings, health_rows = weak.for_subtree(request, store, root.uid if root else None, t,
                                             user_scope)
    title = translate("ui.weak_title", t.lang) + (f" · {root.caption}" if root else "")
    return render(request, "weak.html", title=title, findings=findings,
                  health_rows=health_rows, scope=root, unit_param=unit.strip(),
                  show_as_of=False, pilots=pilot_units(store))
