"""Graph views as JSON: a capped neighbourhood around a node, and the shortest paths between
two nodes, with kinds, Chinese/English labels and style hints for drawing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from api.cache import cached_json
from api.deps import StoreDep
from api.errors import QUERY_ERRORS
from api.routes.examples import ok
from api.routes.subgraphs import (
    GraphView,
    Legend,
    SubgraphQuery,
    neighbourhood_query_dep,
    path_query_dep,
    to_view,
)
from api.security.policy import READ, ReadScope
from api.views.style import legend

router = APIRouter(prefix="/api/graph", tags=["graph"])

NEIGHBOURHOOD_DOC = (
    "Breadth first around the node (relationships in either direction) up to `depth` hops "
    "and `limit` nodes; a capped level takes neighbours by kind (units, people, duties "
    "first) then uid. `more[uid]` counts neighbours the cap left out. `as_of` drops posts "
    "and portfolios not held that day. Nodes carry `kind`, `kind_zh`/`kind_en`, `caption` "
    "and `style` (shape, colour); edges `label_zh`/`label_en` and `style` (colour, dashes)."
)
PATH_DOC = (
    "All shortest paths between `from` and `to` (relationships in either direction) up to "
    "`max_depth` hops; the first `limit` in order of their uids. `paths` lists them as uid "
    "sequences (empty when none is found)."
)


@router.get(
    "/neighbourhood/{uid}",
    response_model=GraphView,
    summary="Neighbourhood of a node / 节点邻域",
    description=NEIGHBOURHOOD_DOC + " Also as a page: `/views/neighbourhood/{uid}`; as files: "
    "`.graphml`, `.gexf`, `.csv.zip`.",
    responses={**ok("graph_neighbourhood"), **QUERY_ERRORS},
)
async def neighbourhood(
    request: Request, store: StoreDep, scope: ReadScope,
    query: Annotated[SubgraphQuery, Depends(neighbourhood_query_dep)],
) -> Response:
    # A large view (1,000 nodes) costs the server a tenth of a second or more to build:
    # answered from the response cache until the data change, like the other reads.
    return await cached_json(request, store, scope, GraphView, lambda: to_view(query()))


@router.get(
    "/path",
    response_model=GraphView,
    summary="Shortest paths between two nodes / 两点间最短路径",
    description=PATH_DOC + " Also as a page: `/views/path`; as files: `/api/graph/path.graphml`, "
    "`.gexf`, `.csv.zip`.",
    responses={**ok("graph_path"), **QUERY_ERRORS},
)
async def path(
    request: Request, store: StoreDep, scope: ReadScope,
    query: Annotated[SubgraphQuery, Depends(path_query_dep)],
) -> Response:
    return await cached_json(request, store, scope, GraphView, lambda: to_view(query()))


@router.get(
    "/legend",
    response_model=Legend,
    summary="Legend of kinds and relationship types / 图例",
    description="Every node kind and relationship type with its Chinese name, colour and shape "
    "(derived from the schema).",
    responses=ok("graph_legend"),
    dependencies=[READ],
)
def graph_legend() -> Legend:
    return Legend.model_validate(legend("zh"))
