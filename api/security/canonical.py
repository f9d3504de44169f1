"""Ids canonicalised once, at the edge: every request's path segments and query values lose
their surrounding whitespace (and are NFC-normalised) before anything routes, checks or
answers them.

So ``/api/people/P-JD-01%20`` is ``/api/people/P-JD-01`` to the access policy, the query,
the error message and the audit alike, and an id outside the user's scope answers exactly
as a missing one in every spelling (a trailing ``%20``, ``%09``, a leading space, a
full-width space): there is no second, raw form anywhere to tell them apart.

>>> canonical("  P-JD-01\\u3000"), canonical_path("/api/people/P-JD-01 ")
('P-JD-01', '/api/people/P-JD-01')
>>> canonical_query(b"q=%20%E5%98%89%E5%AE%9A+&limit=5")
b'q=%E5%98%89%E5%AE%9A&limit=5'
"""

from __future__ import annotations

import unicodedata
from urllib.parse import parse_qsl, quote, urlencode

from starlette.types import ASGIApp, Receive, Scope, Send

#: Characters kept unescaped in a canonical path (those of the paths the app serves).
_SAFE = "/:@!$&'()*+,;=-._~"


def canonical(text: str) -> str:
    """The canonical form of one id or value: NFC, no surrounding whitespace."""
    return unicodedata.normalize("NFC", text).strip()


def canonical_path(path: str) -> str:
    """A request path (as ASGI gives it: already percent-decoded) with each segment
    canonical (the empty ones kept)."""
    return "/".join(canonical(seg) for seg in path.split("/"))


def canonical_query(query: bytes) -> bytes:
    """A query string with each value canonical (names and order kept)."""
    if not query:
        return query
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True, encoding="utf-8")
    return urlencode([(k, canonical(v)) for k, v in pairs], encoding="utf-8").encode()


class CanonicalIds:
    """ASGI middleware applying :func:`canonical_path` and :func:`canonical_query`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = canonical_path(scope["path"])
            if path != scope["path"] or scope.get("query_string"):
                scope = dict(scope)
                scope["path"] = path
                scope["raw_path"] = quote(path, safe=_SAFE).encode()
                scope["query_string"] = canonical_query(scope.get("query_string", b""))
        await self.app(scope, receive, send)
