"""Validating rows as they are read: header, types, enums, dates, required values, ids.

Valid rows are kept compactly, one flat tuple per row, so that a city-scale load (millions
of rows) fits in memory::

    (source index, row number, id, *property values, *references)

``id`` is None for tables of relationships only. A reference is kept as written but
canonical: ``"JD"`` (bare) or ``"unit:JD"`` (prefixed; ``单位：JD`` becomes that too), or a
tuple of those for multi-valued cells. :mod:`loaders.resolve` later turns them into uids.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graph.history.provenance import EXPORT_COLUMNS
from graph.messages import Message
from graph.schema import SCHEMA, uid_of
from loaders.errors import IssueLog
from loaders.readers import RawSheet
from loaders.recognise import HEADER_SEARCH
from loaders.tables import TABLES, Column, Table, norm_header
from loaders.values import (
    BadValue,
    converter,
    is_blank,
    parse_id,
    parse_number,
    parse_ref,
    split_multi,
    to_text,
)

#: The provenance columns of an export (loaders.export): read past without a warning.
_PROVENANCE = frozenset(norm_header(c) for c in EXPORT_COLUMNS)

#: Offset of the first property value in a row tuple.
FIRST_VALUE = 3

Row = tuple[Any, ...]


@dataclass
class SourceInfo:
    """Where rows came from, for error messages: the header text as the user wrote it."""

    file: str
    sheet: str | None
    table: Table
    headers: dict[str, str] = field(default_factory=dict)

    def header(self, column: str) -> str:
        return self.headers.get(column, column)


@dataclass
class Collected:
    """Everything read and validated so far, across files."""

    sources: list[SourceInfo] = field(default_factory=list)
    rows: dict[str, list[Row]] = field(default_factory=lambda: {t.name: [] for t in TABLES})
    #: Ids of valid rows, and of invalid ones (so references to them are told apart).
    ids: dict[str, set[str]] = field(default_factory=lambda: {n.label: set() for n in SCHEMA.nodes})
    invalid: dict[str, set[str]] = field(
        default_factory=lambda: {n.label: set() for n in SCHEMA.nodes})
    read: Counter[str] = field(default_factory=Counter)
    #: (table, id, source index, row) of later duplicates, located at the end of reading.
    duplicates: list[tuple[str, str, int, int]] = field(default_factory=list)

    @property
    def valid_rows(self) -> int:
        return sum(len(r) for r in self.rows.values())


@dataclass
class _Slot:
    column: Column
    index: int  # position in the row tuple
    convert: Callable[[Any], Any]


def _slots(table: Table) -> dict[str, _Slot]:
    out: dict[str, _Slot] = {}
    i = FIRST_VALUE
    for c in table.value_columns:
        assert c.prop is not None
        out[c.name] = _Slot(c, i, converter(c.prop))
        i += 1
    for c in table.ref_columns:
        out[c.name] = _Slot(c, i, _ref_converter(c))
        i += 1
    for c in table.columns:
        if c.is_id:
            out[c.name] = _Slot(c, 2, parse_id)
    return out


#: A header's note giving its unit as 万 (``金额（万元）``): values without 万 are in 万.
_IN_WAN = re.compile(r"[（(][^)）]*万[^)）]*[)）]\s*\*?\s*$")


def _slot_for_header(slot: _Slot, header: str) -> _Slot:
    """The slot as the header qualifies it: a number column headed in 万元 (``金额（万元）``)
    reads its plain values times 10,000, so ``12`` under that header is 120,000 yuan."""
    prop = slot.column.prop
    if prop is not None and prop.type == "number" and _IN_WAN.search(header):
        return _Slot(slot.column, slot.index,
                     lambda raw: parse_number(raw, prop, scale=10_000))
    return slot


def row_width(table: Table) -> int:
    return FIRST_VALUE + len(table.value_columns) + len(table.ref_columns)


def _canonical(text: str, labels: tuple[str, ...]) -> str:
    label, node_id = parse_ref(text, labels)
    return node_id if label is None else uid_of(label, node_id)


def _ref_converter(column: Column) -> Callable[[Any], Any]:
    assert column.ref is not None
    labels = column.ref.labels
    if column.multi:

        def multi(raw: Any) -> tuple[str, ...] | None:
            values = tuple(dict.fromkeys(_canonical(v, labels) for v in split_multi(raw)))
            return values or None

        return multi
    return lambda raw: _canonical(parse_id(raw), labels)


class SheetValidator:
    """Validates the rows of one raw sheet into ``collected``, logging every problem."""

    def __init__(self, sheet: RawSheet, collected: Collected, log: IssueLog) -> None:
        self.sheet = sheet
        self.table = sheet.table
        self.collected = collected
        self.log = log
        self.slots = _slots(self.table)
        self.width = row_width(self.table)
        self.info = SourceInfo(sheet.file, sheet.sheet, self.table)
        self.src = len(collected.sources)
        collected.sources.append(self.info)
        self.label = self.table.node
        self.missing: set[str] = set()
        self._required: list[tuple[int, str]] | None = None
        self._record_keys: dict[str, _Slot | None] = {}

    @property
    def required(self) -> list[tuple[int, str]]:
        """(slot index, column) of required columns present in the header."""
        if self._required is None:
            self._required = [(self.slots[c.name].index, c.name) for c in self.table.columns
                              if c.required and c.name not in self.missing]
        return self._required

    # -- locating ------------------------------------------------------------------
    def _err(self, code: str, row: int | None, column: str | None = None, **kw: Any) -> None:
        self.log.error(code, file=self.sheet.file, sheet=self.sheet.sheet, row=row,
                       column=column, **kw)

    # -- headers -------------------------------------------------------------------
    def _find_header(
        self, rows: Iterator[tuple[int, Any]]
    ) -> tuple[int, list[_Slot | None]] | None:
        lookup = self.table.header_lookup
        for _ in range(HEADER_SEARCH):
            try:
                n, cells = next(rows)
            except StopIteration:
                return None
            texts = [to_text(c) if c is not None else "" for c in cells]
            nonempty = [t for t in texts if t]
            known = [t for t in nonempty if norm_header(t) in lookup]
            if known and (len(known) >= 2 or 2 * len(known) >= len(nonempty)):
                return n, self._map_header(n, texts)
        return None

    def _map_header(self, n: int, texts: list[str]) -> list[_Slot | None]:
        lookup = self.table.header_lookup
        mapped: list[_Slot | None] = []
        seen: set[str] = set()
        for text in texts:
            col = lookup.get(norm_header(text)) if text else None
            if col is None:
                if text and norm_header(text) not in _PROVENANCE:
                    self.log.warning("UNKNOWN_COLUMN", file=self.sheet.file,
                                     sheet=self.sheet.sheet, row=n, column=text, detail=text)
                mapped.append(None)
                continue
            if col.name in seen:
                self._err("DUPLICATE_COLUMN", n, text, detail=text)
                mapped.append(None)
                continue
            seen.add(col.name)
            self.info.headers[col.name] = text
            mapped.append(_slot_for_header(self.slots[col.name], text))
        for c in self.table.columns:
            if c.required and c.name not in seen:
                self._err("MISSING_COLUMN", n, c.zh, detail=f"{c.zh} ({c.name})")
                self.missing.add(c.name)
        return mapped

    # -- rows ----------------------------------------------------------------------
    def run(self, advance: Callable[[int], None] | None = None) -> None:
        """Validate every row; ``advance(n)`` is told about rows done, a thousand at a time."""
        rows = iter(self.sheet.rows)
        done = 0
        if self.sheet.kind == "grid":
            found = self._find_header(rows)
            if found is None:
                self._err("NO_HEADER", None, detail=str(HEADER_SEARCH))
                for _ in rows:  # drain, so that reader errors still surface
                    pass
                return
            mapped = [(i, s) for i, s in enumerate(found[1]) if s is not None]
            for n, cells in rows:
                width = len(cells)
                done += self._row(n, [(s, cells[i]) for i, s in mapped if i < width])
                if advance and done >= 1024:
                    advance(done)
                    done = 0
        else:
            for n, item in rows:
                pairs = []
                for key, value in item.items():
                    slot = self._record_slot(str(key))
                    if slot is not None:
                        pairs.append((slot, value))
                done += self._row(n, pairs)
                if advance and done >= 1024:
                    advance(done)
                    done = 0
        if advance and done:
            advance(done)

    def _record_slot(self, key: str) -> _Slot | None:
        if key in self._record_keys:
            return self._record_keys[key]
        col = self.table.header_lookup.get(norm_header(key))
        slot = None if col is None else _slot_for_header(self.slots[col.name], key)
        if col is None:
            if norm_header(key) not in _PROVENANCE:
                self.log.warning("UNKNOWN_COLUMN", file=self.sheet.file,
                                 sheet=self.sheet.sheet, column=key, detail=key)
        else:
            self.info.headers.setdefault(col.name, key)
        self._record_keys[key] = slot
        return slot

    def _row(self, n: int, pairs: list[tuple[_Slot, Any]]) -> int:
        """Validate one row; 0 for a blank row (skipped, not counted), else 1."""
        values: list[Any] | None = None
        ok = not self.missing
        given: list[int] = []
        for slot, raw in pairs:
            if raw is None:
                continue
            if raw.__class__ is str:
                if not raw or raw.isspace():
                    continue
            elif is_blank(raw):
                continue
            if values is None:
                values = [None] * self.width
            given.append(slot.index)
            try:
                values[slot.index] = slot.convert(raw)
            except BadValue as bad:
                ok = False
                col = slot.column
                self._err(bad.code, n, self.info.header(col.name),
                          value=to_text(bad.value) if bad.value is not None else None,
                          detail=bad.detail)
        if values is None:
            return 0  # blank and trailing rows
        values[0] = self.src
        values[1] = n
        for index, name in self.required:
            if index not in given:
                ok = False
                self._err("REQUIRED", n, self.info.header(name))
        self.collected.read[self.table.name] += 1
        node_id = values[2]
        label = self.label
        if label is not None and node_id is not None:
            ids, invalid = self.collected.ids[label], self.collected.invalid[label]
            if node_id in ids or node_id in invalid:
                self.collected.duplicates.append((self.table.name, node_id, self.src, n))
                return 1
            if not ok:
                invalid.add(node_id)
                return 1
            ids.add(node_id)
        if ok:
            self.collected.rows[self.table.name].append(tuple(values))
        return 1


def report_duplicates(collected: Collected, log: IssueLog) -> None:
    """Log each later duplicate id with where its first occurrence is."""
    if not collected.duplicates:
        return
    wanted: dict[str, set[str]] = {}
    for table_name, node_id, _, _ in collected.duplicates:
        wanted.setdefault(table_name, set()).add(node_id)
    first: dict[tuple[str, str], Message] = {}
    for table_name, ids in wanted.items():
        for row in collected.rows[table_name]:
            if row[2] in ids and (table_name, row[2]) not in first:
                src = collected.sources[row[0]]
                place = " › ".join(p for p in (src.file, src.sheet) if p)
                first[(table_name, row[2])] = Message("load.at_row", place=place, row=row[1])
    for table_name, node_id, src_idx, n in collected.duplicates:
        src = collected.sources[src_idx]
        log.error("DUPLICATE_ID", file=src.file, sheet=src.sheet, row=n, column=src.header("id"),
                  value=node_id,
                  detail=first.get((table_name, node_id), Message("load.invalid_row")))
