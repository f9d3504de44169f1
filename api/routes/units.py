"""Units: the four holders of a unit (as of a date, optionally up the chain) and an
overview of everything below it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from api.cache import cached_json
from api.deps import AsOfParam, StoreDep, iso
from api.errors import QUERY_ERRORS
from api.routes.examples import ok
from api.security.policy import ReadScope
from graph.queries.holders import unit_holders, unit_overview
from graph.queries.holders_models import UnitHolders, UnitOverview

router = APIRouter(prefix="/api/units", tags=["units"])

UnitParam = Annotated[
    str,
    Path(description="Unit uid (`unit:JD`) or bare id (`JD`). / 单位编号。",
         examples=["unit:JD", "SIPG"]),
]


@router.get(
    "/{unit}/holders",
    response_model=UnitHolders,
    summary="Four holders of a unit / 单位四责主体",
    description=(
        "Who holds each of the four responsibilities in the unit as of `as_of`: the committee "
        "(主体责任) with its duties, the secretary (第一责任人), the team members with what "
        "each has in charge (一岗双责), the supervising discipline bodies (监督责任); "
        "vacancies are listed explicitly. With `up=true` the same for every ancestor, nearest "
        "first. 404 for an unknown unit."
    ),
    responses={**ok("unit_holders"), **QUERY_ERRORS},
)
async def holders(
    request: Request,
    store: StoreDep,
    scope: ReadScope,
    unit: UnitParam,
    as_of: AsOfParam = None,
    up: Annotated[bool, Query(description="Also every ancestor unit. / 逐级向上。")] = False,
) -> Response:
    return await cached_json(request, store, scope, UnitHolders,
                             lambda: unit_holders(store, unit, as_of=iso(as_of), up=up,
                                                  scope=scope))


@router.get(
    "/{unit}/overview",
    response_model=UnitOverview,
    summary="Units below a unit / 下级单位概览",
    description=(
        "Every unit transitively subordinate to the unit, counted by kind and level, and "
        "its direct children (e.g. 嘉定区委: 71 处级单位, 88 区属二三级公司, 337 村居, "
        "33 经济小区)."
    ),
    responses={**ok("unit_overview"), **QUERY_ERRORS},
)
async def overview(request: Request, store: StoreDep, scope: ReadScope,
                   unit: UnitParam) -> Response:
    return await cached_json(request, store, scope, UnitOverview,
                             lambda: unit_overview(store, unit, scope=scope))
