"""DutyGraph for analysts: open the graph, ask its questions, get DataFrames, NetworkX graphs,
inline charts and graph views.

A notebook needs only this package (plus pandas, matplotlib and networkx)::

    import explore as ex

    dg = ex.connect(load_sample_if_empty=True, as_of="2026-11-26")  # as the CLI: Settings
    sipg = dg.holders("SIPG")                                   # the public query, unchanged
    ex.frame(sipg.duty_counts_by_responsibility)                # → pandas
    ex.show(dg.case_trace("C-JD-005"))                          # inline view, gaps in red
    a = dg.analyze()                                            # findings/health/rollup frames
    dg.decision_register("SIPG", subtree=True)                  # 三重一大, the 10万 rule applied

Importing the package configures a CJK font for matplotlib once (:mod:`explore.fonts`); it
never switches matplotlib's backend, so figures display inline.
"""

from __future__ import annotations

from explore.analysis import AnalysisFrames, analysis_frames, analyze_graph, weak_pairs
from explore.convert import chain_graph, frame, to_networkx, zh
from explore.fonts import configure_fonts
from explore.session import DutyGraph, ScopeLike, connect, sample
from explore.views import View, show
from graph.analytics.config import AnalyticsConfig
from graph.errors import InvalidArgument, NotFound
from graph.scope import EVERYTHING_SCOPE, Scope

#: The CJK font matplotlib uses (None: none installed, see explore.fonts).
FONT = configure_fonts()


__all__ = [
    "EVERYTHING_SCOPE",
    "FONT",
    "AnalysisFrames",
    "AnalyticsConfig",
    "DutyGraph",
    "InvalidArgument",
    "NotFound",
    "Scope",
    "ScopeLike",
    "View",
    "analysis_frames",
    "analyze_graph",
    "chain_graph",
    "configure_fonts",
    "connect",
    "frame",
    "sample",
    "show",
    "to_networkx",
    "weak_pairs",
    "zh",
]
