"""Risk prevention and 三重一大 reads on the embedded store: the same rows as
:mod:`graph.store.cypher.prevention` (see there for the scope rules), from a walk of the
``MultiDiGraph``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.projection import in_edges, is_a, out_edges, pick, props
from graph.scope import Scope
from graph.store.ops.prevention import (
    DecisionRegisterRow,
    MajorDecisionRow,
    OwnedControlRow,
    RiskPointRow,
    RiskRegisterRow,
)
from graph.store.walks.assessment import subtree_units
from graph.store.walks.scope import visibility

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore


class PreventionWalks:
    """The risk and decision operations of :class:`graph.store.ops.ReadOps` on the embedded
    store."""

    store: EmbeddedStore

    def _units(self, unit_uid: str, subtree: bool, scope: Scope) -> list[str] | None:
        g = self.store.graph
        if not is_a(g, unit_uid, "Unit") or not visibility(self.store, scope)(unit_uid):
            return None
        return subtree_units(self.store, unit_uid) if subtree else [unit_uid]

    def risk_register(self, unit_uid: str, subtree: bool,
                      scope: Scope) -> RiskRegisterRow | None:
        units = self._units(unit_uid, subtree, scope)
        if units is None:
            return None
        g = self.store.graph
        vis = visibility(self.store, scope)
        points: list[RiskPointRow] = []
        for u in units:
            for rp, _ in in_edges(g, u, "RISK_IN"):
                if not is_a(g, rp, "RiskPoint"):
                    continue
                points.append({"point": props(g, rp), "unit": pick(g, u, ("name",)),
                               "controls": [
                                   {"control": props(g, c),
                                    "owners": [pick(g, o, ("name",))
                                               for o, _ in out_edges(g, c, "OWNED_BY")
                                               if vis(o) or vis.above(o)]}
                                   for c, _ in in_edges(g, rp, "CONTROLS")]})
        return {"unit": props(g, unit_uid), "points": points}

    def owned_controls(self, person_uid: str, scope: Scope) -> list[OwnedControlRow]:
        g = self.store.graph
        if not is_a(g, person_uid, "Person"):
            return []
        vis = visibility(self.store, scope)
        out: list[OwnedControlRow] = []
        for c, _ in sorted(in_edges(g, person_uid, "OWNED_BY")):
            if not is_a(g, c, "Control") or not vis(c):
                continue
            points = [rp for rp, _ in out_edges(g, c, "CONTROLS")]
            units = [u for rp in points for u, _ in out_edges(g, rp, "RISK_IN")]
            out.append({"control": props(g, c),
                        "point": props(g, points[0]) if points else None,
                        "unit": pick(g, units[0], ("name",)) if units else None})
        return out

    def major_decisions(self, unit_uid: str, subtree: bool,
                        scope: Scope) -> DecisionRegisterRow | None:
        units = self._units(unit_uid, subtree, scope)
        if units is None:
            return None
        g = self.store.graph
        vis = visibility(self.store, scope)
        decisions: list[MajorDecisionRow] = []
        deciders: list[str] = []
        for u in units:
            taken = [d for d, _ in in_edges(g, u, "TAKEN_BY") if is_a(g, d, "Decision")]
            if taken:
                deciders.append(u)
            for d in taken:
                decisions.append({"decision": props(g, d), "unit": pick(g, u, ("name",)),
                                  "issues": [pick(g, i, ("title",))
                                             for i, _ in in_edges(g, d, "ABOUT_DECISION")
                                             if vis(i)]})
        parents: set[tuple[str, str]] = set()
        todo, seen = list(deciders), set(deciders)
        while todo:
            here = todo.pop()
            for up, _ in out_edges(g, here, "SUBORDINATE_TO"):
                parents.add((here, up))
                if up not in seen:
                    seen.add(up)
                    todo.append(up)
        return {"unit": props(g, unit_uid), "decisions": decisions,
                "parents": [list(p) for p in sorted(parents)]}
