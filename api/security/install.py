"""Wiring security into an application: one call from :func:`api.app.create_app`."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response

from api.security.context import Security
from api.security.middleware import SecurityMiddleware
from api.security.policy import Forbidden
from graph.settings import Settings


def install(app: FastAPI, settings: Settings) -> None:
    """Add the security middleware, the error handlers and the login and admin routes.

    Each route declares its own access policy (:mod:`api.security.policy`) and passes the
    user's scope to its queries, which answer an out-of-scope subject exactly like a
    missing one; the middleware checks every scoped answer on the way out
    (:mod:`api.security.check`)."""
    from api import errors
    from api.security.routes import api_router, router

    sec = Security.from_settings(settings)
    app.state.security = sec

    async def on_forbidden(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Forbidden)
        from api.ui.render import error_page, is_page

        if is_page(request):  # the inspectors' pages answer with a page (api/ui)
            return error_page(request, exc)
        return errors.error_json(request, 403, "forbidden", exc.message)

    app.add_exception_handler(Forbidden, on_forbidden)
    app.include_router(router)
    app.include_router(api_router)
    # Added before the gzip layer in create_app, so it is inside it and sees plain bodies.
    app.add_middleware(SecurityMiddleware, security=sec, fastapi_app=app)
