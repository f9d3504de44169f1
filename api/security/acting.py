"""Who acts in a write: the :class:`loaders.acts.Actor` of the current user, and the audit
entry every write leaves.

A user acts for the unit their account names (``dutygraph users set-acting NAME --unit``),
else for the units their scope is rooted at (a scope of 闵行区 roots at 闵行区委 and
闵行区纪委监委: its inspectors issue and verify as either); an administrator who sees
everything acts for any unit. The account's person (``--person``) replies by default.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from fastapi import Request

from api.security.context import DEV_USER, current_user, security_of
from graph.scope import Scope
from loaders.acts import Actor
from loaders.change import Change


def actor_of(request: Request, scope: Scope) -> Actor:
    """The actor of the request's user (an administrator without a user when logins are
    off)."""
    user = current_user(request)
    if user is None or user.sees_everything:
        return Actor(user.username if user else DEV_USER.username, scope, None,
                     user.person if user else None)
    units = frozenset({user.unit}) if user.unit else frozenset(scope.roots or ())
    return Actor(user.username, scope, units, user.person)


async def audit_write(request: Request, change: Change, extra: dict[str, Any] | None = None,
                      ids: Sequence[str] | None = None) -> None:
    """Append the write to the audit log (the answer waits until it is on disk): who, the
    act, the route, the nodes written and touched, the data versions around it."""
    user = current_user(request)
    if user is None or user is DEV_USER:
        return
    route = getattr(request.scope.get("route"), "path", request.url.path)
    detail = {"reason": change.reason, "change": change.change, "before": change.before,
              "after": change.after,
              **(extra or {})}
    await asyncio.wrap_future(security_of(request).audit.submit(
        user.username, f"write:{change.reason}", str(route), list(ids or change.uids), detail))
