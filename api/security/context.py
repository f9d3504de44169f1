"""The security state of one application: users, audit log, session codec, the shared
security database (login attempts, sessions, token use) and the cache of allowed unit
sets. Built by :func:`api.security.install`, kept in ``app.state.security``; helpers read
the current user from ``request.state``."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from api.security.audit import AuditLog
from api.security.session import SessionCodec, secret_key
from api.security.state import SecurityState
from api.security.users import Role, User, UserStore
from graph.scope import EVERYTHING_SCOPE, Scope, unit_uids
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

    @property
    def state(self) -> SecurityState:
        return self.users.state

    @property
    def enabled(self) -> bool:
        return self.settings.auth != "off"

    @classmethod
    def from_settings(cls, settings: Settings) -> Security:
        return cls(
            settings=settings,
            users=UserStore(settings.home),
            audit=AuditLog.from_settings(settings),
            codec=SessionCodec(secret_key(settings), settings.session_hours * 3600),
        )


def security_of(request: Request) -> Security:
    sec: Security = request.app.state.security
    return sec


def current_user(request: Request) -> User | None:
    user: User | None = getattr(request.state, "user", None)
    return user


def scope_of_user(store: GraphStore, user: User | None) -> Scope:
    """What ``user`` may see (nothing without a user), kept per data version."""
    if user is None:
        return Scope.of_roots(())
    units = unit_uids(user.scopes)
    if units is None:
        return EVERYTHING_SCOPE
    key = ("scope", tuple(units))  # ordered: the first unit is the home unit
    return store.derived.get(key, lambda: store.reads.scope_of(units))


def allowed_for(request: Request, store: GraphStore) -> Scope:
    """The scope of the current user."""
    return scope_of_user(store, current_user(request))
