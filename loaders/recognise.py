"""Which table a file is, from its header row, when its name does not say.

``2017年干部名单.csv`` or ``people_gbk.csv`` hold the people table as surely as ``人员.csv``
does; their header row says so. The first of the top :data:`HEADER_SEARCH` rows that reads
as a header of some table decides: a table *fits* a row when the row names every column the
table requires and is a header by the validator's rule (two known
columns, or half of the row's cells); of the tables that fit, the one naming the most of its
columns wins. A tie is ambiguous: the loader names the candidates and ``--table NAME``
settles it.

>>> recognise([(1, ["编号", "姓名", "职务"])]).table.name
'people'
>>> recognise([(1, ["person_id", "unit_id", "role", "start"])]).table.name
'posts'
>>> [t.name for t in recognise([(1, ["编号", "标题"])]).candidates]
['issues', 'projects', 'cases']
>>> recognise([(1, ["序号", "备注"])]).table is None
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from loaders.tables import TABLES, Table, norm_header
from loaders.values import to_text

#: How many rows from the top are searched for the header (title rows above it).
HEADER_SEARCH = 10


@dataclass(frozen=True)
class Recognised:
    """The table a header row names (``None``: none or several), and the tied candidates."""

    table: Table | None
    candidates: list[Table] = field(default_factory=list)
    row: int | None = None

    @property
    def ambiguous(self) -> bool:
        return self.table is None and len(self.candidates) > 1


def _texts(cells: Iterable[Any]) -> list[str]:
    return [to_text(c) for c in cells if c is not None and to_text(c)]


def _fit(table: Table, texts: Sequence[str]) -> int | None:
    """How many of ``table``'s columns the row names, or None when it is not its header."""
    lookup = table.header_lookup
    named = {lookup[norm_header(t)].name for t in texts if norm_header(t) in lookup}
    known = sum(1 for t in texts if norm_header(t) in lookup)
    if not known or not (known >= 2 or 2 * known >= len(texts)):
        return None
    if any(c.required and c.name not in named for c in table.columns):
        return None
    return len(named)


def recognise(rows: Iterable[tuple[int, Sequence[Any]]]) -> Recognised:
    """The table whose header is among ``rows`` (``(row number, cells)``, top rows first)."""
    for n, cells in rows:
        texts = _texts(cells)
        if not texts:
            continue
        fits = [(score, t) for t in TABLES if (score := _fit(t, texts)) is not None]
        if not fits:
            continue
        best = max(score for score, _ in fits)
        top = [t for score, t in fits if score == best]
        return Recognised(top[0] if len(top) == 1 else None, top, n)
    return Recognised(None)


def names(tables: Iterable[Table]) -> str:
    """``people/人员、units/单位``: tables as the messages list them."""
    return "、".join(f"{t.name}/{t.zh}" for t in tables)
