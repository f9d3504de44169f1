"""The bad-input corpus: malformed files, each with the exact problem the loader must report.

Text cases are built here (deterministic bytes); the binary ones (broken workbooks) are
committed under ``tests/reliability/corpus/`` and rebuilt by
``python -m tests.reliability.corpus`` (which writes the same bytes again).

Every case is loaded on top of a small base graph (:data:`BASE`): units SH, SH-JW, JD and
people P1, P2 (and, for the mixed-kind case, a unit and a person both called ``X1``).
``expect`` is the first error as (code, file name, sheet, row, column); ``None`` means the
input must load without error and leave the graph as it was (e.g. a header-only file).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from tests.loaders.files import BILLION_LAUGHS_SHEET, PEOPLE, UNITS, workbook_bytes

CORPUS = Path(__file__).parent / "corpus"

Expect = tuple[str, str | None, str | None, int | None, str | None]

UNITS_HEADER = UNITS[0]
# The loader tests' units and people, plus an "X1" that is both a unit and a person.
BASE_UNITS: list[list[Any]] = [*UNITS, ["X1", "某单位", "party_committee", 2, "JD"]]
BASE_PEOPLE: list[list[Any]] = [*PEOPLE, ["X1", "王某某", "科员"]]


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    return _normalise_zip(workbook_bytes(sheets))


def _normalise_zip(data: bytes) -> bytes:
    # Fixed timestamps so that rebuilding a committed fixture gives the same bytes.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                body = b'<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.' \
                       b'openxmlformats.org/package/2006/metadata/core-properties"/>'
            dst.writestr(zipfile.ZipInfo(item.filename, (2017, 3, 1, 0, 0, 0)), body,
                         zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _good_people_xlsx() -> bytes:
    return xlsx_bytes({"people": [*BASE_PEOPLE[:2], ["P9", "赵某某", "科员"]]})


def _replace_member(book: bytes, member: str, body: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(zipfile.ZipInfo(item.filename, (2017, 3, 1, 0, 0, 0)),
                         body if item.filename == member else src.read(item.filename),
                         zipfile.ZIP_DEFLATED)
    return out.getvalue()


def billion_laughs_xlsx() -> bytes:
    return _replace_member(_good_people_xlsx(), "xl/worksheets/sheet1.xml", BILLION_LAUGHS_SHEET)


def zip_bomb_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_good_people_xlsx())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(zipfile.ZipInfo(item.filename, (2017, 3, 1, 0, 0, 0)),
                         src.read(item.filename), zipfile.ZIP_DEFLATED)
        # 64 MiB of zeros deflate to ~64 KiB: a compression ratio of ~1000:1.
        dst.writestr(zipfile.ZipInfo("xl/media/padding.bin", (2017, 3, 1, 0, 0, 0)),
                     bytes(64 << 20), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def xml_in_sheet_broken_xlsx() -> bytes:
    body = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id'
            b'</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>P9</t>')
    return _replace_member(_good_people_xlsx(), "xl/worksheets/sheet1.xml", body)


#: Committed binary fixtures: name -> builder.
#: A table no name and no header row of the input tables matches.
UNKNOWN_HEADER = [["编号X", "备注Y"], ["1", "说明"]]

BINARY: dict[str, Callable[[], bytes]] = {
    "truncated.xlsx": lambda: _good_people_xlsx()[: len(_good_people_xlsx()) // 2],
    "zip-bomb.xlsx": zip_bomb_xlsx,
    "billion-laughs.xlsx": billion_laughs_xlsx,
    "broken-sheet-xml.xlsx": xml_in_sheet_broken_xlsx,
    # Sheets are recognised by their names or their header rows: these have neither.
    "wrong-sheet.xlsx": lambda: xlsx_bytes({"Sheet1": UNKNOWN_HEADER}),
    "wrong-sheets.xlsx": lambda: xlsx_bytes({"Sheet1": UNKNOWN_HEADER, "说明": [["readme"]]}),
    "bad-date-in-sheet.xlsx": lambda: xlsx_bytes({"任职": [
        ["person_id", "unit_id", "role", "start"], ["P1", "JD", "secretary", "2017-02-30"]]}),
    "formula-and-typo.xlsx": lambda: xlsx_bytes({"单位": [
        UNITS_HEADER, ["F1", '=HYPERLINK("http://evil.example","点击")', "party_committee", 2,
                       "JD"],
        ["F2", "=cmd|' /C calc'!A0", "party_comittee", 2, "JD"]]}),
}


def binary(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@dataclass
class Case:
    """One malformed input: files (relative path -> bytes) and the problem to report."""

    name: str
    files: dict[str, bytes]
    expect: Expect | None
    #: Warning codes that must be reported (in any order), for inputs that are accepted.
    warnings: tuple[str, ...] = ()
    #: Extra reason text the first error must contain (e.g. the decoded value).
    reason: str | None = None
    #: Run on Neo4j too (a representative subset; all run on the embedded store).
    neo4j: bool = False
    paths: list[str] = field(default_factory=list)  # what to pass to load (default: files)


def _u(*rows: list[Any]) -> bytes:
    return csv_bytes([UNITS_HEADER, *rows])


def _posts(*rows: list[Any]) -> bytes:
    return csv_bytes([["person_id", "unit_id", "role", "start", "end"], *rows])


def _records(*rows: list[Any]) -> bytes:
    return csv_bytes([["id", "kind", "actor_id", "target_id", "on", "summary"], *rows])


def _jsonl(*lines: bytes) -> bytes:
    return b"\n".join(lines) + b"\n"


BIG = "长" * ((10 << 20) // 3)  # ~10 MB of UTF-8 text in one cell


def cases() -> list[Case]:
    """All the cases (built fresh: some hold ~10 MB)."""
    utf16 = "id,name,kind,level,parent_id\r\nU9,某单位,party_committee,2,JD\r\n"
    return [
        # -- encodings ----------------------------------------------------------------
        Case("latin1-decoded-then-enum-typo",
             {"units.csv": _u(["U9", "Comité", "comité", 2, "JD"]).decode().encode("latin-1")},
             ("BAD_ENUM", "units.csv", None, 2, "kind"), reason="comité"),
        Case("utf16-without-bom", {"units.csv": utf16.encode("utf-16-le")},
             ("NO_HEADER", "units.csv", None, None, None)),
        Case("utf16-be-without-bom", {"units.csv": utf16.encode("utf-16-be")},
             ("NO_HEADER", "units.csv", None, None, None)),
        Case("utf8-then-gb18030-mixed",
             {"units.csv": _u(["U9", "某单位", "party_committee", 2, "JD"])
              + "U10,另一单位,党委X,2,JD\r\n".encode("gb18030")},
             # No single codec fits: refused at the row where the encoding switches.
             ("MIXED_ENCODING", "units.csv", None, 3, None), reason="row 2 is UTF-8"),
        Case("utf8-bom-then-gb18030",
             {"units.csv": codecs.BOM_UTF8 + _u(["U9", "某单位", "党委", "二级", "JD"]
                                                 ).decode().encode("gb18030")},
             # GB18030 reads the BOM as two characters glued to "id": no id column.
             ("MISSING_COLUMN", "units.csv", None, 1, "编号"), neo4j=True),
        Case("utf8-rows-then-gb18030-row",
             {"units.csv": csv_bytes(BASE_UNITS[:4])
              + "U10,另一单位,party_committee,2,JD\r\n".encode("gb18030")},
             ("MIXED_ENCODING", "units.csv", None, 5, None), neo4j=True),
        Case("nul-bytes", {"units.csv": _u(["U9", "某\x00单位", "party_committee", 2, "JD"])
                           .replace(b"party_committee", b"party\x00committee")},
             ("BAD_ENUM", "units.csv", None, 2, "kind")),
        Case("undecodable-bytes", {"units.csv": b"id,name\r\n" + bytes(range(128, 256)) * 4},
             ("ENCODING", "units.csv", None, None, None)),
        # -- file shapes --------------------------------------------------------------
        Case("empty-file", {"units.csv": b""}, ("NO_HEADER", "units.csv", None, None, None)),
        Case("header-only", {"units.csv": csv_bytes([UNITS_HEADER])}, None),
        Case("blank-lines-only", {"people.csv": b"\r\n\r\n  \r\n"},
             ("NO_HEADER", "people.csv", None, None, None)),
        Case("missing-required-column",
             {"units.csv": csv_bytes([["id", "kind", "level"], ["U9", "party_committee", 2]])},
             ("MISSING_COLUMN", "units.csv", None, 1, "名称"), neo4j=True),
        Case("unknown-column-warning",
             {"people.csv": csv_bytes([["id", "name", "title", "备注X"],
                                       ["P1", "张某某", "区委书记", "ignored"]])},
             None, warnings=("UNKNOWN_COLUMN",)),
        Case("duplicate-column",
             {"people.csv": csv_bytes([["id", "name", "姓名"], ["P9", "甲", "乙"]])},
             ("DUPLICATE_COLUMN", "people.csv", None, 1, "姓名")),
        Case("ragged-rows", {"units.csv": _u(["U9", "某单位", "party_committee", 2, "JD", "extra",
                                              "more"], ["U10", "短行"])},
             ("REQUIRED", "units.csv", None, 3, "kind")),
        Case("csv-field-over-reader-limit",
             {"people.csv": b"id,name\r\nP9," + b"x" * ((1 << 24) + 1) + b"\r\n"},
             ("FILE_FORMAT", "people.csv", None, 2, None)),
        # A file is recognised by its name or its header row; this one has neither.
        Case("unknown-table-name", {"stuff.csv": csv_bytes(UNKNOWN_HEADER)},
             ("UNKNOWN_TABLE", "stuff.csv", None, None, None)),
        Case("unsupported-extension", {"people.doc": csv_bytes(BASE_PEOPLE)},
             ("FILE_TYPE", "people.doc", None, None, None)),
        # -- ids ----------------------------------------------------------------------
        Case("duplicate-id-in-file",
             {"people.csv": csv_bytes([["id", "name"], ["P9", "甲"], ["P9", "乙"]])},
             ("DUPLICATE_ID", "people.csv", None, 3, "id"), neo4j=True),
        Case("duplicate-id-across-files",
             {"a/people.csv": csv_bytes([["id", "name"], ["P9", "甲"]]),
              "b/人员.csv": csv_bytes([["编号", "姓名"], ["P9", "乙"]])},
             ("DUPLICATE_ID", "人员.csv", None, 2, "编号")),
        Case("dangling-parent", {"units.csv": _u(["U9", "某单位", "party_committee", 2, "NOPE"])},
             ("REF_NOT_FOUND", "units.csv", None, 2, "parent_id"), neo4j=True),
        Case("dangling-in-multi-value",
             {"inspections.csv": csv_bytes([["id", "name", "kind", "conducted_by", "covers"],
                                            ["INS9", "巡察", "inspection", "JD", "SH;JD;GHOST"]])},
             ("REF_NOT_FOUND", "inspections.csv", None, 2, "covers")),
        Case("ref-to-wrong-kind",
             {"posts.csv": _posts(["JD", "JD", "secretary", "2017-01-01", ""])},
             ("REF_NOT_FOUND", "posts.csv", None, 2, "person_id")),
        Case("mixed-id-kinds", {"records.csv": _records(["R9", "fulfilment", "X1", "", "", ""])},
             ("REF_AMBIGUOUS", "records.csv", None, 2, "actor_id"), neo4j=True),
        Case("bad-kind-prefix", {"records.csv": _records(["R9", "fulfilment", "duty:D1", "", "",
                                                          ""])},
             ("BAD_PREFIX", "records.csv", None, 2, "actor_id")),
        Case("id-with-line-break", {"people.csv": csv_bytes([["id", "name"], ["P\n9", "甲"]])},
             ("BAD_ID", "people.csv", None, 2, "id")),
        Case("id-too-long", {"people.csv": csv_bytes([["id", "name"], ["P" * 201, "甲"]])},
             ("BAD_ID", "people.csv", None, 2, "id")),
        Case("ref-to-skipped-row-still-fails",
             {"units.csv": _u(["U9", "", "party_committee", 2, "JD"],
                              ["U10", "下级", "party_committee", 3, "U9"])},
             ("REQUIRED", "units.csv", None, 2, "name")),
        # -- values -------------------------------------------------------------------
        Case("impossible-date-feb-30", {"posts.csv": _posts(["P1", "JD", "secretary",
                                                             "2017-02-30", ""])},
             ("BAD_DATE", "posts.csv", None, 2, "start"), neo4j=True),
        Case("impossible-month-13", {"posts.csv": _posts(["P1", "JD", "secretary",
                                                          "2017年13月1日", ""])},
             ("BAD_DATE", "posts.csv", None, 2, "start")),
        Case("date-words", {"posts.csv": _posts(["P1", "JD", "secretary", "去年", ""])},
             ("BAD_DATE", "posts.csv", None, 2, "start")),
        Case("date-serial-out-of-range", {"records.json": orjson.dumps(
            [{"id": "R9", "kind": "fulfilment", "actor_id": "unit:JD", "on": 99999999}])},
             ("BAD_DATE", "records.json", None, 1, "on")),
        Case("enum-typo", {"units.csv": _u(["U9", "某单位", "party_comittee", 2, "JD"])},
             ("BAD_ENUM", "units.csv", None, 2, "kind"), neo4j=True),
        Case("enum-typo-role", {"posts.csv": _posts(["P1", "JD", "secretry", "2017-01-01", ""])},
             ("BAD_ENUM", "posts.csv", None, 2, "role")),
        Case("int-not-a-number", {"units.csv": _u(["U9", "某单位", "party_committee", "高", "JD"])},
             ("BAD_INT", "units.csv", None, 2, "level")),
        Case("int-out-of-range", {"units.csv": _u(["U9", "某单位", "party_committee", 99, "JD"])},
             ("OUT_OF_RANGE", "units.csv", None, 2, "level")),
        Case("required-blank", {"people.csv": csv_bytes([["id", "name"], ["P9", "   "]])},
             ("REQUIRED", "people.csv", None, 2, "name")),
        Case("huge-cell-10mb", {"people.csv": csv_bytes([["id", "name"], ["P9", BIG]])},
             ("TOO_LONG", "people.csv", None, 2, "name")),
        Case("huge-text-cell", {"records.csv": _records(["R9", "fulfilment", "unit:JD", "", "",
                                                         "摘" * 100_001])},
             ("TOO_LONG", "records.csv", None, 2, "summary")),
        Case("formula-with-typo-elsewhere",
             {"units.csv": _u(["F1", '=HYPERLINK("http://evil.example","x")', "party_committee",
                               2, "JD"], ["F2", "=cmd|' /C calc'!A0", "party_comittee", 2, "JD"])},
             ("BAD_ENUM", "units.csv", None, 3, "kind")),
        # -- JSON / JSONL --------------------------------------------------------------
        Case("json-not-an-array", {"people.json": b"42"},
             ("BAD_JSON", "people.json", None, None, None)),
        Case("json-syntax-error", {"people.json": '[{"id": "P9", "name": "甲"'.encode()},
             ("BAD_JSON", "people.json", None, None, None), neo4j=True),
        Case("json-items-not-objects", {"people.json": b'["P9", "P10"]'},
             ("BAD_JSON", "people.json", None, 1, None)),
        Case("json-table-not-array", {"book.json": b'{"people": {"id": "P9"}}'},
             ("BAD_JSON", "book.json", "people", None, None)),
        Case("json-unknown-table-only", {"book.json": b'{"nonsense": []}'}, None,
             warnings=("SHEET_IGNORED",)),
        Case("jsonl-broken-line", {"people.jsonl": _jsonl(b'{"id": "P9", "name": "A"}',
                                                          b'{"id": "P10", "name": ',
                                                          b'{"id": "P11", "name": "C"}')},
             ("BAD_JSON", "people.jsonl", None, 2, None)),
        Case("jsonl-line-not-object", {"people.jsonl": _jsonl(b'{"id": "P9", "name": "A"}',
                                                              b'[1, 2]')},
             ("BAD_JSON", "people.jsonl", None, 2, None)),
        Case("json-object-as-enum", {"units.json": orjson.dumps(
            [{"id": "U9", "name": "某单位", "kind": {"a": 1}, "level": 2}])},
             ("BAD_ENUM", "units.json", None, 1, "kind")),
        # -- workbooks (committed fixtures) --------------------------------------------
        Case("not-a-workbook", {"people.xlsx": "id,name\r\nP9,甲\r\n".encode()},
             ("FILE_FORMAT", "people.xlsx", None, None, None), neo4j=True),
        Case("truncated-xlsx", {"people.xlsx": binary("truncated.xlsx")},
             ("FILE_FORMAT", "people.xlsx", None, None, None)),
        Case("zip-bomb-xlsx", {"people.xlsx": binary("zip-bomb.xlsx")},
             ("ZIP_BOMB", "people.xlsx", None, None, None), neo4j=True),
        Case("billion-laughs-xlsx", {"people.xlsx": binary("billion-laughs.xlsx")},
             ("FILE_FORMAT", "people.xlsx", None, None, None), reason="EntitiesForbidden"),
        Case("broken-sheet-xml", {"people.xlsx": binary("broken-sheet-xml.xlsx")},
             ("FILE_FORMAT", "people.xlsx", None, None, None)),
        Case("wrong-sheet-name", {"book.xlsx": binary("wrong-sheet.xlsx")},
             ("UNKNOWN_TABLE", "book.xlsx", "Sheet1", None, None)),
        # Several sheets, none a known table, the workbook named explicitly: an error.
        Case("no-known-sheet", {"book.xlsx": binary("wrong-sheets.xlsx")},
             ("NO_KNOWN_SHEET", "book.xlsx", None, None, None), warnings=("SHEET_IGNORED",)),
        Case("bad-date-in-sheet", {"book.xlsx": binary("bad-date-in-sheet.xlsx")},
             ("BAD_DATE", "book.xlsx", "任职", 2, "start")),
        Case("formula-cells-and-typo", {"book.xlsx": binary("formula-and-typo.xlsx")},
             ("BAD_ENUM", "book.xlsx", "单位", 3, "kind")),
    ]


def build(dest: Path = CORPUS) -> list[Path]:
    """Write the committed binary fixtures."""
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for name, make in BINARY.items():
        path = dest / name
        path.write_bytes(make())
        out.append(path)
    return out


if __name__ == "__main__":  # pragma: no cover - fixture maintenance
    for p in build():
        print(p, p.stat().st_size)
