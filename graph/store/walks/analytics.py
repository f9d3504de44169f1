"""The analytics input on the embedded store: which nodes a scope shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.scope import Scope
from graph.store.walks.scope import visibility

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore


class AnalyticsWalks:
    """The analytics operations of :class:`graph.store.ops.ReadOps` on the embedded store."""

    store: EmbeddedStore

    def members(self, scope: Scope) -> frozenset[str]:
        g = self.store.graph
        if scope.everything:
            return frozenset(g)
        vis = visibility(self.store, scope)
        return frozenset(u for u in g if vis(u))
