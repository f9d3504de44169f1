"""The Finding model: one weak link, with a stable code, the evidence and an explanation.

The codes are stable: the synthetic generator plants them and the analytics finds them,
the API filters by them and the health score weighs them.

Examples
--------
>>> from graph.messages import Message
>>> f = Finding.make("H_NO_SECRETARY", "high", ["unit:JD"], unit="unit:JD",
...                  evidence={"team_size": 3},
...                  explanation=Message("explain.H_NO_SECRETARY", unit="JD", date="2024-01-01",
...                                      since=""))
>>> f.axis, f.key, f.explanation.code
('horizontal', 'H_NO_SECRETARY:unit:JD', 'explain.H_NO_SECRETARY')
>>> CODES["V_PRESSURE_BREAK"].name
'finding.V_PRESSURE_BREAK'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from graph.messages import N_, Message, render
from graph.texts import TextField, rendered

Severity = Literal["high", "medium", "low"]
Axis = Literal["vertical", "horizontal", "structural"]
SEVERITY_RANK: dict[str, int] = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class CodeInfo:
    """A finding code, its axis and the catalogue code of its name (``finding.<code>``)."""

    code: str
    axis: Axis
    name: str

    @property
    def message(self) -> Message:
        """The code's name as a message."""
        return Message(self.name)

    @property
    def zh(self) -> str:
        """The name in Chinese (from the catalogues :mod:`api.i18n` installs)."""
        return render(self.message, "zh")

    @property
    def en(self) -> str:
        """The name in English."""
        return render(self.message, "en")


_CODES = (
    CodeInfo("V_DUTY_NOT_CASCADED", "vertical", N_("finding.V_DUTY_NOT_CASCADED")),
    CodeInfo("V_COVERAGE_GAP", "vertical", N_("finding.V_COVERAGE_GAP")),
    CodeInfo("V_REFERRAL_OPEN", "vertical", N_("finding.V_REFERRAL_OPEN")),
    CodeInfo("V_ISSUE_NO_OWNER", "vertical", N_("finding.V_ISSUE_NO_OWNER")),
    CodeInfo("V_ISSUE_NO_PROJECT", "vertical", N_("finding.V_ISSUE_NO_PROJECT")),
    CodeInfo("V_ACCOUNTABILITY_DIRECT_ONLY", "vertical",
             N_("finding.V_ACCOUNTABILITY_DIRECT_ONLY")),
    CodeInfo("V_SUPERVISION_NOT_TRACED", "vertical", N_("finding.V_SUPERVISION_NOT_TRACED")),
    CodeInfo("V_NO_POST_CASE_GOVERNANCE", "vertical", N_("finding.V_NO_POST_CASE_GOVERNANCE")),
    CodeInfo("V_OUTSIDE_ALL_CHANNELS", "vertical", N_("finding.V_OUTSIDE_ALL_CHANNELS")),
    CodeInfo("V_FINDING_NOT_LISTED", "vertical", N_("finding.V_FINDING_NOT_LISTED")),
    CodeInfo("V_NO_ONSITE_ASSESSMENT", "vertical", N_("finding.V_NO_ONSITE_ASSESSMENT")),
    CodeInfo("V_LOW_GRADE_NO_FOLLOW_UP", "vertical", N_("finding.V_LOW_GRADE_NO_FOLLOW_UP")),
    CodeInfo("V_PRESSURE_BREAK", "vertical", N_("finding.V_PRESSURE_BREAK")),
    CodeInfo("V_ORDER_OVERDUE", "vertical", N_("finding.V_ORDER_OVERDUE")),
    CodeInfo("H_NO_SECRETARY", "horizontal", N_("finding.H_NO_SECRETARY")),
    CodeInfo("H_NO_SUPERVISOR", "horizontal", N_("finding.H_NO_SUPERVISOR")),
    CodeInfo("H_UNIT_UNASSIGNED", "horizontal", N_("finding.H_UNIT_UNASSIGNED")),
    CodeInfo("H_MEMBER_NO_RECORDS", "horizontal", N_("finding.H_MEMBER_NO_RECORDS")),
    CodeInfo("H_DISCIPLINE_TEAM_DISCONNECTED", "horizontal",
             N_("finding.H_DISCIPLINE_TEAM_DISCONNECTED")),
    CodeInfo("H_MEMBER_LOAD_OUTLIER", "horizontal", N_("finding.H_MEMBER_LOAD_OUTLIER")),
    CodeInfo("H_EVALUATION_DIVERGENT", "horizontal", N_("finding.H_EVALUATION_DIVERGENT")),
    CodeInfo("H_RISK_UNCONTROLLED", "horizontal", N_("finding.H_RISK_UNCONTROLLED")),
    CodeInfo("H_DECISION_NOT_COLLECTIVE", "horizontal", N_("finding.H_DECISION_NOT_COLLECTIVE")),
    CodeInfo("H_DUTY_RED", "horizontal", N_("finding.H_DUTY_RED")),
    CodeInfo("S_BRIDGE", "structural", N_("finding.S_BRIDGE")),
    CodeInfo("S_ARTICULATION_POINT", "structural", N_("finding.S_ARTICULATION_POINT")),
    CodeInfo("S_HIGH_BETWEENNESS", "structural", N_("finding.S_HIGH_BETWEENNESS")),
    CodeInfo("S_ISOLATED_COMPONENT", "structural", N_("finding.S_ISOLATED_COMPONENT")),
)
#: Every finding code, in catalogue order (DESIGN.md §5).
CODES: dict[str, CodeInfo] = {c.code: c for c in _CODES}


