"""The mechanism sections of the unit and person pages (assessment, risk points, 三重一大
decisions), the subtree fragment of a unit page (rotation, score trends, the risk network
by layer, decisions by kind) and the coverage page (巡察, 派驻, 监察 by channel and term)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.i18n import Translator, translate
from api.routes.analytics import get_config
from api.security.policy import ReadScope
from api.ui.names import read_field
from api.ui.pages import pilot_units
from api.ui.render import environment, get_store, page, render, request_lang
from graph.analytics.config import AnalyticsConfig
from graph.queries.assessment import assessment_history, rotation, score_trends
from graph.queries.common import parse_date, resolve
from graph.queries.coverage import coverage
from graph.queries.models import NodeRef
from graph.queries.prevention import decision_register, owned_controls, risk_register
from graph.schema import SCHEMA
from graph.scope import Scope
from graph.store.base import GraphStore

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Query(max_length=100)]
#: Rows a section of a unit or person page lists (the counts cover all).
SECTION_ROWS = 10


def unit_sections(store: GraphStore, uid: str, day: str | None, scope: Scope,
                  cfg: AnalyticsConfig) -> dict[str, Any]:
    """The unit page's assessment, risk and decision sections: the unit's own."""
    return {
        "assessments": assessment_history(store, uid, as_of=day, config=cfg, scope=scope),
        "risks": risk_register(store, uid, as_of=day, config=cfg, scope=scope),
        "decisions": decision_register(store, uid, as_of=day, config=cfg, scope=scope),
        "section_rows": SECTION_ROWS,
    }


def person_sections(store: GraphStore, uid: str, day: str | None, scope: Scope,
                    cfg: AnalyticsConfig) -> dict[str, Any]:
    """The person page's assessment and control sections."""
    return {
        "assessments": assessment_history(store, uid, as_of=day, config=cfg, scope=scope),
        "controls": owned_controls(store, uid, as_of=day, config=cfg, scope=scope),
        "section_rows": SECTION_ROWS,
    }


@router.get("/fragments/unit-mechanism", response_class=HTMLResponse)
@page
def unit_mechanism_fragment(request: Request, scope: ReadScope, unit: Text,
                            as_of: Text = "") -> Response:
    """The subtree part of a unit page (fetched after the page loads): the rotation and its
    check, score trends, the risk network by layer and decisions by kind."""
    store = get_store(request)
    root = resolve(store, unit, ("Unit",), scope=scope)
    day = parse_date(as_of)
    t = Translator(request_lang(request))
    body = environment(t.lang).get_template("_unit_mechanism_subtree.html").render(
        request=request, t=t, lang=t.lang, schema=SCHEMA, unit=NodeRef.of(root),
        as_of_param=day or "", section_rows=SECTION_ROWS,
        **subtree_sections(store, root.uid, day, scope, get_config(request)))
    return HTMLResponse(body)


def subtree_sections(store: GraphStore, uid: str, day: str | None, scope: Scope,
                     cfg: AnalyticsConfig) -> dict[str, Any]:
    """The subtree part of a unit page: the rotation and its check, score trends, the risk
    network by layer and decisions by kind (bench/queries.py times this as
    ``unit_subtree``)."""
    return {
        "rotation": rotation(store, uid, as_of=day, config=cfg, scope=scope),
        "trends": score_trends(store, uid, as_of=day, scope=scope),
        "risks": risk_register(store, uid, subtree=True, as_of=day, config=cfg, scope=scope),
        "decisions": decision_register(store, uid, subtree=True, as_of=day, config=cfg,
                                       scope=scope),
    }


@router.get("/coverage", response_class=HTMLResponse)
@page
def coverage_page(request: Request, user_scope: ReadScope, unit: Text = "",
                  as_of: Text = "") -> Response:
    """Coverage by channel (巡察, 派驻, 监察) of a subtree, as of a date and per term."""
    store = get_store(request)
    lang = request_lang(request)
    field = read_field(store, unit, ("Unit",), scope=user_scope, lang=lang)
    root = field.ref
    day = parse_date(as_of)
    result = None if field.failed else coverage(
        store, root.uid if root else None, as_of=day, config=get_config(request),
        scope=user_scope)
    title = translate("ui.coverage_title", lang) + (f" · {root.caption}" if root else "")
    return render(request, "coverage.html", status=field.status, title=title, coverage=result,
                  scope=root, field=field, as_of_param=day or "", show_as_of=True,
                  pilots=pilot_units(store, user_scope))
