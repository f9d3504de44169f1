"""Read operations of the cases of a subtree.

The rows both backends return and the protocol they implement: Cypher in
:mod:`graph.store.cypher.cases`, a walk of the embedded graph in
:mod:`graph.store.walks.cases`.
"""

from __future__ import annotations

from typing import Protocol, TypedDict

from graph.scope import Scope
from graph.store.ops.common import Props


class CaseAtRow(TypedDict):
    case: Props
    #: The unit of the subtree the case occurred in.
    unit: Props


class CasesRow(TypedDict):
    #: The unit asked about.
    unit: Props
    cases: list[CaseAtRow]


class CasesOps(Protocol):
    """The read operations of the cases of a subtree."""

    def cases_in_subtree(self, unit_uid: str, scope: Scope) -> CasesRow | None:
        """The unit and every (case, unit) pair of a case that occurred in it or a unit
        below it; ``None`` when the unit is missing or out of scope."""
        ...
