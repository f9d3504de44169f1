"""Facts and their provenance, as both stores keep them.

A *fact* is a node (named by its uid) or a relationship (named by its type, ends and key,
:data:`RelKey`). Besides its schema properties every fact written through the history
carries two provenance properties, the same on both stores:

* ``_change``: the id of the change set (load, sync, correction, undo) that last wrote it;
* ``_sources``: the source rows that assert its current values, as space-separated tokens
  ``<change>.<source>.<row>`` -- the change set, the index of the file/sheet in that change
  set's header (:attr:`graph.history.model.ChangeHeader.sources`) and the row as the
  spreadsheet shows it -- or ``<change>`` alone for a correction, which has no row.

One short string and one integer per fact: Neo4j keeps both inline in the property record.
A load that asserts a fact with the values it already has adds its row to ``_sources`` (the
most recent :data:`MAX_SOURCES` are kept; every earlier list stays in the history); a load
that changes the values replaces the list with its own rows.

>>> fact_id(("SERVES_IN", "person:P1", "unit:JD", "secretary|2016-01-01"))
'person:P1-SERVES_IN->unit:JD[secretary|2016-01-01]'
>>> parse_fact_id("person:P1-SERVES_IN->unit:JD[secretary|2016-01-01]")
('SERVES_IN', 'person:P1', 'unit:JD', 'secretary|2016-01-01')
>>> parse_token("7.2.15"), parse_token("9")
((7, 2, 15), (9, None, None))
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.errors import InvalidArgument
from graph.messages import Message
from graph.schema import SCHEMA, split_uid

#: The provenance properties of every fact (never schema properties).
CHANGE = "_change"
SOURCES = "_sources"
PROVENANCE = (CHANGE, SOURCES)
#: Source tokens kept on a fact; older ones are in the history of the change sets.
MAX_SOURCES = 8

#: A relationship's identity: (type, source uid, target uid, key).
RelKey = tuple[str, str, str, str]
#: A node's uid or a relationship's key.
FactKey = str | RelKey

_REL_ID = re.compile(r"^(?P<src>.+?)-(?P<type>[A-Z][A-Z_]*)->(?P<dst>[^\[]+?)(?:\[(?P<key>.*)\])?$")


@dataclass(frozen=True, slots=True)
class FactState:
    """What a fact holds: its schema properties (set ones only) and its provenance."""

    props: Mapping[str, Any] = field(default_factory=dict)
    change: int | None = None
    sources: str | None = None

    @classmethod
    def of(cls, attrs: Mapping[str, Any], skip: tuple[str, ...] = ()) -> FactState:
        """The state of stored attributes (``properties(n)``, a node's attribute dict):
        provenance apart, ``None`` values and the names in ``skip`` (``uid``, ``id``,
        ``label``, ``type``, ``key``) left out."""
        props = {k: v for k, v in attrs.items()
                 if v is not None and k not in PROVENANCE and k not in skip}
        change = attrs.get(CHANGE)
        return cls(props, None if change is None else int(change), attrs.get(SOURCES))

    def stored(self) -> dict[str, Any]:
        """The properties to store: schema values and the provenance (when known)."""
        out = dict(self.props)
        if self.change is not None:
            out[CHANGE] = self.change
        if self.sources is not None:
            out[SOURCES] = self.sources
        return out

    def as_json(self) -> list[Any]:
        return [dict(self.props), self.change, self.sources]

    @classmethod
    def from_json(cls, doc: list[Any]) -> FactState:
        return cls(doc[0] or {}, doc[1], doc[2])


def same_values(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether two property maps hold the same set values (``None`` is "not set")."""
    a = {k: v for k, v in old.items() if v is not None and k not in PROVENANCE}
    b = {k: v for k, v in new.items() if v is not None and k not in PROVENANCE}
    return a == b


def add_source(sources: str | None, token: str) -> str:
    """``sources`` with ``token`` appended, keeping the last :data:`MAX_SOURCES`.

    >>> add_source("1.0.2 2.0.2", "3.0.2")
    '1.0.2 2.0.2 3.0.2'
    >>> add_source(None, "4.1.9")
    '4.1.9'
    """
    tokens = [*(sources.split() if sources else []), token]
    return " ".join(tokens[-MAX_SOURCES:])


def token(change: int, source: int | None = None, row: int | None = None) -> str:
    """A source token: ``change.source.row``, or ``change`` alone (a correction)."""
    return str(change) if source is None else f"{change}.{source}.{row}"


def parse_token(text: str) -> tuple[int, int | None, int | None]:
    """(change, source index, row) of a token; a malformed token raises ValueError."""
    parts = text.split(".")
    if len(parts) == 1:
        return int(parts[0]), None, None
    if len(parts) != 3:
        raise ValueError(text)
    return int(parts[0]), int(parts[1]), int(parts[2])


def is_rel(key: FactKey) -> bool:
    return isinstance(key, tuple)


def fact_id(key: FactKey) -> str:
    """How a fact is written for people and the CLI: a uid, or ``src-TYPE->dst[key]``."""
    if isinstance(key, str):
        return key
    rel_type, src, dst, rel_key = key
    return f"{src}-{rel_type}->{dst}" + (f"[{rel_key}]" if rel_key else "")


def parse_fact_id(text: str) -> FactKey:
    """The fact a :func:`fact_id` names (checked against the schema).

    Raises :class:`graph.errors.InvalidArgument` (field ``fact``) for anything else.
    """
    text = text.strip()
    m = _REL_ID.match(text)
    try:
        if m is None:
            label, node_id = split_uid(text)
            return f"{SCHEMA.node(label).prefix}:{node_id}"
        rel_type = SCHEMA.rel(m["type"]).type
        src_label, _ = split_uid(m["src"])
        dst_label, _ = split_uid(m["dst"])
        SCHEMA.check_endpoints(rel_type, src_label, dst_label)
    except Exception as exc:  # SchemaError: the reason is its message
        reason = getattr(exc, "message", Message("history.bad_fact_id", value=text))
        raise InvalidArgument("fact", reason) from None
    return (rel_type, m["src"], m["dst"], m["key"] or "")


def fact_nodes(facts: Iterable[str]) -> list[str]:
    """The node uids a list of fact ids names (both ends of a relationship), in order."""
    out: dict[str, None] = {}
    for text in facts:
        try:
            key = parse_fact_id(text)
        except InvalidArgument:
            continue
        for uid in (key[1:3] if isinstance(key, tuple) else (key,)):
            out[uid] = None
    return list(out)


def fact_kind(key: FactKey) -> str:
    """The label of a node, or the type of a relationship."""
    return split_uid(key)[0] if isinstance(key, str) else key[0]


def key_json(key: FactKey) -> str | list[str]:
    return key if isinstance(key, str) else list(key)


def key_from_json(doc: str | list[str]) -> FactKey:
    if isinstance(doc, str):
        return doc
    rel_type, src, dst, rel_key = doc
    return (rel_type, src, dst, rel_key)
