"""Accountability statistics on the embedded store: the same rows as
:mod:`graph.store.cypher.stats`, from a walk of the ``MultiDiGraph``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from graph.projection import out_edges
from graph.scope import Scope
from graph.store.ops.stats import DecisionFactsRow
from graph.store.walks.scope import visibility

if TYPE_CHECKING:
    import networkx as nx

    from graph.store.embedded import EmbeddedStore


def _decisions(g: nx.MultiDiGraph) -> list[str]:
    return sorted(uid for uid, label in g.nodes(data="label") if label == "Accountability")


def _facts(g: nx.MultiDiGraph, uid: str) -> DecisionFactsRow:
    attrs = g.nodes[uid]
    targets = [t for t, _ in out_edges(g, uid, "TARGETS")]
    return {
        "decided_on": attrs.get("decided_on"), "category": attrs.get("category"),
        "measure": attrs.get("measure"), "form": attrs.get("form"),
        "case_units": [u for c, _ in out_edges(g, uid, "FOR_CASE")
                       for u, _ in out_edges(g, c, "OCCURRED_IN")],
        "targets": targets,
        "tenures": [[u, e.get("start"), e.get("end")] for t in targets
                    if g.nodes[t]["label"] == "Person"
                    for u, e in out_edges(g, t, "SERVES_IN")],
        "deciders": [u for u, _ in out_edges(g, uid, "DECIDED_BY")],
    }


class StatsWalks:
    """The statistics operations of :class:`graph.store.ops.ReadOps` on the embedded store."""

    store: EmbeddedStore

    def accountability_facts(self, units: Sequence[str] | None,
                             scope: Scope) -> list[DecisionFactsRow]:
        g = self.store.graph
        vis = visibility(self.store, scope)
        every = self.store.derived.get(("accountability_decisions",), lambda: _decisions(g))
        wanted = None if units is None else set(units)
        rows = []
        for uid in every:
            if not vis(uid):
                continue
            row = _facts(g, uid)
            if wanted is not None and wanted.isdisjoint(
                    [*row["case_units"], *row["targets"], *(str(t[0]) for t in row["tenures"]),
                     *row["deciders"]]):
                continue
            rows.append(row)
        return rows
