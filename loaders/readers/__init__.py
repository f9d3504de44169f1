"""Readers: files and folders in, :class:`RawSheet` streams out.

A raw sheet is one table's worth of rows from one CSV file, one worksheet or one JSON
array, each row with the number the user sees (spreadsheet row, CSV record, JSON item or
JSONL line). Grid sheets (CSV, XLSX) still contain their title and header rows; finding the
header is the validator's job, so that every format counts rows the same way.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from graph.messages import Message
from loaders.errors import IssueLog, LoadUsageError
from loaders.recognise import HEADER_SEARCH, names, recognise
from loaders.tables import TABLES, Table, table_named

#: File types a folder is searched for.
EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".json", ".jsonl", ".ndjson")

RowKind = Literal["grid", "records"]


@dataclass
class RawSheet:
    """Rows of one table from one place: ``grid`` rows are lists, ``records`` rows dicts."""

    file: str
    sheet: str | None
    table: Table
    kind: RowKind
    rows: Iterator[tuple[int, Any]]
    #: Bytes of the file (for progress); 0 when unknown.
    size: int = 0


def table_list() -> str:
    return ", ".join(f"{t.name}/{t.zh}" for t in TABLES)


def discover(paths: Iterable[Path]) -> list[tuple[Path, bool]]:
    """Files to read as (path, explicit): folders are searched recursively, in name order.

    Raises :class:`LoadUsageError` for a path that does not exist. Hidden files and Excel's
    ``~$`` lock files inside folders are skipped.
    """
    out: list[tuple[Path, bool]] = []
    for p in paths:
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                rel = child.relative_to(p)
                if any(part.startswith((".", "~$")) for part in rel.parts):
                    continue
                if child.is_file() and child.suffix.lower() in EXTENSIONS:
                    out.append((child, False))
        elif p.is_file():
            out.append((p, True))
        else:
            raise LoadUsageError(Message("load.no_such_path", path=str(p)))
    return out


def by_header(
    rows: Iterator[tuple[int, Any]], *, kind: RowKind, file: str, sheet: str | None,
    name: str, explicit: bool, log: IssueLog,
) -> tuple[Table | None, Iterator[tuple[int, Any]]]:
    """The table ``rows`` are, from their header row (:mod:`loaders.recognise`), and the
    rows themselves (those looked at included).

    When no table fits: an error for a file named on the command line (``UNKNOWN_TABLE``),
    else a warning (the file or sheet is passed over); when several fit equally: an error
    naming them (``AMBIGUOUS_TABLE``; ``--table NAME`` settles it).
    """
    head = list(itertools.islice(rows, HEADER_SEARCH))
    cells = head if kind == "grid" else [(n, list(item)) for n, item in head]
    found = recognise(cells)
    rest = itertools.chain(head, rows)
    if found.table is not None:
        return found.table, rest
    if found.ambiguous:
        log.error("AMBIGUOUS_TABLE", file=file, sheet=sheet, row=found.row, detail=name,
                  candidates=names(found.candidates))
    elif explicit:
        log.error("UNKNOWN_TABLE", file=file, sheet=sheet, detail=name, tables=table_list())
    elif sheet is not None:
        log.warning("SHEET_IGNORED", file=file, sheet=sheet, detail=sheet)
    else:
        log.warning("FILE_IGNORED", file=file)
    return None, rest


def read_path(path: Path, explicit: bool, log: IssueLog,
              table: Table | None = None) -> Iterator[RawSheet]:
    """The raw sheets of one file; file-level problems go to ``log``.

    Which table: ``table`` when given (``--table``), else the file's (or sheet's) name,
    else its header row (:func:`by_header`).
    """
    display = str(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from loaders.readers.xlsx import read_xlsx

        yield from read_xlsx(path, display, log, explicit, table)
        return
    if suffix == ".json":
        from loaders.readers.jsonfile import read_json

        yield from read_json(path, display, log, explicit, table)
        return
    named = table or table_named(path.stem)
    if suffix in (".jsonl", ".ndjson"):
        from loaders.readers.jsonfile import read_jsonl

        yield from read_jsonl(path, display, named, log, explicit)
    elif suffix in (".csv", ".tsv", ".txt"):
        from loaders.readers.csvfile import read_csv

        yield from read_csv(path, display, named, log, explicit)
    else:
        log.error("FILE_TYPE", file=display, detail=suffix or path.name)
