"""The rows every read operation returns, typed once for both backends.

A row is what the Cypher of an operation returns and what its embedded walk builds: nodes
travel as property maps (:data:`Props`: ``uid``, ``id`` and the schema properties, as
Cypher's ``properties(n)`` gives them), relationships as the few properties the shaping
reads. mypy checks both implementations against these types; the contract tests compare
their values (``tests/graph/store/test_reads.py``).
"""

from __future__ import annotations

from typing import Any, TypedDict

#: A node's stored properties with its ``uid`` (Cypher's ``properties(n)``).
Props = dict[str, Any]


# -- units: the four holders ------------------------------------------------------------
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


# -- accountability statistics -----------------------------------------------------------
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


# -- what follows a case (倒查 and 案后治理) ------------------------------------------------
class PostCaseRow(TypedDict):
    """An issue or project that FOLLOWS_CASE the case (案后治理)."""

    node: Props
    #: ``Issue`` or ``Project``.
    label: str
    #: Who leads it: the issue's owners (ASSIGNED_TO), the project's leaders (LED_BY).
    leads: list[Props]


class CaseworkRow(TypedDict):
    """The facts of a case's trace-back beyond its unit's chain."""

    #: Persons the case NAMES_RESPONSIBLE (directly responsible besides those involved).
    responsible: list[Props]
    post_case: list[PostCaseRow]
    #: ``[body uid, person uid]``: who served in each supervising body on the date.
    body_people: list[list[str]]
