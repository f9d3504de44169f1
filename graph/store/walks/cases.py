"""The cases of a unit's subtree on the embedded store: the same rows as
:mod:`graph.store.cypher.cases` (see there for the scope rule), from a walk down the
``SUBORDINATE_TO`` tree."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from graph.projection import in_edges, is_a, pick, props
from graph.scope import Scope
from graph.store.ops.cases import CaseAtRow, CasesRow
from graph.store.walks.scope import visibility

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore

_CASE = ("title", "category", "occurred_on")


class CasesWalks:
    """The case-list operation of :class:`graph.store.ops.ReadOps` on the embedded store."""

    store: EmbeddedStore

    def cases_in_subtree(self, unit_uid: str, scope: Scope) -> CasesRow | None:
        g = self.store.graph
        if not is_a(g, unit_uid, "Unit") or not visibility(self.store, scope)(unit_uid):
            return None
        found: dict[tuple[str, str], CaseAtRow] = {}
        seen = {unit_uid}
        todo = deque([unit_uid])
        while todo:
            unit = todo.popleft()
            for src, _ in in_edges(g, unit, "OCCURRED_IN"):
                if is_a(g, src, "Case") and (src, unit) not in found:
                    found[(src, unit)] = {"case": pick(g, src, _CASE),
                                          "unit": pick(g, unit, ("name",))}
            for child, _ in in_edges(g, unit, "SUBORDINATE_TO"):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        return {"unit": props(g, unit_uid), "cases": list(found.values())}
