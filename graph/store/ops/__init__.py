"""The read operations every backend implements, declared once.

The domain (``graph.queries``, ``graph.analytics``, the API) asks a store for data only
through :class:`ReadOps` (``store.reads``) and the core methods of
:class:`graph.store.base.GraphStore`; it never asks which backend it holds. Each operation
has one implementation per backend -- Cypher in :mod:`graph.store.cypher`, a walk of the
``MultiDiGraph`` in :mod:`graph.store.walks` -- returning the typed rows declared
beside its protocol, and the shared shaping in ``graph.queries`` turns rows into
results. The contract tests run every operation on both stores and compare.

Every operation that reads nodes a user may or may not see takes a :class:`Scope` and
applies it where it selects: an out-of-scope subject reads as missing, and lists, counts,
limits and paths only ever contain what the scope lets the user see.
"""

from __future__ import annotations

from typing import Protocol

from graph.store.ops.analytics import AnalyticsOps
from graph.store.ops.assessment import AssessmentOps
from graph.store.ops.cases import CasesOps
from graph.store.ops.casework import CaseworkOps
from graph.store.ops.chain import ChainOps
from graph.store.ops.coverage import CoverageOps
from graph.store.ops.holders import HoldersOps
from graph.store.ops.loop import LoopOps
from graph.store.ops.loops import LoopsOps
from graph.store.ops.person import PersonOps
from graph.store.ops.prevention import PreventionOps
from graph.store.ops.scope import ScopeOps
from graph.store.ops.search import SearchOps
from graph.store.ops.stats import StatsOps
from graph.store.ops.subgraph import SubgraphOps


class ReadOps(ScopeOps, AnalyticsOps, HoldersOps, CasesOps, PersonOps, ChainOps, LoopsOps,
              LoopOps, SearchOps, SubgraphOps, StatsOps, CaseworkOps,
              AssessmentOps, CoverageOps, PreventionOps, Protocol):
    """Typed reads of the graph, one method per operation (see the module docstring)."""
