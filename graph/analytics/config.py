"""The one configuration of the analytics: every threshold, window and weight, with defaults.

Override it from a JSON file (``dutygraph analyze --config FILE.json``) or from the
environment: ``DUTYGRAPH_ANALYTICS`` holding a JSON object, or one variable per field,
``DUTYGRAPH_ANALYTICS_<FIELD>`` (e.g. ``DUTYGRAPH_ANALYTICS_COVERAGE_WINDOW_YEARS=3``).
A file wins over the environment, the environment over the defaults.

Examples
--------
>>> cfg = AnalyticsConfig()
>>> cfg.coverage_window_years
5
>>> AnalyticsConfig.model_validate({"coverage_window_years": 3}).coverage_window_years
3
>>> cfg.weight("V_REFERRAL_OPEN", "high")
20.0
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from graph.coverage import ChannelRule, default_channels
from graph.errors import InvalidArgument
from graph.messages import Message
from graph.reasons import reason_of

ENV_JSON = "DUTYGRAPH_ANALYTICS"


def _settings_equivalences() -> dict[str, list[str]]:
    from graph.settings import get_settings

    return {k: list(v) for k, v in get_settings().category_equivalences.items()}

ENV_PREFIX = "DUTYGRAPH_ANALYTICS_"


class AnalyticsConfig(BaseModel):
    """Thresholds, windows and weights of every finding, the network and the health score."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # -- vertical -------------------------------------------------------------------
    coverage_window_years: int = Field(
        default=5, ge=1, le=20,
        description="V_COVERAGE_GAP: a unit must be covered by an inspection within this many "
        "years before as_of (default 5 = one term, 全覆盖 within a term).")
    coverage_exempt_kinds: list[str] = Field(
        default_factory=lambda: ["discipline_body"],
        description="Unit kinds not subject to inspection coverage.")
    coverage_min_level: int = Field(
        default=1, ge=0,
        description="Units with a level number below this (the city, level 0) are not checked.")
    cascade_lists: list[str | None] = Field(
        default_factory=lambda: ["responsibility", None],
        description="V_DUTY_NOT_CASCADED: duty lists that must be broken down to subordinate "
        "units (None = duties with no list given). Task and institution lists stay local.")
    cascade_responsibilities: list[str] = Field(
        default_factory=lambda: ["primary", "supervisory"],
        description="V_DUTY_NOT_CASCADED: responsibilities whose duties must be broken down "
        "(一岗双责 items are personal to a member and stay at their level).")
    cascade_team_duties: bool = Field(
        default=False,
        description="V_DUTY_NOT_CASCADED: also check duties held by the unit's team members "
        "personally (off: only duties the unit itself holds).")
    cascade_years_back: int = Field(
        default=1, ge=0,
        description="V_DUTY_NOT_CASCADED: check duties of the unit's latest duty year (up to "
        "as_of) and this many years before it; duties without a year are always checked.")
    referral_due_soon_is_finding: bool = Field(
        default=False,
        description="V_REFERRAL_OPEN: also report unreplied referrals not yet due (low); off: "
        "only loops past their reply date (or without one) are weak links.")
    accountability_upper_categories: list[str] = Field(
        default_factory=lambda: ["overall_leadership", "primary_leadership",
                                 "important_leadership", "supervisory"],
        description="V_ACCOUNTABILITY_DIRECT_ONLY: categories that show accountability went "
        "beyond the direct person (倒查领导责任和监督责任).")
    category_equivalences: dict[str, list[str]] = Field(
        default_factory=lambda: dict(_settings_equivalences()),
        description="V_SUPERVISION_NOT_TRACED: accountability categories that also discharge "
        "a link of another category (graph/accountability.py); default: the setting "
        "DUTYGRAPH_CATEGORY_EQUIVALENCES, shared with the trace-back (none: each link only "
        "by its own category).")
    post_case_days: int = Field(
        default=180, ge=0,
        description="V_NO_POST_CASE_GOVERNANCE: a case concluded at least this many days "
        "before as_of must be followed (FOLLOWS_CASE) by an issue or project (案后治理).")
    # -- assessment, coverage channels, risk prevention, 三重一大 (graph/assessment.py,
    #    graph/coverage.py, graph/risk.py, graph/decisions.py: shared with the queries) --
    rotation_methods: list[str] = Field(
        default_factory=lambda: ["onsite_check", "onsite_report", "written_report"],
        description="Assessment methods of the 述职检查测评 rotation: a unit assessed by one of "
        "them is in the rotation.")
    onsite_methods: list[str] = Field(
        default_factory=lambda: ["onsite_check", "onsite_report"],
        description="V_NO_ONSITE_ASSESSMENT: the on-site forms (实地检查, 现场述职).")
    onsite_window_years: int = Field(
        default=3, ge=1, le=20,
        description="V_NO_ONSITE_ASSESSMENT: a unit in the rotation must be assessed on site "
        "at least once within this many years (教卫's rotation of three forms: 3).")
    low_grades: list[str] = Field(
        default_factory=lambda: ["poor"],
        description="V_LOW_GRADE_NO_FOLLOW_UP: grades that call for a follow-up.")
    follow_up_days: int = Field(
        default=90, ge=0,
        description="V_LOW_GRADE_NO_FOLLOW_UP: a low grade at least this many days old with "
        "no recorded use (任免/薪酬/奖惩/约谈) and no record concerning the assessed since.")
    superior_methods: list[str] = Field(
        default_factory=lambda: ["superior"],
        description="H_EVALUATION_DIVERGENT: evaluation by superiors.")
    mass_methods: list[str] = Field(
        default_factory=lambda: ["mass", "democratic"],
        description="H_EVALUATION_DIVERGENT: evaluation by cadres and the masses.")
    divergence_points: float = Field(
        default=15.0, gt=0,
        description="H_EVALUATION_DIVERGENT: report a person whose superiors' and masses' "
        "mean scores in one round differ by at least this many points.")
    divergence_window_days: int = Field(
        default=730, ge=1,
        description="H_EVALUATION_DIVERGENT: only rounds assessed within this many days.")
    coverage_channels: dict[str, ChannelRule] = Field(
        default_factory=default_channels,
        description="Coverage channels (巡察, 派驻监督, 监察): per channel the inspection kinds "
        "and supervision modes that cover a unit and the unit kinds it applies to "
        "(graph/coverage.py). V_OUTSIDE_ALL_CHANNELS and the coverage query read them.")
    term_years: int = Field(default=5, ge=1, le=10,
                            description="Coverage per term: the length of a term (届).")
    term_anchor_year: int = Field(
        default=2017, ge=1949, le=2100,
        description="Coverage per term: a year a term starts (2017: 2012–16, 2017–21, 2022–26).")
    finding_list_days: int = Field(
        default=90, ge=0,
        description="V_FINDING_NOT_LISTED: an inspection finding must be turned into a list "
        "item (a duty DERIVED_FROM it) or a project within this many days.")
    risk_levels_checked: list[str] = Field(
        default_factory=lambda: ["high"],
        description="H_RISK_UNCONTROLLED: risk levels whose points need an active, checked "
        "control.")
    control_check_days: int = Field(
        default=365, ge=1,
        description="H_RISK_UNCONTROLLED: a control counts as checked when its last check is "
        "within this many days (graph/risk.py).")
    decision_threshold: float = Field(
        default=100_000.0, ge=0,
        description="H_DECISION_NOT_COLLECTIVE: amount in yuan above which a decision of "
        "the covered kinds must be collective (上港: 10万元).")
    decision_thresholds: dict[str, float] = Field(
        default_factory=dict,
        description="H_DECISION_NOT_COLLECTIVE: thresholds of particular units (uid → yuan), "
        "each applying to the unit's subtree (the nearest wins).")
    decision_threshold_kinds: list[str] = Field(
        default_factory=lambda: ["major_project", "large_fund"],
        description="H_DECISION_NOT_COLLECTIVE: decision kinds the threshold covers.")
    pressure_min_units_below: int = Field(
        default=1, ge=1,
        description="V_PRESSURE_BREAK: report a break only if it cuts off at least "
        "this many units below it.")
    # -- horizontal -----------------------------------------------------------------
    secretary_exempt_kinds: list[str] = Field(
        default_factory=list,
        description="H_NO_SECRETARY / V_PRESSURE_BREAK: unit kinds led by someone other than a "
        "secretary (none by default: a discipline body has its 纪委书记 as secretary).")
    supervision_exempt_kinds: list[str] = Field(
        default_factory=lambda: ["discipline_body"],
        description="H_NO_SUPERVISOR: unit kinds that need no supervising discipline body.")
    unassigned_exempt_kinds: list[str] = Field(
        default_factory=lambda: ["discipline_body"],
        description="H_UNIT_UNASSIGNED: subordinate unit kinds that need no member in charge.")
    team_roles: list[str] = Field(
        default_factory=lambda: ["secretary", "deputy_secretary", "member", "head"],
        description="Roles that make a person a member of a unit's leading team.")
    records_window_days: int = Field(
        default=365, ge=1,
        description="H_MEMBER_NO_RECORDS: fulfilment records count if dated within "
        "this many days before as_of.")
    link_window_days: int = Field(
        default=730, ge=1,
        description="H_DISCIPLINE_TEAM_DISCONNECTED: referrals or records between a "
        "discipline body and a unit's team count if dated within this many days.")
    load_robust_z: float = Field(
        default=3.5, gt=0,
        description="H_MEMBER_LOAD_OUTLIER: robust z-score 0.6745·(x−median)/MAD of a "
        "member's load against the other members of the same team, above which it is an "
        "outlier.")
    load_ratio: float = Field(
        default=3.0, gt=1,
        description="H_MEMBER_LOAD_OUTLIER: when the others' loads have no spread (MAD 0), an "
        "outlier carries more than this many times their median (at least 1).")
    load_min: int = Field(
        default=5, ge=1, description="H_MEMBER_LOAD_OUTLIER: never report a load below this.")
    load_min_team: int = Field(
        default=3, ge=2,
        description="H_MEMBER_LOAD_OUTLIER: only teams of at least this many members are "
        "compared (the division of labour within one leading team).")
    # -- coordination network / structural -----------------------------------------
    weight_post: float = Field(default=1.0, gt=0,
        description="Edge weight of a current post (任职).")
    weight_portfolio: float = Field(default=2.0, gt=0,
        description="Edge weight of a portfolio (分管).")
    weight_supervision: float = Field(default=2.0, gt=0, description="Edge weight of supervision.")
    weight_referral: float = Field(default=1.0, gt=0, description="Edge weight per referral.")
    weight_record: float = Field(default=0.5, gt=0, description="Edge weight per duty record.")
    include_hierarchy: bool = Field(
        default=False, description="Add SUBORDINATE_TO edges to the coordination network. Off: the "
        "org chart alone is not evidence that people coordinate.")
    exact_betweenness_max_nodes: int = Field(
        default=2000, ge=0,
        description="Exact betweenness up to this many nodes in the coordination "
        "network; above it, sampled with betweenness_k pivots.")
    betweenness_k: int = Field(default=256, ge=1,
        description="Sampled betweenness: number of pivots.")
    seed: int = Field(default=42,
        description="Seed of the pivot sample (results are reproducible).")
    betweenness_labels: list[str] = Field(
        default_factory=lambda: ["Person"],
        description="S_HIGH_BETWEENNESS: node kinds that can be bottlenecks. Committees and "
        "discipline bodies are hubs by design; one person concentrating the paths is the risk.")
    betweenness_min_dependents: float = Field(
        default=15.0, ge=0,
        description="S_HIGH_BETWEENNESS: report a node when betweenness x (n-1)/2 -- roughly "
        "how many nodes reach the rest of the network only through it -- is at least this. "
        "Unlike a normalised threshold it does not shrink as the network grows.")
    betweenness_top: int = Field(
        default=0, ge=0,
        description="S_HIGH_BETWEENNESS: report at most this many nodes (0 = no limit; the "
        "dependents threshold is the criterion).")
    cut_min_units: int = Field(
        default=1, ge=1,
        description="S_BRIDGE / S_ARTICULATION_POINT: report a cut only if it separates "
        "at least this many units from the main part of the network.")
    # -- health ---------------------------------------------------------------------
    severity_weights: dict[str, float] = Field(
        default_factory=lambda: {"high": 20.0, "medium": 10.0, "low": 4.0},
        description="Points a finding takes off its unit's health score, by severity.")
    code_weights: dict[str, float] = Field(
        default_factory=lambda: {"S_BRIDGE": 0.5, "S_ARTICULATION_POINT": 0.5,
                                 "S_HIGH_BETWEENNESS": 0.25},
        description="Multiplier per finding code (default 1), e.g. {\"S_BRIDGE\": 0.5}.")
    max_per_code: int = Field(
        default=3, ge=1,
        description="At most this many findings of one code count against one unit (50 open "
        "issues should not outweigh every other kind of weakness).")
    rollup_weakest: int = Field(default=5, ge=1, description="Weakest units listed per subtree.")

    @field_validator("category_equivalences")
    @classmethod
    def _known_categories(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        from graph.accountability import equivalences

        try:
            equivalences(value)
        except InvalidArgument as exc:
            raise ValueError(exc.reason) from None
        return value

    def weight(self, code: str, severity: str) -> float:
        """Points a finding of this code and severity takes off the health score."""
        points = self.severity_weights.get(severity, 0.0)
        return float(points) * self.code_weights.get(code, 1.0)


def _env_overrides(env: Mapping[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if env.get(ENV_JSON):
        data.update(json.loads(env[ENV_JSON]))
    fields = AnalyticsConfig.model_fields
    for key, value in env.items():
        if not key.startswith(ENV_PREFIX):
            continue
        name = key[len(ENV_PREFIX):].lower()
        if name in fields:
            # Lists and dicts are written as JSON; scalars as they are.
            try:
                data[name] = json.loads(value)
            except json.JSONDecodeError:
                data[name] = value
    return data


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> AnalyticsConfig:
    """The configuration from defaults, the environment and (winning) a JSON file.

    Raises
    ------
    InvalidArgument
        If the file cannot be read or a value is out of range (message in both languages).

    Examples
    --------
    >>> load_config(env={"DUTYGRAPH_ANALYTICS_LOAD_MIN": "8"}).load_min
    8
    """
    data = _env_overrides(os.environ if env is None else env)
    if path is not None:
        try:
            data.update(json.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError) as exc:
            raise InvalidArgument("config", Message("reason.config_unreadable", path=str(path),
                                                    detail=str(exc))) from None
    try:
        return AnalyticsConfig.model_validate(data)
    except ValidationError as exc:
        problems = [Message("reason.config_field", field=".".join(map(str, e["loc"])),
                            reason=reason_of(e)) for e in exc.errors()]
        raise InvalidArgument("config", Message("reason.config_invalid",
                                                problems=problems)) from None
