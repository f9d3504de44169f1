"""The rows every read operation returns, typed once for both backends.

A row is what the Cypher of an operation returns and what its embedded walk builds: nodes
travel as property maps (:data:`Props`: ``uid``, ``id`` and the schema properties, as
Cypher's ``properties(n)`` gives them), relationships as the few properties the shaping
reads. mypy checks both implementations against these types; the contract tests compare
their values (``tests/graph/store/test_reads.py``).
"""

from __future__ import annotations

from typing import Any, TypedDict

from graph.schema import SCHEMA

#: A node's stored properties with its ``uid`` (Cypher's ``properties(n)``).
Props = dict[str, Any]
#: Per label, the properties a graph view carries of a node (long free text left out).
VIEW_PROPS: dict[str, tuple[str, ...]] = {
    n.label: tuple(p.name for p in n.properties if p.type != "text") for n in SCHEMA.nodes}
#: Edge codes of neighbourhood rows: the type's index in ``SCHEMA.rel_types``, plus
#: :data:`OUTGOING` when the edge leaves the expanded node.
OUTGOING = 64
#: Relationship type -> its index, the low bits of an edge code.
TYPE_INDEX: dict[str, int] = {t: i for i, t in enumerate(SCHEMA.rel_types)}
assert len(TYPE_INDEX) < OUTGOING


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


# -- people: the profile -------------------------------------------------------------------
# References the shaping only names travel as map projections (``u {.uid, .name}``: the
# keys listed, ``None`` where unset), records and duties as their properties.
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


# -- chains: the responsibility chain of an issue, the trace-back of a case ----------------
# A holder the scope hides travels as ``None`` with its link's facts: the shaping leaves
# such a link out, yet knows the link had a holder (so it is not reported missing). A
# holder above the scope is marked ``outline`` (named, not linked).
class HolderRow(TypedDict):
    node: Props | None
    outline: bool


class InChargeRow(TypedDict):
    person: Props | None
    outline: bool
    #: The unit in charge of: the chain's unit, or its parent.
    unit: Props
    portfolio: str | None
    start: str | None
    end: str | None


class SecretaryRow(TypedDict):
    person: Props | None
    outline: bool
    role: str | None
    start: str | None
    end: str | None


class ChainSupervisorRow(TypedDict):
    unit: Props | None
    outline: bool
    mode: str | None


class UnitChainRow(TypedDict):
    """The unit part of a chain as of a date: the unit (``None`` when none is recorded or
    in scope) and who held each link there."""

    unit: Props | None
    in_charge: list[InChargeRow]
    parent_in_charge: list[InChargeRow]
    secretaries: list[SecretaryRow]
    supervisors: list[ChainSupervisorRow]


class IssueChainRow(UnitChainRow):
    node: Props
    as_of: str
    owners: list[HolderRow]


class OriginRow(TypedDict):
    """An issue a case originated from (``None`` when the scope hides it) and its owners."""

    node: Props | None
    owners: list[HolderRow]


class TraceDecisionRow(TypedDict):
    node: Props
    targets: list[HolderRow]
    cases: list[Props]
    deciders: list[Props]


class CaseTraceRow(UnitChainRow):
    node: Props
    as_of: str
    involved: list[HolderRow]
    issues: list[OriginRow]
    decisions: list[TraceDecisionRow]


# -- open loops ------------------------------------------------------------------------------
class LoopTenureRow(TypedDict):
    unit: Props
    start: str | None
    end: str | None


class LoopFactRow(TypedDict):
    """A candidate open loop: a referral, issue or project open by its rule at the date."""

    #: ``referral``, ``issue`` or ``project``.
    kind: str
    node: Props
    #: Units it belongs to by its issues (``FOUND_IN``), in scope.
    units: list[Props]
    #: Who must act (recipients, owners, leaders), in scope.
    holders: list[Props]
    #: Referrals: the recipients' posts in units in scope (the fallback for its unit).
    tenures: list[LoopTenureRow]
    #: Issues: whether anyone owns it (``ASSIGNED_TO``), in scope or not.
    owned: bool
    #: Issues: whether a project addresses it, in scope or not.
    projected: bool


