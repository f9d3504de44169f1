"""Accountability statistics (问责统计) for a unit's subtree, with year-on-year change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import Field

from api.cache import cached_json
from api.deps import StoreDep
from api.errors import QUERY_ERRORS
from api.routes.examples import ok
from api.security.policy import ReadScope
from graph.queries.stats import AccountabilityStats, accountability_stats

router = APIRouter(prefix="/api/stats", tags=["stats"])

Year = Annotated[int, Field(ge=1949, le=2100)]


@router.get(
    "/accountability",
    response_model=AccountabilityStats,
    summary="Accountability statistics / 问责统计",
    description=(
        "Accountability decisions for the subtree of `unit` (default: everything), persons "
        "and Party organisations counted apart, never added up: `persons` in person-times "
        "(人次) and `organisations` (党组织, 个), each by year — with the change on the year "
        "before — and by category, measure and form (the four forms apply to persons only). "
        "`year` restricts the breakdowns to those years. Example: 嘉定区委 (`unit:JD`) shows "
        "8 person-times in 2016 and 31 in 2017, +287.5%."
    ),
    responses={**ok("accountability_stats"), **QUERY_ERRORS},
)
async def accountability(
    request: Request,
    store: StoreDep,
    scope: ReadScope,
    unit: Annotated[str | None, Query(
        description="Unit whose subtree is counted (uid or id). / 单位及其下级。",
        examples=["unit:JD"])] = None,
    year: Annotated[list[Year] | None, Query(
        description="Only these years (repeat the parameter). / 年度。",
        examples=[[2016, 2017]])] = None,
) -> Response:
    return await cached_json(request, store, scope, AccountabilityStats,
                             lambda: accountability_stats(store, unit=unit, years=year,
                                                          scope=scope))
