"""Where a fact comes from, for people: its source rows (file › sheet › row, with the file's
SHA-256) and the change sets behind them (who, when, what kind), resolved from the fact's
provenance tokens (:mod:`graph.history.facts`) and the change-set headers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, Field

from graph.history.facts import FactKey, FactState, fact_id, parse_token
from graph.history.model import ChangeHeader
from graph.store.base import GraphStore


class SourceRow(BaseModel):
    """One row (or correction) asserting a fact, and the change set that brought it."""

    change: int = Field(description="The change set (loads show ID).")
    kind: str = Field(description="load, sync, correction or undo.")
    user: str | None = None
    at: str | None = Field(default=None, description="When the change set began (UTC).")
    file: str | None = Field(default=None, description="File name.")
    sha256: str | None = None
    sheet: str | None = None
    table: str | None = None
    row: int | None = Field(default=None, description="Row as the spreadsheet shows it.")
    reason: str | None = Field(default=None, description="A correction's reason.")


class Provenance(BaseModel):
    """A fact's provenance: the change set that last wrote it and the rows asserting it."""

    fact: str = Field(description="The fact: a uid, or src-TYPE->dst[key].")
    change: int | None = Field(default=None, description="The change set that last wrote it "
                               "(None: written before the history, or outside it).")
    user: str | None = None
    at: str | None = None
    kind: str | None = None
    sources: list[SourceRow] = Field(default_factory=list)


def headers_by_id(store: GraphStore) -> dict[int, ChangeHeader]:
    """Every change-set header by id, kept per data version of the store."""
    return store.derived.get(("history-headers",),
                             lambda: {h.id: h for h in store.history.headers()})


def source_rows(tokens: str | None, headers: Mapping[int, ChangeHeader]) -> list[SourceRow]:
    """The rows named by a fact's ``_sources``, newest first (unknown tokens are skipped)."""
    out: list[SourceRow] = []
    for text in (tokens or "").split():
        try:
            change, source, row = parse_token(text)
        except ValueError:
            continue
        header = headers.get(change)
        item = SourceRow(change=change, kind="?", row=row)
        if header is not None:
            item.kind, item.user, item.at, item.reason = (header.kind, header.user, header.at,
                                                          header.reason)
            if source is not None and 0 <= source < len(header.sources):
                src = header.sources[source]
                item.file, item.sha256, item.sheet, item.table = (src.name, src.sha256,
                                                                  src.sheet, src.table)
        out.append(item)
    out.reverse()
    return out


def describe(key: FactKey, state: FactState, headers: Mapping[int, ChangeHeader]) -> Provenance:
    """The provenance of a fact in ``state``."""
    header = headers.get(state.change) if state.change is not None else None
    return Provenance(fact=fact_id(key), change=state.change,
                      user=header.user if header else None, at=header.at if header else None,
                      kind=header.kind if header else None,
                      sources=source_rows(state.sources, headers))


def provenance_in(store: GraphStore, key: FactKey, attrs: Mapping[str, Any]) -> Provenance:
    """The provenance of a fact from its stored attributes as a read already returned them
    (``properties(n)``, with ``_change`` and ``_sources``): no further round trip, which a
    query answered in a few milliseconds would feel."""
    return describe(key, FactState.of(attrs), headers_by_id(store))


def provenance_of(store: GraphStore, keys: Iterable[FactKey]) -> dict[FactKey, Provenance]:
    """The provenance of each fact of ``keys`` that exists."""
    states = store.fact_states(keys)
    if not states:
        return {}
    headers = headers_by_id(store)
    return {k: describe(k, s, headers) for k, s in states.items()}