class Finding(BaseModel):
    """One weak link.

    Attributes
    ----------
    code : str
        Stable code (see :data:`CODES`).
    severity : {"high", "medium", "low"}
    ids : list of str
        uids of every node the finding concerns, the main one first.
    unit : str or None
        uid of the unit the finding belongs to (scored against, rolled up through).
    evidence : dict
        Counts and dates an inspector can check.
    explanation : Message
        What is wrong and what to do, naming the units and people (``explain.<code>``);
        not serialised, None for a finding read back from JSON.
    explanation_zh, explanation_en : str
        The explanation rendered (for the JSON API and the tables).
    axis : {"vertical", "horizontal", "structural"}
    """

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    ids: list[str]
    unit: str | None
    evidence: dict[str, Any]
    explanation: TextField = None
    explanation_zh: str = ""
    explanation_en: str = ""
    axis: Axis

    @model_validator(mode="before")
    @classmethod
    def _render(cls, data: Any) -> Any:
        return rendered(data, "explanation", "explanation_zh", "explanation_en")

    @property
    def key(self) -> str:
        """A stable identity: code and main id."""
        return f"{self.code}:{self.ids[0]}" if self.ids else self.code

    @classmethod
    def make(
        cls,
        code: str,
        severity: Severity,
        ids: Sequence[str],
        *,
        unit: str | None,
        evidence: Mapping[str, Any],
        explanation: Message,
    ) -> Finding:
        """A finding whose axis follows from its code."""
        return cls(code=code, severity=severity, ids=list(ids), unit=unit,
                   evidence=dict(evidence), explanation=explanation, axis=CODES[code].axis)


def sort_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Most severe first, then by catalogue order and ids (stable output).

    Examples
    --------
    >>> say = Message("finding.S_BRIDGE")
    >>> a = Finding.make("S_BRIDGE", "low", ["unit:A"], unit="unit:A", evidence={},
    ...                  explanation=say)
    >>> b = Finding.make("V_COVERAGE_GAP", "high", ["unit:B"], unit="unit:B", evidence={},
    ...                  explanation=say)
    >>> [f.code for f in sort_findings([a, b])]
    ['V_COVERAGE_GAP', 'S_BRIDGE']
    """
    order = {c: i for i, c in enumerate(CODES)}
    return sorted(findings, key=lambda f: (SEVERITY_RANK[f.severity], order[f.code], f.ids))
