"""The units of a unit's subtree: the unit itself and every unit below it.

"Below" follows ``SUBORDINATE_TO`` edges backwards (child → parent), transitively. Several
queries filter by a subtree (open loops, accountability statistics, overviews); they share
this helper so that "嘉定区" means the same set of units everywhere.
"""

from __future__ import annotations

from collections import deque

from graph.queries.common import embedded, neo4j
from graph.store.base import GraphStore

_SUBTREE = """
MATCH (root:Unit:Entity {uid: $uid})
MATCH (u:Unit)-[:SUBORDINATE_TO*0..]->(root)
RETURN DISTINCT u.uid AS uid
"""


def subtree_uids(store: GraphStore, unit_uid: str) -> frozenset[str]:
    """Uids of ``unit_uid`` and all units transitively ``SUBORDINATE_TO`` it.

    Parameters
    ----------
    store
        Either backend.
    unit_uid
        The root unit's uid (``unit:JD``). A uid that names no unit gives an empty set; the
        caller resolves user input first (:func:`graph.queries.common.resolve`).

    Returns
    -------
    frozenset of str
        The root included. Cycles in bad data do not loop forever (each unit is visited once).
    """
    db = neo4j(store)
    if db is not None:
        return frozenset(str(r["uid"]) for r in db.read_plain(_SUBTREE, {"uid": unit_uid}))
    g = embedded(store).graph
    if unit_uid not in g or g.nodes[unit_uid].get("label") != "Unit":
        return frozenset()
    seen = {unit_uid}
    todo = deque([unit_uid])
    while todo:
        parent = todo.popleft()
        for child, _, attrs in g.in_edges(parent, data=True):
            if attrs["type"] == "SUBORDINATE_TO" and child not in seen:
                seen.add(child)
                todo.append(child)
    return frozenset(seen)
