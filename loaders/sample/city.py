"""上海市委 and 市纪委监委: the top of the sample graph, its duties and its tours.

The city level is deliberately small: a secretary, a deputy and four members, each member
in charge of one pilot body, the discipline commission, and the duties every pilot's
primary and supervisory duties cascade from.
"""

from __future__ import annotations

from loaders.sample.dataset import Dataset

PILOTS = ("JD", "MH", "JWDW", "SIPG")

#: The city's 2017 primary duties; each pilot's primary duties cascade from these.
SH_PRIMARY = (
    ("D-SH-01", "把党风廉政建设纳入全市经济社会发展总体布局", "政治建设"),
    ("D-SH-02", "每年专题研究部署全面从严治党工作", "部署推动"),
    ("D-SH-03", "建立健全责任清单、问题清单和项目清单", "制度建设"),
    ("D-SH-04", "加强对下级党组织落实主体责任的检查考核", "考核问责"),
    ("D-SH-05", "推进巡视巡察上下联动和全覆盖", "巡视巡察"),
    ("D-SH-06", "深化作风建设，持之以恒纠治“四风”", "作风建设"),
)
SH_SUPERVISORY = (
    ("D-SHJW-01", "协助市委推进全面从严治党，督促各级党组织落实主体责任", "协助职责"),
    ("D-SHJW-02", "强化监督执纪问责，准确运用“四种形态”", "监督执纪"),
    ("D-SHJW-03", "对失职失责问题既追究直接责任又倒查领导责任和监督责任", "问责"),
)


def add_city(ds: Dataset) -> dict[str, str]:
    """Declare SH, SH-JW, the city team and city duties; returns role → person id."""
    ds.unit("SH", "上海市委", "party_committee", 0, code="SH-000")
    ds.unit("SH-JW", "市纪委监委", "discipline_body", 0, code="SH-JW-000")
    ds.supervise("SH-JW", "SH", "same_level")

    ds.person("P-SH-01", "市委书记")
    ds.post("P-SH-01", "SH", "secretary", "2014-01-01")
    ds.person("P-SH-02", "市委副书记")
    ds.post("P-SH-02", "SH", "deputy_secretary", "2014-01-01")
    ds.person("P-SH-03", "市委常委、市纪委书记、市监委主任")
    ds.post("P-SH-03", "SH", "discipline_secretary", "2014-01-01")
    ds.post("P-SH-03", "SH-JW", "secretary", "2014-01-01")
    ds.person("P-SHJW-01", "市纪委副书记")
    ds.post("P-SHJW-01", "SH-JW", "deputy_secretary", "2014-01-01")
    members = []
    for i, title in enumerate(("市委常委、组织部部长", "市委常委、秘书长", "市委常委、副市长",
                               "市委常委、宣传部部长"), start=4):
        pid = f"P-SH-{i:02d}"
        ds.person(pid, title)
        ds.post(pid, "SH", "member", "2014-01-01")
        members.append(pid)

    for did, title, aspect in SH_PRIMARY:
        ds.duty(did, title, "primary", "SH", aspect=aspect, year=2017,
                indicator="每年至少专题研究2次")
    ds.duty("D-SH-F1", "亲自部署重要工作、亲自过问重大问题、亲自协调重点环节", "first",
            "P-SH-01", aspect="部署推动", year=2017, indicator="每半年听取一次专题汇报")
    for did, title, aspect in SH_SUPERVISORY:
        ds.duty(did, title, "supervisory", "SH-JW", aspect=aspect, year=2017,
                indicator="每季度向市委报告一次")
    for n, pid in enumerate(members, start=1):
        ds.duty(f"D-SH-Y{n}", "对分管领域党风廉政建设负领导责任", "dual", pid,
                aspect="分管领域", year=2017, indicator="每年至少到分管单位调研督导2次")
    _records(ds, members)
    return {"secretary": "P-SH-01", "discipline_secretary": "P-SH-03",
            **{f"member{i}": m for i, m in enumerate(members, start=1)}}


def add_city_links(ds: Dataset, team: dict[str, str]) -> None:
    """After the pilots exist: portfolios over them, city tours covering them."""
    for n, unit in enumerate(PILOTS, start=1):
        ds.portfolio(team[f"member{n}"], unit, "联系指导", "2014-01-01")
    # Planted: the commission's deputy is the one liaison of the pilots' discipline bodies
    # (S_HIGH_BETWEENNESS).
    for body in ("JD-JW", "MH-JW", "JWDW-JJZ", "SIPG-JW"):
        ds.portfolio("P-SHJW-01", body, "联系指导", "2014-01-01")
    ds.add("inspections", id="INS-SH-2016-1", name="市委第一轮巡视（2016年）", kind="tour",
           conducted_by=["SH"], covers=["JD", "MH"], round="1",
           started_on="2016-03-01", ended_on="2016-05-31")
    ds.add("inspections", id="INS-SH-2017-1", name="市委第三轮巡视（2017年）", kind="tour",
           conducted_by=["SH"], covers=["JWDW", "SIPG"], round="3",
           started_on="2017-03-01", ended_on="2017-05-31")
    covers = [u for u in (*PILOTS, *ds.children("JWDW"), *ds.children("SIPG"))
              if ds.units[u]["kind"] != "discipline_body"]
    ds.add("inspections", id="INS-SH-2023-2", name="市委十二届第二轮巡视（2023年）", kind="tour",
           conducted_by=["SH"], covers=covers,
           round="2", started_on="2023-04-10", ended_on="2023-07-10")


def _records(ds: Dataset, members: list[str]) -> None:
    ds.add("records", id="R-SH-001", title="市委常委会专题研究全面从严治党工作", kind="fulfilment",
           action="meeting", actor_id="SH", duty_id="D-SH-02", target_id=None,
           on="2017-02-20", summary="审议年度“四责协同”机制建设试点方案。")
    for n, day in enumerate(("2017-07-05", "2025-07-04"), start=2):
        ds.add("records", id=f"R-SH-00{n}", title="市纪委监委向市委常委会报告监督情况",
               kind="fulfilment", action="report", actor_id="SH-JW", duty_id="D-SHJW-01",
               target_id="SH", on=day, summary="通报上半年监督执纪问责情况。")
    for n, pid in enumerate(members, start=1):
        ds.add("records", id=f"R-SH-1{n:02d}", title="到联系单位督导“四责协同”试点",
               kind="fulfilment", action="check", actor_id=pid, duty_id=f"D-SH-Y{n}",
               target_id=("JD", "MH", "JWDW", "SIPG")[n - 1], on=f"2017-0{n + 3}-15",
               summary="听取试点进展汇报并提出要求。")
