"""Input for the trace-back and 案后治理: a form on an organisation's accountability is refused
(with its twin, repaired, loading), issues and projects follow a case, cases name persons
directly responsible and record a supervisory review, inspections have several organisers.
On both stores."""

from __future__ import annotations

from pathlib import Path

from graph.store import GraphStore
from tests.loaders.files import load, snapshot, where, write_csv, write_xlsx

CASES = [["编号", "案件", "发生单位", "涉案人员", "发生日期", "结案日期"],
         ["C1", "违规收受礼金案", "JD", "P1", "2017-03-01", "2017-09-30"]]


def _accountability(form_on_unit: object) -> dict[str, list[list[object]]]:
    return {
        "案件": CASES,
        "问责": [["问责情况统计表"],
                 ["编号", "案件编号", "问责对象", "责任类型", "问责方式", "形态", "决定单位",
                  "决定日期"],
                 ["A1", "C1", "P1", "直接责任", "诫勉", "第一种形态", "SH-JW", "2017-10-01"],
                 ["A2", "C1", "unit:JD", "全面领导责任", "通报", form_on_unit, "SH", "2017-10-01"]],
    }


def test_a_form_on_an_organisations_accountability_is_refused(
        loaded: GraphStore, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "问责.xlsx", _accountability("第一种形态"))
    before = snapshot(loaded)
    report = load(loaded, path)
    assert not report.ok and not report.written
    # Row 4: the title row and the header count, as the spreadsheet shows it.
    assert where(report, "FORM_ON_ORGANISATION") == [("问责.xlsx", "问责", 4, "形态")]
    e = report.errors[0]
    assert "党组织" in e.reason_zh and "四种形态" in e.reason_zh and "JD" in e.reason_zh
    assert "Party organisation" in e.reason_en and "individual Party members" in e.reason_en
    assert report.error_count == 1
    assert snapshot(loaded) == before


def test_the_repaired_twin_loads_without_a_form(loaded: GraphStore, tmp_path: Path) -> None:
    report = load(loaded, write_xlsx(tmp_path / "问责.xlsx", _accountability(None)))
    assert report.ok and report.written, report.errors
    org = loaded.get_node("accountability:A2")
    person = loaded.get_node("accountability:A1")
    assert org is not None and org.props.get("form") is None
    assert person is not None and person.props["form"] == 1


def test_skip_invalid_leaves_the_row_out(loaded: GraphStore, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "问责.xlsx", _accountability(2))
    report = load(loaded, path, skip_invalid=True)
    assert report.ok and report.written and report.rows_skipped == 1
    assert loaded.get_node("accountability:A2") is None
    assert loaded.get_node("accountability:A1") is not None


def _edges(store: GraphStore, rel_type: str) -> set[tuple[str, str]]:
    g = store.to_networkx()
    return {(u, v) for u, v, a in g.edges(data=True) if a["type"] == rel_type}


def test_post_case_governance_columns_in_chinese_and_english(
        loaded: GraphStore, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_csv(folder / "案件.csv", [
        [*CASES[0], "直接责任人", "监督责任倒查"],
        [*CASES[1], "P2", "经倒查不予追究"],
        ["C2", "虚报冒领案", "JD", "P2", "2018-01-01", "", "", "不适用"]])
    write_csv(folder / "问题清单.csv", [
        ["编号", "问题", "所在单位", "案后治理案件"],
        ["I1", "礼品管理制度漏洞", "JD", "C1"]])
    write_csv(folder / "projects.csv", [
        ["id", "title", "issue_id", "follows_case"],
        ["PJ1", "修订礼品登记制度", "I1", "C1"],
        ["PJ2", "以案促改专项整治", "", "C2"]])
    report = load(loaded, folder)
    assert report.ok and report.written, report.errors
    assert _edges(loaded, "FOLLOWS_CASE") == {("issue:I1", "case:C1"), ("project:PJ1", "case:C1"),
                                              ("project:PJ2", "case:C2")}
    assert _edges(loaded, "NAMES_RESPONSIBLE") == {("case:C1", "person:P2")}
    for case in ("case:C1", "case:C2"):
        node = loaded.get_node(case)
        assert node is not None and node.props["supervision_review"] == "not_applicable"


def test_a_case_id_that_names_nothing_is_located(loaded: GraphStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "项目清单.csv", [["编号", "项目", "以案促改案件"],
                                                 ["PJ1", "整改", "C404"]])
    report = load(loaded, path)
    assert where(report, "REF_NOT_FOUND") == [("项目清单.csv", None, 2, "以案促改案件")]


def test_an_inspection_conducted_jointly(loaded: GraphStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "检查.csv", [
        ["编号", "名称", "类型", "组织单位", "覆盖单位"],
        ["INS1", "联合巡察", "巡察", "JD、SH-JW", "JD"]])
    report = load(loaded, path)
    assert report.ok and report.written, report.errors
    assert _edges(loaded, "CONDUCTED_BY") == {("inspection:INS1", "unit:JD"),
                                              ("inspection:INS1", "unit:SH-JW")}
