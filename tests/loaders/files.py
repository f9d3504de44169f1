"""Builders for small input files, and a snapshot to prove a graph unchanged."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from graph.history.facts import PROVENANCE
from graph.store import GraphStore
from loaders.pipeline import LoadReport, load_paths

Rows = Sequence[Sequence[Any]]

UNITS: list[list[Any]] = [
    ["id", "name", "kind", "level", "parent_id"],
    ["SH", "上海市委", "party_committee", 0, ""],
    ["SH-JW", "市纪委监委", "discipline_body", 0, "SH"],
    ["JD", "嘉定区委", "party_committee", 1, "SH"],
]
PEOPLE: list[list[Any]] = [
    ["id", "name", "title"],
    ["P1", "张某某", "区委书记"],
    ["P2", "李某某", "区纪委书记"],
]

#: A worksheet part declaring nested entities ("billion laughs"): 10^9 "lol"s if expanded.
BILLION_LAUGHS_SHEET: bytes = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
              for i in range(9))
    + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
      '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol8;</t></is></c></row>'
      '</sheetData></worksheet>').encode()


def write_csv(path: Path, rows: Rows, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def workbook_bytes(sheets: Mapping[str, Rows]) -> bytes:
    """An XLSX workbook with one sheet per entry, rows as given."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_xlsx(path: Path, sheets: Mapping[str, Rows]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook_bytes(sheets))
    return path


def snapshot(store: GraphStore, *, provenance: bool = True) -> tuple[Any, ...]:
    """Everything in the graph, comparable with ==; with ``provenance=False`` the content
    alone (not which change set wrote each fact, nor its source rows)."""
    g = store.to_networkx()
    skip = () if provenance else PROVENANCE
    nodes = sorted((n, sorted((k, v) for k, v in a.items() if k not in skip))
                   for n, a in g.nodes(data=True))
    edges = sorted((u, v, k, sorted((x, y) for x, y in a.items() if x not in skip))
                   for u, v, k, a in g.edges(keys=True, data=True))
    return nodes, edges


def load(store: GraphStore, *paths: Path, **kw: Any) -> LoadReport:
    return load_paths(store, list(paths), progress=False, **kw)


Where = tuple[str | None, str | None, int | None, str | None]


def where(report: LoadReport, code: str) -> list[Where]:
    """(file name, sheet, row, column) of each error with this code."""
    return [
        (Path(e.file).name if e.file else None, e.sheet, e.row, e.column)
        for e in report.errors
        if e.code == code
    ]
