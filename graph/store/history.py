"""What a store offers the history: change-set headers and parts (``store.history``), and
the fact-level writes and reads that loads, syncs, corrections and undo are made of.

Both stores implement :class:`History` (the embedded store in
:mod:`graph.store.embedded_history`, Neo4j in :mod:`graph.store.neo4j_history`); the
fact-level operations are methods of the store itself (:class:`graph.store.base.GraphStore`:
``apply_states``, ``fact_states``, ``fact_keys``, ``attached``). Every write of a change set
records, in the same transaction, a :class:`graph.history.model.ChangePart`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from graph.errors import StoreError
from graph.history.facts import FactKey, FactState, add_source, fact_id, token
from graph.history.model import (
    ChangeBody,
    ChangeHeader,
    ChangeKind,
    ChangePart,
    SourceFile,
    SyncSpec,
)
from graph.messages import Message
from graph.store.changes import ChangeSet

#: A guard on a fact before a state is written: it must carry this ``_change``, or be absent.
Expect = int | Literal["absent"] | None


@dataclass(frozen=True, slots=True)
class StateWrite:
    """Set one fact to an exact state (``None``: delete it), if ``expect`` holds.

    Deleting a node deletes its relationships too (each recorded in the part).
    """

    key: FactKey
    state: FactState | None
    expect: Expect = None


@dataclass(frozen=True, slots=True)
class Applied:
    """A change set :meth:`graph.store.base.GraphStore.write_change` wrote: its header
    (done), its part, and the data versions around it (``before`` is ``None`` when other
    writes may lie between the two)."""

    header: ChangeHeader
    part: ChangePart
    before: str | None
    after: str | None


def stamped(writes: Sequence[StateWrite], change: int) -> list[StateWrite]:
    """``writes`` with the provenance of ``change``: each fact's sources (``state.sources``,
    the rows asserting its other values) and then ``change``'s own token."""
    out = []
    for w in writes:
        if w.state is not None:
            w = StateWrite(w.key, FactState(w.state.props, change,
                                            add_source(w.state.sources, token(change))),
                           w.expect)
        out.append(w)
    return out


def touched(part: ChangePart) -> ChangeSet:
    """The uids a part's writes touched, as the incremental analysis reads them: nodes
    added, rewritten or deleted, and both ends of every relationship added, rewritten or
    deleted (a deleted node's relationships are in the part)."""
    nodes: set[str] = set()
    ends: set[str] = set()
    for key in [*part.added, *(r.key for r in part.replaced)]:
        if isinstance(key, str):
            nodes.add(key)
        else:
            ends.update(key[1:3])
    return ChangeSet(frozenset(nodes), frozenset(ends))


class Conflict(StoreError):
    """A fact is not in the state a guarded write expected (another change touched it)."""

    def __init__(self, key: FactKey, found: int | None, present: bool) -> None:
        super().__init__(Message("history.conflict", fact=fact_id(key), change=found or "-")
                         if present else Message("history.conflict_absent", fact=fact_id(key)))
        self.key = key
        self.found = found
        self.present = present


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class History(Protocol):
    """Change-set headers and bodies of one store."""

    def begin(self, kind: ChangeKind, user: str, *, sources: Sequence[SourceFile] = (),
              reason: str | None = None, undoes: int | None = None,
              sync: SyncSpec | None = None) -> ChangeHeader:
        """A new change set, status ``open``, with a new id (unique across processes)."""
        ...

    def finish(self, change: int, counts: dict[str, dict[str, int]] | None = None
               ) -> ChangeHeader:
        """Mark ``change`` done, its counts summed from its parts (or ``counts``, when the
        caller wrote its only part and knows them)."""
        ...

    def discard(self, change: int) -> None:
        """Forget ``change`` if it wrote nothing (its only write failed and rolled back),
        so that a refused change leaves no trace; a change set with parts is kept."""
        ...

    def headers(self) -> list[ChangeHeader]:
        """Every change set, newest first."""
        ...

    def header(self, change: int) -> ChangeHeader | None: ...

    def body(self, change: int) -> ChangeBody:
        """Every part ``change`` wrote, in order."""
        ...

    def set_undone(self, change: int, by: int | None) -> None:
        """Record that ``by`` undid ``change``."""
        ...


def check_expect(key: FactKey, expect: Expect, current: FactState | None) -> None:
    """Raise :class:`Conflict` when ``current`` does not meet ``expect``."""
    if expect is None:
        return
    if expect == "absent":
        if current is not None:
            raise Conflict(key, current.change, True)
    elif current is None:
        raise Conflict(key, None, False)
    elif current.change != expect:
        raise Conflict(key, current.change, True)


def order_writes(writes: Sequence[StateWrite]) -> list[list[StateWrite]]:
    """Writes in the order a transaction must apply them: relationships deleted, nodes
    deleted, nodes written, relationships written."""
    phases: list[list[StateWrite]] = [[], [], [], []]
    for w in writes:
        node = isinstance(w.key, str)
        if w.state is None:
            phases[1 if node else 0].append(w)
        else:
            phases[2 if node else 3].append(w)
    return phases
