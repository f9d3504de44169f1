"""The responsibility chain and the case trace-back on the embedded store: the same rows
as :mod:`graph.store.cypher.chain` (see there for the scope rules), from a walk of the
``MultiDiGraph``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.dates import active
from graph.projection import in_edges, is_a, out_edges, props
from graph.scope import Scope
from graph.store.ops.chain import (
    CaseTraceRow,
    ChainSupervisorRow,
    HolderRow,
    InChargeRow,
    IssueChainRow,
    SecretaryRow,
    UnitChainRow,
)
from graph.store.ops.common import Props
from graph.store.walks.scope import Visibility, visibility

if TYPE_CHECKING:
    import networkx as nx

    from graph.store.embedded import EmbeddedStore


class _Chain:
    """One walk: the graph, the scope's visibility and the chain's date."""

    def __init__(self, g: nx.MultiDiGraph, vis: Visibility, as_of: str) -> None:
        self.g = g
        self.vis = vis
        self.as_of = as_of

    def holder(self, uid: str, shown: bool = True) -> HolderRow:
        """``uid`` as a link's holder: its properties when in scope or above it (then in
        outline), ``None`` when hidden (or when ``shown`` is false)."""
        whole = self.vis(uid)
        outline = not whole and self.vis.above(uid)
        node = props(self.g, uid) if shown and (whole or outline) else None
        return {"node": node, "outline": shown and outline}

    def ends(self, uid: str, rel_type: str, label: str) -> list[str]:
        return [o for o, _ in out_edges(self.g, uid, rel_type) if is_a(self.g, o, label)]

    def first_unit(self, uid: str, rel_type: str) -> str | None:
        units = sorted(u for u in self.ends(uid, rel_type, "Unit") if self.vis(u))
        return units[0] if units else None

    def in_charge(self, unit: str) -> list[InChargeRow]:
        found: list[InChargeRow] = []
        for m, a in in_edges(self.g, unit, "IN_CHARGE_OF"):
            if is_a(self.g, m, "Person") and active(a, self.as_of):
                h = self.holder(m)
                found.append({"person": h["node"], "outline": h["outline"],
                              "unit": props(self.g, unit), "portfolio": a.get("portfolio"),
                              "start": a.get("start"), "end": a.get("end")})
        return found

    def unit_chain(self, unit: str | None) -> UnitChainRow:
        if unit is None:
            return {"unit": None, "in_charge": [], "parent_in_charge": [], "secretaries": [],
                    "supervisors": []}
        g = self.g
        secretaries: list[SecretaryRow] = []
        for s, a in in_edges(g, unit, "SERVES_IN"):
            if a.get("role") == "secretary" and active(a, self.as_of):
                h = self.holder(s)
                secretaries.append({"person": h["node"], "outline": h["outline"],
                                    "role": a.get("role"), "start": a.get("start"),
                                    "end": a.get("end")})
        supervisors: list[ChainSupervisorRow] = []
        for b, a in in_edges(g, unit, "SUPERVISES"):
            h = self.holder(b)
            supervisors.append({"unit": h["node"], "outline": h["outline"], "mode": a.get("mode")})
        return {
            "unit": props(g, unit),
            "in_charge": self.in_charge(unit),
            "parent_in_charge": [x for pu in self.ends(unit, "SUBORDINATE_TO", "Unit")
                                 for x in self.in_charge(pu)],
            "secretaries": secretaries,
            "supervisors": supervisors,
        }


class ChainWalks:
    """The chain operations of :class:`graph.store.ops.ReadOps` on the embedded store."""

    store: EmbeddedStore

    def _subject(self, uid: str, label: str, scope: Scope) -> Visibility | None:
        vis = visibility(self.store, scope)
        return vis if is_a(self.store.graph, uid, label) and vis(uid) else None

    def issue_chain(self, uid: str, today: str, scope: Scope) -> IssueChainRow | None:
        vis = self._subject(uid, "Issue", scope)
        if vis is None:
            return None
        g = self.store.graph
        node = props(g, uid)
        walk = _Chain(g, vis, node.get("found_on") or today)
        return {"node": node, "as_of": walk.as_of,
                "owners": [walk.holder(o) for o in walk.ends(uid, "ASSIGNED_TO", "Person")],
                **walk.unit_chain(walk.first_unit(uid, "FOUND_IN"))}

    def case_trace(self, uid: str, today: str, scope: Scope) -> CaseTraceRow | None:
        vis = self._subject(uid, "Case", scope)
        if vis is None:
            return None
        g = self.store.graph
        node = props(g, uid)
        walk = _Chain(g, vis, node.get("occurred_on") or today)

        def origin(issue: str) -> Props | None:
            return props(g, issue) if vis(issue) else None

        return {
            "node": node, "as_of": walk.as_of,
            **walk.unit_chain(walk.first_unit(uid, "OCCURRED_IN")),
            "involved": [walk.holder(x) for x in walk.ends(uid, "INVOLVES", "Person")],
            "issues": [{"node": origin(i),
                        "owners": [walk.holder(o, vis(i))
                                   for o in walk.ends(i, "ASSIGNED_TO", "Person")]}
                       for i in walk.ends(uid, "ORIGINATED_FROM", "Issue")],
            "decisions": [{"node": props(g, a),
                           "targets": [walk.holder(t) for t, _ in out_edges(g, a, "TARGETS")],
                           "cases": [node],
                           "deciders": [props(g, d) for d in walk.ends(a, "DECIDED_BY", "Unit")
                                        if vis(d)]}
                          for a, _ in in_edges(g, uid, "FOR_CASE")
                          if is_a(g, a, "Accountability")],
        }