class LoopsRow(TypedDict):
    #: The unit asked about (``None``: the whole scope).
    unit: Props | None
    #: Uids of that unit's subtree (``None`` without a unit).
    subtree: list[str] | None
    facts: list[LoopFactRow]


# -- the working loop: what the statuses are judged from ---------------------------------------
class LoopHolderRow(TypedDict):
    """Who must act on a loop item (a duty's holder, a referral's or order's recipient, an
    issue's owner, a project's leader), in scope, with the posts it serves in (persons)."""

    node: Props
    posts: list[LoopTenureRow]


class LoopRecordRow(TypedDict):
    """A record fulfilling a duty within the year asked about."""

    on: str | None
    action: str | None
    kind: str | None
    #: Uids of who acted (``BY``), in scope or not: a record counts for its holder.
    by: list[str]


class LoopItemRow(TypedDict):
    """An issue a duty's breach produced (``BREACHES``): a rate's item, in scope or not."""

    found_on: str | None
    deadline: str | None
    rectified_on: str | None
    status: str | None


class LoopSubjectRow(TypedDict):
    """One item of the working loop and everything its status is judged from."""

    #: ``duty``, ``referral``, ``order``, ``issue`` or ``project``.
    kind: str
    node: Props
    holders: list[LoopHolderRow]
    #: Units it belongs to: an issue's (for referrals, issues, projects), an order's unit
    #: recipient, a duty's unit holder; in scope.
    units: list[Props]
    #: Who issued it (referrals, orders), in scope.
    issuer: Props | None
    #: Duties: the records fulfilling them in the year.
    records: list[LoopRecordRow]
    #: Duties with a rate target: their items.
    items: list[LoopItemRow]


class ActContextRow(TypedDict):
    """A node an everyday act names, in scope, with the neighbours its checks read (in
    scope or not: they decide, they are not shown): whoever holds it (``HOLDS``), who it was
    sent to (``SENT_TO``/``ORDERED_TO``) and who issued it (``ISSUED_BY``/``ORDERED_BY``),
    each as ``uid``, ``name`` and (units) ``kind``; and the uids of the persons serving in
    the holder or recipient units."""

    node: Props
    holders: list[Props]
    recipients: list[Props]
    issuers: list[Props]
    members: list[str]


# -- cases -----------------------------------------------------------------------------------
class CaseAtRow(TypedDict):
    case: Props
    #: The unit of the subtree the case occurred in.
    unit: Props


class CasesRow(TypedDict):
    #: The unit asked about.
    unit: Props
    cases: list[CaseAtRow]


# -- search -----------------------------------------------------------------------------
#: Context relationships a search row keeps per hit (a person's posts, a duty's holders).
CONTEXT_CAP = 20


class ContextRow(TypedDict):
    """A relationship of a search hit's kind's context (:attr:`NodeKind.context`)."""

    type: str
    #: The node at the other end, and its caption (``None``: not set; shown by id).
    uid: str
    caption: str | None
    #: The relationship's schema properties that are set (a post's role, start, end).
    props: Props


class SearchRow(TypedDict):
    """One search hit, ranked by the rule of :mod:`graph.matching`."""

    uid: str
    #: The node's searchable properties that are set (:func:`graph.matching.fields_of`).
    fields: dict[str, str]
    #: Index into :data:`graph.matching.TIERS`.
    tier: int
    #: Neo4j: the full-text (Lucene) score; the embedded store has none.
    score: float | None
    #: At most CONTEXT_CAP context relationships to nodes the scope shows, by other uid.
    context: list[ContextRow]


