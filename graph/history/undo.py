"""Undoing a change set: every fact it touched back to the state it had before.

The plan is worked out from the change set's parts (:mod:`graph.history.timeline`): facts it
added are deleted, facts it changed, asserted again or deleted get back their earlier
properties and provenance. It is refused when a later change depends on it -- a fact it
wrote that carries another change set now (or was deleted since), a fact it deleted that
exists again, a relationship another change set attached to a node it created -- naming
those change sets, so that undoing them first is possible. The undo is itself a change set
(kind ``undo``), written in guarded transactions: a fact changed by someone else between
the plan and the write fails its guard, and the rest is not written.

Undone, a change set leaves the graph exactly as it was before (provenance included), when
nothing else changed since; tested on both stores with :func:`graph.checksum.graph_checksum`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from graph.errors import DutyGraphError, NotFound
from graph.history.facts import FactKey, fact_id
from graph.history.model import ChangeHeader
from graph.history.timeline import states_before, touches
from graph.messages import Message
from graph.settings import get_settings
from graph.store.base import GraphStore
from graph.store.history import StateWrite, order_writes

#: Conflicting facts named in a refusal (the rest are counted).
SHOWN = 5


class ChangeNotFound(NotFound):
    """No change set with that id."""

    def __init__(self, change: int) -> None:
        super().__init__("change", str(change))
        self.message = Message("history.no_such_change", id=change)


class UndoRefused(DutyGraphError):
    """The change set cannot be undone (already undone, an undo, open, or depended on)."""


@dataclass(frozen=True, slots=True)
class Dependency:
    """A fact that stops the undo: the change set it carries now (``None``: none)."""

    key: FactKey
    change: int | None
    present: bool


@dataclass
class UndoPlan:
    """What undoing ``target`` writes, or why it cannot."""

    target: ChangeHeader
    writes: list[StateWrite] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)

    @property
    def blockers(self) -> list[int | None]:
        """The change sets that depend on the target (``None``: writes outside the history)."""
        return sorted({d.change for d in self.dependencies},
                      key=lambda c: (c is None, c or 0))

    def refusal(self) -> Message:
        shown = [fact_id(d.key) for d in self.dependencies[:SHOWN]]
        later = [f"#{c}" if c is not None else Message("history.outside") for c in self.blockers]
        return Message("history.undo_depends", id=self.target.id, later=later, facts=shown,
                       n=len(self.dependencies))

    def counts(self) -> dict[str, int]:
        deleted = sum(1 for w in self.writes if w.state is None)
        return {"deleted": deleted, "restored": len(self.writes) - deleted}


def header_or_404(store: GraphStore, change: int) -> ChangeHeader:
    header = store.history.header(change)
    if header is None:
        raise ChangeNotFound(change)
    return header


def plan_undo(store: GraphStore, change: int, *, force_open: bool = False) -> UndoPlan:
    """The writes that undo ``change`` and anything that depends on it.

    Raises :class:`UndoRefused` for a change set that is already undone, is itself an undo,
    or is still open (running, or cut short; ``force_open`` plans it anyway).
    """
    header = header_or_404(store, change)
    if header.undone_by is not None:
        raise UndoRefused(Message("history.already_undone", id=change, by=header.undone_by))
    if header.kind == "undo":
        raise UndoRefused(Message("history.undo_of_undo", id=change, target=header.undoes))
    if header.status != "done" and not force_open:
        raise UndoRefused(Message("history.still_open", id=change))
    body = store.history.body(change)
    found = touches(change, body)
    before = states_before(store, change, body)
    now = store.fact_states(found)
    plan = UndoPlan(header)
    for key, t in found.items():
        current = now.get(key)
        if t.present_after:
            if current is None or current.change != change:
                plan.dependencies.append(Dependency(key, current.change if current else None,
                                                    current is not None))
                continue
            plan.writes.append(StateWrite(key, before[key], expect=change))
        else:
            if current is not None:
                plan.dependencies.append(Dependency(key, current.change, True))
                continue
            plan.writes.append(StateWrite(key, before[key], expect="absent"))
    # A node the undo deletes must not keep relationships that others wrote.
    deleting = {w.key for w in plan.writes if w.state is None and isinstance(w.key, str)}
    if deleting:
        mine = set(found)
        others = [k for k in store.attached(deleting) if k not in mine]
        for key, state in store.fact_states(others).items():
            plan.dependencies.append(Dependency(key, state.change, True))
    plan.dependencies.sort(key=lambda d: ((d.change is None), d.change or 0, fact_id(d.key)))
    return plan


def chunks(writes: Sequence[StateWrite], size: int) -> Iterator[list[StateWrite]]:
    """Writes in transactions of at most ``size``, each phase (relationships deleted, nodes
    deleted, nodes written, relationships written) before the next."""
    for phase in order_writes(writes):
        for i in range(0, len(phase), size):
            yield phase[i:i + size]


def undo(store: GraphStore, change: int, user: str, *, reason: str | None = None,
         force_open: bool = False) -> ChangeHeader:
    """Undo ``change`` as a new change set (kind ``undo``); returns its header.

    Raises :class:`UndoRefused` (with the change sets it depends on) instead of writing.
    """
    plan = plan_undo(store, change, force_open=force_open)
    if plan.dependencies:
        raise UndoRefused(plan.refusal())
    header = store.history.begin("undo", user, undoes=change, reason=reason)
    for batch in chunks(plan.writes, get_settings().batch_size):
        store.apply_states(header.id, batch)
    store.flush()
    done = store.history.finish(header.id)
    store.history.set_undone(change, header.id)
    return done

