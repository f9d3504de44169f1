"""The one way a small change set is written: a correction (:mod:`loaders.corrections`)
or an everyday act of the working loop (:mod:`loaders.acts` through
:func:`loaders.change.record_change`).

:func:`record` opens the change set (who, why, its kind), stamps every write with its
provenance (the change set, and its token after the rows that assert the fact's other
values -- alone for a fact it adds), writes them in one transaction with the data version
renewed (``store.write_change``), and closes it with its counts. A write that is refused
(a guard that fails because another change touched the fact, an end that does not exist)
rolls back, and the change set it opened is discarded: a refused change leaves no trace.
So a correction or an act shows in ``dutygraph loads list``, ``diff`` shows what it did and
``undo`` reverses it, exactly as for a load.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph.history.facts import FactState, add_source, token
from graph.history.model import ChangeHeader, ChangeKind
from graph.store.base import GraphStore
from graph.store.history import Applied, StateWrite


@dataclass(frozen=True, slots=True)
class Recorded:
    """A change set written: its header (done) and what the write did."""

    header: ChangeHeader
    applied: Applied


def stamped(w: StateWrite, change: int) -> StateWrite:
    """``w`` with the provenance of ``change``: the fact's sources (``w.state.sources``, the
    rows asserting its other values) and then ``change``'s own token."""
    if w.state is None:
        return w
    return StateWrite(w.key, FactState(w.state.props, change,
                                       add_source(w.state.sources, token(change))), w.expect)


def record(store: GraphStore, kind: ChangeKind, user: str, writes: Sequence[StateWrite], *,
           reason: str | None = None) -> Recorded:
    """Write ``writes`` as one change set of ``kind`` for ``user`` because of ``reason``.

    Raises what the store raises for a refused write (:class:`graph.store.history.Conflict`,
    :class:`graph.errors.StoreError`), having written nothing.
    """
    header = store.history.begin(kind, user, reason=reason)
    try:
        applied = store.write_change(header.id, [stamped(w, header.id) for w in writes])
    except BaseException:
        store.history.discard(header.id)
        raise
    done = store.history.finish(header.id, applied.part.counts())
    return Recorded(done, applied)
