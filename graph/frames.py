"""Bridges for analysts: query results as pandas DataFrames, subgraphs as NetworkX graphs.

Notebooks stay thin by calling these rather than re-implementing either.

Examples
--------
>>> from graph.queries.models import NodeRef
>>> to_frame([NodeRef(uid="unit:JD", label="Unit", id="JD", caption="嘉定区委")])
       uid label  id caption
0  unit:JD  Unit  JD    嘉定区委
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx
import pandas as pd
from pydantic import BaseModel

from graph.queries.subgraph import Subgraph


def _row(item: Any) -> dict[str, Any]:
    if isinstance(item, BaseModel):
        return item.model_dump(mode="json")
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return dataclasses.asdict(item)
    if isinstance(item, Mapping):
        return dict(item)
    raise TypeError(f"cannot make a row of {type(item).__name__}")


def to_frame(items: BaseModel | Iterable[Any], *, flatten: bool = True) -> pd.DataFrame:
    """A DataFrame with one row per item (pydantic models or mappings).

    Nested models and dicts become dotted columns (``node.caption``) when ``flatten``;
    lists stay as cell values. A single model gives a one-row frame.
    """
    rows = [_row(items)] if isinstance(items, BaseModel) else [_row(i) for i in items]
    if not rows:
        return pd.DataFrame()
    return pd.json_normalize(rows) if flatten else pd.DataFrame(rows)


def counts_frame(counts: Mapping[str, int], *, key: str, value: str = "count") -> pd.DataFrame:
    """A two-column frame from a mapping of counts, in the mapping's order.

    >>> counts_frame({"primary": 40, "first": 24}, key="responsibility")
      responsibility  count
    0        primary     40
    1          first     24
    """
    return pd.DataFrame({key: list(counts), value: list(counts.values())})


def subgraph_to_networkx(sub: Subgraph) -> nx.MultiDiGraph:
    """A view's subgraph as a MultiDiGraph with the store projection's attribute names.

    A node's distance from the centre is the attribute ``hop`` (``level`` is a unit's level).

    >>> from graph.queries.subgraph import SubEdge, SubNode
    >>> s = Subgraph(roots=["unit:JD"], nodes=[
    ...     SubNode(uid="unit:JD", label="Unit", id="JD", caption="嘉定区委", level=0),
    ...     SubNode(uid="unit:SH", label="Unit", id="SH", caption="上海市委", level=1)],
    ...     edges=[SubEdge(src="unit:JD", dst="unit:SH", type="SUBORDINATE_TO", key="")])
    >>> g = subgraph_to_networkx(s)
    >>> g.nodes["unit:JD"]["caption"], list(g.edges(keys=True))
    ('嘉定区委', [('unit:JD', 'unit:SH', 'SUBORDINATE_TO|')])
    """
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    for n in sub.nodes:
        g.add_node(n.uid, label=n.label, id=n.id, caption=n.caption, hop=n.level, **n.props)
    for e in sub.edges:
        g.add_edge(e.src, e.dst, key=f"{e.type}|{e.key}", type=e.type, **e.props)
    return g


def nodes_frame(g: nx.MultiDiGraph, labels: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per node of a projection (``uid`` plus its attributes), optionally by label."""
    rows = [{"uid": u, **a} for u, a in g.nodes(data=True)
            if labels is None or a.get("label") in labels]
    return pd.DataFrame(rows)
