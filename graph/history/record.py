"""The one way a small change set is written: a correction (:mod:`loaders.corrections`)
or an everyday act of the working loop (:mod:`loaders.acts` through
:func:`loaders.change.record_change`).

:func:`record` hands the store the change set's kind, user and reason and its exact fact
states (:class:`graph.store.history.StateWrite`, each guarded); the store
(``GraphStore.write_change``) opens the change set, stamps every write with its provenance
(the change set, and its token after the rows that assert the fact's other values -- alone
for a fact it adds: :func:`graph.store.history.stamped`), applies them as undo and sync
apply theirs (``apply_states``), records the part with the states replaced, closes the
change set with its counts and renews the data version: on Neo4j in one transaction, on
the embedded store under one lock with one save. A write that is refused (a guard that
fails because another change touched the fact, an end that does not exist) rolls back and
leaves no change set. So a correction or an act shows in ``dutygraph loads list``, ``diff``
shows what it did and ``undo`` reverses it, exactly as for a load.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.history.model import ChangeKind
from graph.store.base import GraphStore
from graph.store.history import Applied, StateWrite


def record(store: GraphStore, kind: ChangeKind, user: str, writes: Sequence[StateWrite], *,
           reason: str | None = None) -> Applied:
    """Write ``writes`` as one change set of ``kind`` for ``user`` because of ``reason``;
    its header (done), part and the data versions around it.

    Raises what the store raises for a refused write (:class:`graph.store.history.Conflict`,
    :class:`graph.errors.StoreError`), having written nothing.
    """
    return store.write_change(kind, user, writes, reason=reason)
