"""Read operations of a user's scope: which units and nodes it shows whole or in outline.

The rows both backends return and the protocol they implement: Cypher in
:mod:`graph.store.cypher.scope`, a walk of the embedded graph in
:mod:`graph.store.walks.scope`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from graph.scope import Scope


class ScopeOps(Protocol):
    """The read operations of a user's scope."""

    def scope_of(self, units: Sequence[str] | None) -> Scope:
        """The scope of a user whose entries name ``units`` (unit uids; ``None`` for
        everything): the units that exist, the discipline bodies supervising them at the
        same level, and the units above them."""
        ...

    def visible(self, uids: Iterable[str], scope: Scope) -> set[str]:
        """The subset of ``uids`` (of any kind) that exist and are in ``scope``."""
        ...

    def outline(self, uids: Iterable[str], scope: Scope) -> set[str]:
        """The subset of ``uids`` above ``scope`` that it shows in outline (names only)."""
        ...

    def subtree(self, unit_uid: str) -> frozenset[str]:
        """Uids of the unit and every unit transitively SUBORDINATE_TO it (empty when
        ``unit_uid`` names no unit)."""
        ...
