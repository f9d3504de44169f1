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

from graph.messages import Message
from graph.schema import SCHEMA, split_uid, uid_of

if TYPE_CHECKING:
    from graph.history.facts import FactKey, FactState, RelKey
    from graph.history.model import ChangeKind, ChangePart
    from graph.store.batch import LoadBatch
    from graph.store.changes import ChangeSet
    from graph.store.history import Applied, History, StateWrite
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
    @property
    def history(self) -> History:
        """Change-set headers and parts (:class:`graph.store.history.History`)."""

    def data_version(self, *, wait: bool = True) -> str | None:
        """A token that changes whenever the graph does (a write, a load, a clear).

        ``wait=False`` answers only what the store knows without a round trip to a server
        (``None`` when it would have to ask), so a caller on an event loop can avoid
        blocking.
        """

    def changes_since(self, version: str | None) -> ChangeSet | None:
        """What changed from data version ``version`` to the current one, when this process
        saw every write in between; ``None`` when it cannot tell (see
        :mod:`graph.store.changes`). Every write method notes the uids it writes."""

    def touching(self, uids: Iterable[str]) -> nx.MultiDiGraph:
        """The nodes of ``uids`` that exist, every relationship with an end among them, and
        the nodes at the other ends, laid out as :meth:`to_networkx` (attributes are copies:
        the caller may keep and change them)."""

    def server_info(self) -> dict[str, str]:
        """What answers: for Neo4j the address, version and edition of the server; for the
        embedded store where it keeps the graph (recorded with benchmark results)."""

    def ensure_schema(self, wait: int = 300) -> None:
        """Create constraints and indexes derived from the schema (idempotent), and wait
        at most ``wait`` seconds for them to be online."""

    def defer_indexes(self) -> list[str]:
        """Drop the indexes no write reads, before a bulk load into an empty graph (the
        load then calls :meth:`ensure_schema` to build them once); their names, ``[]``
        where a store has none."""

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

    def write_change(self, kind: ChangeKind, user: str, writes: Sequence[StateWrite], *,
                     reason: str | None = None) -> Applied:
        """One small change set written whole (a correction, an everyday act:
        :mod:`graph.history.record`): its header (``kind``, ``user``, ``reason``), the
        writes stamped with its provenance (:func:`graph.store.history.stamped`) and applied
        as :meth:`apply_states` applies them, its part and counts, all or nothing and made
        durable, with the data version renewed and the step from the version before to
        the one after noted uid by uid (:mod:`graph.store.changes`). A refused write
        (a guard, a missing end) leaves no change set. Returns the header (done), the part
        and the versions around the write; ``before`` is ``None`` when other changes may
        lie between the two (another process's, or this process's writes not yet
        versioned), so that nothing derived from ``before`` is carried over to ``after``
        (:meth:`Derived.install`). Neo4j does all of it in one transaction."""

    def apply_states(self, change: int, writes: Sequence[StateWrite]) -> ChangePart:
        """Set facts to exact states (``None``: delete; a node with its relationships) as
        part of change set ``change``, in one transaction, after checking every write's
        guard (:class:`graph.store.history.Conflict` otherwise, and nothing written).
        Returns the part recorded."""

    def fact_states(self, keys: Iterable[FactKey]) -> dict[FactKey, FactState]:
        """The state of each fact of ``keys`` that exists (properties and provenance)."""

    def fact_keys(self, labels: Iterable[str], rel_types: Iterable[str]) -> list[FactKey]:
        """Every node of ``labels`` and relationship of ``rel_types``."""

    def attached(self, uids: Iterable[str]) -> list[RelKey]:
        """Every relationship touching one of ``uids``, sorted."""

    def refresh(self) -> bool:
        """Pick up what another process wrote that this store has not seen (a newer
        snapshot of the embedded store; Neo4j's data version at once). True when the graph
        this store reads changed."""

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

        raise SchemaError(Message("schema.no_properties", owner=label_or_type,
                                  names=sorted(unknown)))
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
    version changes: the one staleness rule of every cache (the store owns it). A value
    that can follow a change instead of being recomputed is carried with :meth:`evolve`.

    ``version`` returns the store's current data version; entries of an older version are
    dropped when a newer one is first seen. Bounded in entries (least recently used go).
    """

    def __init__(self, version: Callable[[], str | None], max_entries: int = 512,
                 max_carried: int = 2) -> None:
        self._version = version
        self._max = max_entries
        self._lock = threading.Lock()
        self._seen: str | None = None
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._max_carried = max_carried
        #: key -> (data version, value): values brought up to date rather than dropped.
        self._carried: OrderedDict[Hashable, tuple[str | None, Any]] = OrderedDict()
        self._gates: dict[Hashable, threading.Lock] = {}

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

    def snapshot(self, wanted: Callable[[Hashable], bool]
                 ) -> tuple[str | None, dict[Hashable, Any]]:
        """The version the cache holds values of, and its entries whose key is ``wanted``:
        taken before a write this process makes, so the values can be brought up to date
        (:meth:`install`) instead of recomputed."""
        with self._lock:
            return self._seen, {k: v for k, v in self._items.items() if wanted(k)}

    def install(self, before: str | None, after: str | None,
                values: Mapping[Hashable, Any]) -> bool:
        """Keep ``values`` (updated from a :meth:`snapshot` at version ``before``) as the
        values of version ``after``, the version a write took the data to from ``before``.

        Only when nothing else changed meanwhile: the cache is still at ``before`` (its
        other entries are dropped, as any version change does), or already at ``after``
        (another thread saw the new version first; its entries stay). Returns whether the
        values were kept."""
        if before is None or after is None or before == after:
            return False
        with self._lock:
            if self._seen == before:
                self._items.clear()
                self._seen = after
            elif self._seen != after:
                return False
            for k, v in values.items():
                self._items.setdefault(k, v)
            return True

    def evolve(self, key: Hashable, compute: Callable[[], T],
               advance: Callable[[T, str | None], bool]) -> T:
        """A value carried from one data version to the next instead of recomputed.

        At a version it has not seen, ``advance(value, old_version)`` brings the value of
        an older version up to date in place and returns True, or returns False when it
        cannot (``compute()`` then starts afresh). One computation per key at a time;
        others wait for it. A value whose advance raised is dropped. At most
        ``max_carried`` keys are kept (least recently used go): each may hold a copy of
        the graph.
        """
        with self._lock:
            gate = self._gates.setdefault(key, threading.Lock())
        with gate:
            version = self._version()
            with self._lock:
                entry = self._carried.get(key)
            if entry is not None and entry[0] == version:
                with self._lock:
                    self._carried.move_to_end(key)
                return cast(T, entry[1])
            value: T | None = None
            if entry is not None:
                with self._lock:
                    self._carried.pop(key, None)  # half-advanced if advance raises
                if advance(entry[1], entry[0]):
                    value = entry[1]
            if value is None:
                value = compute()
            with self._lock:
                self._carried[key] = (version, value)
                while len(self._carried) > self._max_carried:
                    self._carried.popitem(last=False)
            return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._seen = None
            self._carried.clear()
