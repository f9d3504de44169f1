"""Session cookies and the signing key.

The cookie is small and signed (itsdangerous, HMAC-SHA256 over JSON with a timestamp):
``{"s": session id or null, "c": CSRF token}``. A visitor who has not logged in has a
cookie without a session id (it carries the login form's CSRF token). The session id names
a row of the server-side session table (:mod:`api.security.state`), which says whose session
it is; deleting the row ends the session at once, whatever copies of the cookie exist.
Role and scope are read from the user file on every request.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from graph.private import private_dir, secret_file
from graph.settings import Settings

COOKIE = "dg_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def secret_key(settings: Settings) -> str:
    """DUTYGRAPH_SECRET_KEY, else the key kept in ``$DUTYGRAPH_HOME/secret.key`` (made once,
    mode 600), so sessions survive restarts without a key in the environment."""
    if settings.secret_key is not None and settings.secret_key.get_secret_value():
        return settings.secret_key.get_secret_value()
    return secret_file(private_dir(settings.home) / "secret.key")


@dataclass
class Session:
    """A browser session: its server-side id (None before login), CSRF token and user."""

    sid: str | None
    csrf: str
    #: Filled in by the middleware from the session table (None: not logged in).
    username: str | None = None


class SessionCodec:
    def __init__(self, key: str, max_age: float) -> None:
        self._s = URLSafeTimedSerializer(key, salt="dutygraph-session")
        self.max_age = max_age

    def dumps(self, session: Session) -> str:
        return self._s.dumps({"s": session.sid, "c": session.csrf})

    def loads(self, value: str | None) -> Session | None:
        if not value:
            return None
        try:
            data: Any = self._s.loads(value, max_age=int(self.max_age))
        except BadSignature:  # also SignatureExpired
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        sid = data.get("s")
        return Session(sid=sid if isinstance(sid, str) and sid else None, csrf=data["c"])


def new_csrf() -> str:
    return secrets.token_urlsafe(24)
