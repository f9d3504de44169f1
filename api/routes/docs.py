"""Swagger UI and ReDoc served with their assets from this server (no CDN).

FastAPI's default pages load both from jsDelivr and a favicon from fastapi.tiangolo.com;
inspectors work on an intranet, so the files are vendored under ``api/static/vendor/``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse, RedirectResponse

from api.security.policy import PUBLIC, READ
from api.security.scoped import nonced

router = APIRouter(include_in_schema=False)

VENDOR = "/static/vendor"
OAUTH2_REDIRECT = "/docs/oauth2-redirect"


@router.get("/docs", response_class=HTMLResponse, dependencies=[READ])
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI for the app's own OpenAPI document."""
    return nonced(request, get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title} — Swagger UI",
        swagger_js_url=f"{VENDOR}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{VENDOR}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=f"{VENDOR}/swagger-ui/favicon-32x32.png",
        oauth2_redirect_url=OAUTH2_REDIRECT,
        # The validator badge would fetch an image from validator.swagger.io.
        swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": True},
    ))


@router.get(OAUTH2_REDIRECT, response_class=HTMLResponse, dependencies=[READ])
def swagger_ui_redirect(request: Request) -> HTMLResponse:
    return nonced(request, get_swagger_ui_oauth2_redirect_html())


@router.get("/redoc", response_class=HTMLResponse, dependencies=[READ])
def redoc(request: Request) -> HTMLResponse:
    """ReDoc for the app's own OpenAPI document (no Google Fonts)."""
    return nonced(request, get_redoc_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title} — ReDoc",
        redoc_js_url=f"{VENDOR}/redoc/redoc.standalone.js",
        redoc_favicon_url=f"{VENDOR}/swagger-ui/favicon-32x32.png",
        with_google_fonts=False,
    ))


@router.get("/favicon.ico", dependencies=[PUBLIC])
def favicon() -> RedirectResponse:
    """Browsers ask for it on every page that names no icon (the graph views)."""
    return RedirectResponse("/static/ui/favicon.svg", status_code=301)
