"""Reading the history back: the state of a fact before and after change sets.

Every part of a change set records, for each fact it touched that existed before, the state
it replaced; a fact it created has no earlier state. So the state of a fact *before* change
set ``c`` is the state ``c``'s first touch replaced, and its state *after* ``c`` is the state
the next change set that touched it replaced -- or the fact as it is now, when none did.

A change set may touch a fact twice (two rows asserting one relationship): a record whose
earlier state was written by the same change set is not the state before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.history.facts import FactKey, FactState
from graph.history.model import ChangeBody
from graph.store.base import GraphStore


@dataclass(frozen=True, slots=True)
class Touch:
    """How one change set left a fact: the state before it and whether it existed after."""

    key: FactKey
    before: FactState | None
    present_after: bool
    #: For a fact asserted again with its values: those values (the record keeps only the
    #: provenance it replaced).
    reasserted: bool = False


def touches(change: int, body: ChangeBody) -> dict[FactKey, Touch]:
    """What ``change`` did to each fact it touched (see the module docstring)."""
    first: dict[FactKey, FactState | None] = {}
    reasserted: set[FactKey] = set()
    own_values: dict[FactKey, FactState] = {}
    present: dict[FactKey, bool] = {}
    for key in body.added():
        first.setdefault(key, None)
        present[key] = True
    for r in body.replaced():
        if r.before.change == change:  # replaced what this change set had written itself
            own_values.setdefault(r.key, r.before)
            present[r.key] = present.get(r.key, False) or r.outcome != "deleted"
            continue
        first[r.key] = r.before
        if r.outcome == "reasserted":
            reasserted.add(r.key)
        present[r.key] = present.get(r.key, False) or r.outcome != "deleted"
    out: dict[FactKey, Touch] = {}
    for key, before in first.items():
        if key in reasserted and before is not None and key in own_values:
            # Asserted again, then changed by a second row of the same change set: the
            # values before are those the first row found (and kept).
            before = FactState(own_values[key].props, before.change, before.sources)
        out[key] = Touch(key, before, present.get(key, False), key in reasserted)
    return out


def states_before(store: GraphStore, change: int, body: ChangeBody
                  ) -> dict[FactKey, FactState | None]:
    """The state of every fact ``change`` touched just before it (``None``: absent).

    A fact asserted again keeps the values it has now (they did not change), with the
    provenance it had before.
    """
    found = touches(change, body)
    now = store.fact_states(k for k, t in found.items() if t.reasserted)
    out: dict[FactKey, FactState | None] = {}
    for key, t in found.items():
        before = t.before
        if t.reasserted and before is not None and not before.props:
            current = now.get(key)
            before = FactState(current.props if current else {}, before.change, before.sources)
        out[key] = before
    return out


def later_states(store: GraphStore, keys: Iterable[FactKey], after: int
                 ) -> dict[FactKey, FactState | None]:
    """The state of each fact right after change set ``after``: what the first later
    change set that touched it replaced, else the fact as it is now (``None``: absent)."""
    wanted = set(keys)
    out: dict[FactKey, FactState | None] = {}
    #: Provenance found in a later re-assertion, whose values are those of a later state.
    provenance: dict[FactKey, FactState] = {}
    later = sorted(h.id for h in store.history.headers() if h.id > after)
    for change in later:
        if not wanted:
            break
        for key, t in touches(change, store.history.body(change)).items():
            if key not in wanted:
                continue
            if t.reasserted and t.before is not None:
                provenance.setdefault(key, t.before)
                continue
            out[key] = t.before
            wanted.discard(key)
    now = store.fact_states(wanted)
    for key in wanted:
        out[key] = now.get(key)
    for key, prov in provenance.items():
        state = out.get(key)
        out[key] = FactState(state.props if state else {}, prov.change, prov.sources)
    return out
