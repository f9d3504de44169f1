"""Every route of the app, enumerated from the app itself (so a new route is covered by the
scope, header and injection tests without editing them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

#: Routes that are not about graph data (login, docs, admin, public health).
NOT_DATA = ("/login", "/logout", "/docs", "/redoc", "/admin", "/api/audit", "/api/changes",
            "/health",
            "/openapi.json", "/favicon.ico")


@dataclass
class RouteInfo:
    path: str
    methods: set[str]
    path_params: list[str]
    query_params: set[str]
    html: bool
    route: APIRoute


def _queries(dep: Dependant) -> Iterator[str]:
    for q in dep.query_params:
        yield str(q.alias)
    for sub in dep.dependencies:
        yield from _queries(sub)


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    for r in routes:
        if isinstance(r, APIRoute):
            yield prefix + r.path, r
        elif hasattr(r, "original_router"):  # FastAPI's included routers
            yield from _walk(r.original_router.routes, prefix + r.include_context.prefix)


def all_routes(app: FastAPI) -> list[RouteInfo]:
    out = []
    for path, r in _walk(app.router.routes):
        module = getattr(r.endpoint, "__module__", "")
        html = (module.startswith(("api.ui", "api.security.routes"))
                or path.startswith(("/views", "/docs", "/redoc"))) and not path.startswith(
            ("/api/", "/fragments/weak-marks", "/export/", "/search/resolve"))
        out.append(RouteInfo(path, set(r.methods or ()), re.findall(r"{(\w+)}", path),
                             set(_queries(r.dependant)), html, r))
    return out


def data_routes(app: FastAPI) -> list[RouteInfo]:
    """GET routes that show graph data (the home page included)."""
    return [r for r in all_routes(app)
            if "GET" in r.methods and not r.path.startswith(NOT_DATA)]
