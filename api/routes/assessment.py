"""Assessment (考核评议): a unit's and a person's history, the rotation of a subtree and its
check, score trends per subtree."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from api.cache import cached_json
from api.deps import AsOfParam, StoreDep, iso, one_of
from api.errors import QUERY_ERRORS
from api.routes.analytics import ConfigDep
from api.routes.examples import ok
from api.security.policy import ReadScope
from graph.analytics.config import AnalyticsConfig
from graph.queries.assessment import (
    SUBJECT_KINDS,
    assessment_history,
    rotation,
    score_trends,
)
from graph.queries.assessment_models import AssessmentHistory, Rotation, ScoreTrends
from graph.queries.common import uid_for
from graph.schema import SCHEMA
from graph.scope import Scope
from graph.store.base import GraphStore

router = APIRouter(tags=["assessment"])

UnitQuery = Annotated[str, Query(
    description="Unit whose subtree is read (uid or id). / 单位及其下级。",
    examples=["unit:JWDW"], max_length=200)]


@router.get(
    "/api/units/{unit}/assessments",
    response_model=AssessmentHistory,
    summary="A unit's assessments / 单位考核评议",
    description=(
        "Every assessment result of the unit up to `as_of`, newest first: round, assessor, "
        "method (实地检查, 现场述职, 书面述职, 民主测评, 上级评议, 群众评议), overall and "
        "per-indicator scores, grade and the use made of it (任免, 薪酬, 奖惩, 约谈); and its "
        "place in the on-site rotation (`rotation.due`: not assessed on site within the "
        "configured years, the rule of V_NO_ONSITE_ASSESSMENT)."
    ),
    responses={**ok("unit_assessments"), **QUERY_ERRORS},
)
async def unit_assessments(
    request: Request, store: StoreDep, scope: ReadScope, config: ConfigDep,
    unit: Annotated[str, Path(description="Unit uid or id. / 单位编号。",
                              examples=["unit:JWDW-U01"])],
    as_of: AsOfParam = None,
) -> Response:
    return await _history(request, store, scope, config, uid_for(unit, "Unit"), as_of)


@router.get(
    "/api/people/{person}/assessments",
    response_model=AssessmentHistory,
    summary="A person's assessments / 人员考核评议",
    description=(
        "Every assessment result of the person up to `as_of`, newest first (evaluation by "
        "superiors, by cadres and the masses, …)."
    ),
    responses={**ok("person_assessments"), **QUERY_ERRORS},
)
async def person_assessments(
    request: Request, store: StoreDep, scope: ReadScope, config: ConfigDep,
    person: Annotated[str, Path(description="Person uid or id. / 人员编号。",
                                examples=["person:P-JD-T05-01"])],
    as_of: AsOfParam = None,
) -> Response:
    return await _history(request, store, scope, config, uid_for(person, "Person"), as_of)


async def _history(request: Request, store: GraphStore, scope: Scope, config: AnalyticsConfig,
                   uid: str, as_of: dt.date | None) -> Response:
    # The path names the kind, so a bare id cannot be ambiguous between a unit and a person.
    return await cached_json(request, store, scope, AssessmentHistory,
                             lambda: assessment_history(store, uid, as_of=iso(as_of),
                                                        config=config, scope=scope))


@router.get(
    "/api/assessment/rotation",
    response_model=Rotation,
    summary="Assessment rotation and its check / 述职检查测评轮换",
    description=(
        "The units of the subtree assessed in the rotation of 实地检查, 现场述职 and 书面述职: "
        "the form each had each year, the share of each form per year (市教育卫生工作党委: a "
        "third each) and the units due — not assessed on site within the configured years "
        "(`onsite_window_years`, default 3)."
    ),
    responses={**ok("rotation"), **QUERY_ERRORS},
)
async def rotation_check(request: Request, store: StoreDep, scope: ReadScope,
                         config: ConfigDep, unit: UnitQuery,
                         as_of: AsOfParam = None) -> Response:
    return await cached_json(request, store, scope, Rotation,
                             lambda: rotation(store, unit, as_of=iso(as_of), config=config,
                                              scope=scope))


@router.get(
    "/api/assessment/trends",
    response_model=ScoreTrends,
    summary="Assessment score trends / 考核得分趋势",
    description=(
        "Per year (the round's), the number of results and the mean, lowest and highest "
        "overall score and the grades of the results assessing the subtree's units and the "
        "persons serving in it; only of `method` and of `subjects` (`unit`, `person`) when "
        "given."
    ),
    responses={**ok("score_trends"), **QUERY_ERRORS},
)
async def trends(
    request: Request, store: StoreDep, scope: ReadScope, unit: UnitQuery,
    as_of: AsOfParam = None,
    method: Annotated[Annotated[str, one_of(SCHEMA.enum("assessment_method").codes)] | None,
                      Query(description="Only this method. / 考核方式。")] = None,
    subjects: Annotated[Annotated[str, one_of(SUBJECT_KINDS)] | None,
                        Query(description="Only units or only persons. / 考核对象类别。")] = None,
) -> Response:
    return await cached_json(request, store, scope, ScoreTrends,
                             lambda: score_trends(store, unit, as_of=iso(as_of), method=method,
                                                  subjects=subjects, scope=scope))
