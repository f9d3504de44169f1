"""The working loop's reads on the embedded store: the facts of its items (the rows of
:mod:`graph.store.cypher.loop`, read by :func:`graph.loop.facts.loop_facts_of` from the
per-kind node lists) and what an act checks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from graph.loop.facts import KIND_OF, loop_facts_of
from graph.projection import in_edges, is_a, out_edges, pick, props
from graph.scope import Scope
from graph.store.ops.common import Props
from graph.store.ops.loop import (
    ActContextRow,
    LoopSubjectRow,
)
from graph.store.walks.graph import labelled
from graph.store.walks.scope import visibility

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore

class LoopWalks:
    """The working loop's read of :class:`graph.store.ops.ReadOps` on the embedded store."""

    store: EmbeddedStore

    def loop_facts(self, year: int, subjects: Sequence[str] | None,
                   scope: Scope) -> list[LoopSubjectRow]:
        store = self.store
        vis = visibility(store, scope)
        if subjects is None:
            candidates: list[str] = [u for label in KIND_OF for u in labelled(store, label)]
        else:
            candidates = list(subjects)
        return loop_facts_of(store.graph, candidates, year, vis)

    def act_context(self, uid: str, scope: Scope) -> ActContextRow | None:
        g = self.store.graph
        if uid not in g or not visibility(self.store, scope)(uid):
            return None
        keys = ("name", "kind")

        def near(pairs: Iterable[tuple[str, Props]]) -> list[Props]:
            return [pick(g, u, keys) for u in sorted({u for u, _ in pairs})]

        holders = near(in_edges(g, uid, "HOLDS"))
        recipients = near([*out_edges(g, uid, "SENT_TO"), *out_edges(g, uid, "ORDERED_TO")])
        issuers = near([*out_edges(g, uid, "ISSUED_BY"), *out_edges(g, uid, "ORDERED_BY")])
        members = {p for u in [*holders, *recipients] if is_a(g, u["uid"], "Unit")
                   for p, _ in in_edges(g, u["uid"], "SERVES_IN") if is_a(g, p, "Person")}
        return {"node": props(g, uid), "holders": holders, "recipients": recipients,
                "issuers": issuers, "members": sorted(members)}
