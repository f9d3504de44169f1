"""Result models of the risk and 三重一大 registers (:mod:`graph.queries.prevention`).

Enum values travel as codes (``layer``, ``level``, ``frequency``, ``status``, ``kind``,
``mode``: the schema enums ``risk_layer``, ``risk_level``, ``control_frequency``,
``control_status``, ``decision_kind``, ``decision_mode``).
"""

from __future__ import annotations

from pydantic import BaseModel

from graph.queries.models import NodeRef


class ControlItem(BaseModel):
    control: NodeRef
    owners: list[NodeRef]
    frequency: str | None
    status: str | None
    established_on: str | None
    last_checked: str | None
    #: In force on the date (:func:`graph.risk.control_active`).
    active: bool
    #: Last checked within the window (:func:`graph.risk.control_checked`).
    checked: bool


class RiskItem(BaseModel):
    point: NodeRef
    unit: NodeRef
    layer: str
    post: str | None
    level: str | None
    identified_on: str | None
    controls: list[ControlItem]
    #: No active control, or (at a level the analytics check, ``risk_levels_checked``) none
    #: checked in the window; ``H_RISK_UNCONTROLLED`` reports those at the checked levels.
    uncontrolled: bool


class LayerCount(BaseModel):
    """Risk points and controls of one layer (决策层, 管理层, 操作层)."""

    layer: str
    points: int
    #: Risk level code -> points.
    levels: dict[str, int]
    controls: int
    active: int
    checked: int
    uncontrolled: int


class RiskRegister(BaseModel):
    unit: NodeRef
    as_of: str
    subtree: bool
    layer: str | None
    window_days: int
    by_layer: list[LayerCount]
    points: list[RiskItem]
    total_points: int
    total_controls: int


class OwnedControl(BaseModel):
    """A control a person owns, with its risk point and unit."""

    control: ControlItem
    point: NodeRef | None
    layer: str | None
    unit: NodeRef | None


class OwnedControls(BaseModel):
    """The controls a person owns."""

    person: NodeRef
    as_of: str
    items: list[OwnedControl]


class DecisionItem(BaseModel):
    decision: NodeRef
    unit: NodeRef
    kind: str
    amount: float | None
    decided_on: str | None
    meeting: str | None
    mode: str | None
    #: The threshold that applies to the deciding unit (yuan).
    threshold: float
    #: Of a covered kind and above the threshold: must be collective.
    needs_collective: bool
    collective: bool
    #: Needs a collective decision and records none (``H_DECISION_NOT_COLLECTIVE``, unless
    #: an issue is already about it).
    breaks_rule: bool
    #: Issues about the decision (found, being dealt with).
    issues: list[NodeRef]


class KindCount(BaseModel):
    kind: str
    decisions: int
    needs_collective: int
    collective: int
    breaks_rule: int


class DecisionRegister(BaseModel):
    unit: NodeRef
    as_of: str
    subtree: bool
    kind: str | None
    #: The kinds the threshold covers, and the default threshold (yuan).
    rule_kinds: list[str]
    default_threshold: float
    by_kind: list[KindCount]
    items: list[DecisionItem]
