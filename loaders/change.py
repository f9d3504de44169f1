"""The one write path of the everyday acts (:mod:`loaders.acts`): a small change to the
graph, written all or nothing, attributed to a user and a reason.

:func:`record_change` is the narrow interface every act goes through: nodes (written whole)
and relationships (merged by type, ends and key), checked against the schema, written in one
transaction with the data version renewed (``store.write_change``), and the warning views of
this process brought up to date with the items the change touched
(:func:`graph.queries.warnings.carry_views`) instead of being read again.

The change history of loads and corrections (issue #16, the ``stewardship`` work) is not
part of this tree yet: when it lands, this function opens a change set for ``user`` and
``reason`` and writes through it, so that every act also shows in ``dutygraph loads list``
and can be undone. Until then each act is attributable through the audit log, which the API
appends after every write (``api/routes/acts.py``).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from graph.queries.warnings import carry_views, is_view_key
from graph.schema import SCHEMA
from graph.store.base import GraphStore, NodeRecord, RelRecord, check_rel, clean_props
from graph.store.batch import LoadBatch, NodeRows, RelRows

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


def _batch(nodes: Sequence[NodeRecord], rels: Sequence[RelRecord]) -> LoadBatch:
    node_groups: dict[str, list[list[object]]] = {}
    for n in nodes:
        props = clean_props(n.label, n.props, node=True)
        node_groups.setdefault(n.label, []).append([n.id, n.uid, *props.values()])
    rel_groups: dict[str, list[list[object]]] = {}
    for r in rels:
        check_rel(r)
        props = clean_props(r.type, r.props, node=False)
        rel_groups.setdefault(r.type, []).append([r.src, r.dst, r.key, *props.values()])
    return LoadBatch(
        nodes=[NodeRows(label, SCHEMA.node(label).prop_names, rows)
               for label, rows in node_groups.items()],
        rels=[RelRows(t, SCHEMA.rel(t).prop_names, rows) for t, rows in rel_groups.items()])


def record_change(store: GraphStore, user: str, reason: str, nodes: Sequence[NodeRecord],
                  rels: Sequence[RelRecord] = (), *, touched: Sequence[str] = ()) -> Change:
    """Write ``nodes`` (whole: a property not given is cleared) and ``rels`` in one
    transaction, for ``user`` because of ``reason``; nothing is written when any of it
    breaks the schema or names a node that does not exist.

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
    """
    batch = _batch(nodes, rels)
    seen, views = store.derived.snapshot(is_view_key)
    before, after = store.write_change(batch)
    if views and seen == before:
        carry_views(store, before, after, views, touched)
    return Change(user=user, reason=reason,
                  at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                  nodes=tuple(nodes), rels=tuple(rels), before=before, after=after)
