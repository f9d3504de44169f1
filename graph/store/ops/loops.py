"""Read operations of the open loops (referrals, issues and projects not closed).

The rows both backends return and the protocol they implement: Cypher in
:mod:`graph.store.cypher.loops`, a walk of the embedded graph in
:mod:`graph.store.walks.loops`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypedDict

from graph.scope import Scope
from graph.store.ops.common import Props


class LoopTenureRow(TypedDict):
    unit: Props
    start: str | None
    end: str | None


class LoopFactRow(TypedDict):
    """A candidate open loop: a referral, issue or project open by its rule at the date."""

    #: ``referral``, ``issue`` or ``project``.
    kind: str
    node: Props
    #: Units it belongs to by its issues (``FOUND_IN``), in scope.
    units: list[Props]
    #: Who must act (recipients, owners, leaders), in scope.
    holders: list[Props]
    #: Referrals: the recipients' posts in units in scope (the fallback for its unit).
    tenures: list[LoopTenureRow]
    #: Issues: whether anyone owns it (``ASSIGNED_TO``), in scope or not.
    owned: bool
    #: Issues: whether a project addresses it, in scope or not.
    projected: bool


class LoopsRow(TypedDict):
    #: The unit asked about (``None``: the whole scope).
    unit: Props | None
    #: Uids of that unit's subtree (``None`` without a unit).
    subtree: list[str] | None
    facts: list[LoopFactRow]


class LoopsOps(Protocol):
    """The read operations of the open loops (referrals, issues and projects not closed)."""

    def open_loops(self, as_of: str, kinds: Sequence[str], unit: str | None,
                   scope: Scope) -> LoopsRow | None:
        """The referrals, issues and projects open at ``as_of`` by their rule, for the loop
        ``kinds`` wanted, in ``scope`` and, with ``unit``, with a unit in its subtree;
        ``None`` when ``unit`` is missing or out of scope."""
        ...
