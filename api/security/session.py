"""Session cookies, the signing key, and the login rate limiter.

The session is a small signed cookie (itsdangerous, HMAC-SHA256 over JSON with a timestamp):
``{"u": user name, "c": CSRF token}``. It carries no role or scope: those are read from the
user file on every request, so disabling a user or narrowing a scope takes effect at once.
"""

from __future__ import annotations

import collections
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from graph.settings import Settings

COOKIE = "dg_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def secret_key(settings: Settings) -> str:
    """DUTYGRAPH_SECRET_KEY, else the key kept in ``$DUTYGRAPH_HOME/secret.key`` (made once,
    mode 600), so sessions survive restarts without a key in the environment."""
    if settings.secret_key is not None and settings.secret_key.get_secret_value():
        return settings.secret_key.get_secret_value()
    home: Path = settings.home
    home.mkdir(parents=True, exist_ok=True)
    path = home / "secret.key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


@dataclass
class Session:
    username: str | None
    csrf: str


class SessionCodec:
    def __init__(self, key: str, max_age: float) -> None:
        self._s = URLSafeTimedSerializer(key, salt="dutygraph-session")
        self.max_age = max_age

    def dumps(self, session: Session) -> str:
        return self._s.dumps({"u": session.username, "c": session.csrf})

    def loads(self, value: str | None) -> Session | None:
        if not value:
            return None
        try:
            data: Any = self._s.loads(value, max_age=int(self.max_age))
        except BadSignature:  # also SignatureExpired
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        user = data.get("u")
        return Session(username=user if isinstance(user, str) else None, csrf=data["c"])


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


class RateLimiter:
    """At most ``limit`` failures per key within ``window`` seconds (sliding window)."""

    def __init__(self, limit: int = 5, window: float = 300.0) -> None:
        self.limit, self.window = limit, window
        self._fails: dict[str, collections.deque[float]] = collections.defaultdict(
            collections.deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> collections.deque[float]:
        q = self._fails[key]
        while q and now - q[0] >= self.window:
            q.popleft()
        return q

    def retry_after(self, *keys: str) -> int:
        """Seconds to wait before another attempt, 0 when allowed now."""
        now = time.monotonic()
        wait = 0.0
        with self._lock:
            for key in keys:
                q = self._prune(key, now)
                if len(q) >= self.limit:
                    wait = max(wait, self.window - (now - q[0]))
        return int(wait) + 1 if wait > 0 else 0

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._prune(key, now).append(now)

    def clear(self, key: str) -> None:
        with self._lock:
            self._fails.pop(key, None)
