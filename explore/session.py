"""A handle on the graph for analysts: the store, a scope and an as-of date, one method per
question.

:func:`connect` opens the configured store exactly as the CLI does (``Settings``: Neo4j
when ``NEO4J_URI`` is set, otherwise the embedded store under ``DUTYGRAPH_HOME``);
:func:`sample` loads the bundled sample into an in-memory store. Each method calls the
public query function of the same question and returns its result unchanged (pydantic
models): :func:`explore.frame` turns any of them into a DataFrame, :func:`explore.to_networkx`
the graph-shaped ones into NetworkX, :func:`explore.show` draws them inline.

``scope`` and ``as_of`` mean what they mean in the CLI and the API. A handle carries
defaults for both (:meth:`DutyGraph.within`, :meth:`DutyGraph.at`); every method also takes
them per call. A scope is a :class:`graph.scope.Scope` or unit ids (``["JD"]``; ``"*"``
for everything), resolved by the store (``store.reads.scope_of``) as for a user.

Examples
--------
>>> dg = sample(as_of="2026-11-26")
>>> h = dg.holders("SIPG")
>>> [(c.key, c.count) for c in h.duty_counts_by_responsibility]
[('primary', 40), ('supervisory', 33), ('first', 24), ('dual', 12)]
>>> dg.within("JD").scope.key
('unit:JD', 'unit:JD-JW', 'home=unit:JD')
>>> [(m.method, m.share) for m in dg.rotation("JWDW").years[0].methods]
[('onsite_check', 0.333), ('onsite_report', 0.333), ('written_report', 0.333)]
>>> dg.close()
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, TypeVar

import networkx as nx

from api.i18n import Lang, as_lang
from explore.analysis import AnalysisFrames, analysis_frames
from graph.analytics.config import AnalyticsConfig, load_config
from graph.analytics.report import Analysis, analyze_store
from graph.dates import as_of_or_today
from graph.errors import InvalidArgument
from graph.messages import Message
from graph.queries.assessment import assessment_history, rotation, score_trends
from graph.queries.assessment_models import AssessmentHistory, Rotation, ScoreTrends
from graph.queries.cases import CaseList, cases_in_subtree
from graph.queries.chain import case_trace, issue_chain
from graph.queries.chain_models import CaseTrace, IssueChain
from graph.queries.coverage import Coverage, coverage
from graph.queries.holders import unit_holders, unit_overview
from graph.queries.holders_models import UnitHolders, UnitOverview
from graph.queries.loops import OpenLoops, open_loops
from graph.queries.person import person_profile
from graph.queries.person_models import PersonProfile
from graph.queries.prevention import decision_register, owned_controls, risk_register
from graph.queries.prevention_models import DecisionRegister, OwnedControls, RiskRegister
from graph.queries.search import SearchResults, search
from graph.queries.stats import AccountabilityStats, accountability_stats
from graph.queries.subgraph import Subgraph, neighbourhood, shortest_paths
from graph.scope import EVERYTHING_SCOPE, Scope, unit_uids
from graph.settings import Settings
from graph.store import GraphStore, open_store
from graph.store.base import Counts
from graph.store.embedded import EmbeddedStore
from loaders import LoadReport, load_sample

T = TypeVar("T")
#: A scope as analysts write it: a Scope, unit ids (``"JD"``, ``["JD", "MH"]``, ``"*"``),
#: or ``None`` for the handle's default.
ScopeLike = Scope | str | Sequence[str] | None


@cache
def _takes_scope(fn: Callable[..., Any]) -> bool:
    return "scope" in inspect.signature(fn).parameters


@dataclass(frozen=True)
class DutyGraph:
    """The store with a default scope and as-of date (``None``: today, as in the CLI).

    Handles made by :meth:`within` and :meth:`at` share the store: closing any of them
    closes it.
    """

    store: GraphStore
    scope: Scope = EVERYTHING_SCOPE
    as_of: str | None = None
    #: Whether opening the handle loaded the bundled sample (an empty store, or sample()).
    loaded_sample: bool = False
    #: The language of the texts the handle renders (the analysis frames' names and
    #: explanations): ``zh`` or ``en``.
    lang: Lang = "zh"

    # -- the handle -------------------------------------------------------------------
    @property
    def backend(self) -> str:
        """``embedded`` or ``neo4j``."""
        return self.store.backend

    def within(self, units: ScopeLike) -> DutyGraph:
        """The same graph seen by a user scoped to ``units`` (unit ids or a Scope)."""
        return replace(self, scope=self.resolve_scope(units))

    def at(self, as_of: str | None) -> DutyGraph:
        """The same graph with another default as-of date (ISO ``YYYY-MM-DD``)."""
        return replace(self, as_of=as_of)

    def in_lang(self, lang: str) -> DutyGraph:
        """The same graph with its texts in ``lang`` (``zh`` or ``en``)."""
        return replace(self, lang=as_lang(lang))

    def resolve_scope(self, scope: ScopeLike) -> Scope:
        """``scope`` as a :class:`Scope` (``None``: this handle's own)."""
        if scope is None:
            return self.scope
        if isinstance(scope, Scope):
            return scope
        entries = [scope] if isinstance(scope, str) else list(scope)
        return self.store.reads.scope_of(unit_uids(entries))

    def close(self) -> None:
        """Close the store (flushing an embedded one to disk)."""
        self.store.close()

    def __enter__(self) -> DutyGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, fn: Callable[..., T], *args: Any, scope: ScopeLike, **kwargs: Any) -> T:
        """``fn(store, *args, **kwargs)`` under ``scope``.

        Every public query function takes ``scope=``; one that does not yet is called
        without it for the whole graph, and refused for a narrower scope rather than
        answered with more than the scope may see.
        """
        resolved = self.resolve_scope(scope)
        if _takes_scope(fn):
            return fn(self.store, *args, scope=resolved, **kwargs)
        if not resolved.everything:
            raise InvalidArgument("scope", Message("reason.no_scope_yet", query=fn.__name__))
        return fn(self.store, *args, **kwargs)

    def _day(self, as_of: str | None) -> str | None:
        return as_of if as_of is not None else self.as_of

    # -- what the graph holds ---------------------------------------------------------
    def counts(self) -> Counts:
        """Nodes per kind and relationships per type (the whole store)."""
        return self.store.counts()

    def subtree(self, unit: str, *, scope: ScopeLike = None) -> list[str]:
        """Uids of ``unit`` (uid or bare id) and every unit below it, in scope, sorted."""
        uid = unit if unit.startswith("unit:") else f"unit:{unit}"
        uids = self.store.reads.subtree(uid)
        resolved = self.resolve_scope(scope)
        if not resolved.everything:
            uids = frozenset(self.store.reads.visible(uids, resolved))
        return sorted(uids)

    def projection(self, *, scope: ScopeLike = None) -> nx.MultiDiGraph:
        """The graph as a NetworkX MultiDiGraph (a copy; only the nodes in scope).

        Nodes are keyed by uid with ``label``, ``id`` and the schema's properties; edges
        are keyed ``"TYPE|key"`` with ``type`` (see ``GraphStore.to_networkx``).
        """
        resolved = self.resolve_scope(scope)
        g = self.store.to_networkx()
        if resolved.everything:
            return g
        keep = self.store.reads.visible(g.nodes, resolved)
        # Built in the store's order (not the set's, which changes from run to run), so
        # that what a notebook prints is the same on every run.
        out: nx.MultiDiGraph = nx.MultiDiGraph()
        out.add_nodes_from((n, a) for n, a in g.nodes(data=True) if n in keep)
        for u, v, k, d in g.edges(keys=True, data=True):
            if u in keep and v in keep:
                out.add_edge(u, v, key=k, **d)
        return out

    # -- the queries (graph.queries) ----------------------------------------------------
    def holders(self, unit: str, *, up: bool = False, as_of: str | None = None,
                scope: ScopeLike = None) -> UnitHolders:
        """The four holders of ``unit`` (四责): committee, secretary, team, supervisors."""
        return self._call(unit_holders, unit, as_of=self._day(as_of), up=up, scope=scope)

    def overview(self, unit: str, *, scope: ScopeLike = None) -> UnitOverview:
        """The units below ``unit`` by kind and level, and its direct children."""
        return self._call(unit_overview, unit, scope=scope)

    def person(self, person: str, *, as_of: str | None = None,
               scope: ScopeLike = None) -> PersonProfile:
        """A person's posts, portfolios, duties, issues, referrals, records, decisions."""
        return self._call(person_profile, person, as_of=self._day(as_of), scope=scope)

    def issue_chain(self, issue: str, *, scope: ScopeLike = None) -> IssueChain:
        """Who held which responsibility for ``issue`` on the day it was found."""
        return self._call(issue_chain, issue, scope=scope)

    def case_trace(self, case: str, *, scope: ScopeLike = None) -> CaseTrace:
        """The trace-back (倒查) of ``case``: its chain against the accountability decided."""
        return self._call(case_trace, case, scope=scope)

    def cases(self, unit: str, *, limit: int = 10, scope: ScopeLike = None) -> CaseList:
        """The cases that occurred in ``unit``'s subtree, newest first (the first
        ``limit``; ``total`` counts them all)."""
        return self._call(cases_in_subtree, unit, limit=limit, scope=scope)

    def open_loops(self, *, unit: str | None = None, kinds: Iterable[str] | None = None,
                   limit: int = 50, offset: int = 0, as_of: str | None = None,
                   scope: ScopeLike = None) -> OpenLoops:
        """Open loops (overdue referrals, issues without owner or project, late projects)."""
        return self._call(open_loops, unit=unit, as_of=self._day(as_of), kinds=kinds,
                          limit=limit, offset=offset, scope=scope)

    def accountability(self, *, unit: str | None = None, years: Iterable[int] | None = None,
                       scope: ScopeLike = None) -> AccountabilityStats:
        """Accountability decisions (问责) by year, category, measure, form and target."""
        return self._call(accountability_stats, unit=unit, years=years, scope=scope)

    def search(self, text: str, *, labels: Iterable[str] | None = None, limit: int = 20,
               scope: ScopeLike = None) -> SearchResults:
        """Nodes whose name or title matches ``text``, best first."""
        return self._call(search, text, labels=labels, limit=limit, scope=scope)

    def neighbourhood(self, node: str, *, depth: int = 1,
                      rel_types: Iterable[str] | None = None,
                      labels: Iterable[str] | None = None, limit: int = 200,
                      as_of: str | None = None, scope: ScopeLike = None) -> Subgraph:
        """The capped neighbourhood of ``node`` (tenures held on ``as_of`` when given)."""
        return self._call(neighbourhood, node, depth=depth, rel_types=rel_types,
                          labels=labels, limit=limit, as_of=self._day(as_of), scope=scope)

    def shortest_paths(self, a: str, b: str, *, max_depth: int = 6,
                       rel_types: Iterable[str] | None = None, limit: int = 5,
                       scope: ScopeLike = None) -> Subgraph:
        """All shortest undirected paths between ``a`` and ``b``."""
        return self._call(shortest_paths, a, b, max_depth=max_depth, rel_types=rel_types,
                          limit=limit, scope=scope)

    # -- the mechanism: assessment, coverage, risks, 三重一大 (#18) ------------------------
    # The windows, methods, thresholds and levels come from ``config`` (default: the
    # environment's, ``DUTYGRAPH_ANALYTICS``), as in the CLI: a query reads the same rule
    # as the finding it explains.
    def assessments(self, subject: str, *, as_of: str | None = None,
                    config: AnalyticsConfig | None = None,
                    scope: ScopeLike = None) -> AssessmentHistory:
        """Every assessment result of a unit or person (考核评议), newest first; for a unit
        also its place in the on-site rotation."""
        return self._call(assessment_history, subject, as_of=self._day(as_of),
                          config=config or load_config(), scope=scope)

    def rotation(self, unit: str, *, as_of: str | None = None,
                 config: AnalyticsConfig | None = None, scope: ScopeLike = None) -> Rotation:
        """The 述职检查测评 rotation below ``unit``: each unit's form per year, the share of
        each form per year, the units due an on-site form."""
        return self._call(rotation, unit, as_of=self._day(as_of),
                          config=config or load_config(), scope=scope)

    def score_trends(self, unit: str, *, method: str | None = None,
                     subjects: str | None = None, as_of: str | None = None,
                     scope: ScopeLike = None) -> ScoreTrends:
        """Per year, the overall scores and grades of the results assessing ``unit``'s
        subtree (of one ``method`` code, of ``subjects`` ``unit`` or ``person``)."""
        return self._call(score_trends, unit, as_of=self._day(as_of), method=method,
                          subjects=subjects, scope=scope)

    def coverage(self, unit: str | None = None, *, as_of: str | None = None,
                 config: AnalyticsConfig | None = None, scope: ScopeLike = None) -> Coverage:
        """Coverage by channel (巡察, 派驻, 监察) of ``unit``'s subtree, in the window and
        per term, and the units left out."""
        return self._call(coverage, unit, as_of=self._day(as_of),
                          config=config or load_config(), scope=scope)

    def risk_register(self, unit: str, *, subtree: bool = False, layer: str | None = None,
                      as_of: str | None = None, config: AnalyticsConfig | None = None,
                      scope: ScopeLike = None) -> RiskRegister:
        """The risk points of ``unit`` (with ``subtree``: and below) by layer (决策层,
        管理层, 操作层), each with its controls and whether it is uncontrolled."""
        return self._call(risk_register, unit, subtree=subtree, layer=layer,
                          as_of=self._day(as_of), config=config or load_config(),
                          scope=scope)

    def owned_controls(self, person: str, *, as_of: str | None = None,
                       config: AnalyticsConfig | None = None,
                       scope: ScopeLike = None) -> OwnedControls:
        """The risk controls ``person`` owns, with their risk points and units."""
        return self._call(owned_controls, person, as_of=self._day(as_of),
                          config=config or load_config(), scope=scope)

    def decision_register(self, unit: str, *, subtree: bool = False, kind: str | None = None,
                          as_of: str | None = None, config: AnalyticsConfig | None = None,
                          scope: ScopeLike = None) -> DecisionRegister:
        """The 三重一大 decisions of ``unit`` (with ``subtree``: and below), newest first,
        with the threshold rule (上港: 10万元) applied to each."""
        return self._call(decision_register, unit, subtree=subtree, kind=kind,
                          as_of=self._day(as_of), config=config or load_config(),
                          scope=scope)

    # -- the analysis (graph.analytics) -------------------------------------------------
    def analyze(self, *, unit: str | None = None, as_of: str | None = None,
                config: AnalyticsConfig | None = None,
                scope: ScopeLike = None) -> AnalysisFrames:
        """Findings, health and roll-up (as DataFrames, texts in :attr:`lang`) and the
        coordination network.

        ``config`` defaults to the environment's (``DUTYGRAPH_ANALYTICS``), as in the CLI.
        The analysis is kept until the graph changes (``store.derived``).
        """
        cfg = config or load_config()
        day = as_of_or_today(self._day(as_of))
        resolved = self.resolve_scope(scope)
        key = ("explore.analyze", day, unit, resolved.key,
               json.dumps(cfg.model_dump(mode="json"), sort_keys=True))

        def compute() -> Analysis:
            return self._call(analyze_store, as_of=day, unit=unit, config=cfg, scope=resolved)

        # The analysis once per version; its frames once per language (the same object
        # for the same question).
        return self.store.derived.get((*key, self.lang), lambda: analysis_frames(
            self.store.derived.get(key, compute), self.lang))


