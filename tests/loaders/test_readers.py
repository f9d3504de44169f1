"""Reading every supported form: encodings, header aliases, title rows, trailing empty rows,
XLSX (formulas as text, sheets by English or Chinese name), JSON and JSONL, folders."""

from __future__ import annotations

import codecs
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from tests.loaders.files import PEOPLE, UNITS, load, snapshot, where, write_csv, write_xlsx


@pytest.fixture
def mem() -> EmbeddedStore:
    """An in-memory store, for cases that only need to see what was read (bad cases and
    writes run on both backends through ``store``)."""
    return EmbeddedStore(None)


ZH_UNITS = [["编号", "名称", "类型", "层级", "上级单位"],
            ["SH", "上海市委", "党委", "0", ""],
            ["JD", "嘉定区委", "区委", "1", "SH"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_csv_encodings_are_detected(mem: EmbeddedStore, tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "单位.csv", ZH_UNITS, encoding=encoding)
    if encoding == "utf-16":
        # Excel's "Unicode text": UTF-16 with BOM, tab-separated.
        path.write_text("\n".join("\t".join(r) for r in ZH_UNITS), encoding="utf-16")
    report = load(mem, path)
    assert report.ok, report.errors
    node = mem.get_node("unit:JD")
    assert node is not None and node.props["name"] == "嘉定区委"
    assert node.props["kind"] == "party_committee"


def test_gbk_after_a_long_ascii_prefix(mem: EmbeddedStore, tmp_path: Path) -> None:
    """Detection reads the whole file: non-ASCII bytes far down still decide the encoding."""
    rows = [["id", "name", "kind", "level"]]
    rows += [[f"U{i}", f"unit {i}", "other", "1"] for i in range(40_000)]
    rows.append(["U-ZH", "闵行区委", "党委", "1"])
    path = write_csv(tmp_path / "units.csv", rows, encoding="gbk")
    assert path.stat().st_size > 1 << 20
    report = load(mem, path)
    assert report.ok, report.errors
    node = mem.get_node("unit:U-ZH")
    assert node is not None and node.props["name"] == "闵行区委"


def test_undecodable_file_is_an_error(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes(b"id,name\n" + bytes(range(128, 256)) * 3)
    before = snapshot(store)
    report = load(store, path)
    assert not report.ok and not report.written
    assert report.errors[0].file == str(path)
    assert snapshot(store) == before


def test_header_aliases(mem: EmbeddedStore, tmp_path: Path) -> None:
    write_csv(tmp_path / "in" / "单位.csv", [["单位编号", "单位名称", "单位类型", "级别"],
                                             ["JD", "嘉定区委", "区委", "1"]])
    write_csv(tmp_path / "in" / "人员.csv", [["人员编号", "姓名", "职务"],
                                             ["P1", "张某某", "书记"]])
    write_csv(tmp_path / "in" / "任职.csv", [
        ["人员编号", "单位编号", "职务", "起始日期（yyyy-mm-dd）"],
        ["P1", "JD", "党委书记", "2016/1/1"]])
    report = load(mem, tmp_path / "in")
    assert report.ok, report.errors
    assert report.relationships == {"SERVES_IN": 1}
    (nb,) = mem.neighbours("person:P1", rel_types=["SERVES_IN"])
    assert nb.props["role"] == "secretary" and nb.props["start"] == "2016-01-01"


def test_unknown_column_is_a_warning(mem: EmbeddedStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", [["序号", "id", "name", "备注"],
                                               ["1", "P1", "张某某", "x"]])
    report = load(mem, path)
    assert report.ok and report.written
    assert {(w.code, w.column, w.row) for w in report.warnings} == {
        ("UNKNOWN_COLUMN", "序号", 1), ("UNKNOWN_COLUMN", "备注", 1)}


def test_title_row_and_trailing_empty_rows_csv(store: GraphStore, tmp_path: Path) -> None:
    rows = [["嘉定区单位表", "", "", ""], ["编号", "名称", "类型", "层级"],
            ["JD", "嘉定区委", "党委", "1"], ["JD-1", "", "部门", "2"],
            ["", "", "", ""], ["", "", "", ""]]
    path = write_csv(tmp_path / "单位.csv", rows)
    report = load(store, path)
    # Row numbers count the title row: the header is row 2, JD-1 is row 4.
    assert where(report, "REQUIRED") == [("单位.csv", None, 4, "名称")]
    assert report.rows_read == {"units": 2}


def test_xlsx_title_row_merged_and_trailing_empty_rows(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "清单.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append(["嘉定区问题清单（2017年）"])
    ws.merge_cells("A1:E1")
    ws.append(["编号", "问题", "来源", "严重程度", "发现日期"])
    ws.append(["I1", "主体责任落实不到位", "巡察", "一般", dt.datetime(2017, 3, 1)])
    ws.append(["I2", "谈话提醒不经常", "自查", "严重", "2017-02-30"])
    for _ in range(5):
        ws.append([None, None, None, None, None])
    ws["A20"] = None  # a touched but empty cell far below
    wb.save(path)
    before = snapshot(store)
    report = load(store, path)
    assert where(report, "BAD_DATE") == [("清单.xlsx", "问题清单", 4, "发现日期")]
    assert report.rows_read == {"issues": 2}
    assert snapshot(store) == before


def test_xlsx_sheets_by_english_and_chinese_name(mem: EmbeddedStore, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {
        "units": UNITS, "人员": PEOPLE, "说明": [["这是说明页"]],
        "任职": [["人员编号", "单位编号", "角色", "起始日期"],
                 ["P1", "JD", "书记", dt.datetime(2016, 1, 1)]],
    })
    report = load(mem, path)
    assert report.ok, report.errors
    assert report.nodes == {"Person": 2, "Unit": 3}
    assert report.relationships == {"SERVES_IN": 1, "SUBORDINATE_TO": 2}
    assert [w.code for w in report.warnings] == ["SHEET_IGNORED"]


def test_xlsx_numbers_serial_dates_and_int_ids(mem: EmbeddedStore, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {
        "units": [["id", "name", "kind", "level"], [1001, "某单位", "other", 2.0]],
        "people": PEOPLE,
        "posts": [["person_id", "unit_id", "role", "start"], ["P1", 1001, "member", 42795]],
    })
    report = load(mem, path)
    assert report.ok, report.errors
    node = mem.get_node("unit:1001")
    assert node is not None and node.props["level"] == 2
    (nb,) = mem.neighbours("person:P1", rel_types=["SERVES_IN"])
    assert nb.props["start"] == "2017-03-01"


def test_formula_cells_are_text_never_evaluated(store: GraphStore, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {
        "people": [["id", "name", "title"],
                   ["P1", "=HYPERLINK(\"http://evil.example\",\"点我\")", "=1+1"],
                   ["P2", "@SUM(A1)", "-2+3"]],
    })
    report = load(store, path)
    assert report.ok, report.errors
    p1, p2 = store.get_node("person:P1"), store.get_node("person:P2")
    assert p1 is not None and p1.props == {"name": "=HYPERLINK(\"http://evil.example\",\"点我\")",
                                           "title": "=1+1"}
    assert p2 is not None and p2.props == {"name": "@SUM(A1)", "title": "-2+3"}


def test_formula_in_a_typed_column_is_an_error(store: GraphStore, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {
        "units": [["id", "name", "kind", "level"], ["U1", "某单位", "other", "=1+1"]],
    })
    before = snapshot(store)
    report = load(store, path)
    assert where(report, "BAD_INT") == [("book.xlsx", "units", 2, "level")]
    assert snapshot(store) == before


def test_json_array_object_and_jsonl(mem: EmbeddedStore, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "units.json").write_text(json.dumps(
        [{"id": "SH", "name": "上海市委", "kind": "党委", "level": 0}], ensure_ascii=False))
    (tmp_path / "in" / "all.json").write_text(json.dumps({
        "人员": [{"编号": "P1", "姓名": "张某某"}],
        "inspections": [{"id": "X1", "name": "第一轮巡察", "kind": "巡察", "conducted_by": "SH",
                         "covers": ["SH"]}],
    }, ensure_ascii=False))
    (tmp_path / "in" / "posts.jsonl").write_bytes(codecs.BOM_UTF8 + "\n".join([
        json.dumps({"person_id": "P1", "unit_id": "SH", "role": "书记"}, ensure_ascii=False),
        "",
        json.dumps({"person_id": "P1", "unit_id": "SH", "role": "副书记", "start": "2017/1/1"},
                   ensure_ascii=False),
    ]).encode())
    report = load(mem, tmp_path / "in")
    assert report.ok, report.errors
    assert report.nodes == {"Inspection": 1, "Person": 1, "Unit": 1}
    assert report.relationships == {"CONDUCTED_BY": 1, "COVERS": 1, "SERVES_IN": 2}


def test_jsonl_bad_line_is_located(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    path.write_text('{"id": "P1", "name": "张某某"}\n{"id": "P2", "name": \n')
    before = snapshot(store)
    report = load(store, path)
    assert where(report, "BAD_JSON") == [("people.jsonl", None, 2, None)]
    assert snapshot(store) == before


def test_folders_recurse_and_skip_unknown_files(mem: EmbeddedStore, tmp_path: Path) -> None:
    write_csv(tmp_path / "in" / "a" / "units.csv", UNITS)
    write_csv(tmp_path / "in" / "b" / "c" / "people.csv", PEOPLE)
    write_csv(tmp_path / "in" / "notes.csv", [["x"], ["y"]])
    (tmp_path / "in" / "README.md").write_text("not data")
    (tmp_path / "in" / "~$units.xlsx").write_bytes(b"lock file")
    report = load(mem, tmp_path / "in")
    assert report.ok and report.nodes == {"Person": 2, "Unit": 3}
    assert [w.code for w in report.warnings] == ["FILE_IGNORED"]


def test_explicit_file_with_unknown_table_name_is_an_error(
    store: GraphStore, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "notes.csv", [["id"], ["x"]])
    report = load(store, path)
    assert where(report, "UNKNOWN_TABLE") == [("notes.csv", None, None, None)]


def test_no_header_row(store: GraphStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [["a", "b"], ["1", "2"]])
    report = load(store, path)
    assert where(report, "NO_HEADER") == [("units.csv", None, None, None)]
    assert not report.written
