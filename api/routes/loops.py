"""Open loops (未闭环事项): overdue referrals, issues without owner or project, projects past
deadline — most overdue first, paginated."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.cache import cached_json
from api.deps import AsOfParam, LimitParam, OffsetParam, StoreDep, iso, one_of
from api.errors import QUERY_ERRORS
from api.i18n import bilingual
from api.routes.examples import ok
from api.security.policy import ReadScope
from graph.queries.loops import LOOP_KINDS, OpenLoops, open_loops

router = APIRouter(prefix="/api/loops", tags=["loops"])

_KINDS_DOC = "; ".join(f"`{k}` {bilingual(code)}" for k, code in LOOP_KINDS.items())


@router.get(
    "",
    response_model=OpenLoops,
    summary="Open loops / 未闭环事项",
    description=(
        "Referrals past due without reply, issues without owner or without project, projects "
        "past deadline, as of `as_of`, within a unit's subtree when `unit` is given; ordered "
        "by days overdue (most first), then uid. `totals` counts each kind over all pages. "
        f"Kinds: {_KINDS_DOC}."
    ),
    responses={**ok("open_loops"), **QUERY_ERRORS},
)
async def loops(
    request: Request,
    store: StoreDep,
    scope: ReadScope,
    unit: Annotated[str | None, Query(
        description="Only this unit's subtree (uid or id). / 限定单位及其下级。",
        examples=["unit:MH"])] = None,
    kind: Annotated[list[Annotated[str, one_of(LOOP_KINDS)]] | None, Query(
        description="Only these kinds (repeat the parameter). / 类型，可多选。",
        examples=[["referral_overdue"]])] = None,
    as_of: AsOfParam = None,
    limit: LimitParam = 50,
    offset: OffsetParam = 0,
) -> Response:
    return await cached_json(request, store, scope, OpenLoops,
                             lambda: open_loops(store, unit=unit, as_of=iso(as_of),
                                                kinds=kind, limit=limit, offset=offset,
                                                scope=scope))
