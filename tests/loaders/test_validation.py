"""Bad input: every error names file, sheet, row, column and code, and nothing is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from graph.store import GraphStore
from tests.loaders.files import PEOPLE, UNITS, load, snapshot, where, write_csv, write_xlsx


def test_bad_values_are_all_reported_and_nothing_is_written(
    loaded: GraphStore, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "责任清单.csv", [
        ["编号", "内容", "责任类型", "责任主体", "年度"],
        ["D1", "落实主体责任", "主体责任", "JD", "2017"],
        ["D2", "部署党风廉政建设", "次要责任", "JD", "二〇一七"],
        ["D3", "", "一岗双责", "JD", "1800"],
    ])
    before = snapshot(loaded)
    report = load(loaded, path)
    assert not report.ok and not report.written
    assert where(report, "BAD_ENUM") == [("责任清单.csv", None, 3, "责任类型")]
    assert where(report, "BAD_INT") == [("责任清单.csv", None, 3, "年度")]
    assert where(report, "REQUIRED") == [("责任清单.csv", None, 4, "内容")]
    assert where(report, "OUT_OF_RANGE") == [("责任清单.csv", None, 4, "年度")]
    assert report.error_count == 4
    e = report.errors[0]
    assert e.reason_zh and e.reason_en and e.reason_zh != e.reason_en
    assert snapshot(loaded) == before


def test_impossible_date(store: GraphStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", [
        ["id", "title", "occurred_on", "opened_on"],
        ["C1", "违规收受礼金案", "2017-02-30", "2017年3月1日"],
    ])
    before = snapshot(store)
    report = load(store, path)
    assert where(report, "BAD_DATE") == [("cases.csv", None, 2, "occurred_on")]
    assert snapshot(store) == before


def test_missing_required_column_is_reported_once(store: GraphStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [["id", "name", "level"], ["A", "a", "1"],
                                              ["B", "b", "1"]])
    report = load(store, path)
    assert where(report, "MISSING_COLUMN") == [("units.csv", None, 1, "类型")]
    assert report.error_count == 1 and not report.written


def test_duplicate_ids_within_and_across_files(store: GraphStore, tmp_path: Path) -> None:
    write_csv(tmp_path / "in" / "1-units.csv", UNITS)
    write_xlsx(tmp_path / "in" / "2-more.xlsx", {"单位": [
        ["标题：补充单位"], ["编号", "名称", "类型", "层级"],
        ["MH", "闵行区委", "党委", 1], ["JD", "嘉定区委（重复）", "党委", 1],
        ["MH", "闵行区委（重复）", "党委", 1]]})
    before = snapshot(store)
    report = load(store, tmp_path / "in")
    assert sorted(where(report, "DUPLICATE_ID")) == [("2-more.xlsx", "单位", 4, "编号"),
                                                    ("2-more.xlsx", "单位", 5, "编号")]
    jd = next(e for e in report.errors if e.row == 4)
    assert "1-units.csv" in jd.reason_zh and "row 4" in jd.reason_en  # where the first one is
    assert snapshot(store) == before


def test_dangling_references_in_input(loaded: GraphStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "问题清单.csv", [
        ["编号", "问题", "所在单位", "领衔人", "关联责任"],
        ["I1", "谈话提醒不经常", "JD", "P1", ""],
        ["I2", "整改不到位", "NOPE", "P1", "D404"],
    ])
    before = snapshot(loaded)
    report = load(loaded, path)
    assert sorted(where(report, "REF_NOT_FOUND")) == [("问题清单.csv", None, 3, "关联责任"),
                                                     ("问题清单.csv", None, 3, "所在单位")]
    unit_err = next(e for e in report.errors if e.column == "所在单位")
    assert "NOPE" in unit_err.reason_zh and "no unit with id 'NOPE'" in unit_err.reason_en
    assert snapshot(loaded) == before


def test_references_resolve_against_the_store(loaded: GraphStore, tmp_path: Path) -> None:
    """Units and people loaded earlier are found: posts alone load fine."""
    path = write_csv(tmp_path / "posts.csv", [["person_id", "unit_id", "role", "start"],
                                              ["P1", "JD", "secretary", "2016-01-01"]])
    report = load(loaded, path)
    assert report.ok and report.written, report.errors
    assert [n.node.uid for n in loaded.neighbours("person:P1", rel_types=["SERVES_IN"])] == [
        "unit:JD"]


def test_dangling_reference_to_the_store(loaded: GraphStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "posts.csv", [["person_id", "unit_id", "role"],
                                              ["P1", "JD", "secretary"], ["P9", "JD", "member"]])
    before = snapshot(loaded)
    report = load(loaded, path)
    assert where(report, "REF_NOT_FOUND") == [("posts.csv", None, 3, "person_id")]
    assert snapshot(loaded) == before


def test_ambiguous_id_and_the_prefix_fix(loaded: GraphStore, tmp_path: Path) -> None:
    # A person whose id equals a unit's id: "JD" in a Unit-or-Person column is ambiguous.
    write_csv(tmp_path / "p" / "people.csv", [["id", "name"], ["JD", "王某某"]])
    assert load(loaded, tmp_path / "p").ok
    bad = write_csv(tmp_path / "bad" / "问责.csv", [
        ["编号", "问责对象", "责任类型", "问责方式", "决定日期"],
        ["A1", "JD", "全面领导责任", "检查", "2017-05-01"],
    ])
    before = snapshot(loaded)
    report = load(loaded, bad)
    assert where(report, "REF_AMBIGUOUS") == [("问责.csv", None, 2, "问责对象")]
    assert "unit:JD" in report.errors[0].reason_en
    assert snapshot(loaded) == before

    good = write_csv(tmp_path / "good" / "问责.csv", [
        ["编号", "问责对象", "责任类型", "问责方式", "决定日期"],
        ["A1", "unit:JD", "全面领导责任", "检查", "2017-05-01"],
        ["A2", "person:JD", "主要领导责任", "诫勉", "2017-05-01"],
    ])
    report = load(loaded, good)
    assert report.ok, report.errors
    targets = {n.node.uid for a in ("accountability:A1", "accountability:A2")
               for n in loaded.neighbours(a, rel_types=["TARGETS"])}
    assert targets == {"unit:JD", "person:JD"}
    a2 = loaded.get_node("accountability:A2")
    assert a2 is not None and a2.props["title"] == "诫勉 · 王某某"


def test_ambiguous_within_one_load(store: GraphStore, tmp_path: Path) -> None:
    write_csv(tmp_path / "in" / "units.csv", UNITS)
    write_csv(tmp_path / "in" / "people.csv", [*PEOPLE, ["SH", "赵某某", ""]])
    write_csv(tmp_path / "in" / "records.csv", [["id", "kind", "actor_id", "on"],
                                                ["R1", "履责", "SH", "2017-01-05"]])
    report = load(store, tmp_path / "in")
    assert where(report, "REF_AMBIGUOUS") == [("records.csv", None, 2, "actor_id")]
    assert store.counts().total_nodes == 0


def test_prefix_of_a_kind_the_column_cannot_hold(store: GraphStore, tmp_path: Path) -> None:
    write_csv(tmp_path / "in" / "units.csv", UNITS)
    write_csv(tmp_path / "in" / "issues.csv", [["id", "title", "unit_id"],
                                               ["I1", "问题", "person:JD"]])
    report = load(store, tmp_path / "in")
    assert where(report, "BAD_PREFIX") == [("issues.csv", None, 2, "unit_id")]
    assert store.counts().total_nodes == 0


def test_multi_valued_references(store: GraphStore, tmp_path: Path) -> None:
    write_csv(tmp_path / "in" / "units.csv", UNITS)
    write_csv(tmp_path / "in" / "检查.csv", [
        ["编号", "名称", "类型", "组织单位", "覆盖单位", "开始日期"],
        ["X1", "第一轮巡察", "巡察", "SH", "JD；SH-JW、SH", "2017/4/1"],
        ["X2", "专项检查", "专项检查", "SH", "JD,NOPE", "2017/5/1"],
    ])
    report = load(store, tmp_path / "in")
    assert where(report, "REF_NOT_FOUND") == [("检查.csv", None, 3, "覆盖单位")]
    assert report.errors[0].value == "NOPE"
    write_csv(tmp_path / "in" / "检查.csv", [
        ["编号", "名称", "类型", "组织单位", "覆盖单位", "开始日期"],
        ["X1", "第一轮巡察", "巡察", "SH", "JD；SH-JW、SH", "2017/4/1"],
    ])
    report = load(store, tmp_path / "in")
    assert report.ok, report.errors
    covered = {n.node.id for n in store.neighbours("inspection:X1", rel_types=["COVERS"])}
    assert covered == {"JD", "SH-JW", "SH"}


def test_xlsx_row_numbers_count_title_and_header_rows(store: GraphStore, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", {"分管": [
        ["嘉定区领导分管情况"], ["填报单位：嘉定区委", None, "填报日期：2017年"],
        ["人员编号", "单位编号", "分管领域", "起始日期"],
        ["P1", "SH", "财政", dt.datetime(2017, 1, 1)],
        [None, None, None, None],
        ["P404", "SH", "教育", "2017/1/1"],
    ]})
    write_csv(tmp_path / "units.csv", UNITS)
    write_csv(tmp_path / "people.csv", PEOPLE)
    before = snapshot(store)
    report = load(store, path, tmp_path / "units.csv", tmp_path / "people.csv")
    assert where(report, "REF_NOT_FOUND") == [("book.xlsx", "分管", 6, "人员编号")]
    assert snapshot(store) == before


def test_errors_are_capped_but_counted(store: GraphStore, tmp_path: Path) -> None:
    rows = [["id", "name", "kind", "level"]] + [[f"U{i}", "x", "bad", "1"] for i in range(50)]
    path = write_csv(tmp_path / "units.csv", rows)
    from loaders.pipeline import load_paths

    report = load_paths(store, [path], progress=False, max_issues=10)
    assert report.error_count == 50 and len(report.errors) == 10 and report.truncated
