"""Readers: files and folders in, :class:`RawSheet` streams out.

A raw sheet is one table's worth of rows from one CSV file, one worksheet or one JSON
array, each row with the number the user sees (spreadsheet row, CSV record, JSON item or
JSONL line). Grid sheets (CSV, XLSX) still contain their title and header rows; finding the
header is the validator's job, so that every format counts rows the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from graph.messages import Message
from loaders.errors import IssueLog, LoadUsageError
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


def read_path(path: Path, explicit: bool, log: IssueLog) -> Iterator[RawSheet]:
    """The raw sheets of one file; file-level problems go to ``log``."""
    display = str(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from loaders.readers.xlsx import read_xlsx

        yield from read_xlsx(path, display, log, explicit)
        return
    if suffix == ".json":
        from loaders.readers.jsonfile import read_json

        yield from read_json(path, display, log, explicit)
        return
    table = table_named(path.stem)
    if table is None:
        if explicit:
            log.error("UNKNOWN_TABLE", file=display, detail=path.stem, tables=table_list())
        else:
            log.warning("FILE_IGNORED", file=display)
        return
    if suffix in (".jsonl", ".ndjson"):
        from loaders.readers.jsonfile import read_jsonl

        yield from read_jsonl(path, display, table, log)
    elif suffix in (".csv", ".tsv", ".txt"):
        from loaders.readers.csvfile import read_csv

        yield from read_csv(path, display, table, log)
    else:
        log.error("FILE_TYPE", file=display, detail=suffix or path.name)
