"""People: a person's posts and portfolios over time, duties, issues, projects, referrals,
records and accountability decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from api.cache import cached_json
from api.deps import AsOfParam, StoreDep, iso
from api.errors import QUERY_ERRORS
from api.routes.examples import ok
from api.security.policy import ReadScope
from graph.queries.person import person_profile
from graph.queries.person_models import PersonProfile

router = APIRouter(prefix="/api/people", tags=["people"])


@router.get(
    "/{person}",
    response_model=PersonProfile,
    summary="Person profile / 人员画像",
    description=(
        "Posts and portfolios over time (each flagged active as of `as_of`), duties held, "
        "issues assigned, projects led, integrity referrals received and whether answered, "
        "duty and failure records, and accountability decisions about the person. "
        "404 for an unknown person."
    ),
    responses={**ok("person_profile"), **QUERY_ERRORS},
)
async def profile(
    request: Request,
    store: StoreDep,
    scope: ReadScope,
    person: Annotated[str, Path(description="Person uid (`person:P-JD-01`) or bare id.",
                                examples=["person:P-JD-01"])],
    as_of: AsOfParam = None,
) -> Response:
    return await cached_json(request, store, scope, PersonProfile,
                             lambda: person_profile(store, person, as_of=iso(as_of),
                                                    scope=scope))
