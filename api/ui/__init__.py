"""The inspectors' browser pages: server-rendered HTML (Jinja2, Chinese by default with an
English switch) and small plain JavaScript modules, nothing loaded from outside the server.

:data:`router` holds every page; :func:`api.app.create_app` includes it. The pages call the
domain queries (:mod:`graph.queries`) with the application's store; the interactive graph
fetches the JSON graph API.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.ui import (
    cases,
    dashboards,
    entities,
    exports,
    graphview,
    history,
    home,
    mechanism,
    pages,
    weak,
    workbench,
)

router = APIRouter(include_in_schema=False)
for _module in (home, pages, entities, cases, dashboards, graphview, weak, exports, workbench,
                history, mechanism):
    router.include_router(_module.router)

__all__ = ["router"]
