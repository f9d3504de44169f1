"""Request helpers of the pages: the CSP nonce for inline scripts."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse


def csp_nonce(request: Request) -> str | None:
    """The request's CSP nonce for inline scripts (None when security is not installed)."""
    nonce: str | None = getattr(request.state, "csp_nonce", None)
    return nonce


def nonced(request: Request, response: HTMLResponse) -> HTMLResponse:
    """A generated page (Swagger UI, ReDoc) whose bare ``<script>`` tags — its own inline
    init code, written by FastAPI, no user input — carry the request's CSP nonce."""
    nonce = csp_nonce(request)
    if not nonce:
        return response
    body = bytes(response.body).replace(b"<script>", f'<script nonce="{nonce}">'.encode())
    return HTMLResponse(body, status_code=response.status_code)
