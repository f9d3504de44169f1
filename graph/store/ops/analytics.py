"""Read operations of what the analysis reads.

The rows both backends return and the protocol they implement: Cypher in
:mod:`graph.store.cypher.analytics`, a walk of the embedded graph in
:mod:`graph.store.walks.analytics`.
"""

from __future__ import annotations

from typing import Protocol

from graph.scope import Scope


class AnalyticsOps(Protocol):
    """The read operations of what the analysis reads."""

    def members(self, scope: Scope) -> frozenset[str]:
        """Uids of every node ``scope`` shows whole (every node for everything): the
        projection a scoped analysis reads (``graph.analytics.report.analyze_store``)."""
        ...
