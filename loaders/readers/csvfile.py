"""CSV (and tab-separated) files, in whatever encoding they were saved in."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from loaders.errors import IssueLog
from loaders.readers import RawSheet
from loaders.readers.encoding import detect_encoding
from loaders.tables import Table

# Long texts (measures, summaries) can exceed the csv module's 128 KiB default.
_FIELD_LIMIT = 1 << 24


def _delimiter(sample: str) -> str:
    """Comma unless the first line clearly uses tabs or semicolons instead."""
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 and counts[","] == 0 else ","


def read_csv(path: Path, display: str, table: Table, log: IssueLog) -> Iterator[RawSheet]:
    try:
        encoding = detect_encoding(path)
    except OSError as exc:
        log.error("FILE_UNREADABLE", file=display, detail=str(exc))
        return
    if encoding is None:
        log.error("ENCODING", file=display)
        return
    yield RawSheet(display, None, table, "grid", _rows(path, display, encoding, log),
                   size=path.stat().st_size)


def _rows(
    path: Path, display: str, encoding: str, log: IssueLog
) -> Iterator[tuple[int, list[str]]]:
    csv.field_size_limit(_FIELD_LIMIT)
    n = 0
    try:
        with open(path, encoding=encoding, newline="") as fh:
            sample = fh.read(65536)
            fh.seek(0)
            # Rows are numbered by record (what a spreadsheet program shows), not by
            # physical line, so a quoted cell with line breaks counts as one row.
            for n, row in enumerate(csv.reader(fh, delimiter=_delimiter(sample)), start=1):
                yield n, row
    except csv.Error as exc:
        log.error("FILE_FORMAT", file=display, row=n + 1, detail=str(exc))
    except OSError as exc:
        log.error("FILE_UNREADABLE", file=display, detail=str(exc))
