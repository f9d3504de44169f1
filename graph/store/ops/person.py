"""Read operations of a person's profile.

The rows both backends return and the protocol they implement: Cypher in
:mod:`graph.store.cypher.person`, a walk of the embedded graph in
:mod:`graph.store.walks.person`.
"""

from __future__ import annotations

from typing import Protocol, TypedDict

from graph.scope import Scope
from graph.store.ops.common import Props
from graph.store.ops.holders import PortfolioRow


class UnitPostRow(TypedDict):
    unit: Props
    role: str | None
    start: str | None
    end: str | None


class AssignedIssueRow(TypedDict):
    node: Props
    #: The units the issue was found in (``FOUND_IN``), in scope.
    units: list[Props]


class LedProjectRow(TypedDict):
    node: Props
    #: The issues the project addresses, in scope.
    issues: list[Props]


class ReferralRow(TypedDict):
    node: Props
    issuers: list[Props]
    issues: list[Props]


class RecordRow(TypedDict):
    node: Props
    actors: list[Props]
    targets: list[Props]
    duties: list[Props]


class DecisionRow(TypedDict):
    """An accountability decision with its case and deciding unit (its target is the
    subject of the row it belongs to)."""

    node: Props
    cases: list[Props]
    deciders: list[Props]


class PersonRow(TypedDict):
    person: Props
    posts: list[UnitPostRow]
    portfolios: list[PortfolioRow]
    duties: list[Props]
    issues: list[AssignedIssueRow]
    projects: list[LedProjectRow]
    referrals: list[ReferralRow]
    records_by: list[RecordRow]
    records_concerning: list[RecordRow]
    decisions: list[DecisionRow]


class PersonOps(Protocol):
    """The read operations of a person's profile."""

    def person_profile(self, uid: str, scope: Scope) -> PersonRow | None:
        """Person ``uid`` with their posts, portfolios, duties, issues, projects, referrals,
        records and decisions, each kept or dropped by ``scope``; ``None`` when the person
        is missing or out of scope."""
        ...
