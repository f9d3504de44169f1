"""Small reads of the embedded store's ``MultiDiGraph`` that every walk shares.

Nodes are keyed by uid with attributes ``label``, ``id`` and the schema properties; edges
are keyed ``"TYPE|key"`` with attribute ``type`` (see :class:`graph.store.embedded.EmbeddedStore`).
Only NetworkX's public adjacency views are read (``G.succ``, ``G.pred``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx

from graph.history.facts import PROVENANCE
from graph.store.base import NodeRecord

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore

Props = dict[str, Any]


def out_edges(g: nx.MultiDiGraph, uid: str, rel_type: str) -> list[tuple[str, Props]]:
    """``(target uid, edge attributes)`` of every ``rel_type`` edge leaving ``uid``."""
    return [(other, a) for other, keyed in g.succ[uid].items() for a in keyed.values()
            if a["type"] == rel_type]


def in_edges(g: nx.MultiDiGraph, uid: str, rel_type: str) -> list[tuple[str, Props]]:
    """``(source uid, edge attributes)`` of every ``rel_type`` edge entering ``uid``."""
    return [(other, a) for other, keyed in g.pred[uid].items() for a in keyed.values()
            if a["type"] == rel_type]


def edges(g: nx.MultiDiGraph, uid: str, rel_type: str,
          direction: str = "out") -> list[tuple[str, Props]]:
    return out_edges(g, uid, rel_type) if direction == "out" else in_edges(g, uid, rel_type)


def props(g: nx.MultiDiGraph, uid: str) -> Props:
    """A node as Cypher's ``properties(n)`` gives it (``uid``, ``id`` and the schema
    properties), so both backends feed one shaping step."""
    attrs = g.nodes[uid]
    return {"uid": uid, **{k: v for k, v in attrs.items() if k != "label"}}


def record(g: nx.MultiDiGraph, uid: str) -> NodeRecord:
    attrs = g.nodes[uid]
    return NodeRecord(attrs["label"], attrs["id"],
                      {k: v for k, v in attrs.items()
                       if k not in ("label", "id") and k not in PROVENANCE})


def is_a(g: nx.MultiDiGraph, uid: str, label: str) -> bool:
    """Whether ``uid`` is a node of ``label`` in ``g``."""
    attrs = g.nodes.get(uid)
    return attrs is not None and attrs["label"] == label


def pick(g: nx.MultiDiGraph, uid: str, keys: tuple[str, ...]) -> Props:
    """A node as Cypher's map projection ``n {.uid, .k1, .k2}`` gives it: ``uid`` and the
    ``keys`` listed, ``None`` where unset."""
    attrs = g.nodes[uid]
    return {"uid": uid, **{k: attrs.get(k) for k in keys}}


def labelled(store: EmbeddedStore, label: str) -> list[str]:
    """Uids of every ``label`` node of ``store``, sorted; worked out once per state of the
    graph for all labels (``store.derived``), so walks that start from every node of one
    kind need not scan the whole graph."""
    def by_label() -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for uid, attrs in store.graph.nodes(data=True):
            found.setdefault(attrs["label"], []).append(uid)
        for uids in found.values():
            uids.sort()
        return found

    return store.derived.get(("labelled",), by_label).get(label, [])
