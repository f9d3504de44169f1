"""The access policy, declared on every route.

A route states what it needs by taking one of the dependencies below as a parameter —
``scope: ReadScope`` (also ``AnalyticsScope``, ``ExportScope``, ``AdminScope``) — or, when
it needs no user at all, ``dependencies=[PUBLIC]``. The dependency checks the user's role
for that action (403 otherwise) and hands the route the user's :class:`graph.scope.Scope`,
which the route passes to its query: the queries apply it where they select data.

So there is no table of URLs to keep in step with the routes: a new route that declares
no policy fails ``tests/api/security/test_policy.py``, which walks every route of the
application and requires exactly one policy each (and the public ones to be exactly the
paths the security middleware lets through without a user).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Annotated

import anyio.to_thread
from fastapi import Depends, Request
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from api.deps import holder_of
from api.security.context import current_user, scope_of_user
from graph.errors import DutyGraphError
from graph.messages import Message
from graph.scope import EVERYTHING_SCOPE, Scope


class Action(StrEnum):
    """What a route does, in the terms the roles are granted (:meth:`User.can`)."""

    PUBLIC = "public"
    READ = "read"
    ANALYTICS = "analytics"
    EXPORT = "export"
    WRITE = "write"
    SUPERVISE = "supervise"
    ADMIN = "admin"


class Forbidden(DutyGraphError):
    """The user's role does not allow the action."""

    def __init__(self, action: str) -> None:
        super().__init__(Message("api.forbidden", action=action))
        self.action = action


#: The attribute that marks a dependency as a route's access policy (read by the test).
POLICY_ATTR = "__access_policy__"


def _requiring(action: Action) -> Callable[[Request], Awaitable[Scope]]:
    async def require(request: Request) -> Scope:
        user = current_user(request)
        if user is None:
            # Only reachable without the security layer (it lets no request through to a
            # non-public route without a user): nothing is visible then.
            return Scope.of_roots(())
        if not user.can(action.value):
            raise Forbidden(action.value)
        if user.sees_everything:
            return EVERYTHING_SCOPE
        store = holder_of(request).ready()
        if store is None:  # opening the store blocks: in a worker thread
            store = await anyio.to_thread.run_sync(holder_of(request).get)
        # The scope is kept per data version; working it out may query the store.
        return await anyio.to_thread.run_sync(scope_of_user, store, user)

    require.__name__ = f"require_{action.value}"
    setattr(require, POLICY_ATTR, action)
    return require


async def _public() -> None:
    """A route anyone may call (health, login, the documentation pages)."""


setattr(_public, POLICY_ATTR, Action.PUBLIC)

require_read = _requiring(Action.READ)
require_analytics = _requiring(Action.ANALYTICS)
require_export = _requiring(Action.EXPORT)
require_write = _requiring(Action.WRITE)
require_supervise = _requiring(Action.SUPERVISE)
require_admin = _requiring(Action.ADMIN)

#: The user's scope, for a route that reads the graph.
ReadScope = Annotated[Scope, Depends(require_read)]
#: The user's scope, for the weak-link analytics (analysts and admins).
AnalyticsScope = Annotated[Scope, Depends(require_analytics)]
#: The user's scope, for downloads of graph data (analysts and admins).
ExportScope = Annotated[Scope, Depends(require_export)]
#: The user's scope, for the everyday writes within it (unit officers and admins): record a
#: fulfilment, reply to a referral or 督办.
WriteScope = Annotated[Scope, Depends(require_write)]
#: The user's scope, for the discipline body's acts (inspectors and admins): issue a 督办,
#: verify a reply or send it back.
SuperviseScope = Annotated[Scope, Depends(require_supervise)]
#: The user's scope, for administration (admins only).
AdminScope = Annotated[Scope, Depends(require_admin)]
#: For ``dependencies=[...]`` of a route that needs the permission but not the scope.
READ = Depends(require_read)
ANALYTICS = Depends(require_analytics)
EXPORT = Depends(require_export)
ADMIN = Depends(require_admin)
#: For ``dependencies=[PUBLIC]``: the route needs no user.
PUBLIC = Depends(_public)


def route_policies(route: BaseRoute) -> set[Action]:
    """The access policies a route declares (its dependencies, transitively)."""
    if not isinstance(route, APIRoute):
        return set()
    found: set[Action] = set()
    todo = [route.dependant]
    while todo:
        dependant = todo.pop()
        action = getattr(dependant.call, POLICY_ATTR, None)
        if isinstance(action, Action):
            found.add(action)
        todo.extend(dependant.dependencies)
    return found


def required_action(route: BaseRoute) -> Action | None:
    """The strictest permission a route requires (``None`` when it declares none)."""
    order = [Action.PUBLIC, Action.READ, Action.ANALYTICS, Action.EXPORT, Action.WRITE,
             Action.SUPERVISE, Action.ADMIN]
    declared = route_policies(route)
    return max(declared, key=order.index) if declared else None
