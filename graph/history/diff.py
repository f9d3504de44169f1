"""The diff of change sets: every fact whose state differs between just before the first and
just after the last, with its properties before and after and the rows behind each.

``diff(store, 7)`` is what change set 7 did; ``diff(store, 5, 9)`` what 5 to 9 did together
(a fact added by 6 and deleted by 8 is not in it). Built from the parts alone
(:mod:`graph.history.timeline`), so the diff of a change set that was undone since, or
whose facts were overwritten by later loads, is still what it did at the time.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from graph.history.facts import FactKey, FactState, fact_id, fact_kind
from graph.history.provenance import SourceRow, headers_by_id, source_rows
from graph.history.timeline import later_states, touches
from graph.history.undo import header_or_404
from graph.store.base import GraphStore

Outcome = Literal["added", "changed", "reasserted", "deleted"]
ORDER = ("added", "changed", "deleted", "reasserted")


class FactDiff(BaseModel):
    """One fact whose state differs."""

    fact: str
    kind: str = Field(description="Label or relationship type.")
    outcome: Outcome
    fields: dict[str, list[Any]] = Field(default_factory=dict,
                                         description="Changed properties: [before, after].")
    before: dict[str, Any] | None = Field(default=None, description="Properties before.")
    after: dict[str, Any] | None = Field(default=None, description="Properties after.")
    sources_before: list[SourceRow] = Field(default_factory=list)
    sources_after: list[SourceRow] = Field(default_factory=list)


class ChangeDiff(BaseModel):
    """What change sets ``first`` to ``last`` did, fact by fact."""

    first: int
    last: int
    counts: dict[str, int] = Field(default_factory=dict)
    facts: list[FactDiff] = Field(default_factory=list)
    truncated: bool = Field(default=False, description="More facts differ than are listed.")


def diff(store: GraphStore, first: int, last: int | None = None, *,
         limit: int = 1000) -> ChangeDiff:
    """The diff of change sets ``first`` to ``last`` (default: ``first`` alone)."""
    last = first if last is None else last
    if last < first:
        first, last = last, first
    header_or_404(store, first)
    header_or_404(store, last)
    ids = sorted(h.id for h in store.history.headers() if first <= h.id <= last)
    before: dict[FactKey, FactState | None] = {}
    provenance_only: set[FactKey] = set()
    values_later: dict[FactKey, FactState] = {}
    for change in ids:
        for key, t in touches(change, store.history.body(change)).items():
            if key not in before:
                before[key] = t.before
                if t.reasserted:
                    provenance_only.add(key)
            elif key in provenance_only and key not in values_later and t.before is not None \
                    and not t.reasserted:
                values_later[key] = t.before
    after = later_states(store, before, last)
    headers = headers_by_id(store)
    out = ChangeDiff(first=first, last=last)
    found: list[FactDiff] = []
    for key, old in before.items():
        new = after.get(key)
        if old is not None and key in provenance_only:
            props = values_later.get(key, new or FactState()).props
            old = FactState(props, old.change, old.sources)
        item = _compare(key, old, new, headers)
        if item is not None:
            found.append(item)
    found.sort(key=lambda d: (ORDER.index(d.outcome), d.kind, d.fact))
    for d in found:
        out.counts[d.outcome] = out.counts.get(d.outcome, 0) + 1
    out.truncated = len(found) > limit
    out.facts = found[:limit]
    return out


def _compare(key: FactKey, old: FactState | None, new: FactState | None,
             headers: Any) -> FactDiff | None:
    if old is None and new is None:
        return None
    if old == new:
        return None
    base: dict[str, Any] = {
        "fact": fact_id(key), "kind": fact_kind(key),
        "before": None if old is None else dict(old.props),
        "after": None if new is None else dict(new.props),
        "sources_before": source_rows(old.sources, headers) if old else [],
        "sources_after": source_rows(new.sources, headers) if new else []}
    if old is None:
        return FactDiff(outcome="added", **base)
    if new is None:
        return FactDiff(outcome="deleted", **base)
    names = sorted(set(old.props) | set(new.props))
    fields = {n: [old.props.get(n), new.props.get(n)] for n in names
              if old.props.get(n) != new.props.get(n)}
    return FactDiff(outcome="changed" if fields else "reasserted", fields=fields, **base)
