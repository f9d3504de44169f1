"""Coverage by channel (巡察, 派驻, 监察 “三个全覆盖”) of a subtree, as of a date and per term."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.cache import cached_json
from api.deps import AsOfParam, StoreDep, iso
from api.errors import QUERY_ERRORS
from api.routes.analytics import ConfigDep
from api.routes.examples import ok
from api.security.policy import ReadScope
from graph.queries.coverage import Coverage, coverage

router = APIRouter(prefix="/api/coverage", tags=["coverage"])


@router.get(
    "",
    response_model=Coverage,
    summary="Coverage by channel / 巡察、派驻、监察全覆盖",
    description=(
        "For the units of the subtree (default: every unit the user may see; discipline "
        "bodies and the city level are not counted), how many each channel — `inspection` "
        "巡察 (巡视巡察), `stationed` 派驻监督, `supervision` 监察 — applies to and covers, as "
        "percentages: within the configured window before `as_of` and per term (届); the "
        "units a channel leaves out, those outside every channel first "
        "(V_OUTSIDE_ALL_CHANNELS)."
    ),
    responses={**ok("coverage"), **QUERY_ERRORS},
)
async def coverage_route(
    request: Request, store: StoreDep, scope: ReadScope, config: ConfigDep,
    unit: Annotated[str | None, Query(description="Unit whose subtree is counted. / 单位。",
                                      examples=["unit:MH"], max_length=200)] = None,
    as_of: AsOfParam = None,
) -> Response:
    return await cached_json(request, store, scope, Coverage,
                             lambda: coverage(store, unit, as_of=iso(as_of), config=config,
                                              scope=scope))
