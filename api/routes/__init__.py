"""HTTP routes, one module per area. Routes are thin: parse parameters, call one query,
return its pydantic result. Errors are mapped in :mod:`api.errors`, not here."""

from __future__ import annotations

from fastapi import APIRouter

from api.routes import health

#: Every router of the API, in the order they are included (export routes with a file
#: suffix come before the JSON routes whose ``{uid}`` would otherwise swallow the suffix).
ROUTERS: list[APIRouter] = [
    health.router,
]
