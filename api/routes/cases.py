"""Cases: the trace-back (倒查) of a case against the accountability decided for it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from api.cache import cached_json
from api.deps import StoreDep
from api.errors import QUERY_ERRORS
from api.routes.examples import ok
from api.security.policy import ReadScope
from graph.queries.chain import case_trace
from graph.queries.chain_models import CaseTrace

router = APIRouter(prefix="/api/cases", tags=["cases"])


@router.get(
    "/{case}/trace",
    response_model=CaseTrace,
    summary="Case trace-back / 案件倒查",
    description=(
        "The responsibility chain as of the case's `occurred_on`, set against the "
        "accountability actually decided: each expected holder marked held accountable "
        "(with measure and form) or not (a gap), and anyone held accountable outside the "
        "chain; `stopped_at_direct` when only the persons directly involved were."
    ),
    responses={**ok("case_trace"), **QUERY_ERRORS},
)
async def trace(
    request: Request,
    store: StoreDep,
    scope: ReadScope,
    case: Annotated[str, Path(description="Case uid (`case:C-SIPG-01`) or bare id.",
                              examples=["case:C-SIPG-01"])],
) -> Response:
    return await cached_json(request, store, scope, CaseTrace,
                             lambda: case_trace(store, case, scope=scope))
