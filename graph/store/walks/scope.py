"""Scope on the embedded store: the schema's per-kind scope rules as a memoised walk.

:class:`Visibility` answers "is this node in scope" for one scope over one state of the
graph; the store keeps one per scope until its next write (``EmbeddedStore.derived``), so a
node's answer is worked out once. The rules are those of :mod:`graph.store.cypher.scope`,
read from the same declarations (:attr:`graph.schema.NodeKind.scope`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import networkx as nx

from graph.projection import in_edges, is_a, out_edges
from graph.schema import SCHEMA
from graph.scope import EVERYTHING_SCOPE, Scope

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore


class Visibility:
    """Which nodes of ``g`` a ``scope`` lets a user see (whole, or above it in outline)."""

    def __init__(self, g: nx.MultiDiGraph, scope: Scope) -> None:
        self.g = g
        self.scope = scope
        self._seen: dict[str, bool] = {}

    def __call__(self, uid: str) -> bool:
        """Whether node ``uid`` is in scope (False for a uid not in the graph)."""
        if self.scope.roots is None:
            return uid in self.g
        return self._visible(uid, 0)

    def filter(self, uids: list[str]) -> list[str]:
        return [u for u in uids if self(u)]

    def _visible(self, uid: str, depth: int) -> bool:
        known = self._seen.get(uid)
        if known is not None:
            return known
        attrs = self.g.nodes.get(uid)
        if attrs is None or depth > len(SCHEMA.nodes):  # missing, or a cycle in bad data
            return False
        label = attrs["label"]
        if label == "Unit":
            result = self._unit(uid)
        else:
            result = False
            for rel_type, direction in SCHEMA.node(label).scope.anchors:
                ends = (out_edges if direction == "out" else in_edges)(self.g, uid, rel_type)
                if any(self._visible(other, depth + 1) for other, _ in ends):
                    result = True
                    break
        self._seen[uid] = result
        return result

    def _unit(self, uid: str) -> bool:
        # Up the SUBORDINATE_TO chain (every parent, as the Cypher path does) to a root.
        roots = self.scope.roots or frozenset()
        seen = {uid}
        todo = [uid]
        while todo:
            here = todo.pop()
            if here in roots or self._seen.get(here):
                return True
            for parent, _ in out_edges(self.g, here, "SUBORDINATE_TO"):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return False

    def above(self, uid: str) -> bool:
        """Whether ``uid`` lies above the scope and its kind is seen there in outline."""
        if self.scope.roots is None or uid not in self.g:
            return False
        label = self.g.nodes[uid]["label"]
        kind = SCHEMA.node(label)
        if kind.scope.above != "outline":
            return False
        if label == "Unit":
            return uid in self.scope.above
        return any(
            other in self.scope.above
            for rel_type, direction in kind.scope.anchors
            for other, _ in (out_edges if direction == "out" else in_edges)(self.g, uid, rel_type))


def visibility(store: EmbeddedStore, scope: Scope) -> Visibility:
    """The memoised visibility of ``scope`` over ``store``, kept until its next write."""
    g = store.graph
    return store.derived.get(("visibility", scope), lambda: Visibility(g, scope))


class ScopeWalks:
    """The scope operations of :class:`graph.store.ops.ReadOps` on the embedded store."""

    store: EmbeddedStore

    def subtree(self, unit_uid: str) -> frozenset[str]:
        g = self.store.graph
        if not is_a(g, unit_uid, "Unit"):
            return frozenset()
        seen = {unit_uid}
        todo = deque([unit_uid])
        while todo:
            for child, _ in in_edges(g, todo.popleft(), "SUBORDINATE_TO"):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        return frozenset(seen)

    def scope_of(self, units: Sequence[str] | None) -> Scope:
        if units is None:
            return EVERYTHING_SCOPE
        g = self.store.graph
        roots: set[str] = set()
        home = next((uid for uid in units if is_a(g, uid, "Unit")), None)
        for uid in units:
            if is_a(g, uid, "Unit"):
                roots.add(uid)
                roots.update(b for b, a in in_edges(g, uid, "SUPERVISES")
                             if a.get("mode") == "same_level")
        above: set[str] = set()
        todo = list(roots)
        while todo:
            for parent, _ in out_edges(g, todo.pop(), "SUBORDINATE_TO"):
                if parent not in above:
                    above.add(parent)
                    todo.append(parent)
        return Scope.of_roots(roots, above, home)

    def visible(self, uids: Iterable[str], scope: Scope) -> set[str]:
        vis = visibility(self.store, scope)
        return {u for u in uids if vis(u)}

    def outline(self, uids: Iterable[str], scope: Scope) -> set[str]:
        vis = visibility(self.store, scope)
        return {u for u in uids if vis.above(u)}
