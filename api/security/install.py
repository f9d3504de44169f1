"""Wiring security into an application: one call from :func:`api.app.create_app`."""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from api.security.context import Security
from api.security.guard import ScopeHidden, guard
from api.security.middleware import SecurityMiddleware
from api.security.policy import Forbidden
from graph.settings import Settings


def _is_page(request: Request) -> bool:
    route = request.scope.get("route")
    module = getattr(getattr(route, "endpoint", None), "__module__", "")
    return module.startswith("api.ui")


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
        if _is_page(request):
            from api.ui.render import error_page

            return error_page(request, exc)
        return errors.not_found(exc)

    async def on_forbidden(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Forbidden)
        if _is_page(request):  # the inspectors' pages answer with a page (api/ui)
            from api.ui.render import error_page

            return error_page(request, exc)
        return JSONResponse(
            {"error": "forbidden", "message_zh": f"当前角色无权执行：{exc.action}",
             "message_en": f"your role may not do this: {exc.action}"}, status_code=403)

    app.add_exception_handler(ScopeHidden, on_hidden)
    app.add_exception_handler(Forbidden, on_forbidden)
    app.include_router(router)
    app.include_router(api_router)
    # Added before the gzip layer in create_app, so it is inside it and sees plain bodies.
    app.add_middleware(SecurityMiddleware, security=sec, fastapi_app=app)
