"""The analytics input on the embedded store: which nodes a scope shows.

From the scope's unit subtrees outwards: a node is in scope when one of its kind's anchors
(:attr:`graph.schema.NodeKind.scope`) leads to a node in scope, so each node found in scope
passes the test on to the neighbours anchored to it. One pass over the adjacency of what
the scope shows -- not a test of every node of the graph.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from graph.schema import SCHEMA
from graph.scope import Scope

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore

#: Per kind, its anchors as (relationship type, direction seen from the node).
_ANCHORS = {n.label: frozenset(n.scope.anchors) for n in SCHEMA.nodes}


class AnalyticsWalks:
    """The analytics operations of :class:`graph.store.ops.ReadOps` on the embedded store."""

    store: EmbeddedStore

    def members(self, scope: Scope) -> frozenset[str]:
        g = self.store.graph
        if scope.roots is None:
            return frozenset(g)
        found: set[str] = set()
        for root in scope.roots:
            found |= self.store.reads.subtree(root)
        nodes, succ, pred = g.nodes, g.succ, g.pred
        todo = deque(found)
        while todo:
            x = todo.popleft()
            # x -[t]-> n: n is anchored by (t, "in"); n -[t]-> x: by (t, "out").
            for adj, direction in ((succ[x], "in"), (pred[x], "out")):
                for n, keyed in adj.items():
                    if n in found:
                        continue
                    anchors = _ANCHORS[nodes[n]["label"]]
                    if any((a["type"], direction) in anchors for a in keyed.values()):
                        found.add(n)
                        todo.append(n)
        return frozenset(found)