def _sample_failed(report: LoadReport) -> Message:
    return Message("reason.sample_failed",
                   problems=[e.message for e in report.errors[:3] if e.message is not None])


def connect(settings: Settings | None = None, *, load_sample_if_empty: bool = False,
            scope: ScopeLike = None, as_of: str | None = None, lang: str = "zh") -> DutyGraph:
    """The configured store (``Settings()`` unless given), schema ensured, texts in ``lang``.

    With ``load_sample_if_empty`` an empty store first receives the bundled sample
    (fictional people), so a notebook runs on a fresh machine.
    """
    store = open_store(settings or Settings())
    store.ensure_schema()
    loaded = False
    if load_sample_if_empty and store.counts().total_nodes == 0:
        report = load_sample(store, progress=False)
        if not report.ok:
            store.close()
            raise InvalidArgument("sample", _sample_failed(report))
        loaded = True
    dg = DutyGraph(store, as_of=as_of, loaded_sample=loaded, lang=as_lang(lang))
    return dg.within(scope) if scope is not None else dg


def sample(*, scope: ScopeLike = None, as_of: str | None = None, lang: str = "zh") -> DutyGraph:
    """The bundled sample in an in-memory embedded store (nothing written to disk), texts in
    ``lang``."""
    store = EmbeddedStore(None)
    report = load_sample(store, progress=False)
    if not report.ok:
        raise InvalidArgument("sample", _sample_failed(report))
    dg = DutyGraph(store, as_of=as_of, loaded_sample=True, lang=as_lang(lang))
    return dg.within(scope) if scope is not None else dg
