"""Wiring security into an application: one call from :func:`api.app.create_app`."""

from __future__ import annotations

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response

from api.security.context import Security
from api.security.guard import ScopeHidden, guard
from api.security.middleware import SecurityMiddleware
from api.security.policy import Forbidden
from graph.settings import Settings


def install(app: FastAPI, settings: Settings) -> None:
    """Add the security middleware, the guard dependency, the error handlers and the login
    and admin routes. Call before the other routers are included (the guard is an
    application-wide dependency, copied into each route as it is added)."""
    from api import errors
    from api.security.routes import api_router, router

    sec = Security.from_settings(settings)
    app.state.security = sec
    app.router.dependencies.append(Depends(guard))

    async def on_hidden(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ScopeHidden)
        from api.ui.render import error_page, is_page

        if is_page(request):
            # A page with a name field renders its form again (queries: in a worker thread).
            return await anyio.to_thread.run_sync(error_page, request, exc)
        return errors.not_found(request, exc)

    async def on_forbidden(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Forbidden)
        from api.ui.render import error_page, is_page

        if is_page(request):  # the inspectors' pages answer with a page (api/ui)
            return error_page(request, exc)
        return errors.error_json(request, 403, "forbidden", exc.message)

    app.add_exception_handler(ScopeHidden, on_hidden)
    app.add_exception_handler(Forbidden, on_forbidden)
    app.include_router(router)
    app.include_router(api_router)
    # Added before the gzip layer in create_app, so it is inside it and sees plain bodies.
    app.add_middleware(SecurityMiddleware, security=sec, fastapi_app=app)
