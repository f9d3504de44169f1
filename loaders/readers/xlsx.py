"""XLSX workbooks, read safely.

* Never evaluated: ``data_only=False`` gives a formula cell's formula text, which is stored
  as plain text; ``keep_links=False`` ignores external links; no macros (``.xlsm``) accepted.
* Bombs refused before parsing: the zip's entry count, total uncompressed size and each
  large entry's compression ratio are checked against limits first; then every part's
  uncompressed size, both as declared and as actually inflated (a streaming pass that stops
  at the limit, so a lying header costs nothing), against ``DUTYGRAPH_XLSX_MAX_PART_MB``
  (openpyxl keeps the whole shared-strings part in memory while reading a sheet, so a
  workbook with a ratio of 9:1 but 364 MB of shared strings would take minutes and GBs).
  openpyxl parses XML through defusedxml (installed), which rejects entity expansion
  (billion laughs).
* Read-only streaming (``read_only=True``), with the sheet's declared dimensions ignored
  (``reset_dimensions``) so a lying ``<dimension>`` cannot hide rows.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph.messages import Message
from graph.settings import get_settings
from loaders.errors import IssueLog
from loaders.readers import RawSheet, by_header, table_list
from loaders.tables import Table, table_named

#: Limits for a workbook before it is opened (a city-scale sheet is ~1M rows, ~200 MB XML).
MAX_ENTRIES = 10_000
MAX_UNCOMPRESSED = 2 << 30  # 2 GiB
MAX_RATIO = 200
#: Entries smaller than this are not ratio-checked (tiny XML parts compress very well).
RATIO_FLOOR = 1 << 20
#: Bytes inflated per step of the streaming size check.
CHUNK = 1 << 20
MIB = 1 << 20


def check_zip(path: Path) -> str | None:
    """Why the workbook must not be opened (a zip-bomb sign), or None if it looks sane."""
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        return f"{len(infos)} entries > {MAX_ENTRIES}"
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        return f"{total} bytes uncompressed > {MAX_UNCOMPRESSED}"
    for i in infos:
        if i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            ratio = i.file_size // max(i.compress_size, 1)
            return f"{i.filename}: ratio {ratio}:1 > {MAX_RATIO}:1"
    return None


def oversized_part(path: Path, max_part: int) -> tuple[str, str] | None:
    """The first part larger than ``max_part`` bytes uncompressed, as (name, size text), or
    None. Declared sizes first (the central directory), then every part is inflated in
    chunks and counted, stopping as soon as it passes the limit."""
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        for i in infos:
            if i.file_size > max_part:
                return i.filename, f"{i.file_size / MIB:.1f}"
        for i in infos:
            read = 0
            with zf.open(i) as part:
                while chunk := part.read(CHUNK):
                    read += len(chunk)
                    if read > max_part:
                        return i.filename, f"> {max_part / MIB:.1f}"
    return None


def read_xlsx(path: Path, display: str, log: IssueLog, explicit: bool,
              forced: Table | None = None) -> Iterator[RawSheet]:
    max_part = int(get_settings().xlsx_max_part_mb * MIB)
    try:
        reason = check_zip(path)
        too_large = None if reason else oversized_part(path, max_part)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError,
            RuntimeError, zlib.error) as exc:
        # Also a part whose data does not match its header (bad CRC, cut short, corrupt
        # deflate data) or that is encrypted.
        log.error("FILE_FORMAT", file=display,
                  detail=Message("load.not_xlsx", detail=str(exc)))
        return
    except OSError as exc:
        log.error("FILE_UNREADABLE", file=display, detail=str(exc))
        return
    if reason:
        log.error("ZIP_BOMB", file=display, detail=reason)
        return
    if too_large:
        log.error("XLSX_PART_TOO_LARGE", file=display, detail=display, part=too_large[0],
                  size=too_large[1], cap=f"{max_part / MIB:.1f}")
        return

    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        log.error("FILE_FORMAT", file=display, detail=_describe(exc))
        return
    try:
        sheets = list(wb.worksheets)
        stem_table = table_named(path.stem)
        known = 0
        for ws in sheets:
            table = forced or table_named(ws.title)
            if table is None and len(sheets) == 1 and stem_table is not None:
                table = stem_table  # 单位.xlsx with its one sheet "Sheet1"
            rows = _rows(ws, display, log)
            if table is None:
                # The header row decides; a lone sheet of a workbook named on the command
                # line must be a table, other sheets may be notes ("说明").
                table, rows = by_header(rows, kind="grid", file=display, sheet=ws.title,
                                        name=ws.title, log=log,
                                        explicit=explicit and len(sheets) == 1)
                if table is None:
                    continue
            known += 1
            yield RawSheet(display, ws.title, table, "grid", rows)
        if explicit and known == 0 and len(sheets) > 1:
            # A workbook named on the command line that holds nothing we can load is a
            # mistake (wrong file, renamed sheets), not something to pass over with warnings.
            log.error("NO_KNOWN_SHEET", file=display,
                      detail="、".join(ws.title for ws in sheets), tables=table_list())
    finally:
        wb.close()


def _rows(ws: Any, display: str, log: IssueLog) -> Iterator[tuple[int, Any]]:
    n = 0
    try:
        ws.reset_dimensions()
        # iter_rows from row 1 fills missing rows with empty ones, so n is the sheet's row.
        for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
            yield n, row
    except Exception as exc:  # a corrupt or hostile sheet part: report, never crash
        log.error("FILE_FORMAT", file=display, sheet=ws.title, row=n + 1, detail=_describe(exc))


def _describe(exc: BaseException) -> str:
    """The exception and its root cause (openpyxl wraps e.g. defusedxml's refusals)."""
    text = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    cause = exc.__cause__ or exc.__context__
    while cause is not None and (cause.__cause__ or cause.__context__) is not None:
        cause = cause.__cause__ or cause.__context__
    if cause is not None:
        text += f" (cause: {type(cause).__name__}: {cause})"
    return text
