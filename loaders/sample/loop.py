"""The working loop's 督办 (supervision orders) in 闵行 and 上港, with their replies.

Declared after the pilots and the mechanism exist (it reads their referrals, units and
teams). When a loop stays open, the discipline body issues a 督办 to whoever must act: 闵行区
纪委监委 to the leader in charge of an overdue 廉情抄告 and to its units, 上港集团纪委 to the
companies where the present-day weak spots of :mod:`loaders.sample.mechanism` lie (the 28万元
spending without collective decision, the poor 2025 result never used, the risk point
without a control in force), each order naming the finding code it follows up.

As of the sample's present (2026-12-01) each pilot shows every state of the loop
(docs/sample-data.md lists them): one order overdue without a reply (red, a
``V_ORDER_OVERDUE`` finding), one due within the warning window (yellow; in 上港 a reply
sent back with a new deadline), one replied and awaiting verification, one verified and
closed (from the pilot years), and one issued recently and on track (green).
"""

from __future__ import annotations

from typing import Any

from loaders.sample.dataset import Dataset
from loaders.sample.mechanism import _row, _secretary


def add_orders(ds: Dataset) -> None:
    """The 督办 of 闵行区纪委监委 and 上港集团纪委 (see the module docstring)."""
    _minhang_orders(ds)
    _sipg_orders(ds)


def _order(ds: Dataset, oid: str, issued_by: str, sent_to: str, issued_on: str, due_on: str,
           request: str, *, about: str | None = None, finding: str | None = None,
           replied_on: str | None = None, reply: str | None = None,
           verified_on: str | None = None, reopened_on: str | None = None) -> None:
    """One order; its status follows from the dates given (the loop's states in order)."""
    replied_by = None
    if replied_on is not None:
        replied_by = sent_to if sent_to in ds.people else _secretary(ds, sent_to, replied_on)
    status = ("verified" if verified_on else "reopened" if reopened_on
              else "replied" if replied_on else "issued")
    row: dict[str, Any] = {
        "id": oid, "title": None, "issued_by": issued_by, "sent_to": sent_to,
        "about_id": about, "issued_on": issued_on, "due_on": due_on, "status": status,
        "finding": finding, "request": request, "reply": reply, "replied_by": replied_by,
        "replied_on": replied_on,
        "verification": "经核实，整改到位，同意办结。" if verified_on else None,
        "verified_on": verified_on, "reopened_on": reopened_on}
    ds.add("orders", **row)


def _minhang_orders(ds: Dataset) -> None:
    overdue, stale = _row(ds, "referrals", "RF-MH-05"), _row(ds, "referrals", "RF-MH-06")
    _order(ds, "OD-MH-01", "MH-JW", str(overdue["sent_to"]), "2025-11-03", "2025-12-03",
           "廉情抄告逾期未回告，请于期限内报送办理情况。", about=str(overdue["id"]),
           finding="V_REFERRAL_OPEN")
    _order(ds, "OD-MH-02", "MH-JW", str(stale["sent_to"]), "2026-11-16", "2026-12-16",
           "抄告问题整改超期，请督促所在单位限期整改并报告。", about=str(stale["issue_id"]))
    _order(ds, "OD-MH-03", "MH-JW", "MH-D03", "2018-04-02", "2018-06-30",
           "案后治理堵漏建制进展缓慢，请加快修订内控制度。", about="I-MH-C03",
           replied_on="2018-06-20", reply="已修订内控制度3项，开展警示教育2场。",
           verified_on="2018-07-10")
    _order(ds, "OD-MH-04", "MH-JW", "MH-T01", "2026-09-21", "2026-10-31",
           "主体责任清单分解任务推进滞后，请报告落实情况。", about="D-MH-T01-01",
           replied_on="2026-10-28", reply="已召开党委会专题研究，补齐任务台账。")
    _order(ds, "OD-MH-05", "MH-JW", "MH-D02", "2026-11-20", "2027-01-20",
           "请对照2026年巡察反馈意见，报送整改方案。", about="D-MH-D02-01")


def _sipg_orders(ds: Dataset) -> None:
    _order(ds, "OD-SIPG-01", "SIPG-JW", "SIPG-C06", "2026-09-01", "2026-10-31",
           "超过10万元的燃油预付款未经集体决策，请说明情况并整改。",
           finding="H_DECISION_NOT_COLLECTIVE")
    # Replied by the first deadline (2026-04-30), sent back on 2026-05-20 with a new one:
    # the order keeps the deadline it is now judged against.
    _order(ds, "OD-SIPG-02", "SIPG-JW", "SIPG-C07", "2026-03-02", "2026-12-18",
           "2025年度考核结果较差，请制定整改措施并落实结果运用。", about="D-SIPG-C07-01",
           finding="V_LOW_GRADE_NO_FOLLOW_UP", replied_on="2026-04-24",
           reply="已制定整改方案。", reopened_on="2026-05-20")
    _order(ds, "OD-SIPG-03", "SIPG-JW", "SIPG-C01", "2017-06-25", "2017-09-30",
           "“三重一大”决策程序整改，请报送修订后的议事规则。", about="I-SIPG-01",
           replied_on="2017-09-20", reply="议事规则已修订，超过10万元项目全部前置研究。",
           verified_on="2017-10-15")
    _order(ds, "OD-SIPG-04", "SIPG-JW", "SIPG-C04", "2026-10-10", "2026-11-30",
           "个性化责任清单公开情况抽查发现问题，请整改并报告。", about="D-SIPG-C04-01",
           replied_on="2026-11-26", reply="已重新公开清单并接受职工监督。")
    _order(ds, "OD-SIPG-05", "SIPG-JW", "SIPG-C02", "2026-11-05", "2027-01-05",
           "高等级风险点防控措施未按期检查，请完成检查并报告。",
           finding="H_RISK_UNCONTROLLED")
