"""Assessment reads on the embedded store: the same rows as
:mod:`graph.store.cypher.assessment` (see there for the scope rules), from a walk of the
``MultiDiGraph``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.projection import in_edges, is_a, out_edges, pick, props
from graph.scope import Scope
from graph.store.ops.assessment import (
    AssessmentFactRow,
    AssessmentFactsRow,
    AssessmentHistoryRow,
    ResultRow,
)
from graph.store.walks.scope import visibility

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore


def subtree_units(store: EmbeddedStore, root: str) -> list[str]:
    """The unit and every unit below it (SUBORDINATE_TO), in walk order."""
    g = store.graph
    seen = {root}
    order = [root]
    todo = [root]
    while todo:
        for child, _ in in_edges(g, todo.pop(), "SUBORDINATE_TO"):
            if child not in seen:
                seen.add(child)
                order.append(child)
                todo.append(child)
    return order


class AssessmentWalks:
    """The assessment operations of :class:`graph.store.ops.ReadOps` on the embedded store."""

    store: EmbeddedStore

    def assessment_history(self, uid: str, scope: Scope) -> AssessmentHistoryRow | None:
        g = self.store.graph
        vis = visibility(self.store, scope)
        if not (is_a(g, uid, "Unit") or is_a(g, uid, "Person")) or not vis(uid):
            return None
        results: list[ResultRow] = []
        for r, _ in in_edges(g, uid, "ASSESSES"):
            if not is_a(g, r, "AssessmentResult"):
                continue
            rounds = [props(g, a) for a, _ in out_edges(g, r, "RESULT_OF")]
            by = [props(g, b) for b, _ in out_edges(g, r, "ASSESSED_BY")
                  if vis(b) or vis.above(b)]
            results.append({
                "result": props(g, r), "round": rounds[0] if rounds else None,
                "by": by[0] if by else None,
                "scores": [{"duty": props(g, d), "score": a.get("score")}
                           for d, a in out_edges(g, r, "SCORES") if vis(d)],
            })
        return {"subject": props(g, uid), "results": results}

    def assessment_facts(self, unit_uid: str, scope: Scope) -> AssessmentFactsRow | None:
        g = self.store.graph
        if not is_a(g, unit_uid, "Unit") or not visibility(self.store, scope)(unit_uid):
            return None
        seen: set[tuple[str, str]] = set()
        results: list[AssessmentFactRow] = []
        for u in subtree_units(self.store, unit_uid):
            subjects = [u, *(p for p, _ in in_edges(g, u, "SERVES_IN"))]
            for s in subjects:
                for r, _ in in_edges(g, s, "ASSESSES"):
                    if (r, s) in seen or not is_a(g, r, "AssessmentResult"):
                        continue
                    seen.add((r, s))
                    a = g.nodes[r]
                    rounds = [x for x, _ in out_edges(g, r, "RESULT_OF")]
                    results.append({
                        "result": r, "subject": pick(g, s, ("name", "kind", "level")),
                        "label": g.nodes[s]["label"], "method": a.get("method"),
                        "assessed_on": a.get("assessed_on"), "score": a.get("score"),
                        "grade": a.get("grade"), "round": rounds[0] if rounds else None,
                        "year": g.nodes[rounds[0]].get("year") if rounds else None})
        return {"unit": props(g, unit_uid), "results": results}
