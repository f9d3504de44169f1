"""Tables recognised by their header row when the file's name does not say (issue #16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.history.provenance import provenance_of
from graph.store import GraphStore
from loaders.errors import LoadUsageError
from tests.loaders.files import PEOPLE, UNITS, load, snapshot, where, write_csv, write_xlsx

ZH_PEOPLE = [["编号", "姓名", "职务"], ["P1", "张某某", "区委书记"], ["P2", "李某某", "区纪委书记"]]
POSTS = [["person_id", "unit_id", "role", "start", "end"],
         ["P1", "JD", "secretary", "2016-01-01", ""]]


def test_holdout_names_load_with_no_renaming(store: GraphStore, tmp_path: Path) -> None:
    # A GB18030 people file and a UTF-8-with-BOM posts file, named for people, not tables.
    units = write_csv(tmp_path / "2017年单位.csv", UNITS)
    people = write_csv(tmp_path / "people_gbk.csv", ZH_PEOPLE, encoding="gb18030")
    posts = write_csv(tmp_path / "posts_bom.csv", POSTS, encoding="utf-8-sig")
    report = load(store, units, people, posts)
    assert report.ok, report.errors
    assert report.nodes == {"Person": 2, "Unit": 3}
    assert report.relationships.get("SERVES_IN") == 1
    (row,) = provenance_of(store, ["person:P2"])["person:P2"].sources
    assert (row.file, row.table, row.row) == ("people_gbk.csv", "people", 3)


def test_header_below_a_title_row_is_found(store: GraphStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "2017年干部名单.csv", [["2017年嘉定区干部名单"], [], *ZH_PEOPLE])
    report = load(store, path)
    assert report.ok, report.errors
    assert store.get_node("person:P2") is not None


def test_sheets_are_recognised_by_their_headers(store: GraphStore, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "汇总.xlsx", {"Sheet1": UNITS, "Sheet2": PEOPLE})
    report = load(store, path)
    assert report.ok, report.errors
    assert report.nodes == {"Person": 2, "Unit": 3}


def test_ambiguous_header_names_the_candidates(store: GraphStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "清单.csv", [["编号", "标题"], ["X1", "某事项"]])
    before = snapshot(store)
    report = load(store, path)
    assert where(report, "AMBIGUOUS_TABLE") == [("清单.csv", None, 1, None)]
    (err,) = report.errors
    assert "issues/问题" in err.reason_zh and "cases/案件" in err.reason_en
    assert "--table" in err.reason_en and "--table" in err.reason_zh
    assert snapshot(store) == before


def test_table_option_forces_the_table(store: GraphStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "清单.csv", [["编号", "标题", "单位"], ["I1", "某问题", "JD"]])
    assert load(store, write_csv(tmp_path / "u" / "units.csv", UNITS)).ok
    report = load(store, path, table="问题")
    assert report.ok, report.errors
    assert report.nodes == {"Issue": 1}
    with pytest.raises(LoadUsageError):
        load(store, path, table="nonsense")


def test_unrecognised_file_named_on_the_command_line_is_an_error(
        store: GraphStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "notes.csv", [["序号", "备注"], [1, "x"]])
    before = snapshot(store)
    report = load(store, path)
    assert where(report, "UNKNOWN_TABLE") == [("notes.csv", None, None, None)]
    assert snapshot(store) == before
