"""Which nodes a user scoped to some unit subtrees may see.

A user's scope is a list of unit ids (``JD``) or ``*``. The *allowed set* is the union of
those units' subtrees. A unit is in scope when it is in the allowed set; any other node is
in scope when it *belongs* to an allowed unit through its anchoring relationships:

========== ==============================================================
Person     SERVES_IN / IN_CHARGE_OF a unit (at any time)
Issue      FOUND_IN
Case       OCCURRED_IN
Duty       HOLDS (incoming: the holding unit, or a holding person in scope)
Project    ADDRESSES an issue in scope
Inspection COVERS or CONDUCTED_BY
Accountab. FOR_CASE a case in scope, or TARGETS a unit/person in scope
Referral   ABOUT an issue, SENT_TO a person, or ISSUED_BY a unit in scope
Record     BY or CONCERNS a unit/person in scope
========== ==============================================================

Anchors are followed level by level (a Project needs its Issue, which needs its Unit), one
query per level for the whole batch on Neo4j, a walk over the graph on the embedded store.
This module knows nothing of HTTP; :mod:`api.security` applies it to requests.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from graph.errors import DutyGraphError
from graph.queries.common import embedded, neo4j
from graph.queries.subtree import subtree_uids
from graph.schema import split_uid
from graph.store.base import GraphStore

EVERYTHING = "*"

#: label -> (relationship type, direction seen from the node) whose other end anchors it.
ANCHORS: dict[str, tuple[tuple[str, str], ...]] = {
    "Person": (("SERVES_IN", "out"), ("IN_CHARGE_OF", "out")),
    "Issue": (("FOUND_IN", "out"),),
    "Case": (("OCCURRED_IN", "out"),),
    "Duty": (("HOLDS", "in"),),
    "Project": (("ADDRESSES", "out"),),
    "Inspection": (("COVERS", "out"), ("CONDUCTED_BY", "out")),
    "Accountability": (("FOR_CASE", "out"), ("TARGETS", "out")),
    "Referral": (("ABOUT", "out"), ("SENT_TO", "out"), ("ISSUED_BY", "out")),
    "Record": (("BY", "out"), ("CONCERNS", "out")),
}
_TYPES = sorted({t for rules in ANCHORS.values() for t, _ in rules})
#: Longest anchor chain: Accountability -> Case -> Unit, Duty -> Person -> Unit,
#: Project -> Issue -> Unit; one spare level.
MAX_LEVELS = 4

_ANCHOR_QUERY = """
UNWIND $uids AS uid
MATCH (n:Entity {uid: uid})-[r]-(m:Entity)
WHERE type(r) IN $types
RETURN uid, type(r) AS type, startNode(r) = n AS out, m.uid AS other
"""


def _label(uid: str) -> str | None:
    try:
        return split_uid(uid)[0]
    except DutyGraphError:
        return None


_SAME_LEVEL = """
MATCH (d:Unit:Entity)-[s:SUPERVISES]->(root:Unit:Entity {uid: $uid})
WHERE s.mode = 'same_level'
RETURN d.uid AS uid
"""


def same_level_supervisors(store: GraphStore, unit_uid: str) -> set[str]:
    """Discipline bodies supervising the unit at the same level (嘉定区纪委监委 for 嘉定区委).

    They sit under the city's discipline body in the unit tree, yet their work is the
    district's: a district scope includes them and their subtrees (派驻组).
    """
    db = neo4j(store)
    if db is not None:
        return {str(r["uid"]) for r in db.read(_SAME_LEVEL, {"uid": unit_uid})}
    g = embedded(store).graph
    if unit_uid not in g:
        return set()
    return {src for src, _, a in g.in_edges(unit_uid, data=True)
            if a["type"] == "SUPERVISES" and a.get("mode") == "same_level"}


def allowed_units(store: GraphStore, scopes: Iterable[str]) -> frozenset[str] | None:
    """The unit uids a scope covers, or ``None`` for everything (``*``).

    Scope entries are unit ids (``JD``) or uids (``unit:JD``); each covers its subtree and
    the subtrees of its same-level discipline bodies. An entry naming no unit covers
    nothing (it does not widen the scope).
    """
    units: set[str] = set()
    for entry in scopes:
        if entry == EVERYTHING:
            return None
        uid = entry if entry.startswith("unit:") else f"unit:{entry}"
        units |= subtree_uids(store, uid)
        for body in same_level_supervisors(store, uid):
            units |= subtree_uids(store, body)
    return frozenset(units)


def _anchor_map(store: GraphStore, uids: set[str]) -> dict[str, set[str]]:
    """For each non-unit uid, the uids of the nodes anchoring it (per :data:`ANCHORS`)."""
    out: dict[str, set[str]] = {u: set() for u in uids}
    rules = {u: set(ANCHORS.get(_label(u) or "", ())) for u in uids}
    db = neo4j(store)
    if db is not None:
        rows = db.read(_ANCHOR_QUERY, {"uids": sorted(uids), "types": _TYPES})
        for row in rows:
            uid = str(row["uid"])
            direction = "out" if row["out"] else "in"
            if (row["type"], direction) in rules.get(uid, ()):
                out[uid].add(str(row["other"]))
        return out
    g = embedded(store).graph
    for uid in uids:
        if uid not in g:
            continue
        for _, other, attrs in g.out_edges(uid, data=True):
            if (attrs["type"], "out") in rules[uid]:
                out[uid].add(other)
        for other, _, attrs in g.in_edges(uid, data=True):
            if (attrs["type"], "in") in rules[uid]:
                out[uid].add(other)
    return out


def uids_in_scope(store: GraphStore, uids: Iterable[str],
                  allowed: frozenset[str] | None) -> set[str]:
    """The subset of ``uids`` in scope (every one when ``allowed`` is ``None``)."""
    wanted = set(uids)
    if allowed is None:
        return wanted
    decided: dict[str, bool] = {}
    depends: dict[str, set[str]] = {}
    todo = set()
    for uid in wanted:
        if _label(uid) == "Unit":
            decided[uid] = uid in allowed
        elif _label(uid) in ANCHORS:
            todo.add(uid)
        else:
            decided[uid] = False
    for _ in range(MAX_LEVELS):
        if not todo:
            break
        anchors = _anchor_map(store, todo)
        depends.update(anchors)
        todo = set()
        for others in anchors.values():
            for other in others:
                if other in decided or other in depends:
                    continue
                if _label(other) == "Unit":
                    decided[other] = other in allowed
                else:
                    todo.add(other)

    def visible(uid: str, seen: frozenset[str] = frozenset()) -> bool:
        if uid in decided:
            return decided[uid]
        if uid in seen:  # a cycle in bad data: not a reason to show anything
            return False
        result = any(visible(o, seen | {uid}) for o in depends.get(uid, ()))
        decided[uid] = result
        return result

    return {uid for uid in wanted if visible(uid)}


def node_in_scope(store: GraphStore, uid: str, allowed: frozenset[str] | None) -> bool:
    """Whether one node is in scope (see :func:`uids_in_scope`)."""
    return uid in uids_in_scope(store, [uid], allowed)


class AllowedCache:
    """Allowed unit sets per scope, kept for ``ttl`` seconds (units change only on loads)."""

    def __init__(self, ttl: float = 30.0) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._items: dict[tuple[int, tuple[str, ...]], tuple[float, frozenset[str] | None]] = {}

    def get(self, store: GraphStore, scopes: Iterable[str]) -> frozenset[str] | None:
        key = (id(store), tuple(sorted(scopes)))
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
            if hit and now - hit[0] < self.ttl:
                return hit[1]
        value = allowed_units(store, key[1])
        with self._lock:
            self._items[key] = (now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
