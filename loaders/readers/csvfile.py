"""CSV (and tab-separated) files, in whatever encoding they were saved in."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from graph.messages import Message
from loaders.errors import IssueLog
from loaders.readers import RawSheet, by_header
from loaders.readers.encoding import detect_encoding, mixed_lines
from loaders.tables import Table

# Long texts (measures, summaries) can exceed the csv module's 128 KiB default.
_FIELD_LIMIT = 1 << 24


def _delimiter(sample: str) -> str:
    """Comma unless the first line clearly uses tabs or semicolons instead."""
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 and counts[","] == 0 else ","


def read_csv(path: Path, display: str, table: Table | None, log: IssueLog,
             explicit: bool = True) -> Iterator[RawSheet]:
    """The file as one sheet of ``table``, or of the table its header row names."""
    try:
        encoding = detect_encoding(path)
    except OSError as exc:
        log.error("FILE_UNREADABLE", file=display, detail=str(exc))
        return
    # Only a file that is not pure UTF-8 can be mixed (GB18030 or a fallback codec would
    # otherwise turn its UTF-8 rows into mojibake without a word).
    if encoding not in ("utf-8-sig", "utf-16") and (mixed := mixed_lines(path)) is not None:
        utf8_line, gb_line = mixed
        # The row to fix is where the file switches from its first encoding to the other.
        log.error("MIXED_ENCODING", file=display, row=_record_of(path, max(mixed)),
                  utf8_row=_record_of(path, utf8_line), gb_row=_record_of(path, gb_line))
        return
    if encoding is None:
        log.error("ENCODING", file=display)
        return
    rows: Iterator[tuple[int, list[str]]] = _rows(path, display, encoding, log)
    if table is None:
        table, rows = by_header(rows, kind="grid", file=display, sheet=None, name=path.stem,
                                explicit=explicit, log=log)
        if table is None:
            return
    yield RawSheet(display, None, table, "grid", rows, size=path.stat().st_size)


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
            # strict: an unterminated quote is an error, not the rest of the file as one cell.
            reader = csv.reader(fh, delimiter=_delimiter(sample), strict=True)
            for n, row in enumerate(reader, start=1):
                yield n, row
    except csv.Error as exc:
        log.error("FILE_FORMAT", file=display, row=n + 1, detail=_csv_reason(exc))
    except OSError as exc:
        log.error("FILE_UNREADABLE", file=display, detail=str(exc))


def _csv_reason(exc: csv.Error) -> str | Message:
    """The csv module's message, explained for the common cases."""
    text = str(exc)
    if "unexpected end of data" in text:
        return Message("load.csv_unterminated_quote", detail=text)
    if "expected after" in text:
        return Message("load.csv_char_after_quote", detail=text)
    return text


def _record_of(path: Path, line: int) -> int:
    """The CSV record (row as a spreadsheet shows it) that contains physical ``line``."""
    with open(path, encoding="gb18030", errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=_delimiter(fh.read(65536)))
        fh.seek(0)
        n = 0
        try:
            for n, _ in enumerate(reader, start=1):
                if reader.line_num >= line:
                    return n
        except csv.Error:
            pass
    return max(n, 1)
