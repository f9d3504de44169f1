"""The store protocol: what every storage backend offers, and the records it speaks.

Two backends implement it and pass the same contract tests (``tests/graph/store``):
:class:`graph.store.neo4j.Neo4jStore` (the system of record) and
:class:`graph.store.embedded.EmbeddedStore` (in-process, persisted on disk).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, cast, runtime_checkable

import networkx as nx

from graph.schema import SCHEMA, split_uid, uid_of

if TYPE_CHECKING:
    from graph.store.batch import LoadBatch
    from graph.store.ops import ReadOps

Direction = Literal["out", "in", "both"]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class NodeRecord:
    """A node: its label, its id (unique within the label) and its schema properties.

    ``props`` never holds ``id`` or ``uid``; absent or ``None`` values mean "not set".
    """

    label: str
    id: str
    props: Mapping[str, Any] = field(default_factory=dict)

    @property
    def uid(self) -> str:
        return uid_of(self.label, self.id)

    @property
    def caption(self) -> str:
        value = self.props.get(SCHEMA.node(self.label).caption)
        return str(value) if value not in (None, "") else self.id


@dataclass(frozen=True, slots=True)
class RelRecord:
    """A relationship between two nodes named by uid.

    Writes are idempotent by (type, src, dst, key); ``key`` tells parallel relationships
    apart (see :attr:`graph.schema.RelKind.key`) and is ``""`` for most types.
    """

    type: str
    src: str
    dst: str
    props: Mapping[str, Any] = field(default_factory=dict)
    key: str = ""

    @staticmethod
    def make(
        rel_type: str, src: str, dst: str, props: Mapping[str, Any] | None = None
    ) -> RelRecord:
        """A record whose key is derived from the schema's key properties."""
        props = dict(props or {})
        key_props = SCHEMA.rel(rel_type).key
        key = "|".join("" if props.get(k) is None else str(props[k]) for k in key_props)
        return RelRecord(rel_type, src, dst, props, key)


@dataclass(frozen=True, slots=True)
class Neighbour:
    """One relationship seen from a node, with the node at its other end."""

    type: str
    direction: Literal["out", "in"]
    props: Mapping[str, Any]
    key: str
    node: NodeRecord


@dataclass(frozen=True, slots=True)
class Counts:
    nodes: dict[str, int]
    relationships: dict[str, int]

    @property
    def total_nodes(self) -> int:
        return sum(self.nodes.values())

    @property
    def total_relationships(self) -> int:
        return sum(self.relationships.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "nodes": dict(sorted(self.nodes.items())),
            "relationships": dict(sorted(self.relationships.items())),
            "total_nodes": self.total_nodes,
            "total_relationships": self.total_relationships,
        }


