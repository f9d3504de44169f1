"""A content checksum of a whole graph, the same for the same content in either store.

Used by the reliability tests (a failed load leaves the graph unchanged; export → load into
the other store gives the same graph) and by operators comparing two stores. Only content
counts: node (label, id, properties) and relationship (type, source uid, target uid, key,
properties), serialised canonically (sorted, compact JSON with sorted keys) and hashed with
SHA-256. Internal details such as Neo4j element ids or the ``Entity`` label do not enter,
nor, unless asked for (``provenance=True``), the provenance every fact carries
(``_change``, ``_sources``: which change set wrote it, which rows assert it), so that the same
content loaded from other files, or into the other store, has the same checksum.
"""

from __future__ import annotations

import hashlib
from typing import Any

import networkx as nx
import orjson

from graph.history.facts import PROVENANCE
from graph.store.base import GraphStore

_OPTS = orjson.OPT_SORT_KEYS


def _canon(value: Any) -> Any:
    # Lists (Neo4j returns lists, the embedded store may hold tuples) compare as lists.
    if isinstance(value, tuple | list):
        return [_canon(v) for v in value]
    return value


def canonical_lines(graph: nx.MultiDiGraph, *, provenance: bool = False) -> list[bytes]:
    """One canonical JSON line per node and per relationship, sorted."""
    skip = ("label", "id") if provenance else ("label", "id", *PROVENANCE)
    skip_rel = ("type",) if provenance else ("type", *PROVENANCE)
    lines: list[bytes] = []
    for uid, attrs in graph.nodes(data=True):
        props = {k: _canon(v) for k, v in attrs.items() if k not in skip and v is not None}
        lines.append(orjson.dumps(["N", attrs.get("label"), attrs.get("id"), uid, props],
                                  option=_OPTS))
    for src, dst, key, attrs in graph.edges(keys=True, data=True):
        props = {k: _canon(v) for k, v in attrs.items() if k not in skip_rel and v is not None}
        rel_key = str(key).partition("|")[2]
        lines.append(orjson.dumps(["R", attrs.get("type"), src, dst, rel_key, props],
                                  option=_OPTS))
    lines.sort()
    return lines


def graph_checksum(store: GraphStore, *, provenance: bool = False) -> str:
    """``sha256:<hex>`` over the canonical serialisation of everything in ``store`` (its
    provenance too with ``provenance=True``)."""
    digest = hashlib.sha256()
    for line in canonical_lines(store.to_networkx(), provenance=provenance):
        digest.update(line)
        digest.update(b"\n")
    return "sha256:" + digest.hexdigest()
