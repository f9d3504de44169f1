"""The Finding model: one weak link, with a stable code, the evidence and an explanation.

The codes are stable: the synthetic generator plants them and the analytics finds them,
the API filters by them and the health score weighs them.

Examples
--------
>>> f = Finding.make("H_NO_SECRETARY", "high", ["unit:JD"], unit="unit:JD",
...                  evidence={"team_size": 3}, zh="嘉定区委无现任书记。",
...                  en="嘉定区委 has no current secretary.")
>>> f.axis, f.key
('horizontal', 'H_NO_SECRETARY:unit:JD')
>>> CODES["V_PRESSURE_BREAK"].zh
'压力传导断层'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["high", "medium", "low"]
Axis = Literal["vertical", "horizontal", "structural"]
SEVERITY_RANK: dict[str, int] = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class CodeInfo:
    """What a finding code means, in both languages, and its axis."""

    code: str
    axis: Axis
    zh: str
    en: str


_CODES = (
    CodeInfo("V_DUTY_NOT_CASCADED", "vertical", "责任未向下分解", "duty not cascaded"),
    CodeInfo("V_COVERAGE_GAP", "vertical", "检查未全覆盖", "inspection coverage gap"),
    CodeInfo("V_REFERRAL_OPEN", "vertical", "廉情抄告未闭环", "open referral loop"),
    CodeInfo("V_ISSUE_NO_OWNER", "vertical", "问题无领衔人", "issue without owner"),
    CodeInfo("V_ISSUE_NO_PROJECT", "vertical", "问题无整改项目", "issue without project"),
    CodeInfo("V_ACCOUNTABILITY_DIRECT_ONLY", "vertical", "问责止于直接责任",
             "accountability stopped at the direct level"),
    CodeInfo("V_SUPERVISION_NOT_TRACED", "vertical", "监督责任未倒查",
             "supervisory responsibility not traced back"),
    CodeInfo("V_NO_POST_CASE_GOVERNANCE", "vertical", "案后治理缺失",
             "no post-case governance"),
    CodeInfo("V_OUTSIDE_ALL_CHANNELS", "vertical", "监督全覆盖盲区",
             "outside every supervision channel"),
    CodeInfo("V_FINDING_NOT_LISTED", "vertical", "巡察问题未入清单",
             "inspection finding never listed"),
    CodeInfo("V_NO_ONSITE_ASSESSMENT", "vertical", "未按期实地考核",
             "no on-site assessment in the rotation"),
    CodeInfo("V_LOW_GRADE_NO_FOLLOW_UP", "vertical", "考核结果未运用",
             "low grade without follow-up"),
    CodeInfo("V_PRESSURE_BREAK", "vertical", "压力传导断层", "break in pressure transmission"),
    CodeInfo("H_NO_SECRETARY", "horizontal", "无现任书记", "no current secretary"),
    CodeInfo("H_NO_SUPERVISOR", "horizontal", "无监督机构", "no supervising discipline body"),
    CodeInfo("H_UNIT_UNASSIGNED", "horizontal", "下级单位无人分管",
             "subordinate unit in no member's charge"),
    CodeInfo("H_MEMBER_NO_RECORDS", "horizontal", "班子成员无履责记实",
             "member without fulfilment records"),
    CodeInfo("H_DISCIPLINE_TEAM_DISCONNECTED", "horizontal", "纪委与班子缺少沟通",
             "discipline body and team not linked"),
    CodeInfo("H_MEMBER_LOAD_OUTLIER", "horizontal", "班子成员分管负荷异常",
             "member load outlier"),
    CodeInfo("H_EVALUATION_DIVERGENT", "horizontal", "上级与群众评议背离",
             "superiors' and masses' evaluations diverge"),
    CodeInfo("H_RISK_UNCONTROLLED", "horizontal", "高风险点防控缺位",
             "high-level risk point not under control"),
    CodeInfo("H_DECISION_NOT_COLLECTIVE", "horizontal", "三重一大未集体决策",
             "三重一大 decision not taken collectively"),
    CodeInfo("S_BRIDGE", "structural", "唯一联系(桥)", "bridge (only link)"),
    CodeInfo("S_ARTICULATION_POINT", "structural", "单点枢纽(割点)",
             "articulation point (single point of failure)"),
    CodeInfo("S_HIGH_BETWEENNESS", "structural", "协同瓶颈(高介数)",
             "high betweenness (bottleneck)"),
    CodeInfo("S_ISOLATED_COMPONENT", "structural", "孤立协同组", "isolated component"),
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
    explanation_zh, explanation_en : str
        What is wrong and what to do, naming the units and people.
    axis : {"vertical", "horizontal", "structural"}
    """

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    ids: list[str]
    unit: str | None
    evidence: dict[str, Any]
    explanation_zh: str
    explanation_en: str
    axis: Axis

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
        zh: str,
        en: str,
    ) -> Finding:
        """A finding whose axis follows from its code."""
        return cls(code=code, severity=severity, ids=list(ids), unit=unit,
                   evidence=dict(evidence), explanation_zh=zh, explanation_en=en,
                   axis=CODES[code].axis)


def sort_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Most severe first, then by catalogue order and ids (stable output).

    Examples
    --------
    >>> a = Finding.make("S_BRIDGE", "low", ["unit:A"], unit="unit:A", evidence={}, zh="", en="")
    >>> b = Finding.make("V_COVERAGE_GAP", "high", ["unit:B"], unit="unit:B", evidence={},
    ...                  zh="", en="")
    >>> [f.code for f in sort_findings([a, b])]
    ['V_COVERAGE_GAP', 'S_BRIDGE']
    """
    order = {c: i for i, c in enumerate(CODES)}
    return sorted(findings, key=lambda f: (SEVERITY_RANK[f.severity], order[f.code], f.ids))