@runtime_checkable
class GraphStore(Protocol):
    """Storage of the responsibility graph. Implementations are safe to share in a process."""

    backend: str
    #: The typed read operations of this backend (:class:`graph.store.ops.ReadOps`).
    reads: ReadOps
    #: Values derived from the graph, kept per data version (:class:`Derived`).
    derived: Derived

    def data_version(self, *, wait: bool = True) -> str | None:
        """A token that changes whenever the graph does (a write, a load, a clear).

        ``wait=False`` answers only what the store knows without a round trip to a server
        (``None`` when it would have to ask), so a caller on an event loop can avoid
        blocking.
        """

    def server_info(self) -> dict[str, str]:
        """What answers: for Neo4j the address, version and edition of the server; for the
        embedded store where it keeps the graph (recorded with benchmark results)."""

    def ensure_schema(self) -> None:
        """Create constraints and indexes derived from the schema (idempotent)."""

    def upsert_nodes(self, records: Sequence[NodeRecord]) -> int:
        """Create or replace nodes by (label, id), in batches. Returns rows written."""

    def upsert_relationships(self, records: Sequence[RelRecord]) -> int:
        """Create or update relationships by (type, src, dst, key), in batches.

        Both endpoints must exist and be of kinds the schema allows; otherwise the whole
        batch is rejected with :class:`graph.errors.StoreError` and nothing of it written.
        """

    def write_batch(self, batch: LoadBatch) -> int:
        """One batch of a bulk load (``loaders.write``), all or nothing; returns the rows
        written. Nodes are written whole (properties not given are cleared), relationships
        by (type, src, dst, key), both endpoints in the graph or in the batch; otherwise
        :class:`graph.errors.StoreError` and nothing of the batch is written. ``new``
        promises that no node of the batch exists yet (a store may write it faster)."""

    def get_node(self, uid: str) -> NodeRecord | None: ...

    def find_ids(self, node_id: str, labels: Iterable[str] | None = None) -> list[NodeRecord]:
        """Every node with this bare id (of the given labels), for resolving references."""

    def existing_uids(self, uids: Iterable[str]) -> set[str]:
        """The subset of ``uids`` present in the graph."""

    def neighbours(
        self,
        uid: str,
        *,
        rel_types: Iterable[str] | None = None,
        direction: Direction = "both",
        labels: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> list[Neighbour]:
        """Relationships of a node, ordered by (type, direction, neighbour uid)."""

    def counts(self) -> Counts: ...

    def clear(self) -> None:
        """Delete every node and relationship (schema objects stay)."""

    def to_networkx(self, uids: Iterable[str] | None = None, *,
                    shared: bool = False) -> nx.MultiDiGraph:
        """The whole graph, or the subgraph induced by ``uids``, as a MultiDiGraph.

        Nodes are keyed by uid with attributes ``label``, ``id`` and the schema's property
        names; edges are keyed ``"TYPE|key"`` with attribute ``type`` and the properties.
        ``shared=True`` lets a store hand over the graph it holds instead of a copy (half
        the memory at city scale); the caller must then only read it, and only while
        nothing writes to the store (a one-shot command).
        """

    def flush(self) -> None:
        """Make every write so far durable (a no-op where each batch commits)."""

    def close(self) -> None: ...


# -- helpers shared by the implementations ---------------------------------------------
def clean_props(label_or_type: str, props: Mapping[str, Any], *, node: bool) -> dict[str, Any]:
    """Schema properties only, ``None`` for the ones not given (so a rewrite clears them).

    An empty string is "not set" too: the stores never keep one, so that every rule that
    reads a property (tenures, dates) has one case to handle.
    """
    names = (
        SCHEMA.node(label_or_type).prop_names if node else SCHEMA.rel(label_or_type).prop_names
    )
    unknown = set(props) - set(names)
    if unknown:
        from graph.errors import SchemaError

        raise SchemaError(f"{label_or_type} has no properties {sorted(unknown)}")
    return {n: None if props.get(n) == "" else props.get(n) for n in names}


def check_rel(record: RelRecord) -> tuple[str, str]:
    """Labels of both endpoints, after checking the schema allows this relationship."""
    src_label, _ = split_uid(record.src)
    dst_label, _ = split_uid(record.dst)
    SCHEMA.check_endpoints(record.type, src_label, dst_label)
    return src_label, dst_label


def edge_key(rel_type: str, key: str) -> str:
    return f"{rel_type}|{key}"


class Derived:
    """Values derived from the graph (indexes, scopes, analyses), kept until its data
    version changes: the one staleness rule of every cache (the store owns it).

    ``version`` returns the store's current data version; entries of an older version are
    dropped when a newer one is first seen. Bounded in entries (least recently used go).
    """

    def __init__(self, version: Callable[[], str | None], max_entries: int = 512) -> None:
        self._version = version
        self._max = max_entries
        self._lock = threading.Lock()
        self._seen: str | None = None
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key`` at the current data version, computed once per version."""
        version = self._version()
        with self._lock:
            if version != self._seen:
                self._items.clear()
                self._seen = version
            if key in self._items:
                self._items.move_to_end(key)
                return cast(T, self._items[key])
        value = compute()
        with self._lock:
            if self._seen == version:
                self._items[key] = value
                while len(self._items) > self._max:
                    self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._seen = None
