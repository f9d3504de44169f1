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


def headers_by_id(store: GraphStore, wanted: Iterable[int] = ()) -> dict[int, ChangeHeader]:
    """Every change-set header by id, kept per data version of the store.

    A fact read live may name a change set newer than the cached headers (another process
    wrote it while this one still trusts its data version for up to a second): when one of
    ``wanted`` is missing, the headers are read afresh, so a fact is never shown with its
    new values and no change set behind them."""
    headers: dict[int, ChangeHeader] = store.derived.get(
        ("history-headers",), lambda: {h.id: h for h in store.history.headers()})
    if any(c not in headers for c in wanted):
        headers = {h.id: h for h in store.history.headers()}
    return headers


def _changes(states: Iterable[FactState]) -> set[int]:
    """Every change set a state names (the last writer and every source token's)."""
    out: set[int] = set()
    for state in states:
        if state.change is not None:
            out.add(state.change)
        for text in (state.sources or "").split():
            try:
                out.add(parse_token(text)[0])
            except ValueError:
                continue
    return out


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
    state = FactState.of(attrs)
    return describe(key, state, headers_by_id(store, _changes([state])))


def provenance_of(store: GraphStore, keys: Iterable[FactKey]) -> dict[FactKey, Provenance]:
    """The provenance of each fact of ``keys`` that exists."""
    states = store.fact_states(keys)
    if not states:
        return {}
    headers = headers_by_id(store, _changes(states.values()))
    return {k: describe(k, s, headers) for k, s in states.items()}


#: The columns an export adds to every fact it writes (the loader reads past them: a
#: reloaded export is a new load, with its own provenance).
EXPORT_COLUMNS = ("prov_change", "prov_kind", "prov_by", "prov_at", "prov_sources")


def source_text(row: SourceRow) -> str:
    """A source row for a file: ``people.xlsx › 人员 › 5 (#3)``; a change set without rows
    (a correction, an act) as ``#9 correction: reason``."""
    if row.file is None:
        return f"#{row.change} {row.kind}" + (f": {row.reason}" if row.reason else "")
    where = " › ".join([row.file, *([row.sheet] if row.sheet else []), str(row.row)])
    return f"{where} (#{row.change})"


def export_cells(p: Provenance | None) -> dict[str, Any]:
    """The :data:`EXPORT_COLUMNS` of a fact: the change set that last wrote it (id, kind,
    by, when) and every source row asserting it, newest first, joined by ``; ``."""
    if p is None or p.change is None:
        return dict.fromkeys(EXPORT_COLUMNS)
    return dict(zip(EXPORT_COLUMNS, (p.change, p.kind, p.user, p.at,
                                     "; ".join(source_text(s) for s in p.sources) or None),
                    strict=True))

