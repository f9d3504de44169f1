"""Coordination analytics: weak links in the vertical and horizontal chains, structural single
points of failure of the coordination network, and a health score per unit.

Pure functions over a NetworkX projection of the graph (``store.to_networkx()``); nothing
here reads files, renders HTML or talks to a database. Start with
:func:`graph.analytics.report.analyze`.
"""

from graph.analytics.config import AnalyticsConfig, load_config
from graph.analytics.findings import CODES, Finding
from graph.analytics.report import Analysis, Report, analyze, analyze_store

__all__ = ["CODES", "Analysis", "AnalyticsConfig", "Finding", "Report", "analyze",
           "analyze_store", "load_config"]
