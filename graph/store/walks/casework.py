"""What follows a case, on the embedded store: the same row as
:mod:`graph.store.cypher.casework`, from a walk of the ``MultiDiGraph``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from graph.dates import active
from graph.projection import in_edges, is_a, out_edges, props
from graph.scope import Scope
from graph.store.ops.casework import CaseworkRow, PostCaseRow
from graph.store.walks.scope import visibility

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore


class CaseworkWalks:
    """The case operations of :class:`graph.store.ops.ReadOps` beyond the chain, on the
    embedded store."""

    store: EmbeddedStore

    def case_casework(self, uid: str, bodies: Sequence[str], as_of: str,
                      scope: Scope) -> CaseworkRow:
        g = self.store.graph
        vis = visibility(self.store, scope)
        body_people = sorted({(b, p) for b in set(bodies) if b in g
                              for p, a in in_edges(g, b, "SERVES_IN") if active(a, as_of)})
        if not is_a(g, uid, "Case"):
            return {"responsible": [], "post_case": [],
                    "body_people": [list(t) for t in body_people]}
        post_case: list[PostCaseRow] = []
        for x, _ in in_edges(g, uid, "FOLLOWS_CASE"):
            label = g.nodes[x]["label"]
            if label not in ("Issue", "Project") or not vis(x):
                continue
            lead = "ASSIGNED_TO" if label == "Issue" else "LED_BY"
            post_case.append({"node": props(g, x), "label": label,
                              "leads": [props(g, p) for p, _ in out_edges(g, x, lead) if vis(p)]})
        return {
            "responsible": [props(g, p) for p, _ in out_edges(g, uid, "NAMES_RESPONSIBLE")
                            if vis(p)],
            "post_case": post_case,
            "body_people": [list(t) for t in body_people],
        }
