"""Read operations of accountability statistics.

The rows both backends return and the protocol they implement: Cypher in
:mod:`graph.store.cypher.stats`, a walk of the embedded graph in
:mod:`graph.store.walks.stats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypedDict

from graph.scope import Scope


class DecisionFactsRow(TypedDict):
    """One accountability decision with the facts the subtree rule of
    :mod:`graph.queries.stats` needs (uids only: nothing here is shown)."""

    decided_on: str | None
    category: str | None
    measure: str | None
    form: int | None
    #: Units the decision's case OCCURRED_IN.
    case_units: list[str]
    #: Everything the decision TARGETS (units and persons).
    targets: list[str]
    #: ``[unit uid, start, end]`` of every post (SERVES_IN) of every targeted person.
    tenures: list[list[str | None]]
    #: Units the decision was DECIDED_BY.
    deciders: list[str]


class StatsOps(Protocol):
    """The read operations of accountability statistics."""

    def accountability_facts(self, units: Sequence[str] | None,
                             scope: Scope) -> list[DecisionFactsRow]:
        """Every accountability decision in ``scope`` with the facts the subtree rule reads;
        with ``units`` only decisions with one of those units among their facts (a superset
        of the rule's answer, which the shaping computes)."""
        ...
