"""Dropping out-of-scope nodes from results: JSON-like data, pydantic models, subgraphs.

The rule is generic, so every result shape is covered without knowing it: in any list, an
item is dropped when it *is* an out-of-scope node (a mapping with such a ``uid``, or the uid
string itself), an edge touching one (``src``/``dst``), an entry about one (``unit``,
``person``, ``node``... holding a hidden node reference), or a path through one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from graph.queries.subgraph import Subgraph
from graph.schema import SCHEMA

_PREFIXES = "|".join(sorted(n.prefix for n in SCHEMA.nodes))
UID = re.compile(rf"^(?:{_PREFIXES}):.+$")
_REF_KEYS = ("unit", "person", "node", "holder", "issue", "case", "target", "owner")


def collect_uids(data: Any, out: set[str] | None = None) -> set[str]:
    """Every node uid appearing as a string anywhere in ``data``."""
    out = set() if out is None else out
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="python")
    if isinstance(data, str):
        if UID.match(data):
            out.add(data)
    elif isinstance(data, dict):
        for v in data.values():
            collect_uids(v, out)
    elif isinstance(data, (list, tuple)):
        for v in data:
            collect_uids(v, out)
    return out


def _hidden_item(item: Any, hidden: set[str]) -> bool:
    if isinstance(item, BaseModel):
        item = item.model_dump(mode="python")
    if isinstance(item, str):
        return item in hidden
    if isinstance(item, (list, tuple)):
        return any(isinstance(x, str) and x in hidden for x in item)
    if isinstance(item, dict):
        if item.get("uid") in hidden or item.get("src") in hidden or item.get("dst") in hidden:
            return True
        if "uid" not in item:
            for key in _REF_KEYS:
                ref = item.get(key)
                if isinstance(ref, BaseModel):
                    ref = {"uid": getattr(ref, "uid", None)}
                if isinstance(ref, dict) and ref.get("uid") in hidden:
                    return True
                if isinstance(ref, str) and ref in hidden:
                    return True
    return False


def prune(data: Any, hidden: set[str]) -> Any:
    """A copy of JSON-like ``data`` without the list items about hidden nodes."""
    if not hidden:
        return data
    if isinstance(data, BaseModel):  # a model inside plain data (a page's context)
        return type(data).model_validate(prune(data.model_dump(mode="python"), hidden))
    if isinstance(data, dict):
        return {k: prune(v, hidden) for k, v in data.items()}
    if isinstance(data, list):
        return [prune(v, hidden) for v in data if not _hidden_item(v, hidden)]
    return data


Visible = Callable[[set[str]], set[str]]


def prune_any(data: Any, visible: Visible) -> Any:
    """Prune JSON-like data or a pydantic model (re-validated into its own type)."""
    if isinstance(data, BaseModel):
        raw = data.model_dump(mode="python")
        uids = collect_uids(raw)
        hidden = uids - visible(uids)
        if not hidden:
            return data
        return type(data).model_validate(prune(raw, hidden))
    if isinstance(data, (dict, list)):
        uids = collect_uids(data)
        hidden = uids - visible(uids)
        return prune(data, hidden)
    return data


def prune_subgraph(sub: Subgraph, visible: Visible) -> Subgraph:
    """A subgraph without hidden nodes and their edges; ``more`` is cleared, because counts
    of what is not shown would tell how much exists outside the scope."""
    uids = {n.uid for n in sub.nodes} | {e.src for e in sub.edges} | {e.dst for e in sub.edges}
    seen = visible(uids)
    return sub.model_copy(update={
        "nodes": [n for n in sub.nodes if n.uid in seen],
        "edges": [e for e in sub.edges if e.src in seen and e.dst in seen],
        "paths": [p for p in sub.paths if all(u in seen for u in p)],
        "more": {},
    })
