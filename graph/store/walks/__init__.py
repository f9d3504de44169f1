"""The read operations on the embedded store, one module of walks per topic, composed
into :class:`WalkReads` (the ``reads`` of a :class:`graph.store.embedded.EmbeddedStore`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.store.walks.analytics import AnalyticsWalks
from graph.store.walks.assessment import AssessmentWalks
from graph.store.walks.cases import CasesWalks
from graph.store.walks.casework import CaseworkWalks
from graph.store.walks.chain import ChainWalks
from graph.store.walks.coverage import CoverageWalks
from graph.store.walks.holders import HoldersWalks
from graph.store.walks.loop import LoopWalks
from graph.store.walks.loops import LoopsWalks
from graph.store.walks.person import PersonWalks
from graph.store.walks.prevention import PreventionWalks
from graph.store.walks.scope import ScopeWalks
from graph.store.walks.search import SearchWalks
from graph.store.walks.stats import StatsWalks
from graph.store.walks.subgraph import SubgraphWalks

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore


class WalkReads(ScopeWalks, HoldersWalks, CasesWalks, PersonWalks, ChainWalks, LoopsWalks,
                LoopWalks, AnalyticsWalks, SearchWalks, SubgraphWalks, StatsWalks,
                CaseworkWalks, AssessmentWalks, CoverageWalks, PreventionWalks):
    """:class:`graph.store.ops.ReadOps` for the embedded store."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store = store
