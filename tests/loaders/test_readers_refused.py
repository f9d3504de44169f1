"""Inputs the readers refuse with a located error instead of reading them wrongly: a CSV
that mixes UTF-8 and GB18030 rows, an unterminated quote, a workbook with no known sheet."""

from __future__ import annotations

from pathlib import Path

from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from loaders.sample import sample_paths
from tests.loaders.files import PEOPLE, load, snapshot, where, write_csv, write_xlsx

ZH_PEOPLE = [["编号", "姓名", "职务"],
             ["P1", "张某某", "区委书记"],
             ["P2", "李某某", "区纪委书记"],
             ["P3", "王某某", "区委副书记"]]


def _mixed(path: Path, base: str, odd: str, odd_row: int) -> Path:
    """``ZH_PEOPLE`` saved in ``base`` with row ``odd_row`` (1-based) saved in ``odd``."""
    lines = [",".join(r) + "\r\n" for r in ZH_PEOPLE]
    path.write_bytes(b"".join(
        line.encode(odd if n == odd_row else base) for n, line in enumerate(lines, start=1)))
    return path


def test_gbk_file_with_a_pasted_utf8_row_is_refused(store: GraphStore, tmp_path: Path) -> None:
    path = _mixed(tmp_path / "人员.csv", "gb18030", "utf-8", 3)
    before = snapshot(store)
    report = load(store, path)
    assert where(report, "MIXED_ENCODING") == [("人员.csv", None, 3, None)]
    (err,) = report.errors
    assert "row 3 is UTF-8" in err.reason_en and "row 1 is GB18030" in err.reason_en
    assert "第 3 行是 UTF-8" in err.reason_zh
    assert snapshot(store) == before


def test_utf8_file_with_a_pasted_gbk_row_is_refused(store: GraphStore, tmp_path: Path) -> None:
    path = _mixed(tmp_path / "人员.csv", "utf-8", "gb18030", 4)
    before = snapshot(store)
    report = load(store, path)
    assert where(report, "MIXED_ENCODING") == [("人员.csv", None, 4, None)]
    assert "row 4 is GB18030" in report.errors[0].reason_en
    assert snapshot(store) == before


def test_mixed_rows_are_numbered_by_record_not_by_line(tmp_path: Path) -> None:
    # A quoted cell with a line break makes physical lines and spreadsheet rows differ.
    rows = [["编号", "姓名", "职务"], ["P1", "张某某", "区委\n书记"],
            ["P2", "李某某", "区纪委书记"]]
    text = [",".join(f'"{c}"' for c in r) + "\r\n" for r in rows]
    path = tmp_path / "人员.csv"
    path.write_bytes(text[0].encode("gb18030") + text[1].encode("gb18030")
                     + text[2].encode("utf-8"))
    report = load(EmbeddedStore(None), path)
    (err,) = report.errors
    assert err.code == "MIXED_ENCODING" and err.row == 3
    assert "row 3 is UTF-8" in err.reason_en


def test_whole_sample_in_gb18030_is_not_mistaken_for_mixed(tmp_path: Path) -> None:
    # Thousands of real Chinese rows in GB18030: none may look like UTF-8 Chinese.
    for src in sample_paths("csv"):
        for f in ([src] if src.is_file() else sorted(src.glob("*.csv"))):
            text = f.read_text(encoding="utf-8-sig")
            (tmp_path / f.name).write_bytes(text.encode("gb18030"))
    report = load(EmbeddedStore(None), tmp_path, dry_run=True)
    assert report.ok, report.errors[:3]
    assert sum(report.rows_read.values()) > 3000


def test_unterminated_quote_is_an_error_at_its_row(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text('id,name,title\nP1,张某某,区委书记\nP2,"李某某,区纪委书记\nP3,王某某,副书记\n',
                    encoding="utf-8")
    before = snapshot(store)
    report = load(store, path)
    assert where(report, "FILE_FORMAT") == [("people.csv", None, 3, None)]
    assert "unterminated quote" in report.errors[0].reason_en
    assert "引号未闭合" in report.errors[0].reason_zh
    assert snapshot(store) == before


def test_workbook_without_a_known_sheet_is_an_error(store: GraphStore, tmp_path: Path) -> None:
    # Neither the sheets' names nor their header rows name a table.
    path = write_xlsx(tmp_path / "汇总.xlsx", {"Sheet1": [["备注"], ["x"]],
                                                "Sheet2": [["序号", "说明"], [1, "y"]]})
    before = snapshot(store)
    report = load(store, path)
    (err,) = [e for e in report.errors if e.code == "NO_KNOWN_SHEET"]
    assert (Path(err.file or "").name, err.sheet, err.row) == ("汇总.xlsx", None, None)
    assert "Sheet1、Sheet2" in err.reason_zh and "units/单位" in err.reason_en
    assert snapshot(store) == before


def test_unknown_workbook_inside_a_folder_only_warns(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "in" / "notes.xlsx", {"Sheet1": [["备注"]], "Sheet2": [["x"]]})
    write_csv(tmp_path / "in" / "people.csv", PEOPLE)
    report = load(EmbeddedStore(None), tmp_path / "in")
    assert report.ok, report.errors
    assert [w.code for w in report.warnings] == ["SHEET_IGNORED", "SHEET_IGNORED"]
