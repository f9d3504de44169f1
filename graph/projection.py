"""The NetworkX projection of the graph: its layout, and the small reads every walk of it
shares.

Nodes are keyed by uid with attributes ``label``, ``id`` and the schema properties; edges
are keyed ``"TYPE|key"`` with attribute ``type``. The embedded store keeps its graph so
(:class:`graph.store.embedded.EmbeddedStore`) and every store's ``graph`` projection, which
the analytics read, has that layout. Only NetworkX's public adjacency views are read
(``G.succ``, ``G.pred``).

>>> g = nx.MultiDiGraph()
>>> g.add_node("person:P1", label="Person", id="P1", name="张三")
>>> g.add_node("unit:JD", label="Unit", id="JD", name="嘉定区")
>>> _ = g.add_edge("person:P1", "unit:JD", key="SERVES_IN|secretary", type="SERVES_IN",
...                role="secretary")
>>> out_edges(g, "person:P1", "SERVES_IN")
[('unit:JD', {'type': 'SERVES_IN', 'role': 'secretary'})]
>>> in_edges(g, "unit:JD", "SERVES_IN")[0][0], is_a(g, "unit:JD", "Unit")
('person:P1', True)
>>> props(g, "unit:JD")
{'uid': 'unit:JD', 'id': 'JD', 'name': '嘉定区'}
>>> pick(g, "unit:JD", ("name", "kind"))
{'uid': 'unit:JD', 'name': '嘉定区', 'kind': None}
"""

from __future__ import annotations

from typing import Any

import networkx as nx

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
    """:func:`out_edges` or, with ``direction="in"``, :func:`in_edges`."""
    return out_edges(g, uid, rel_type) if direction == "out" else in_edges(g, uid, rel_type)


def props(g: nx.MultiDiGraph, uid: str) -> Props:
    """A node as Cypher's ``properties(n)`` gives it (``uid``, ``id`` and the schema
    properties), so both backends feed one shaping step."""
    attrs = g.nodes[uid]
    return {"uid": uid, **{k: v for k, v in attrs.items() if k != "label"}}


def is_a(g: nx.MultiDiGraph, uid: str, label: str) -> bool:
    """Whether ``uid`` is a node of ``label`` in ``g``."""
    attrs = g.nodes.get(uid)
    return attrs is not None and attrs["label"] == label


def pick(g: nx.MultiDiGraph, uid: str, keys: tuple[str, ...]) -> Props:
    """A node as Cypher's map projection ``n {.uid, .k1, .k2}`` gives it: ``uid`` and the
    ``keys`` listed, ``None`` where unset."""
    attrs = g.nodes[uid]
    return {"uid": uid, **{k: attrs.get(k) for k in keys}}
