"""The security state of one application: users, audit log, session codec, rate limiter and
the cache of allowed unit sets. Built by :func:`api.security.install`, kept in
``app.state.security``; helpers read the current user from ``request.state``."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from api.security.audit import AuditLog
from api.security.session import RateLimiter, SessionCodec, secret_key
from api.security.users import Role, User, UserStore
from graph.scope import AllowedCache
from graph.settings import Settings
from graph.store.base import GraphStore

#: The user every request acts as when DUTYGRAPH_AUTH=off (local development only).
DEV_USER = User(username="dev-no-auth", role=Role.admin, scopes=["*"], password_hash="!",  # noqa: S106 - not a password
                created="1970-01-01T00:00:00+00:00")


@dataclass
class Security:
    settings: Settings
    users: UserStore
    audit: AuditLog
    codec: SessionCodec
    limiter: RateLimiter = field(default_factory=RateLimiter)
    allowed: AllowedCache = field(default_factory=AllowedCache)

    @property
    def enabled(self) -> bool:
        return self.settings.auth != "off"

    @classmethod
    def from_settings(cls, settings: Settings) -> Security:
        return cls(
            settings=settings,
            users=UserStore(settings.home),
            audit=AuditLog(settings.home),
            codec=SessionCodec(secret_key(settings), settings.session_hours * 3600),
        )


def security_of(request: Request) -> Security:
    sec: Security = request.app.state.security
    return sec


def current_user(request: Request) -> User | None:
    user: User | None = getattr(request.state, "user", None)
    return user


def allowed_for(request: Request, store: GraphStore) -> frozenset[str] | None:
    """The unit uids the current user may see; ``None`` = everything."""
    user = current_user(request)
    if user is None:
        return frozenset()
    if user.sees_everything:
        return None
    return security_of(request).allowed.get(store, user.scopes)
