"""What changed in the graph between two data versions, as far as this process saw it.

A :class:`ChangeSet` names the nodes a write touched: ``nodes`` -- added, removed, or with
properties rewritten -- and ``ends`` -- at an end of a relationship added, removed or
rewritten. That is all an incremental analysis needs to know
(:mod:`graph.analytics.incremental`): everything it derives from the graph is a function
of nodes and their neighbourhoods, so it recomputes what lies around those uids.

Every store keeps a :class:`ChangeLog`: each write method notes the uids it wrote, and
each new data version seals the writes noted since the previous one. ``changes_since``
walks the sealed entries from an older version to the current one and answers ``None``
when it cannot -- the version was not seen, an entry was dropped (the log is bounded), a
write was too large to list, the graph was cleared, or another process wrote meanwhile
(its version bump does not continue this process's chain). ``None`` means "recompute
everything", never "nothing changed".

Anything else that knows what it changed (a correction, a history of loads) may build a
:class:`ChangeSet` itself and hand it to the analysis.

Examples
--------
>>> log = ChangeLog()
>>> log.note(nodes=["issue:I1"], ends=["issue:I1", "unit:A"])
>>> log.seal("v1", "v2")
>>> log.note(ends=["person:P", "unit:A"])
>>> log.seal("v2", "v3")
>>> c = log.since("v1", "v3")
>>> sorted(c.nodes), sorted(c.ends), len(c)
(['issue:I1'], ['issue:I1', 'person:P', 'unit:A'], 3)
>>> log.since("v0", "v3") is None, len(log.since("v3", "v3"))
(True, 0)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """The uids a set of writes touched (see the module docstring)."""

    #: Nodes added, removed, or whose properties were rewritten.
    nodes: frozenset[str] = frozenset()
    #: Nodes at an end of a relationship added, removed or rewritten.
    ends: frozenset[str] = frozenset()

    @classmethod
    def of(cls, uids: Iterable[str]) -> ChangeSet:
        """The safe reading of a plain list of changed uids: every one may have changed in
        any way (properties and relationships)."""
        return cls(frozenset(uids), frozenset())

    def __or__(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(self.nodes | other.nodes, self.ends | other.ends)

    def __len__(self) -> int:
        return len(self.nodes | self.ends)

    @property
    def uids(self) -> frozenset[str]:
        """Every uid named."""
        return self.nodes | self.ends


#: Sealed entries kept, and uids noted per entry and in all, before the oldest are dropped
#: (an analysis that far behind recomputes everything anyway).
MAX_ENTRIES = 256
MAX_UIDS = 200_000


class ChangeLog:
    """The change sets of this process's latest writes, by data version (thread-safe)."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_uids: int = MAX_UIDS) -> None:
        self._lock = threading.Lock()
        self._max_entries = max_entries
        self._max_uids = max_uids
        self._nodes: set[str] = set()
        self._ends: set[str] = set()
        self._overflow = False
        #: old version -> (new version, what changed; None when too large to list).
        self._entries: OrderedDict[str, tuple[str, ChangeSet | None]] = OrderedDict()
        self._size = 0

    def note(self, nodes: Iterable[str] = (), ends: Iterable[str] = ()) -> None:
        """Record uids written since the last seal."""
        with self._lock:
            if self._overflow:
                return
            self._nodes.update(nodes)
            self._ends.update(ends)
            if len(self._nodes) + len(self._ends) > self._max_uids:
                self._overflow = True
                self._nodes.clear()
                self._ends.clear()

    def seal(self, old: str | None, new: str | None) -> None:
        """The writes noted since the last seal took the graph from version ``old`` to
        ``new``."""
        with self._lock:
            changes = None if self._overflow else ChangeSet(frozenset(self._nodes),
                                                            frozenset(self._ends))
            self._nodes, self._ends, self._overflow = set(), set(), False
            self._add(old, new, changes)

    def record(self, old: str | None, new: str | None, changes: ChangeSet) -> None:
        """One write, known exactly, took the graph from ``old`` to ``new`` (a write that
        renewed the version itself); what other writes noted meanwhile stays pending."""
        with self._lock:
            self._add(old, new, changes)

    def _add(self, old: str | None, new: str | None, changes: ChangeSet | None) -> None:
        if old is None or new is None or old == new:
            return
        self._entries.pop(old, None)
        self._entries[old] = (new, changes)
        self._size += len(changes) if changes is not None else 0
        while self._entries and (len(self._entries) > self._max_entries
                                 or self._size > self._max_uids):
            _, (_, dropped) = self._entries.popitem(last=False)
            self._size -= len(dropped) if dropped is not None else 0

    def forget(self) -> None:
        """The writes since the last seal cannot be listed (a clear, or a graph re-read
        from elsewhere): the next seal records "unknown"."""
        with self._lock:
            self._overflow = True
            self._nodes.clear()
            self._ends.clear()

    def since(self, old: str | None, current: str | None) -> ChangeSet | None:
        """What changed from version ``old`` to ``current``; ``None`` when unknown."""
        if old is None or current is None:
            return None
        out = ChangeSet()
        version = old
        with self._lock:
            for _ in range(len(self._entries) + 1):
                if version == current:
                    return out
                entry = self._entries.get(version)
                if entry is None or entry[1] is None:
                    return None
                version, changes = entry
                out = out | changes  # type: ignore[operator]
        return None
