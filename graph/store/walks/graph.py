"""Reads of the embedded store's ``MultiDiGraph`` that only its walks need (the layout and
the reads any walk of the projection shares are :mod:`graph.projection`'s)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from graph.history.facts import PROVENANCE
from graph.store.base import NodeRecord

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore


def record(g: nx.MultiDiGraph, uid: str) -> NodeRecord:
    attrs = g.nodes[uid]
    return NodeRecord(attrs["label"], attrs["id"],
                      {k: v for k, v in attrs.items()
                       if k not in ("label", "id") and k not in PROVENANCE})


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
