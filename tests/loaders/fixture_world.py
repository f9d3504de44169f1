"""A small input covering every table, written as CSV files, for write-path tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.loaders.files import PEOPLE, UNITS, write_csv

TABLES: dict[str, list[list[Any]]] = {
    "units": [*UNITS, ["JD-CZ", "区财政局党组", "department", 2, "JD"],
              ["JD-JW", "嘉定区纪委监委", "discipline_body", 1, "JD"]],
    "people": [*PEOPLE, ["P3", "王某某", "副区长"], ["P4", "赵某某", "局长"]],
    "posts": [["person_id", "unit_id", "role", "start", "end"],
              ["P1", "JD", "secretary", "2016-01-01", ""],
              ["P2", "JD-JW", "discipline_secretary", "2016-03-01", ""],
              ["P3", "JD", "member", "2016-01-01", "2018-12-31"],
              ["P3", "JD", "member", "2019-01-01", ""],
              ["P4", "JD-CZ", "head", "2017-01-01", ""]],
    "portfolios": [["person_id", "unit_id", "portfolio", "start"],
                   ["P3", "JD-CZ", "财政", "2016-01-01"]],
    "supervision": [["supervisor_id", "unit_id", "mode"], ["JD-JW", "JD", "同级"],
                    ["JD-JW", "JD-CZ", "派驻"]],
    "duties": [["id", "title", "responsibility", "holder_id", "list", "year", "parent_id",
                "derived_from"],
               ["D1", "落实全面从严治党主体责任", "主体责任", "JD", "责任清单", 2017, "", ""],
               ["D2", "分管领域党风廉政建设", "一岗双责", "P3", "责任清单", 2017, "D1", ""],
               ["D3", "财政局主体责任", "主体责任", "JD-CZ", "任务清单", 2017, "D1", "I1"]],
    "inspections": [["id", "name", "kind", "conducted_by", "covers", "started_on", "focus"],
                    ["X1", "2017年第一轮巡察", "巡察", "JD", "JD-CZ", "2017-04-01",
                     "四责协同、一岗双责"]],
    "issues": [["id", "title", "unit_id", "source", "inspection_id", "owner_id", "duty_id",
                "severity", "found_on", "deadline", "status", "decision_id"],
               ["I1", "专项资金管理不规范", "JD-CZ", "巡察", "X1", "P4", "D3", "一般",
                "2017-05-01", "2017-08-31", "整改中", "DC1"]],
    "projects": [["id", "title", "issue_id", "leader_id", "deadline", "status", "follows_case"],
                 ["J1", "专项资金管理整改", "I1", "P3", "2017-08-31", "推进中", "C1"]],
    "cases": [["id", "title", "unit_id", "subject_ids", "issue_id", "occurred_on",
               "responsible_ids", "supervision_review"],
              ["C1", "违规发放津贴案", "JD-CZ", "P4", "I1", "2017-02-01", "P3", "不予追究"]],
    "accountability": [["id", "case_id", "target_id", "category", "measure", "form",
                        "decided_by", "decided_on"],
                       ["A1", "C1", "P4", "直接责任", "诫勉", 1, "JD-JW", "2017-06-01"],
                       # An organisation's accountability carries no form.
                       ["A2", "C1", "unit:JD-CZ", "全面领导责任", "检查", "", "JD-JW",
                        "2017-06-01"]],
    "referrals": [["id", "issued_by", "sent_to", "issue_id", "issued_on", "due_on", "status"],
                  ["F1", "JD-JW", "P3", "I1", "2017-05-10", "2017-06-10", "待回告"]],
    "orders": [["id", "issued_by", "sent_to", "about_id", "issued_on", "due_on", "status",
                "reply", "replied_by", "replied_on"],
               ["DB1", "JD-JW", "P3", "F1", "2017-06-15", "2017-06-30", "已回复",
                "已约谈并整改", "P3", "2017-06-28"]],
    "records": [["id", "kind", "action", "actor_id", "duty_id", "target_id", "on", "summary"],
                ["R1", "履责", "约谈", "P3", "D2", "P4", "2017-05-20",
                 "约谈区财政局局长，提醒落实整改。"],
                ["R2", "失责", "其他", "JD-CZ", "D3", "", "2017-05-01", ""]],
    "assessments": [["id", "name", "organised_by", "year"],
                    ["AS1", "2017年度述职检查测评", "JD", 2017]],
    "assessment_results": [["id", "assessment_id", "assessed_id", "assessed_by", "method",
                            "assessed_on", "score", "grade", "use"],
                           ["AR1", "AS1", "JD-CZ", "JD", "现场述职", "2017-12-10", "88分", "良好",
                            "奖惩"]],
    "assessment_scores": [["result_id", "duty_id", "score"], ["AR1", "D3", 18]],
    "risk_points": [["id", "title", "unit_id", "layer", "post", "level"],
                    ["RP1", "专项资金拨付审批", "JD-CZ", "管理层", "资金拨付", "高"]],
    "controls": [["id", "title", "risk_id", "owner_id", "frequency", "last_checked"],
                 ["CT1", "资金拨付双人审核", "RP1", "P4", "每次", "2017-09-30"]],
    "decisions": [["id", "title", "unit_id", "kind", "amount", "decided_on", "mode"],
                  ["DC1", "专项资金拨付", "JD-CZ", "大额资金使用", "15万元", "2017-03-01", "否"]],
}


def write_world(folder: Path) -> Path:
    for name, rows in TABLES.items():
        write_csv(folder / f"{name}.csv", rows)
    return folder
