"""The read operations every backend implements, declared once.

The domain (``graph.queries``, ``graph.analytics``, the API) asks a store for data only
through :class:`ReadOps` (``store.reads``) and the core methods of
:class:`graph.store.base.GraphStore`; it never asks which backend it holds. Each operation
has one implementation per backend -- Cypher in :mod:`graph.store.cypher`, a walk of the
``MultiDiGraph`` in :mod:`graph.store.walks` -- returning the typed rows of
:mod:`graph.store.rows`, and the shared shaping in ``graph.queries`` turns rows into
results. The contract tests run every operation on both stores and compare.

Every operation that reads nodes a user may or may not see takes a :class:`Scope` and
applies it where it selects: an out-of-scope subject reads as missing, and lists, counts,
limits and paths only ever contain what the scope lets the user see.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from graph.scope import Scope
from graph.store.rows import (
    ActContextRow,
    AssessmentFactsRow,
    AssessmentHistoryRow,
    CasesRow,
    CaseTraceRow,
    CaseworkRow,
    CoverageFactsRow,
    DecisionFactsRow,
    DecisionRegisterRow,
    IssueChainRow,
    LoopsRow,
    LoopSubjectRow,
    NeighbourhoodRow,
    OverviewRow,
    OwnedControlRow,
    PanelRow,
    PathsRow,
    PersonRow,
    RiskRegisterRow,
    SearchRow,
)


class ReadOps(Protocol):
    """Typed reads of the graph, one method per operation (see the module docstring)."""

    # -- scope -------------------------------------------------------------------------
    def scope_of(self, units: Sequence[str] | None) -> Scope:
        """The scope of a user whose entries name ``units`` (unit uids; ``None`` for
        everything): the units that exist, the discipline bodies supervising them at the
        same level, and the units above them."""
        ...

    def visible(self, uids: Iterable[str], scope: Scope) -> set[str]:
        """The subset of ``uids`` (of any kind) that exist and are in ``scope``."""
        ...

    def outline(self, uids: Iterable[str], scope: Scope) -> set[str]:
        """The subset of ``uids`` above ``scope`` that it shows in outline (names only)."""
        ...

    def subtree(self, unit_uid: str) -> frozenset[str]:
        """Uids of the unit and every unit transitively SUBORDINATE_TO it (empty when
        ``unit_uid`` names no unit)."""
        ...

    def members(self, scope: Scope) -> frozenset[str]:
        """Uids of every node ``scope`` shows whole (every node for everything): the
        projection a scoped analysis reads (``graph.analytics.report.analyze_store``)."""
        ...

    # -- units -------------------------------------------------------------------------
    def unit_panels(self, uid: str, as_of: str, *, up: bool, scope: Scope) -> list[PanelRow]:
        """The holders panel of unit ``uid`` as of ``as_of``, and with ``up`` of every unit
        above it (outline rows above the scope), nearest first; ``[]`` when the unit is
        missing or out of scope."""
        ...

    def unit_overview(self, uid: str, scope: Scope) -> OverviewRow | None:
        """Descendants of unit ``uid`` grouped by (level, kind), and its children."""
        ...

    def cases_in_subtree(self, unit_uid: str, scope: Scope) -> CasesRow | None:
        """The unit and every (case, unit) pair of a case that occurred in it or a unit
        below it; ``None`` when the unit is missing or out of scope."""
        ...

    # -- people ------------------------------------------------------------------------
    def person_profile(self, uid: str, scope: Scope) -> PersonRow | None:
        """Person ``uid`` with their posts, portfolios, duties, issues, projects, referrals,
        records and decisions, each kept or dropped by ``scope``; ``None`` when the person
        is missing or out of scope."""
        ...

    # -- chains ------------------------------------------------------------------------
    def issue_chain(self, uid: str, today: str, scope: Scope) -> IssueChainRow | None:
        """Issue ``uid``, its owners and the holders of its unit's chain as of its
        ``found_on`` (else ``today``), each holder marked outline or hidden by ``scope``;
        ``None`` when the issue is missing or out of scope."""
        ...

    def case_trace(self, uid: str, today: str, scope: Scope) -> CaseTraceRow | None:
        """Case ``uid``, the people involved, its originating issues and their owners, the
        accountability decided for it and its unit's chain as of its ``occurred_on`` (else
        ``today``), marked by ``scope`` as :meth:`issue_chain`; ``None`` when the case is
        missing or out of scope."""
        ...

    # -- open loops --------------------------------------------------------------------
    def open_loops(self, as_of: str, kinds: Sequence[str], unit: str | None,
                   scope: Scope) -> LoopsRow | None:
        """The referrals, issues and projects open at ``as_of`` by their rule, for the loop
        ``kinds`` wanted, in ``scope`` and, with ``unit``, with a unit in its subtree;
        ``None`` when ``unit`` is missing or out of scope."""

    # -- the working loop --------------------------------------------------------------
    def loop_facts(self, year: int, subjects: Sequence[str] | None,
                   scope: Scope) -> list[LoopSubjectRow]:
        """Every item of the working loop in ``scope`` that year ``year`` can judge (or,
        with ``subjects``, those of these uids), with the facts of its status:

        * duties with a target (``target_kind``) of that year or without a year, with
          their holders, the records fulfilling them dated in the year, and (rates) the
          issues they breached;
        * referrals and supervision orders issued by the year's end;
        * issues with a deadline, found by the year's end, not settled before it began;
        * projects with a deadline, not completed before the year began.

        Sorted by uid. A subject of ``subjects`` that is missing, out of scope or not of
        those is left out."""
        ...

    def act_context(self, uid: str, scope: Scope) -> ActContextRow | None:
        """Node ``uid`` and the neighbours an act's checks read (see the row); ``None``
        when it is missing or out of scope."""
        ...

    # -- search ------------------------------------------------------------------------
    def search(self, text: str, labels: Sequence[str] | None, limit: int, *,
               scope: Scope) -> list[SearchRow]:
        """Nodes in ``scope`` (of ``labels``, all kinds when ``None``) whose searchable
        properties match ``text`` (folded, :func:`graph.matching.fold`) or whose id is
        ``text``, ranked by :mod:`graph.matching`, at most ``limit``. Neo4j ranks the best
        candidates of its full-text index (in scope) and may add ``related`` matches."""
        ...

    # -- graph views -------------------------------------------------------------------
    def neighbourhood(self, uid: str, *, depth: int, rel_types: Sequence[str] | None,
                      labels: Sequence[str] | None, limit: int, as_of: str | None,
                      scope: Scope) -> NeighbourhoodRow | None:
        """The capped neighbourhood of node ``uid`` through nodes in ``scope`` only (the
        rule of :mod:`graph.queries.subgraph`); ``None`` when the node is missing or out of
        scope."""
        ...

    def shortest_paths(self, a: str, b: str, *, max_depth: int,
                       rel_types: Sequence[str] | None, limit: int,
                       scope: Scope) -> PathsRow:
        """The ends ``a`` and ``b`` that exist in ``scope``, and when both do, the first
        ``limit`` (by uid sequence) of their shortest undirected paths of at most
        ``max_depth`` hops through nodes in ``scope`` (of at most ``PATH_CAP`` found)."""
        ...

    # -- accountability statistics --------------------------------------------------------
    def accountability_facts(self, units: Sequence[str] | None,
                             scope: Scope) -> list[DecisionFactsRow]:
        """Every accountability decision in ``scope`` with the facts the subtree rule reads;
        with ``units`` only decisions with one of those units among their facts (a superset
        of the rule's answer, which the shaping computes)."""
        ...

    # -- what follows a case ----------------------------------------------------------
    def case_casework(self, uid: str, bodies: Sequence[str], as_of: str,
                      scope: Scope) -> CaseworkRow:
        """Of case ``uid``: the persons it names as directly responsible and the issues and
        projects that follow it (both in ``scope``), and who served in each of ``bodies``
        (unit uids: its supervising discipline bodies) on ``as_of``."""
        ...

    # -- assessment (考核评议) ------------------------------------------------------------
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

    # -- coverage by channel ------------------------------------------------------------
    def coverage_facts(self, unit_uid: str | None, scope: Scope) -> CoverageFactsRow | None:
        """Every unit of the subtree of ``unit_uid`` (with ``None``: every unit in
        ``scope``) with the inspections that covered it and the modes of the supervision
        into it; ``None`` when the unit is missing or out of scope."""
        ...

    # -- risk prevention ----------------------------------------------------------------
    def risk_register(self, unit_uid: str, subtree: bool, scope: Scope) -> RiskRegisterRow | None:
        """The risk points of unit ``unit_uid`` (with ``subtree``: of every unit below it
        too), each with its controls and their owners (in scope or above it); ``None``
        when the unit is missing or out of scope."""
        ...

    def owned_controls(self, person_uid: str, scope: Scope) -> list[OwnedControlRow]:
        """The controls in ``scope`` that person ``person_uid`` owns, each with its risk
        point and that point's unit, by control uid."""
        ...

    # -- 三重一大 decisions ----------------------------------------------------------------
    def major_decisions(self, unit_uid: str, subtree: bool,
                        scope: Scope) -> DecisionRegisterRow | None:
        """The 三重一大 decisions taken by unit ``unit_uid`` (with ``subtree``: by every unit
        below it too), each with the issues in ``scope`` about it, and the parent of every
        unit on the way up from the deciding units; ``None`` when the unit is missing or
        out of scope."""
        ...
