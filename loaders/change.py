"""The one write path of the everyday acts (:mod:`loaders.acts`): a small change to the
graph, written all or nothing, attributed to a user and a reason, and recorded as a change
set of the history (kind ``act``).

:func:`record_change` is the narrow interface every act goes through: nodes (written whole)
and relationships (merged by type, ends and key), checked against the schema, become exact
fact states (:class:`graph.store.history.StateWrite`) written through
:func:`graph.history.record.record` -- the path corrections take too: one transaction, the
data version renewed in it, the facts' previous values kept in the change set's part. So an
act shows in ``dutygraph loads list``, ``loads diff`` shows what it wrote and ``loads undo``
reverses it (refused when a later change set depends on it). Each write is guarded: a fact
another change touched since the act read it fails the write, which then changes nothing.
The warning views of this process are brought up to date with the items the change touched
(:func:`graph.queries.warnings.carry_views`) instead of being read again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from graph.history.facts import FactState
from graph.history.record import record
from graph.queries.warnings import carry_views, is_view_key
from graph.schema import SCHEMA
from graph.store.base import GraphStore, NodeRecord, RelRecord, check_rel, clean_props
from graph.store.history import StateWrite

#: Held from an act's checks to the end of its write, so that two acts of this process on
#: the same item never both pass the checks against the same state (a reply racing a
#: verification). Acts are a few per minute: one lock for all is enough.
_ACTING = threading.Lock()


@dataclass(frozen=True)
class Change:
    """A change made: by whom, why, what it wrote, and the data versions around it."""

    user: str
    reason: str
    at: str
    #: The change set it was recorded as (``dutygraph loads show``).
    change: int
    nodes: tuple[NodeRecord, ...]
    rels: tuple[RelRecord, ...]
    before: str | None
    after: str | None

    @property
    def uids(self) -> list[str]:
        """The nodes written, then every other node a relationship written touches."""
        out = {n.uid: None for n in self.nodes}
        for r in self.rels:
            out.setdefault(r.src, None)
            out.setdefault(r.dst, None)
        return list(out)


@contextmanager
def acting() -> Iterator[None]:
    """Hold the write path from an act's checks to the end of its write."""
    with _ACTING:
        yield


def _writes(nodes: Sequence[NodeRecord], rels: Sequence[RelRecord],
            read: Mapping[str, FactState]) -> list[StateWrite]:
    """The exact states the change writes, every value checked by the schema, each guarded
    without another round trip: a node the act read (``read``) must still carry the change
    set it carried then (and keeps the rows that asserted it), any other node must not
    exist yet (the acts' ids are new), a relationship is merged (the store's part records
    what it replaced)."""
    out: list[StateWrite] = []
    for n in nodes:
        props = clean_props(n.label, n.props, node=True)
        state = read.get(n.uid)
        out.append(StateWrite(n.uid, FactState({k: v for k, v in props.items() if v is not None},
                                               None, state.sources if state else None),
                              "absent" if state is None else state.change))
    for r in rels:
        check_rel(r)
        props = clean_props(r.type, r.props, node=False)
        out.append(StateWrite((SCHEMA.rel(r.type).type, r.src, r.dst, r.key),
                              FactState({k: v for k, v in props.items() if v is not None})))
    return out


def record_change(store: GraphStore, user: str, reason: str, nodes: Sequence[NodeRecord],
                  rels: Sequence[RelRecord] = (), *, touched: Sequence[str] = (),
                  read: Mapping[str, FactState] | None = None) -> Change:
    """Write ``nodes`` (whole: a property not given is cleared) and ``rels`` as one change
    set (kind ``act``) for ``user`` because of ``reason``; nothing is written when any of
    it breaks the schema, names a node that does not exist, or finds a node changed since
    the act read it.

    Parameters
    ----------
    store
        Either backend.
    user
        Who made the change (the account name).
    reason
        What the change is (the act's code, e.g. ``record``, ``reply``).
    nodes, rels
        What to write.
    touched
        Uids of the warning items whose facts the change alters (a duty a record fulfils,
        the referral replied to): the cached warning views are patched for them.
    read
        The nodes the act read before deciding (the item replied to), as it read them:
        they must still carry the same change set (``_change``) when written.
    """
    writes = _writes(nodes, rels, read or {})
    seen, views = store.derived.snapshot(is_view_key)
    done = record(store, "act", user, writes, reason=reason)
    before, after = done.before, done.after
    if views and seen == before:
        carry_views(store, before, after, views, touched)
    return Change(user=user, reason=reason, at=done.header.at, change=done.header.id,
                  nodes=tuple(nodes), rels=tuple(rels), before=before, after=after)
