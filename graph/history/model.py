"""Change sets: what every load, sync, correction, everyday act and undo records.

A change set has a *header* (:class:`ChangeHeader`: who, when, what files with their
checksums, what counts, why) and a *body* made of *parts* (:class:`ChangePart`), one per
write transaction: the facts it added and, for every fact that existed before, the state it
replaced (properties and provenance). A part is written in the same transaction as the
facts it describes, so the history and the graph never disagree, even when a load is cut
short. Undo reads the parts back (:mod:`graph.history.undo`).
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson
from pydantic import BaseModel, Field

from graph.history.facts import FactKey, FactState, RelKey, fact_kind, key_from_json, key_json

ChangeKind = Literal["load", "sync", "correction", "act", "undo"]
#: ``open`` while its writes run (or when they were cut short), ``done`` once finished.
ChangeStatus = Literal["open", "done"]
#: What a part says happened to a fact that existed before: ``changed`` values,
#: ``reasserted`` (same values, one more source) or ``deleted`` (retracted, corrected away,
#: undone).
Outcome = Literal["changed", "reasserted", "deleted"]
OUTCOMES: tuple[str, ...] = ("added", "changed", "reasserted", "deleted")
_CODE = {"changed": "c", "reasserted": "s", "deleted": "d"}
_OUTCOME: dict[str, Outcome] = {"c": "changed", "s": "reasserted", "d": "deleted"}


class SourceFile(BaseModel):
    """One sheet of one input file of a change set; source tokens name it by position."""

    name: str = Field(description="The file name (without folders).")
    path: str = Field(description="The path as given to the loader.")
    sha256: str = Field(description="SHA-256 of the file's bytes, hex.")
    sheet: str | None = Field(default=None, description="Worksheet (or JSON table key).")
    table: str = Field(description="The input table its rows were read as.")


class SyncSpec(BaseModel):
    """What a ``load --sync`` declared authoritative: tables within unit subtrees."""

    units: list[str] = Field(description="Roots of the subtrees (unit uids); ['*']: all.")
    tables: list[str] = Field(description="The tables whose facts the input is the whole of.")


class ChangeHeader(BaseModel):
    """Who changed what, when and why; ``counts`` per outcome, then per label or type."""

    id: int
    kind: ChangeKind
    user: str
    at: str = Field(description="Start, ISO 8601 UTC.")
    finished_at: str | None = None
    status: ChangeStatus = "open"
    sources: list[SourceFile] = Field(default_factory=list)
    counts: dict[str, dict[str, int]] = Field(default_factory=dict)
    reason: str | None = None
    undoes: int | None = Field(default=None, description="The change set this one undid.")
    undone_by: int | None = Field(default=None, description="The undo that reversed it.")
    sync: SyncSpec | None = None

    @property
    def files(self) -> list[tuple[str, str]]:
        """(name, sha256) of each file, once each, in order."""
        return list(dict.fromkeys((s.name, s.sha256) for s in self.sources))

    def total(self, outcome: str) -> int:
        return sum(self.counts.get(outcome, {}).values())


@dataclass(frozen=True, slots=True)
class Replaced:
    """A fact that existed before a change: what became of it, and its state before."""

    outcome: Outcome
    key: FactKey
    #: Its state before; for ``reasserted`` only the provenance (the values stayed).
    before: FactState


@dataclass
class ChangePart:
    """What one write transaction of a change set did."""

    added: list[FactKey] = field(default_factory=list)
    replaced: list[Replaced] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.replaced)

    def counts(self) -> dict[str, dict[str, int]]:
        """Facts per outcome, then per label or relationship type."""
        out: dict[str, Counter[str]] = {o: Counter() for o in OUTCOMES}
        for key in self.added:
            out["added"][fact_kind(key)] += 1
        for r in self.replaced:
            out[r.outcome][fact_kind(r.key)] += 1
        return {o: dict(sorted(c.items())) for o, c in out.items() if c}

    def encode(self) -> bytes:
        """Compact bytes: zlib-compressed JSON, relationships grouped by type."""
        nodes = [k for k in self.added if isinstance(k, str)]
        rels: dict[str, list[list[str]]] = {}
        for k in self.added:
            if not isinstance(k, str):
                rels.setdefault(k[0], []).append([k[1], k[2], k[3]])
        doc = {"n": nodes, "r": rels,
               "x": [[_CODE[r.outcome], key_json(r.key), *r.before.as_json()]
                     for r in self.replaced]}
        return zlib.compress(orjson.dumps(doc), 1)

    @classmethod
    def decode(cls, data: bytes) -> ChangePart:
        doc = orjson.loads(zlib.decompress(data))
        added: list[FactKey] = list(doc["n"])
        for rel_type, rows in doc["r"].items():
            added.extend((rel_type, s, d, k) for s, d, k in rows)
        replaced = [Replaced(_OUTCOME[x[0]], key_from_json(x[1]), FactState.from_json(x[2:]))
                    for x in doc["x"]]
        return cls(added, replaced)


def merge_counts(parts: Iterable[dict[str, dict[str, int]]]) -> dict[str, dict[str, int]]:
    """The sum of several parts' :meth:`ChangePart.counts`."""
    total: dict[str, Counter[str]] = {}
    for counts in parts:
        for outcome, per in counts.items():
            total.setdefault(outcome, Counter()).update(per)
    return {o: dict(sorted(total[o].items())) for o in OUTCOMES if o in total}


@dataclass
class ChangeBody:
    """Every part of a change set, read back together."""

    parts: list[ChangePart] = field(default_factory=list)

    def added(self) -> Iterator[FactKey]:
        for p in self.parts:
            yield from p.added

    def replaced(self) -> Iterator[Replaced]:
        for p in self.parts:
            yield from p.replaced

    def added_nodes(self) -> set[str]:
        return {k for k in self.added() if isinstance(k, str)}

    def added_rels(self) -> set[RelKey]:
        return {k for k in self.added() if not isinstance(k, str)}


def header_json(header: ChangeHeader) -> str:
    return header.model_dump_json()


def header_of(doc: str | bytes | dict[str, Any]) -> ChangeHeader:
    if isinstance(doc, dict):
        return ChangeHeader.model_validate(doc)
    return ChangeHeader.model_validate_json(doc)
