"""The unit reads on the embedded store: the same rows as :mod:`graph.store.cypher.holders`
(see there for the scope rules), from a walk of the ``MultiDiGraph``."""

from __future__ import annotations

from collections import Counter, deque
from typing import TYPE_CHECKING

from graph.dates import active
from graph.projection import in_edges, is_a, out_edges, props
from graph.schema import LEADER_ROLES
from graph.scope import Scope
from graph.store.ops.common import Props
from graph.store.ops.holders import OverviewRow, PanelPersonRow, PanelRow, SupervisorRow
from graph.store.walks.scope import Visibility, visibility

if TYPE_CHECKING:
    import networkx as nx

    from graph.store.embedded import EmbeddedStore


def ancestors(g: nx.MultiDiGraph, uid: str) -> list[tuple[str, int]]:
    """(uid, distance) of the units above ``uid`` by SUBORDINATE_TO, nearest first (the
    shortest distance), then by uid."""
    depth = {uid: 0}
    queue = deque([uid])
    while queue:
        here = queue.popleft()
        for parent, _ in out_edges(g, here, "SUBORDINATE_TO"):
            if parent not in depth:
                depth[parent] = depth[here] + 1
                queue.append(parent)
    return sorted(((u, d) for u, d in depth.items() if u != uid), key=lambda t: (t[1], t[0]))


def _panel(g: nx.MultiDiGraph, uid: str, depth: int, as_of: str, vis: Visibility) -> PanelRow:
    whole = vis(uid)

    def duties_of(holder: str) -> list[Props]:
        return [props(g, d) for d, _ in out_edges(g, holder, "HOLDS")] if whole else []

    people: dict[str, PanelPersonRow] = {}
    for person, a in in_edges(g, uid, "SERVES_IN"):
        if a.get("role") not in LEADER_ROLES or not active(a, as_of):
            continue
        if person not in people:
            people[person] = {
                "person": props(g, person), "posts": [], "duties": duties_of(person),
                "portfolios": [{"unit": props(g, u), "portfolio": c.get("portfolio"),
                                "start": c.get("start"), "end": c.get("end")}
                               for u, c in out_edges(g, person, "IN_CHARGE_OF")
                               if active(c, as_of) and vis(u)],
            }
        people[person]["posts"].append({"role": a["role"], "start": a.get("start"),
                                        "end": a.get("end")})
    supervisors: list[SupervisorRow] = []
    for b, a in in_edges(g, uid, "SUPERVISES"):
        shown = vis(b)
        if shown or vis.above(b):
            supervisors.append({"unit": props(g, b), "mode": a.get("mode"),
                                "duties": duties_of(b) if shown else []})
    return {"uid": uid, "depth": depth, "unit": props(g, uid), "duties": duties_of(uid),
            "people": list(people.values()), "supervisors": supervisors, "outline": not whole}


class HoldersWalks:
    """The unit operations of :class:`graph.store.ops.ReadOps` on the embedded store."""

    store: EmbeddedStore

    def unit_panels(self, uid: str, as_of: str, *, up: bool, scope: Scope) -> list[PanelRow]:
        g = self.store.graph
        vis = visibility(self.store, scope)
        if not is_a(g, uid, "Unit") or not vis(uid):
            return []
        above = ancestors(g, uid) if up else []
        return [_panel(g, u, d, as_of, vis) for u, d in [(uid, 0), *above]]

    def unit_overview(self, uid: str, scope: Scope) -> OverviewRow | None:
        g = self.store.graph
        if not is_a(g, uid, "Unit") or not visibility(self.store, scope)(uid):
            return None
        groups: Counter[tuple[int | None, str | None]] = Counter()
        seen = {uid}
        queue = deque([uid])
        while queue:
            for child, _ in in_edges(g, queue.popleft(), "SUBORDINATE_TO"):
                if child not in seen:
                    seen.add(child)
                    queue.append(child)
                    attrs = g.nodes[child]
                    groups[(attrs.get("level"), attrs.get("kind"))] += 1
        children = sorted({c for c, _ in in_edges(g, uid, "SUBORDINATE_TO")} - {uid})
        return {"unit": props(g, uid),
                "groups": [{"level": lv, "kind": k, "n": n} for (lv, k), n in groups.items()],
                "children": [props(g, c) for c in children]}
