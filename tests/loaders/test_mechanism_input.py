"""Input of the mechanism's tables (docs/loading.md): assessments and their results and
indicator scores, risk points and controls, 三重一大 decisions — Chinese headers and labels,
amounts in 万元 and scores in 分, derived result titles — and a bad amount refused at its
file, row and column with nothing written. On both stores."""

from __future__ import annotations

from pathlib import Path

from graph.store import GraphStore
from tests.loaders.files import load, snapshot, where, write_csv, write_xlsx

DUTIES = [["编号", "责任内容", "责任主体", "责任类型", "量化指标"],
          ["DU1", "党风廉政建设责任", "JD", "主体责任", "纳入考核"]]


def _decisions(amount: object) -> list[list[object]]:
    return [["三重一大事项登记表"],
            ["事项编号", "事项名称", "决策单位", "类别", "金额", "决策时间", "是否集体决策"],
            ["DC1", "办公楼修缮项目", "JD", "重大项目安排", "12.5万元", "2017年3月1日", "是"],
            ["DC2", "专项资金拨付", "JD", "大额资金使用", amount, "2017/4/1", "否"]]


def test_the_tables_in_chinese(loaded: GraphStore, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_csv(folder / "责任清单.csv", DUTIES)
    write_csv(folder / "考核评议.csv", [
        ["考核编号", "考核名称", "组织单位", "考核年度"],
        ["AS1", "2017年度述职检查测评", "SH", "2017年"]])
    write_csv(folder / "考核结果.csv", [
        ["结果编号", "所属考核", "考核对象", "评议主体", "考核方式", "考核日期", "总分", "等次",
         "结果运用"],
        ["R1", "AS1", "JD", "SH", "实地检查", "2017-12-10", "92.5分", "优秀", "奖惩"],
        ["R2", "AS1", "P1", "JD", "群众评议", "2017-12-10", "81", "良好", ""]])
    write_csv(folder / "指标得分.csv", [["考核结果编号", "考核指标", "指标得分"],
                                        ["R1", "DU1", "18分"]])
    write_csv(folder / "廉政风险点.csv", [
        ["风险点编号", "风险点", "所在单位", "层级", "岗位或流程", "风险等级"],
        ["RP1", "工程招标围标串标", "JD", "管理层", "招标采购", "高风险"]])
    write_csv(folder / "防控措施.csv", [
        ["措施编号", "防控措施", "风险点编号", "责任人", "检查频次", "状态", "最近检查日期"],
        ["CT1", "评标专家随机抽取", "RP1", "P1", "每季度", "运行中", "2017.9.30"]])
    report = load(loaded, folder, write_xlsx(tmp_path / "三重一大.xlsx",
                                             {"三重一大": _decisions("20万")}))
    assert report.ok and report.written, report.errors
    r1 = loaded.get_node("assessmentresult:R1")
    assert r1 is not None and r1.props["score"] == 92.5 and r1.props["grade"] == "excellent"
    assert r1.props["title"] == "嘉定区委 · 实地检查 · 2017"  # derived (docs/loading.md)
    assert r1.props["use"] == "reward" and r1.props["method"] == "onsite_check"
    r2 = loaded.get_node("assessmentresult:R2")
    assert r2 is not None and r2.props["method"] == "mass" and r2.props.get("use") is None
    g = loaded.to_networkx()
    edges = {(u, v, a["type"]) for u, v, a in g.edges(data=True)}
    assert {("assessmentresult:R1", "assessment:AS1", "RESULT_OF"),
            ("assessmentresult:R1", "unit:JD", "ASSESSES"),
            ("assessmentresult:R1", "unit:SH", "ASSESSED_BY"),
            ("assessmentresult:R2", "person:P1", "ASSESSES"),
            ("assessment:AS1", "unit:SH", "ORGANISED_BY"),
            ("riskpoint:RP1", "unit:JD", "RISK_IN"), ("control:CT1", "riskpoint:RP1", "CONTROLS"),
            ("control:CT1", "person:P1", "OWNED_BY"),
            ("decision:DC1", "unit:JD", "TAKEN_BY")} <= edges
    [score] = [a for u, v, a in g.edges(data=True) if a["type"] == "SCORES"]
    assert score["score"] == 18.0
    point, control = loaded.get_node("riskpoint:RP1"), loaded.get_node("control:CT1")
    assert point is not None and (point.props["layer"], point.props["level"]) == (
        "management", "high")
    assert control is not None and control.props["last_checked"] == "2017-09-30"
    assert (control.props["frequency"], control.props["status"]) == ("quarterly", "active")
    dc1, dc2 = loaded.get_node("decision:DC1"), loaded.get_node("decision:DC2")
    assert dc1 is not None and dc2 is not None
    assert (dc1.props["amount"], dc1.props["kind"], dc1.props["mode"]) == (
        125000.0, "major_project", "collective")
    assert (dc2.props["amount"], dc2.props["mode"], dc2.props["decided_on"]) == (
        200000.0, "individual", "2017-04-01")


def test_a_bad_amount_is_refused_where_it_is(loaded: GraphStore, tmp_path: Path) -> None:
    before = snapshot(loaded)
    report = load(loaded, write_xlsx(tmp_path / "三重一大.xlsx",
                                     {"三重一大": _decisions("二十万左右")}))
    assert not report.ok and not report.written
    # Row 4: the title row and the header come first, as the spreadsheet shows it.
    assert where(report, "BAD_NUMBER") == [("三重一大.xlsx", "三重一大", 4, "金额")]
    e = report.errors[0]
    assert "二十万左右" in e.reason_zh and "二十万左右" in e.reason_en
    assert snapshot(loaded) == before


def test_a_column_headed_in_wan_yuan(loaded: GraphStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "三重一大.csv", [
        ["事项编号", "事项名称", "决策单位", "类别", "金额（万元）"],
        ["DC3", "码头配套工程", "JD", "重大项目", "12"],
        ["DC4", "设备采购", "JD", "大额资金", "¥150,000元"]])
    report = load(loaded, path)
    assert report.ok and report.written, report.errors
    amounts = {uid: n.props["amount"] for uid in ("decision:DC3", "decision:DC4")
               if (n := loaded.get_node(uid)) is not None}
    assert amounts == {"decision:DC3": 120000.0, "decision:DC4": 150000.0}
