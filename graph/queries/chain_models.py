"""Result types of the responsibility chain of an issue and the trace-back (倒查) of a case."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from graph.history.provenance import Provenance
from graph.queries.holders_models import UnitRef
from graph.queries.models import NodeRef
from graph.queries.person_models import DecisionItem
from graph.texts import Explained

#: Chain roles in the order links are listed, with the responsibility each holds (None:
#: direct responsibility, outside the four) and the accountability category it answers to.
#: ``owner`` is the issue chain's direct link (who leads fixing the issue); a case's direct
#: links are the persons ``involved`` and those it names ``responsible``.
ROLES: dict[str, tuple[str | None, str]] = {
    "owner": (None, "direct"),
    "involved": (None, "direct"),
    "responsible": (None, "direct"),
    "member_in_charge": ("dual", "important_leadership"),
    "secretary": ("first", "primary_leadership"),
    "committee": ("primary", "overall_leadership"),
    "discipline_body": ("supervisory", "supervisory"),
}


class LinkBasis(BaseModel):
    """Why a holder is in the chain: the post, portfolio, assignment, involvement,
    organisation or supervision, with its unit and dates.

    ``via_parent``: the member is in charge of the unit's parent, because nobody was in
    charge of the unit itself at the date.
    """

    model_config = ConfigDict(frozen=True)

    kind: str
    unit: NodeRef | None = None
    issue: NodeRef | None = None
    role: str | None = None
    portfolio: str | None = None
    mode: str | None = None
    start: str | None = None
    end: str | None = None
    via_parent: bool = False


class ChainLink(Explained):
    """One expected holder of responsibility, or an explicit gap where one is missing.

    ``role`` is a key of :data:`ROLES`; ``responsibility`` is the one of the four this
    holder bears (None for direct responsibility); ``category`` the accountability category
    (``direct``, ``important_leadership``, ``primary_leadership``, ``overall_leadership``,
    ``supervisory``). A missing link has no holder; ``note`` is why (``missing_<role>``:
    nobody held the role at the date; ``no_unit``: the item records no unit), ``message``
    says it (``chain.<note>``), rendered into ``zh``/``en``.
    ``outline``: the holder lies above the user's scope, so it is named only (no link to
    its page; see :mod:`graph.queries.chain`).
    """

    model_config = ConfigDict(frozen=True)

    role: str
    responsibility: str | None
    category: str
    holder: NodeRef | None = None
    basis: LinkBasis | None = None
    missing: bool = False
    note: str | None = None
    outline: bool = False
    #: Other chain roles of the same holder, folded into this link (a person is listed
    #: once: someone directly involved who is also the secretary is a direct link).
    also: list[str] = Field(default_factory=list)


class IssueChain(BaseModel):
    """The responsibility chain of an issue as of the date it was found (DESIGN.md §4).

    ``as_of_from`` says where the date came from: ``found_on``, or ``today`` when the issue
    has no date.
    """

    issue: NodeRef
    #: Where the subject comes from: its change set and source rows (:mod:`graph.history`).
    provenance: Provenance | None = None
    status: str | None = None
    severity: str | None = None
    found_on: str | None = None
    as_of: str
    as_of_from: str
    unit: UnitRef | None = None
    links: list[ChainLink]

    @property
    def missing(self) -> list[ChainLink]:
        return [link for link in self.links if link.missing]


#: Statuses of a trace link, in the order of the rule that decides them.
TRACE_STATUSES = ("missing", "held", "not_applicable", "held_other_category", "gap")


class TraceLink(BaseModel):
    """An expected holder set against the decisions (:data:`TRACE_STATUSES`):

    * ``held`` — a decision of the link's category (or a configured equivalent,
      :mod:`graph.accountability`) targeted the holder (for a discipline body: the body or
      someone serving in it at the date); ``decisions`` lists them;
    * ``not_applicable`` — a discipline body's link the case records as judged not
      applicable on review (``supervision_review``, 经倒查不予追究);
    * ``held_other_category`` — the holder was held accountable, but only in another
      category, which does not discharge this link (``other_decisions``);
    * ``gap`` — in the chain, not held accountable;
    * ``missing`` — the chain had nobody there at the date, so nobody could be held.
    """

    link: ChainLink
    status: str
    decisions: list[DecisionItem]
    #: Decisions against the holder in a category that does not discharge the link.
    other_decisions: list[DecisionItem] = []


class RectificationLead(BaseModel):
    """Who leads the rectification of an originating issue (its owner, ASSIGNED_TO), and
    the role they also hold in the trace's chain, if any."""

    person: NodeRef
    in_chain: str | None = None


class RectificationItem(BaseModel):
    """An issue the case originated from and who leads its rectification (领衔整改): a duty
    of its own, outside the accountability chain."""

    issue: NodeRef
    status: str | None = None
    owners: list[RectificationLead]


class PostCaseItem(BaseModel):
    """An issue or project that follows the case (案后治理, ``FOLLOWS_CASE``)."""

    node: NodeRef
    kind: str
    status: str | None = None
    #: The issue's ``found_on``; the project's ``completed_on``, else its ``deadline``.
    on: str | None = None
    leads: list[NodeRef]


class TraceSummary(BaseModel):
    """Totals of a trace-back.

    ``stopped_at_direct``: someone was held for direct responsibility and nobody in a
    leadership or supervisory link was — the pattern 倒查 exists to prevent.
    ``whole_chain_held``: every holder present in the chain was held accountable (a
    discipline body judged not applicable counts as settled).
    ``persons`` / ``organisations``: the decisions about persons (人次) and about Party
    organisations (个), counted apart.
    """

    model_config = ConfigDict(frozen=True)

    expected: int
    held: int
    gaps: int
    missing: int
    outside_chain: int
    decisions: int
    stopped_at_direct: bool
    whole_chain_held: bool
    held_other_category: int = 0
    not_applicable: int = 0
    persons: int = 0
    organisations: int = 0


class CaseTrace(BaseModel):
    """The chain of a case as of the date it occurred, set against the accountability
    actually decided for it (倒查)."""

    case: NodeRef
    #: Where the subject comes from: its change set and source rows (:mod:`graph.history`).
    provenance: Provenance | None = None
    category: str | None = None
    occurred_on: str | None = None
    as_of: str
    as_of_from: str
    unit: UnitRef | None = None
    issues: list[NodeRef]
    links: list[TraceLink]
    outside_chain: list[DecisionItem]
    decisions: list[DecisionItem]
    summary: TraceSummary
    #: The case's judgement on its supervising body (``not_applicable`` or None).
    supervision_review: str | None = None
    #: The originating issues and who leads their rectification (outside the chain).
    rectification: list[RectificationItem] = []
    #: Issues and projects that follow the case (案后治理).
    post_case: list[PostCaseItem] = []
