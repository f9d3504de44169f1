"""The FastAPI application: JSON API, graph views and the documentation pages.

``create_app`` builds a new application and has no side effects until it is served: the
store is opened in the lifespan (or lazily by the first request when the database is not
up yet) and closed at shutdown. Everything the pages load comes from this server: Swagger
UI and ReDoc are vendored under ``api/static/vendor/`` and vis-network is served from the
copy inside the installed pyvis package.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles

from api import errors
from api.cache import ResponseCache
from api.deps import StoreHolder
from api.routes import ROUTERS, docs
from api.routes.examples import restore_examples
from api.security import install as security
from api.security.canonical import CanonicalIds
from api.views.vis import STATIC_PREFIX, vis_asset_dir
from graph.heap import settle
from graph.settings import Settings, get_settings
from graph.store import GraphStore

STATIC_DIR = Path(__file__).parent / "static"

DESCRIPTION = """\
**DutyGraph** — 四责协同责任关系图谱 / the responsibility graph of the "four
responsibilities" (主体责任、监督责任、第一责任人责任、一岗双责).

* Nodes are named by **uid** `kind:id` (`unit:JD`, `person:P-JD-01`); a bare id works when it
  names exactly one node (otherwise **409** with the candidates).
* Dates are ISO `YYYY-MM-DD`; `as_of` evaluates posts and portfolios at that date (default today).
* Lists are paginated with `limit`/`offset` and report `total`; order is stable.
* Errors share one body: `error`, `code` (the message's catalogue code), `message` (in the
  request's language: `?lang=`, the pages' cookie, `Accept-Language`; default Chinese),
  `message_zh`, `message_en` (+ `kind`/`id` for **404**, `fields` for **422**); **503** with
  `Retry-After` while the database is unreachable — the service recovers by itself when it
  comes back.
* Graph views: `/api/graph/...` (JSON with style hints), `/views/...` (interactive page),
  and `.graphml` / `.gexf` / `.csv.zip` downloads.
"""

TAGS = [
    {"name": "health", "description": "Liveness and what the store holds. / 运行状态。"},
    {"name": "units", "description": "A unit's four holders, overview. / 单位四责主体。"},
    {"name": "people", "description": "A person's posts, duties, issues, cases. / 人员画像。"},
    {"name": "issues", "description": "Responsibility chain of an issue. / 问题责任链。"},
    {"name": "cases", "description": "Case trace-back (倒查). / 案件倒查。"},
    {"name": "loops", "description": "Open loops: referrals, issues, projects. / 未闭环事项。"},
    {"name": "stats", "description": "Accountability statistics. / 问责统计。"},
    {"name": "assessment", "description": "Assessment, rotation, score trends. / 考核评议。"},
    {"name": "coverage", "description": "Coverage by channel and term. / 巡察派驻监察全覆盖。"},
    {"name": "prevention",
     "description": "Risk points, controls, 三重一大 decisions. / 风险防控与三重一大。"},
    {"name": "search", "description": "Full-text search over names and titles. / 检索。"},
    {"name": "graph", "description": "Subgraphs as JSON with style hints. / 图谱视图数据。"},
    {"name": "exports", "description": "GraphML, GEXF and CSV downloads. / 导出。"},
    {"name": "views", "description": "Interactive graph pages (vis-network). / 图谱页面。"},
    {"name": "analytics", "description": "Weak links and health scores. / 薄弱环节与健康度。"},
]


def _keep_example_nulls(app: FastAPI) -> None:
    """Serve the OpenAPI document with the response examples exactly as stored."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = restore_examples(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> FastAPI:
    """A new DutyGraph application.

    Parameters
    ----------
    settings
        Configuration; default :func:`graph.settings.get_settings`.
    store
        An already open store to serve (tests, the demo). It is not closed at shutdown;
        without it the configured store is opened at start-up and closed at shutdown.
    """
    settings = settings or get_settings()
    holder = StoreHolder(settings, store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        holder.warm_up()
        settle()  # what start-up left alive is not walked by every full collection
        try:
            yield
        finally:
            holder.close()

    app = FastAPI(
        title="DutyGraph API",
        version="1.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        # The default pages load Swagger UI / ReDoc from a CDN: ours are served locally.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store_holder = holder
    # Answers of the read queries, per data version (api/cache.py).
    app.state.response_cache = ResponseCache(
        enabled=settings.api_cache == "on",
        stats_dir=settings.home / "cache-stats" if settings.api_cache_stats else None)
    errors.install(app)
    # Logins, roles, unit scopes, audit and security headers (api/security): before the
    # routers (its guard dependency is copied into each route) and the gzip layer.
    security.install(app, settings)
    # Level 5, not the default 9: nearly the same size for JSON, half the CPU per response.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    # Outermost: every layer inside sees ids in one canonical form (api/security/canonical).
    app.add_middleware(CanonicalIds)

    # The more specific mount first: vis-network comes from the installed pyvis package.
    app.mount(STATIC_PREFIX, StaticFiles(directory=vis_asset_dir()), name="vis-network")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(docs.router)
    for router in ROUTERS:
        app.include_router(router)
    _keep_example_nulls(app)
    # Hook for the inspectors' pages (api/ui, by the UI work): one include, added when the
    # package exists.
    from api.ui import router as ui_router

    app.include_router(ui_router)
    return app
