"""Issues: the responsibility chain of an issue as of the date it was found."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from api.cache import cached_json
from api.deps import StoreDep
from api.errors import QUERY_ERRORS
from api.routes.examples import ok
from api.security.policy import ReadScope
from graph.queries.chain import issue_chain
from graph.queries.chain_models import IssueChain

router = APIRouter(prefix="/api/issues", tags=["issues"])


@router.get(
    "/{issue}/chain",
    response_model=IssueChain,
    summary="Responsibility chain of an issue / 问题责任链",
    description=(
        "As of the issue's `found_on`: the owner (direct responsibility), the member in "
        "charge of the unit or of its parent (一岗双责 → 重要领导责任), the secretary "
        "(第一责任人 → 主要领导责任), the committee (主体责任 → 全面领导责任) and the "
        "supervising discipline body (监督责任); missing links are listed explicitly. "
        "The date is the issue's own, so this route takes no `as_of`."
    ),
    responses={**ok("issue_chain"), **QUERY_ERRORS},
)
async def chain(
    request: Request,
    store: StoreDep,
    scope: ReadScope,
    issue: Annotated[str, Path(description="Issue uid (`issue:I-SIPG-01`) or bare id.",
                               examples=["issue:I-SIPG-01"])],
) -> Response:
    return await cached_json(request, store, scope, IssueChain,
                             lambda: issue_chain(store, issue, scope=scope))
