"""The second line of defence: an answer for a scoped user names no node they may not see.

The queries apply the user's scope where they select data (``graph.store.ops``), so an
answer should only ever name nodes in the scope, or units above it (and their holders) in
outline. This check verifies that on the way out, for every JSON and HTML answer to a
scoped user: it collects every node the body names — uids anywhere in JSON strings, uids
and page links (``/units/JD``, ``/people/P1`` …) in HTML — keeps those that exist, and
fails when one of them is neither visible nor in outline. It never rewrites an answer: a
failure is a bug in a query, logged loudly and answered 500 (the tests fail on it), never
a silently shortened list.

>>> sorted(named_uids('{"a": ["unit:JD", "x"], "b": {"c": "person:P-1"}}', "application/json"))
['person:P-1', 'unit:JD']
>>> sorted(named_uids('<a href="/people/P-1?as_of=2017-01-01">甲</a> issue:I-2', "text/html"))
['issue:I-2', 'person:P-1']
"""

from __future__ import annotations

import contextlib
import logging
import re
from typing import Any
from urllib.parse import unquote

import orjson

from graph.schema import SCHEMA
from graph.scope import Scope
from graph.store.base import GraphStore

log = logging.getLogger("dutygraph.security")

_PREFIXES = "|".join(sorted((n.prefix for n in SCHEMA.nodes), key=len, reverse=True))
#: A uid in free text (JSON strings are matched whole, see :func:`_json_uids`).
_UID_IN_TEXT = re.compile(rf"(?<![\w-])({_PREFIXES}):([A-Za-z0-9_.\-]+)")
_UID_WHOLE = re.compile(rf"^(?:{_PREFIXES}):.+$")
#: Page links: the kind's page path → its label's prefix.
_PAGES = {"units": "unit", "people": "person", "issues": "issue", "cases": "case"}
_PAGE_LINK = re.compile(r'href="/(units|people|issues|cases|nodes)/([^"?#/]+)')


class ScopeLeak(Exception):
    """An answer named nodes its user may not see (a bug in a query, never shown)."""

    def __init__(self, uids: list[str]) -> None:
        super().__init__(f"answer names {len(uids)} node(s) outside the user's scope: "
                         f"{', '.join(uids[:5])}")
        self.uids = uids


def _json_uids(data: Any, out: set[str]) -> None:
    if isinstance(data, str):
        if _UID_WHOLE.match(data):
            out.add(data)
    elif isinstance(data, dict):
        for v in data.values():
            _json_uids(v, out)
    elif isinstance(data, list):
        for v in data:
            _json_uids(v, out)


def named_uids(body: str, content_type: str) -> set[str]:
    """Every node uid a JSON or HTML body names."""
    found: set[str] = set()
    if content_type.startswith("application/json"):
        with contextlib.suppress(orjson.JSONDecodeError):
            _json_uids(orjson.loads(body), found)
        return found
    for page, node_id in _PAGE_LINK.findall(body):
        node_id = unquote(node_id)
        found.add(node_id if page == "nodes" else f"{_PAGES[page]}:{node_id}")
    found.update(f"{prefix}:{node_id}" for prefix, node_id in _UID_IN_TEXT.findall(body))
    return found


def check(store: GraphStore, scope: Scope, body: bytes, content_type: str) -> None:
    """Raise :class:`ScopeLeak` when ``body`` names an existing node that ``scope`` neither
    shows nor shows in outline (nothing to check for a user who sees everything)."""
    if scope.everything:
        return
    uids = named_uids(body.decode("utf-8", "replace"), content_type)
    if not uids:
        return
    named = store.existing_uids(uids)
    if not named:
        return
    allowed = store.reads.visible(named, scope) | store.reads.outline(named, scope)
    leaked = sorted(named - allowed)
    if leaked:
        log.error("scope check failed: %s", ", ".join(leaked[:20]))
        raise ScopeLeak(leaked)
