"""The person profile on the embedded store: the same row as
:mod:`graph.store.cypher.person` (see there for the scope rules), from a walk of the
``MultiDiGraph``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.projection import in_edges, is_a, out_edges, pick, props
from graph.scope import Scope
from graph.store.ops.common import Props
from graph.store.ops.person import PersonRow, RecordRow
from graph.store.walks.scope import visibility

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore

_UNIT = ("name",)
_TITLED = ("title",)
_ACTOR = ("name", "title")
_PROJECT = ("title", "deadline", "status", "completed_on")


class PersonWalks:
    """The person operation of :class:`graph.store.ops.ReadOps` on the embedded store."""

    store: EmbeddedStore

    def person_profile(self, uid: str, scope: Scope) -> PersonRow | None:
        g = self.store.graph
        vis = visibility(self.store, scope)
        if not is_a(g, uid, "Person") or not vis(uid):
            return None

        def ends(node: str, rel_type: str, keys: tuple[str, ...], label: str) -> list[Props]:
            """The ``label`` nodes at the end of ``node``'s ``rel_type`` edges, in scope."""
            return [pick(g, o, keys) for o, _ in out_edges(g, node, rel_type)
                    if is_a(g, o, label) and vis(o)]

        def actors(rec: str, rel_type: str) -> list[Props]:
            return [pick(g, o, _ACTOR) for o, _ in out_edges(g, rec, rel_type) if vis(o)]

        def record(rec: str) -> RecordRow:
            return {"node": props(g, rec), "actors": actors(rec, "BY"),
                    "targets": actors(rec, "CONCERNS"),
                    "duties": ends(rec, "FULFILS", _TITLED, "Duty")}

        def sources(rel_type: str, label: str) -> list[str]:
            return [s for s, _ in in_edges(g, uid, rel_type) if is_a(g, s, label)]

        return {
            "person": props(g, uid),
            "posts": [{"unit": pick(g, u, _UNIT), "role": a.get("role"), "start": a.get("start"),
                       "end": a.get("end")}
                      for u, a in out_edges(g, uid, "SERVES_IN") if vis(u)],
            "portfolios": [{"unit": pick(g, u, _UNIT), "portfolio": a.get("portfolio"),
                            "start": a.get("start"), "end": a.get("end")}
                           for u, a in out_edges(g, uid, "IN_CHARGE_OF") if vis(u)],
            "duties": [props(g, d) for d, _ in out_edges(g, uid, "HOLDS")],
            "issues": [{"node": props(g, i), "units": ends(i, "FOUND_IN", _UNIT, "Unit")}
                       for i in sources("ASSIGNED_TO", "Issue") if vis(i)],
            "projects": [{"node": pick(g, j, _PROJECT),
                          "issues": ends(j, "ADDRESSES", _TITLED, "Issue")}
                         for j in sources("LED_BY", "Project") if vis(j)],
            "referrals": [{"node": props(g, r), "issuers": ends(r, "ISSUED_BY", _UNIT, "Unit"),
                           "issues": ends(r, "ABOUT", _TITLED, "Issue")}
                          for r in sources("SENT_TO", "Referral")],
            "records_by": [record(r) for r in sources("BY", "Record")],
            "records_concerning": [record(r) for r in sources("CONCERNS", "Record")],
            "decisions": [{"node": props(g, a), "cases": ends(a, "FOR_CASE", _TITLED, "Case"),
                           "deciders": ends(a, "DECIDED_BY", _UNIT, "Unit")}
                          for a in sources("TARGETS", "Accountability")],
        }
