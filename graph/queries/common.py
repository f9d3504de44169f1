"""Helpers every query shares: dates, as-of windows, resolving a reference to a node, and
picking the implementation for the store at hand."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from graph.errors import AmbiguousId, InvalidArgument, NotFound
from graph.schema import SCHEMA, split_uid, uid_of
from graph.store.base import GraphStore, NodeRecord

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore
    from graph.store.neo4j import Neo4jStore

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def today() -> str:
    return dt.date.today().isoformat()


def parse_date(value: str | dt.date | None, field: str = "as_of") -> str | None:
    """An ISO date string, or None; raises InvalidArgument for anything else.

    >>> parse_date("2017-03-01"), parse_date(None)
    ('2017-03-01', None)
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if not _ISO.match(value):
        raise InvalidArgument(field, f"not a date (YYYY-MM-DD): {value!r}")
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise InvalidArgument(field, f"no such date: {value!r}") from None


def as_of_or_today(value: str | dt.date | None) -> str:
    return parse_date(value) or today()


def active(props: Mapping[str, Any], as_of: str) -> bool:
    """Whether a tenure (``start``/``end`` ISO dates, either open) covers ``as_of``.

    >>> active({"start": "2016-01-01", "end": "2018-12-31"}, "2017-06-01")
    True
    >>> active({"start": "2019-01-01"}, "2017-06-01")
    False
    """
    start, end = props.get("start"), props.get("end")
    return (start is None or start <= as_of) and (end is None or as_of <= end)


def resolve(store: GraphStore, ref: str, labels: tuple[str, ...] | None = None) -> NodeRecord:
    """The node a user means by ``ref``: a uid (``unit:JD``) or a bare id (``JD``).

    A bare id must name exactly one node of the allowed labels. Raises NotFound (with the
    expected kind) or AmbiguousId.
    """
    kind = labels[0] if labels and len(labels) == 1 else "node"
    if ":" in ref:
        prefix = ref.partition(":")[0]
        if prefix.lower() in {n.prefix for n in SCHEMA.nodes}:
            label, node_id = split_uid(ref)
            if labels and label not in labels:
                raise NotFound(kind, ref)
            node = store.get_node(uid_of(label, node_id))
            if node is None:
                raise NotFound(label, node_id)
            return node
    found = store.find_ids(ref, labels)
    if not found:
        raise NotFound(kind, ref)
    if len(found) > 1:
        raise AmbiguousId(ref, [n.uid for n in found])
    return found[0]


def neo4j(store: GraphStore) -> Neo4jStore | None:
    """The store as a Neo4jStore when it is one (for the Cypher implementations)."""
    return store if store.backend == "neo4j" else None  # type: ignore[return-value]


def embedded(store: GraphStore) -> EmbeddedStore:
    if store.backend != "embedded":  # pragma: no cover - a programming error
        raise TypeError(f"not an embedded store: {store.backend}")
    return store  # type: ignore[return-value]
