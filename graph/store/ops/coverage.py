"""Read operations of coverage by channel (巡察, 派驻, 监察).

The rows both backends return and the protocol they implement: Cypher in
:mod:`graph.store.cypher.coverage`, a walk of the embedded graph in
:mod:`graph.store.walks.coverage`.
"""

from __future__ import annotations

from typing import Protocol, TypedDict

from graph.scope import Scope
from graph.store.ops.common import Props


class CoverageUnitRow(TypedDict):
    """A unit of the subtree, the inspections that covered it and how it is supervised."""

    unit: Props
    #: ``[kind, started_on, ended_on]`` of every inspection COVERS it (any date).
    visits: list[list[str | None]]
    #: The mode of every SUPERVISES into it.
    modes: list[str | None]


class CoverageFactsRow(TypedDict):
    #: The unit asked about (``None``: the whole scope).
    unit: Props | None
    units: list[CoverageUnitRow]


class CoverageOps(Protocol):
    """The read operations of coverage by channel (巡察, 派驻, 监察)."""

    def coverage_facts(self, unit_uid: str | None, scope: Scope) -> CoverageFactsRow | None:
        """Every unit of the subtree of ``unit_uid`` (with ``None``: every unit in
        ``scope``) with the inspections that covered it and the modes of the supervision
        into it; ``None`` when the unit is missing or out of scope."""
        ...
