"""Result models of the assessment queries (:mod:`graph.queries.assessment`).

Enum values travel as their codes (``method``, ``grade``, ``use``: the schema enums
``assessment_method``, ``assessment_grade``, ``result_use``); pages and the CLI name them
in the reader's language.
"""

from __future__ import annotations

from pydantic import BaseModel

from graph.queries.models import NodeRef


class IndicatorScore(BaseModel):
    """The score of one indicator: the duty item assessed and its quantified indicator."""

    duty: NodeRef
    indicator: str | None
    score: float | None


class AssessmentItem(BaseModel):
    """One assessment result."""

    result: NodeRef
    #: The round (考核评议) it belongs to.
    assessment: NodeRef | None
    subject: NodeRef
    #: Who assessed (the superior unit, the masses' unit, a person), when recorded and seen.
    assessed_by: NodeRef | None
    method: str
    #: The method is an on-site form (实地检查, 现场述职) by the configuration.
    onsite: bool
    assessed_on: str
    score: float | None
    grade: str | None
    use: str | None
    comment: str | None
    indicators: list[IndicatorScore]


class RotationState(BaseModel):
    """Where a unit stands in the on-site rotation (``V_NO_ONSITE_ASSESSMENT``'s rule)."""

    in_rotation: bool
    last_onsite: str | None
    #: The last day of the window in which the next on-site form keeps the rule.
    onsite_by: str | None
    due: bool


class AssessmentHistory(BaseModel):
    """Every assessment of one unit or person up to a date, newest first."""

    subject: NodeRef
    as_of: str
    items: list[AssessmentItem]
    #: For a unit: its place in the rotation (``None`` for a person).
    rotation: RotationState | None


class RotationUnit(BaseModel):
    """One unit of the rotation: the form it had each year and whether it is due."""

    unit: NodeRef
    #: Year -> method code(s) of that year's rotation results.
    forms: dict[int, list[str]]
    last_onsite: str | None
    onsite_by: str | None
    due: bool


class MethodShare(BaseModel):
    method: str
    count: int
    share: float


class RotationYear(BaseModel):
    """One year of the rotation: how many units were assessed by each form."""

    year: int
    units: int
    methods: list[MethodShare]


class Rotation(BaseModel):
    """The rotation of the units below a unit (教卫: a third of the units by each form) and
    its check: every unit assessed on site at least once in ``window_years``."""

    unit: NodeRef
    as_of: str
    window_years: int
    onsite_methods: list[str]
    years: list[RotationYear]
    units: list[RotationUnit]
    due: int


class TrendYear(BaseModel):
    """The overall scores of one year's results."""

    year: int
    results: int
    scored: int
    mean: float | None
    min: float | None
    max: float | None
    #: Grade code -> count.
    grades: dict[str, int]


class ScoreTrends(BaseModel):
    """Overall scores per year of the results assessing a unit's subtree (units, and
    persons serving in it), optionally of one method and one kind of subject."""

    unit: NodeRef
    as_of: str
    method: str | None
    subjects: str | None
    years: list[TrendYear]
