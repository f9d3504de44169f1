"""Full-text search over names and titles (Chinese and English), ranked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.cache import cached_json
from api.deps import StoreDep, one_of
from api.errors import responses
from api.routes.examples import ok
from api.security.policy import ReadScope
from graph.queries.search import MAX_LIMIT, SearchResults, search
from graph.schema import SCHEMA

router = APIRouter(prefix="/api", tags=["search"])


@router.get(
    "/search",
    response_model=SearchResults,
    summary="Search names and titles / 检索",
    description=(
        "Nodes whose name or title matches `q`, best first: exact id or name, then names "
        "starting with it, then names containing it, then other fields. Any Chinese "
        "substring is found (Neo4j: the `cjk` full-text index). A ranked top list: ask for "
        f"more with `limit` (≤ {MAX_LIMIT}). Kinds: "
        + ", ".join(f"`{n.label}` {n.zh}" for n in SCHEMA.nodes) + "."
    ),
    responses={**ok("search"), **responses(422, 503)},
)
async def search_nodes(
    request: Request,
    store: StoreDep,
    scope: ReadScope,
    q: Annotated[str, Query(min_length=1, max_length=200,
                            description="Text to find. / 检索词。", examples=["嘉定"])],
    label: Annotated[list[Annotated[str, one_of(SCHEMA.labels)]] | None, Query(
        description="Only these node kinds (repeat the parameter). / 对象类型。",
        examples=[["Unit"]])] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many hits.")] = 20,
) -> Response:
    return await cached_json(request, store, scope, SearchResults,
                             lambda: search(store, q, labels=label, limit=limit, scope=scope))
