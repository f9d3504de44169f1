"""JSON (an array of objects, or ``{table: [objects]}``) and JSON Lines (one object a line).

Rows are numbered from 1: the item's position in its array, or the line number in JSONL.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from graph.messages import Message
from loaders.errors import IssueLog
from loaders.readers import RawSheet, by_header
from loaders.tables import Table, table_named


def read_json(path: Path, display: str, log: IssueLog, explicit: bool,
              forced: Table | None = None) -> Iterator[RawSheet]:
    try:
        doc = orjson.loads(path.read_bytes().removeprefix(codecs.BOM_UTF8))
    except OSError as exc:
        log.error("FILE_UNREADABLE", file=display, detail=str(exc))
        return
    except orjson.JSONDecodeError as exc:
        log.error("BAD_JSON", file=display, detail=str(exc))
        return
    if isinstance(doc, list):
        table = forced or table_named(path.stem)
        rows = _items(doc, display, None, log)
        if table is None:
            table, rows = by_header(rows, kind="records", file=display, sheet=None,
                                    name=path.stem, explicit=explicit, log=log)
            if table is None:
                return
        yield RawSheet(display, None, table, "records", rows)
    elif isinstance(doc, dict):
        for key, items in doc.items():
            table = table_named(str(key))
            if table is None:
                log.warning("SHEET_IGNORED", file=display, detail=str(key))
                continue
            if not isinstance(items, list):
                log.error("BAD_JSON", file=display, sheet=str(key),
                          detail=Message("load.expect_array_of_objects"))
                continue
            yield RawSheet(display, str(key), table, "records", _items(items, display, key, log))
    else:
        log.error("BAD_JSON", file=display,
                  detail=Message("load.expect_array_or_tables"))


def _items(
    items: list[Any], display: str, sheet: str | None, log: IssueLog
) -> Iterator[tuple[int, Any]]:
    for n, item in enumerate(items, start=1):
        if isinstance(item, dict):
            yield n, item
        else:
            log.error("BAD_JSON", file=display, sheet=sheet, row=n,
                      detail=Message("load.expect_object"))


def read_jsonl(path: Path, display: str, table: Table | None, log: IssueLog,
               explicit: bool = True) -> Iterator[RawSheet]:
    rows = _lines(path, display, log)
    if table is None:
        table, rows = by_header(rows, kind="records", file=display, sheet=None,
                                name=path.stem, explicit=explicit, log=log)
        if table is None:
            return
    yield RawSheet(display, None, table, "records", rows, size=path.stat().st_size)


def _lines(path: Path, display: str, log: IssueLog) -> Iterator[tuple[int, Any]]:
    try:
        with open(path, "rb") as fh:
            for n, line in enumerate(fh, start=1):
                if n == 1:
                    line = line.removeprefix(codecs.BOM_UTF8)
                if not line.strip():
                    continue
                try:
                    item = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    log.error("BAD_JSON", file=display, row=n, detail=str(exc))
                    continue
                if isinstance(item, dict):
                    yield n, item
                else:
                    log.error("BAD_JSON", file=display, row=n,
                              detail=Message("load.expect_object"))
    except OSError as exc:
        log.error("FILE_UNREADABLE", file=display, detail=str(exc))
