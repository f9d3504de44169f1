"""Coverage facts on the embedded store: the same rows as :mod:`graph.store.cypher.coverage`
(see there for the scope rules), from a walk of the ``MultiDiGraph``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.projection import in_edges, is_a, pick, props
from graph.scope import Scope
from graph.store.ops.coverage import CoverageFactsRow, CoverageUnitRow
from graph.store.walks.assessment import subtree_units
from graph.store.walks.graph import labelled
from graph.store.walks.scope import visibility

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore


class CoverageWalks:
    """The coverage operation of :class:`graph.store.ops.ReadOps` on the embedded store."""

    store: EmbeddedStore

    def coverage_facts(self, unit_uid: str | None, scope: Scope) -> CoverageFactsRow | None:
        g = self.store.graph
        vis = visibility(self.store, scope)
        if unit_uid is None:
            units = vis.filter(labelled(self.store, "Unit"))
        elif not is_a(g, unit_uid, "Unit") or not vis(unit_uid):
            return None
        else:
            units = subtree_units(self.store, unit_uid)
        rows: list[CoverageUnitRow] = []
        for u in units:
            visits: list[list[str | None]] = []
            for i, _ in in_edges(g, u, "COVERS"):
                a = g.nodes[i]
                visits.append([a.get("kind"), a.get("started_on"), a.get("ended_on")])
            rows.append({"unit": pick(g, u, ("name", "kind", "level")), "visits": visits,
                         "modes": [a.get("mode") for _, a in in_edges(g, u, "SUPERVISES")]})
        return {"unit": None if unit_uid is None else props(g, unit_uid), "units": rows}
