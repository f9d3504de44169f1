"""Read operations of assessment (考核评议).

The rows both backends return and the protocol they implement: Cypher in
:mod:`graph.store.cypher.assessment`, a walk of the embedded graph in
:mod:`graph.store.walks.assessment`.
"""

from __future__ import annotations

from typing import Protocol, TypedDict

from graph.scope import Scope
from graph.store.ops.common import Props


class ScoreRow(TypedDict):
    """One indicator score of a result: the duty item assessed (SCORES) and its score."""

    duty: Props
    score: float | None


class ResultRow(TypedDict):
    """One assessment result with its round, who assessed and its indicator scores; the
    round and the assessor are ``None`` when missing or out of scope."""

    result: Props
    round: Props | None
    by: Props | None
    scores: list[ScoreRow]


class AssessmentHistoryRow(TypedDict):
    """Every result assessing one unit or person (ASSESSES)."""

    subject: Props
    results: list[ResultRow]


class AssessmentFactRow(TypedDict):
    """One result assessing a unit of a subtree or a person serving in one (uids and the
    few properties rotation and trends read)."""

    result: str
    subject: Props
    #: ``Unit`` or ``Person``.
    label: str
    method: str | None
    assessed_on: str | None
    score: float | None
    grade: str | None
    round: str | None
    #: The round's year (the period assessed), when it has one.
    year: int | None


class AssessmentFactsRow(TypedDict):
    unit: Props
    results: list[AssessmentFactRow]


class AssessmentOps(Protocol):
    """The read operations of assessment (考核评议)."""

    def assessment_history(self, uid: str, scope: Scope) -> AssessmentHistoryRow | None:
        """Every result assessing unit or person ``uid``, with its round, its assessor (in
        scope or above it, in outline; else ``None``) and its indicator scores (duties in
        scope); ``None`` when ``uid`` is missing, not a unit or person, or out of scope."""
        ...

    def assessment_facts(self, unit_uid: str, scope: Scope) -> AssessmentFactsRow | None:
        """Every result assessing a unit of the subtree of ``unit_uid`` or a person who
        served in one (a person's result once per person); ``None`` when the unit is
        missing or out of scope."""
        ...
