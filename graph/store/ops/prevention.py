"""Read operations of risk prevention and 三重一大 decisions.

The rows both backends return and the protocol they implement: Cypher in
:mod:`graph.store.cypher.prevention`, a walk of the embedded graph in
:mod:`graph.store.walks.prevention`.
"""

from __future__ import annotations

from typing import Protocol, TypedDict

from graph.scope import Scope
from graph.store.ops.common import Props


class ControlRow(TypedDict):
    control: Props
    #: Who owns it (OWNED_BY), in scope.
    owners: list[Props]


class RiskPointRow(TypedDict):
    point: Props
    #: The unit it sits in (RISK_IN).
    unit: Props
    controls: list[ControlRow]


class RiskRegisterRow(TypedDict):
    unit: Props
    points: list[RiskPointRow]


class OwnedControlRow(TypedDict):
    """A control a person owns, with its risk point and that point's unit."""

    control: Props
    point: Props | None
    unit: Props | None


class MajorDecisionRow(TypedDict):
    decision: Props
    #: The unit whose leading body took it (TAKEN_BY).
    unit: Props
    #: Issues about it (ABOUT_DECISION), in scope.
    issues: list[Props]


class DecisionRegisterRow(TypedDict):
    unit: Props
    decisions: list[MajorDecisionRow]
    #: ``[unit, parent]`` of the units the decisions were taken by and every unit above
    #: them (uids only, for the threshold rule; nothing here is shown).
    parents: list[list[str]]


class PreventionOps(Protocol):
    """The read operations of risk prevention and 三重一大 decisions."""

    def risk_register(self, unit_uid: str, subtree: bool, scope: Scope) -> RiskRegisterRow | None:
        """The risk points of unit ``unit_uid`` (with ``subtree``: of every unit below it
        too), each with its controls and their owners (in scope or above it); ``None``
        when the unit is missing or out of scope."""
        ...

    def owned_controls(self, person_uid: str, scope: Scope) -> list[OwnedControlRow]:
        """The controls in ``scope`` that person ``person_uid`` owns, each with its risk
        point and that point's unit, by control uid."""
        ...

    def major_decisions(self, unit_uid: str, subtree: bool,
                        scope: Scope) -> DecisionRegisterRow | None:
        """The 三重一大 decisions taken by unit ``unit_uid`` (with ``subtree``: by every unit
        below it too), each with the issues in ``scope`` about it, and the parent of every
        unit on the way up from the deciding units; ``None`` when the unit is missing or
        out of scope."""
        ...
