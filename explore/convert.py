"""Any query result as a pandas DataFrame, and the graph-shaped ones as NetworkX graphs.

:func:`frame` takes what the :class:`explore.DutyGraph` methods return (pydantic models,
lists of them, the store's counts, an analysis); :func:`to_networkx` takes a subgraph
(neighbourhood, paths), a responsibility chain or trace-back, or an analysis (its
coordination network).

Examples
--------
>>> frame({"primary": 40, "first": 24})
       key  value
0  primary     40
1    first     24
>>> to_networkx([1, 2])
Traceback (most recent call last):
...
TypeError: list is not a graph: use frame() for tables
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import pandas as pd
from pydantic import BaseModel

from explore.analysis import AnalysisFrames, weak_pairs
from graph.analytics.report import Analysis
from graph.errors import SchemaError
from graph.frames import subgraph_to_networkx, to_frame
from graph.queries.chain_models import CaseTrace, ChainLink, IssueChain
from graph.queries.subgraph import Subgraph
from graph.schema import SCHEMA
from graph.store.base import Counts

#: Chain-link statuses drawn as weak links: nobody held to account although in the chain
#: (``gap``), held only in another category, which does not discharge the link
#: (``held_other_category``), or nobody in the chain at the date (``missing``).
WEAK_STATUSES = frozenset({"gap", "held_other_category", "missing"})


def frame(obj: Any, *, flatten: bool = True) -> pd.DataFrame:
    """A DataFrame of a query result.

    Parameters
    ----------
    obj
        A pydantic model (one row) or an iterable of models or mappings (one row each;
        nested fields become dotted columns when ``flatten``); a mapping of scalars (two
        columns ``key``/``value``); the store's :class:`~graph.store.base.Counts`
        (columns ``kind``, ``name``, ``name_zh``, ``count``); a
        :class:`~graph.queries.subgraph.Subgraph` (its nodes); an analysis (its findings).
    flatten
        Nested models and dicts as dotted columns (``holder.caption``).
    """
    if isinstance(obj, AnalysisFrames):
        return obj.findings
    if isinstance(obj, Counts):
        rows = [("node", k, zh("node", k), v) for k, v in obj.nodes.items()]
        rows += [("relationship", k, zh("rel", k), v) for k, v in obj.relationships.items()]
        return pd.DataFrame(rows, columns=["kind", "name", "name_zh", "count"])
    if isinstance(obj, Subgraph):
        return to_frame(obj.nodes, flatten=flatten)
    if isinstance(obj, Mapping):
        return pd.DataFrame({"key": list(obj), "value": list(obj.values())})
    if isinstance(obj, BaseModel | Iterable):
        return to_frame(obj, flatten=flatten)
    raise TypeError(f"cannot make a DataFrame of {type(obj).__name__}")


def to_networkx(obj: Any) -> nx.MultiDiGraph | nx.Graph:
    """A NetworkX graph of a graph-shaped result.

    - :class:`Subgraph` (neighbourhood, shortest paths): a MultiDiGraph with the store
      projection's attribute names (``label``, ``caption``, ``hop``; edges ``type``).
    - :class:`IssueChain` / :class:`CaseTrace`: see :func:`chain_graph`.
    - an analysis: its coordination network (a copy), each edge with ``weak`` and the
      ``codes`` that make it weak (:func:`explore.analysis.weak_pairs`).
    - a NetworkX graph: itself.

    Raises ``TypeError`` for anything else (tables: use :func:`frame`).
    """
    if isinstance(obj, Subgraph):
        return subgraph_to_networkx(obj)
    if isinstance(obj, IssueChain | CaseTrace):
        return chain_graph(obj)
    if isinstance(obj, AnalysisFrames | Analysis):
        analysis = obj.analysis if isinstance(obj, AnalysisFrames) else obj
        H = analysis.network.copy()
        weak = weak_pairs(analysis)
        for a, b, d in H.edges(data=True):
            codes = weak.get((min(a, b), max(a, b)), set())
            d["weak"] = bool(codes)
            d["codes"] = sorted(codes)
        return H
    if isinstance(obj, nx.Graph):
        return obj
    raise TypeError(f"{type(obj).__name__} is not a graph: use frame() for tables")


def zh(enum: str, code: str | None) -> str:
    """The Chinese label of a code, for chart labels: ``enum`` names a schema enum
    (``responsibility``, ``duty_list``, ``accountability_category`` …), or is ``node`` (a
    node kind) or ``rel`` (a relationship type). An unknown code is returned as it is.

    >>> zh("responsibility", "dual"), zh("node", "Unit"), zh("rel", "SENT_TO"), zh("severity", "x")
    ('一岗双责', '单位', '抄告对象', 'x')
    """
    if code is None:
        return ""
    try:
        if enum == "node":
            return SCHEMA.node(code).zh
        if enum == "rel":
            return SCHEMA.rel(code).zh
        return SCHEMA.enum(enum).label(code)
    except SchemaError:
        return code


def chain_graph(chain: IssueChain | CaseTrace, lang: str = "zh") -> nx.MultiDiGraph:
    """The chain as a star: the issue or case in the middle, one edge per link to its
    holder (keyed by role).

    Each edge carries ``role``, ``category`` (its Chinese label in ``category_zh``),
    ``responsibility``, ``status`` and ``weak``. A trace-back's statuses are those of
    :data:`graph.queries.chain_models.TRACE_STATUSES`, and decisions against people outside
    the chain add edges with status ``outside``; an issue chain's are ``present`` or
    ``missing``. A missing link points at a placeholder node ``missing:<role>`` (label
    ``Missing``) whose caption says why (in ``lang``). ``weak`` is true for
    :data:`WEAK_STATUSES`.

    >>> from graph.queries.models import NodeRef
    >>> issue = NodeRef(uid="issue:I1", label="Issue", id="I1", caption="问题")
    >>> link = ChainLink(role="secretary", responsibility="first",
    ...                  category="primary_leadership", missing=True, zh="无书记", en="vacant")
    >>> g = chain_graph(IssueChain(issue=issue, as_of="2024-01-01", as_of_from="found_on",
    ...                            links=[link]))
    >>> [(u, v, d["status"], d["weak"]) for u, v, d in g.edges(data=True)]
    [('issue:I1', 'missing:secretary', 'missing', True)]
    """
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    if isinstance(chain, CaseTrace):
        subject = chain.case
        links: list[tuple[ChainLink, str]] = [(t.link, t.status) for t in chain.links]
    else:
        subject = chain.issue
        links = [(link, "missing" if link.missing else "present") for link in chain.links]
    g.add_node(subject.uid, label=subject.label, id=subject.id, caption=subject.caption)
    for link, status in links:
        if link.holder is None:
            node = f"missing:{link.role}"
            g.add_node(node, label="Missing", id=link.role, caption=link.text(lang) or link.role)
        else:
            node = link.holder.uid
            g.add_node(node, label=link.holder.label, id=link.holder.id,
                       caption=link.holder.caption)
        g.add_edge(subject.uid, node, key=link.role, role=link.role, category=link.category,
                   category_zh=zh("accountability_category", link.category),
                   responsibility=link.responsibility, status=status,
                   weak=status in WEAK_STATUSES)
    if isinstance(chain, CaseTrace):
        for d in chain.outside_chain:
            if d.target is None:
                continue
            t = d.target
            g.add_node(t.uid, label=t.label, id=t.id, caption=t.caption)
            g.add_edge(subject.uid, t.uid, key=f"outside:{d.decision.uid}", role="outside",
                       category=d.category, category_zh=zh("accountability_category",
                                                               d.category),
                       responsibility=None, status="outside", weak=False)
    return g