# -- graph views: neighbourhood and shortest paths ---------------------------------------
#: A node of a neighbourhood: its uid, then the values of its kind's :data:`VIEW_PROPS` in
#: order. One flat list on purpose: a thousand of them travel and are decoded per view.
ViewNode = list[Any]
#: An expanded node of a neighbourhood: (uid, the other ends of its relationships to
#: included nodes, their edge codes (:data:`OUTGOING`), the properties of those edges whose
#: type has properties (in the same order), the number of neighbours the cap left out).
Expansion = tuple[str, list[str], list[int], list[Props], int]


class NeighbourhoodRow(TypedDict):
    #: Per level (0: the centre), the nodes taken, in the order they were taken.
    levels: list[list[ViewNode]]
    #: Every expanded node (closer than the depth), level by level.
    expanded: list[Expansion]


class PathRelRow(TypedDict):
    type: str
    src: str
    dst: str
    #: The schema properties that are set.
    props: Props


class PathRow(TypedDict):
    """One shortest path: its nodes in order, and every relationship (of the types
    followed) between consecutive nodes -- parallel ones included."""

    nodes: list[Props]
    rels: list[PathRelRow]


class PathsRow(TypedDict):
    #: The two ends that exist and are in scope (one when both are the same node).
    ends: list[Props]
    #: The first paths in lexicographic order of their uid sequences.
    paths: list[PathRow]
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


def order_loop_row(row: LoopSubjectRow) -> LoopSubjectRow:
    """A loop row with its lists in the one order both stores give them (holders and units
    by uid, records by date, action and actors, items by their values)."""
    row["holders"].sort(key=lambda h: str(h["node"]["uid"]))
    for h in row["holders"]:
        h["posts"].sort(key=lambda t: (str(t["unit"]["uid"]), t["start"] or "", t["end"] or ""))
    row["units"].sort(key=lambda u: str(u["uid"]))
    for r in row["records"]:
        r["by"].sort()
    row["records"].sort(key=lambda r: (r["on"] or "", r["action"] or "", r["kind"] or "",
                                       r["by"]))
    row["items"].sort(key=lambda i: tuple(str(v) for v in i.values()))
    return row


# -- assessment (考核评议) ----------------------------------------------------------------
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


# -- coverage by channel (巡察, 派驻, 监察) -------------------------------------------------------
class CoverageUnitRow(TypedDict):
    """A unit of the subtree, the inspections that covered it and how it is supervised."""

    unit: Props
    #: ``[kind, started_on, ended_on]`` of every inspection COVERS it (any date).
    visits: list[list[str | None]]
    #: The mode of every SUPERVISES into it.
    modes: list[str | None]


class CoverageFactsRow(TypedDict):
    #: The unit asked about (``None``: the whole scope).
    unit: Props | None
    units: list[CoverageUnitRow]


# -- risk prevention ---------------------------------------------------------------------
class ControlRow(TypedDict):
    control: Props
    #: Who owns it (OWNED_BY), in scope.
    owners: list[Props]


class RiskPointRow(TypedDict):
    point: Props
    #: The unit it sits in (RISK_IN).
    unit: Props
    controls: list[ControlRow]


class RiskRegisterRow(TypedDict):
    unit: Props
    points: list[RiskPointRow]


class OwnedControlRow(TypedDict):
    """A control a person owns, with its risk point and that point's unit."""

    control: Props
    point: Props | None
    unit: Props | None


# -- 三重一大 decisions ----------------------------------------------------------------------
class MajorDecisionRow(TypedDict):
    decision: Props
    #: The unit whose leading body took it (TAKEN_BY).
    unit: Props
    #: Issues about it (ABOUT_DECISION), in scope.
    issues: list[Props]


class DecisionRegisterRow(TypedDict):
    unit: Props
    decisions: list[MajorDecisionRow]
    #: ``[unit, parent]`` of the units the decisions were taken by and every unit above
    #: them (uids only, for the threshold rule; nothing here is shown).
    parents: list[list[str]]
