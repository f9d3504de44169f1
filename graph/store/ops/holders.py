"""Read operations of a unit's four holders and its overview.

The rows both backends return and the protocol they implement: Cypher in
:mod:`graph.store.cypher.holders`, a walk of the embedded graph in
:mod:`graph.store.walks.holders`.
"""

from __future__ import annotations

from typing import Protocol, TypedDict

from graph.scope import Scope
from graph.store.ops.common import Props


class PostRow(TypedDict):
    role: str
    start: str | None
    end: str | None


class PortfolioRow(TypedDict):
    unit: Props
    portfolio: str | None
    start: str | None
    end: str | None


class PanelPersonRow(TypedDict):
    person: Props
    posts: list[PostRow]
    #: The person's duties (the shaping picks the responsibility the panel shows).
    duties: list[Props]
    portfolios: list[PortfolioRow]


class SupervisorRow(TypedDict):
    unit: Props
    mode: str | None
    duties: list[Props]


class PanelRow(TypedDict):
    """One unit's holders panel: the unit, its people in office, its supervisors."""

    uid: str
    #: 0 for the unit asked about, then the distance of each unit above it.
    depth: int
    unit: Props
    duties: list[Props]
    people: list[PanelPersonRow]
    supervisors: list[SupervisorRow]
    #: A unit above the user's scope, seen in outline: names and holders, no duties.
    outline: bool


class LevelKindRow(TypedDict):
    level: int | None
    kind: str | None
    n: int


class OverviewRow(TypedDict):
    unit: Props
    groups: list[LevelKindRow]
    children: list[Props]


class HoldersOps(Protocol):
    """The read operations of a unit's four holders and its overview."""

    def unit_panels(self, uid: str, as_of: str, *, up: bool, scope: Scope) -> list[PanelRow]:
        """The holders panel of unit ``uid`` as of ``as_of``, and with ``up`` of every unit
        above it (outline rows above the scope), nearest first; ``[]`` when the unit is
        missing or out of scope."""
        ...

    def unit_overview(self, uid: str, scope: Scope) -> OverviewRow | None:
        """Descendants of unit ``uid`` grouped by (level, kind), and its children."""
        ...
