"""Result types of the person profile: one leader's posts, portfolios, duties and the
evidence around them (issues, projects, referrals, records, accountability)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from graph.history.provenance import Provenance
from graph.queries.holders_models import DutyItem, Portfolio, Post
from graph.queries.models import NodeRef


class AssignedIssue(BaseModel):
    """An issue the person leads fixing (ASSIGNED_TO). ``overdue``: past its deadline at the
    date and neither rectified nor closed."""

    model_config = ConfigDict(frozen=True)

    issue: NodeRef
    unit: NodeRef | None = None
    status: str | None = None
    severity: str | None = None
    source: str | None = None
    found_on: str | None = None
    deadline: str | None = None
    overdue: bool = False


class LedProject(BaseModel):
    """A project the person leads (LED_BY), with the issues it addresses. ``overdue``: past
    its deadline at the date and not done."""

    model_config = ConfigDict(frozen=True)

    project: NodeRef
    issues: list[NodeRef]
    status: str | None = None
    deadline: str | None = None
    completed_on: str | None = None
    overdue: bool = False


class ReceivedReferral(BaseModel):
    """An integrity referral (廉情抄告) sent to the person, and whether the loop is closed.

    ``answered``: replied on or before the date (a reply recorded without a date, status
    ``replied``, counts as answered). ``overdue``: not answered and the due date has passed
    at the date. ``late``: replied after the due date.
    """

    model_config = ConfigDict(frozen=True)

    referral: NodeRef
    issued_by: NodeRef | None = None
    issues: list[NodeRef]
    issued_on: str | None = None
    due_on: str | None = None
    replied_on: str | None = None
    status: str | None = None
    answered: bool
    overdue: bool
    late: bool


class RecordItem(BaseModel):
    """A duty or failure record (履责/失责记实): who acted, whom it concerned, which duty."""

    model_config = ConfigDict(frozen=True)

    record: NodeRef
    kind: str | None = None
    action: str | None = None
    on: str | None = None
    summary: str | None = None
    actors: list[NodeRef]
    targets: list[NodeRef]
    duties: list[NodeRef]


class DecisionItem(BaseModel):
    """An accountability decision (问责) with its case, target and deciding unit.

    ``target_outline``: the target lies above the user's scope and is named only (no link
    to its page); ``target`` is ``None`` when the scope hides it.
    """

    model_config = ConfigDict(frozen=True)

    decision: NodeRef
    target: NodeRef | None = None
    target_outline: bool = False
    category: str | None = None
    measure: str | None = None
    form: int | None = None
    decided_on: str | None = None
    case: NodeRef | None = None
    decided_by: NodeRef | None = None


class PersonSummary(BaseModel):
    """Counts at the date, for a one-line view of the profile."""

    model_config = ConfigDict(frozen=True)

    active_posts: int
    active_portfolios: int
    duties: int
    issues: int
    overdue_issues: int
    projects: int
    overdue_projects: int
    referrals: int
    unanswered_referrals: int
    overdue_referrals: int
    fulfilment_records: int
    failure_records: int
    records_concerning: int
    accountability: int


class PersonProfile(BaseModel):
    """Everything the graph says about one person, with flags computed as of ``as_of``.

    Posts and portfolios are listed over time (all of them, each with ``active`` at the
    date); lists are ordered by date, then uid.
    """

    person: NodeRef
    title: str | None = None
    #: Where the subject comes from: its change set and source rows (:mod:`graph.history`).
    provenance: Provenance | None = None
    as_of: str
    posts: list[Post]
    portfolios: list[Portfolio]
    duties: list[DutyItem]
    issues: list[AssignedIssue]
    projects: list[LedProject]
    referrals: list[ReceivedReferral]
    records_by: list[RecordItem]
    records_concerning: list[RecordItem]
    accountability: list[DecisionItem]
    summary: PersonSummary
