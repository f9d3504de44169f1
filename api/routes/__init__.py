"""HTTP routes, one module per area. Routes are thin: parse parameters, call one query,
return its pydantic result. Errors are mapped in :mod:`api.errors`, not here."""

from __future__ import annotations

from fastapi import APIRouter

from api.routes import (
    acts,
    analytics,
    assessment,
    cases,
    coverage,
    exports,
    graph,
    health,
    history,
    issues,
    loops,
    people,
    prevention,
    search,
    stats,
    units,
    views,
    warnings,
)

#: Every router of the API, in the order they are included: the download routes, whose
#: paths end in a file suffix, come before the JSON routes whose ``{uid}`` would otherwise
#: take the suffix as part of the id.
ROUTERS: list[APIRouter] = [
    health.router,
    units.router,
    people.router,
    issues.router,
    cases.router,
    loops.router,
    stats.router,
    assessment.router,
    coverage.router,
    prevention.router,
    search.router,
    exports.router,
    graph.router,
    views.router,
    analytics.router,
    warnings.router,
    acts.router,
    history.router,
    history.admin_router,
    history.corrections_router,
]
