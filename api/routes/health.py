"""``GET /health``: is the service up, which backend, and what the store holds."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import StoreDep
from api.errors import responses
from api.security.policy import PUBLIC
from graph.schema import SCHEMA

router = APIRouter(tags=["health"])


class CountsBody(BaseModel):
    nodes: dict[str, int] = Field(description="Nodes per label.")
    relationships: dict[str, int] = Field(description="Relationships per type.")
    total_nodes: int
    total_relationships: int


class Health(BaseModel):
    status: str = Field(description="``ok`` when the store answers.")
    backend: str = Field(description="``neo4j`` or ``embedded``.")
    schema_version: int
    counts: CountsBody


EXAMPLE: dict[str, Any] = {
    "status": "ok", "backend": "embedded", "schema_version": 1,
    "counts": {"nodes": {"Unit": 600, "Person": 120}, "relationships": {"SUBORDINATE_TO": 590},
               "total_nodes": 720, "total_relationships": 590},
}


@router.get(
    "/health",
    dependencies=[PUBLIC],
    response_model=Health,
    summary="Health and counts / 运行状态",
    description=(
        "Answers 200 with the backend in use and the counts per label and relationship type "
        "when the store is reachable, 503 (with `Retry-After`) when the database is down. "
        "数据库不可用时返回 503。"
    ),
    responses={200: {"content": {"application/json": {"example": EXAMPLE}}}, **responses(503)},
)
def health(store: StoreDep) -> Health:
    counts = store.counts().as_dict()
    return Health(status="ok", backend=store.backend, schema_version=SCHEMA.version,
                  counts=CountsBody(**counts))
