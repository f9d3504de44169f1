"""The dependency every route runs first: role check and the scope check of the subject.

Installed once as an application-wide dependency (:func:`api.security.install`), so every
route — JSON, views, exports, analytics, the inspectors' pages — is covered without code in
the routes. The subject (path ids and id-like query parameters) is checked *before* the
route's own query runs; an out-of-scope subject raises :class:`ScopeHidden`, a NotFound
answered exactly like a missing id.
"""

from __future__ import annotations

import anyio.to_thread
from fastapi import Request
from fastapi.routing import APIRoute

from api.security.context import allowed_for, current_user
from api.security.policy import required_action
from graph.errors import AmbiguousId, DutyGraphError, NotFound
from graph.queries.common import resolve
from graph.schema import SCHEMA, split_uid

#: Parameters that name a node, and the kinds the routes resolve them with (mirrors the
#: routes, so that the NotFound raised here carries the same kind as a missing id would).
ID_PARAMS: dict[str, tuple[str, ...] | None] = {
    "unit": ("Unit",), "unit_id": ("Unit",),
    "person": ("Person",), "person_id": ("Person",),
    "issue": ("Issue",), "issue_id": ("Issue",),
    "case": ("Case",), "case_id": ("Case",),
    "uid": None, "node": None, "from": None, "to": None,
}


class ScopeHidden(NotFound):
    """An id outside the user's scope, reported as not found."""


def _not_found_like(ref: str, labels: tuple[str, ...] | None) -> NotFound:
    """The NotFound that :func:`graph.queries.common.resolve` raises for a missing ``ref``."""
    kind = labels[0] if labels and len(labels) == 1 else "node"
    if ":" in ref and ref.partition(":")[0].lower() in {n.prefix for n in SCHEMA.nodes}:
        label, node_id = split_uid(ref)
        if labels and label not in labels:
            return ScopeHidden(kind, ref)
        return ScopeHidden(label, node_id)
    return ScopeHidden(kind, ref)


async def guard(request: Request) -> None:
    """Subject-scope check for the current route (a no-op on public routes); the role is
    checked by each route's access policy (:mod:`api.security.policy`).

    Async, so that the common cases (public route, a user who sees everything, no subject)
    cost no trip through the thread pool; the scope queries run in a worker thread.
    """
    user = current_user(request)
    if user is None:  # public route: the middleware let it through without a user
        return
    route = request.scope.get("route")
    action = required_action(route) if isinstance(route, APIRoute) else None
    if user.sees_everything or (action is not None and not user.can(action.value)):
        # The route's access policy answers 403 for a role that may not use it, before
        # anything is said about the subject.
        return
    params = [(k, v) for k, v in request.path_params.items() if k in ID_PARAMS]
    params += [(k, v) for k, v in request.query_params.multi_items() if k in ID_PARAMS]
    params = [(k, v.strip()) for k, v in params if isinstance(v, str) and v.strip()]
    if params:
        await anyio.to_thread.run_sync(_check_subjects, request, params)


def _check_subjects(request: Request, params: list[tuple[str, str]]) -> None:
    """Raise ScopeHidden for the first subject outside the user's scope (blocking queries)."""
    from api.deps import holder_of

    store = holder_of(request).get()
    allowed = allowed_for(request, store)
    for name, ref in params:
        labels = ID_PARAMS[name]
        try:
            node = resolve(store, ref, labels)
        except AmbiguousId as exc:
            # The candidates must not name out-of-scope nodes either.
            visible = sorted(store.reads.visible(exc.uids, allowed))
            if not visible:
                raise _not_found_like(ref, labels) from None
            raise AmbiguousId(exc.node_id, visible) from None
        except DutyGraphError:
            continue  # missing or invalid: the route gives its own answer
        if not store.reads.visible([node.uid], allowed):
            raise _not_found_like(ref, labels)
