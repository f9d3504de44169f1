"""The other three pilots: 闵行区, 市教育卫生工作党委 and 上港集团.

Each encodes its figures from DESIGN.md §7 exactly: 闵行 51 items in 14 aspects over its
primary, first and dual lists plus referrals with report-back and post-case governance;
市教育卫生工作党委 26/79/75 items and four inspection batches covering all its units;
上港集团 40/33/24/12 items and seven managers held accountable in 2017 after special checks.
"""

from __future__ import annotations

import datetime as dt

from loaders.sample.dataset import Dataset

START = "2014-01-01"


def _team(ds: Dataset, unit: str, roles: list[tuple[str, str]]) -> dict[str, list[str]]:
    return ds.team(unit, roles, start=START, prefix=f"P-{unit}-")


def _leaf_units(ds: Dataset, parent: str, specs: list[tuple[str, str, str]], level: int,
                sec_title: str) -> list[tuple[str, str, str]]:
    """Subunits with a secretary and a member each: (unit id, secretary, member)."""
    out = []
    for uid, name, kind in specs:
        ds.unit(uid, name, kind, level, parent)
        t = _team(ds, uid, [("secretary", sec_title), ("member", "班子成员")])
        out.append((uid, t["secretary"][0], t["member"][0]))
    return out


def _days_after(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


def _record(ds: Dataset, prefix: str, actor: str, target: str | None, duty: str | None,
            on: str, summary: str, action: str = "talk", kind: str = "fulfilment") -> None:
    ds.add("records", id=ds.next_id(prefix, 3), title=None, kind=kind, action=action,
           actor_id=actor, duty_id=duty, target_id=target, on=on, summary=summary)


# -- 闵行区 -------------------------------------------------------------------------------
MH_LISTS = {
    # responsibility: aspect -> item count; 22 + 13 + 16 = 51 items in 6 + 4 + 4 = 14 aspects
    "primary": {"政治建设": 4, "思想教育": 3, "组织保障": 4, "作风建设": 4, "制度建设": 3,
                "考核问责": 4},
    "first": {"部署推动": 4, "督促检查": 3, "示范带头": 3, "协调支持": 3},
    "dual": {"分管领域部署": 4, "分管领域督查": 4, "廉情处置": 4, "以案促改": 4},
}
MH_UNITS = [
    ("MH-T01", "莘庄镇", "street_town"), ("MH-T02", "七宝镇", "street_town"),
    ("MH-T03", "江川路街道", "street_town"), ("MH-D01", "闵行区教育局", "department"),
    ("MH-D02", "闵行区卫生健康委", "department"), ("MH-D03", "闵行区国资委", "department"),
    ("MH-D04", "闵行区建设管理委", "department"), ("MH-D05", "闵行区市场监管局", "department"),
    ("MH-D06", "闵行区民政局", "department"), ("MH-E01", "闵行城市建设投资有限公司", "enterprise"),
]


def add_minhang(ds: Dataset) -> None:
    ds.unit("MH", "闵行区委", "party_committee", 1, "SH", code="MH-000")
    ds.unit("MH-JW", "闵行区纪委监委", "discipline_body", 1, "SH-JW", code="MH-JW-000")
    ds.supervise("MH-JW", "MH", "same_level")
    titles = ("组织部部长", "常务副区长", "副区长", "政法委书记", "宣传部部长", "统战部部长")
    team = _team(ds, "MH", [("secretary", "区委书记"), ("deputy_secretary", "区委副书记、区长"),
                            *[("member", f"区委常委、{t}") for t in titles],
                            ("discipline_secretary", "区委常委、区纪委书记、区监委主任")])
    sec, jw_sec = team["secretary"][0], team["discipline_secretary"][0]
    ds.post(jw_sec, "MH-JW", "secretary", START)
    leaders = team["deputy_secretary"] + team["member"]
    jw_team = _team(ds, "MH-JW", [("deputy_secretary", "区纪委副书记")])
    _record(ds, "R-MH-", "MH-JW", sec, None, "2017-02-20", "与区委书记会商廉情。")
    ds.unit("MH-PZ1", "闵行区纪委监委派驻第一纪检监察组", "discipline_body", 2, "MH-JW")
    ds.portfolio(jw_team["deputy_secretary"][0], "MH-PZ1", "联系指导", START)
    pz = _team(ds, "MH-PZ1", [("secretary", "组长"), ("member", "副组长")])
    subs = _leaf_units(ds, "MH", MH_UNITS, 2, "党委（党组）书记")
    for n, (uid, _, _) in enumerate(subs):
        if uid.startswith("MH-T"):
            ds.supervise("MH-JW", uid, "same_level")
        else:
            ds.supervise("MH-PZ1", uid, "stationed")
        ds.portfolio(leaders[n % len(leaders)], uid, "联系指导", START)
    in_charge = {uid: leaders[n % len(leaders)] for n, (uid, _, _) in enumerate(subs)}
    # The district commission's duty, broken down for its stationed group and the towns
    # piloting delegated supervision powers (选择街镇开展试点，授权部分监察职能).
    ds.duty("D-MHJW-01", "倒查领导责任和监督责任，推进巡察、派驻、监察全覆盖", "supervisory",
            "MH-JW", aspect="监督责任", year=2018, indicator="每季度向区委报告一次",
            parent="D-SHJW-02")
    ds.duty("D-MH-PZ1-01", "加强对归口监督部门班子成员履行“一岗双责”的日常监督", "supervisory",
            "MH-PZ1", aspect="派驻监督", year=2018, indicator="每半年约谈归口部门班子成员",
            parent="D-MHJW-01")
    pilots = _delegated_supervision(ds, [s for s in subs if s[0] in MH_PILOT_TOWNS],
                                    jw_team["deputy_secretary"][0])

    # The three lists: 51 items in 14 aspects, all with quantified indicators.
    held: list[tuple[str, str]] = []
    n = 0
    for resp, aspects in MH_LISTS.items():
        for aspect, count in aspects.items():
            for k in range(1, count + 1):
                n += 1
                holder = {"primary": "MH", "first": sec}.get(resp) or leaders[n % len(leaders)]
                did = ds.duty(f"D-MH-{n:02d}", f"{aspect}第{k}项：按年度计划推进并留痕", resp,
                              holder, aspect=aspect, year=2018,
                              indicator=f"每年不少于{k + 1}次，完成率100%",
                              parent="D-SH-01" if resp == "primary" and k == 1 else None)
                held.append((did, holder))
    dual_of = {h: d for d, h in held if h in leaders}
    mh_primary = [d for d, h in held if h == "MH"]
    for i, (uid, usec, _) in enumerate(subs):
        for k in range(3):  # every MH primary item reaches at least one subunit
            ds.duty(f"D-{uid}-{k + 1:02d}", f"落实区委主体责任清单分解任务第{k + 1}项", "primary",
                    uid, aspect="主体责任", year=2018, indicator="年度任务完成率100%",
                    parent=mh_primary[(i * 3 + k) % len(mh_primary)])
        for day in ("2017-04-10", "2025-04-10"):
            _record(ds, "R-MH-", "MH-PZ1" if uid.startswith("MH-D") or uid.startswith("MH-E")
                    else pilots.get(uid, "MH-JW"), usec, None, day,
                    "监督谈话，通报廉情并提出要求。")
    _record(ds, "R-MH-", "MH-JW", sec, None, "2025-02-20", "与区委书记会商廉情。")
    # 年末结合民主生活会通报“一岗双责”履职情况, every year (the sample keeps three).
    for day in ("2017-12-20", "2018-12-20", "2025-12-20"):
        for p in leaders:
            _record(ds, "R-MH-", p, None, dual_of[p], day,
                    "年末结合民主生活会通报“一岗双责”履职情况。", action="report")

    # 廉情抄告 with report-back (as of 2026-12-01: some replied, some late, some overdue).
    # The replied ones were verified by MH-JW (回告 then 核实办结) about two weeks later.
    referrals = [  # (unit idx, issued, due, replied, status)
        (3, "2017-05-08", "2017-06-08", "2017-06-01", "verified"),
        (4, "2017-09-12", "2017-10-12", "2017-10-10", "verified"),
        (0, "2024-06-03", "2024-07-03", "2024-06-28", "verified"),
        (5, "2025-03-10", "2025-04-10", "2025-05-20", "verified"),    # replied late
        (6, "2025-09-01", "2025-10-01", None, "overdue"),           # V_REFERRAL_OPEN
        (1, "2026-05-06", "2026-06-15", None, "open"),              # past due, status stale
        (2, "2026-10-20", "2026-12-20", None, "open"),              # not yet due
        (7, "2026-11-02", "2027-01-02", None, "open"),              # not yet due
    ]
    for k, (idx, issued, due, replied, status) in enumerate(referrals, start=1):
        uid = subs[idx][0]
        leader = in_charge[uid]
        iid = ds.add("issues", id=f"I-MH-R{k:02d}", title=f"{MH_UNITS[idx][1]}廉情问题（抄告）",
                     unit_id=uid, source="referral", inspection_id=None, owner_id=leader,
                     duty_id=dual_of[leader], category="廉情", severity="medium",
                     found_on=issued, deadline=due,
                     status="closed" if replied else "rectifying")
        ds.add("projects", id=f"PJ-MH-R{k:02d}", title=f"督促{MH_UNITS[idx][1]}整改抄告问题",
               issue_id=iid, leader_id=leader, goal="问题整改到位并回告",
               measures="约谈单位主要负责人，跟踪整改", deadline=due,
               status="done" if replied else "in_progress", completed_on=replied)
        ds.add("referrals", id=f"RF-MH-{k:02d}", title=None, issued_by="MH-JW", sent_to=leader,
               issue_id=iid, issued_on=issued, due_on=due, replied_on=replied, status=status,
               reply=replied and "已约谈单位主要负责人，问题已整改到位，相关制度已修订。",
               replied_by=replied and leader, verified_on=replied and _days_after(replied, 14),
               verification=replied and "经核实，整改措施已落实，同意办结。")

    # 案后治理: after each typical case, the leader in charge finds the loophole and fixes it
    # (the issue and the project FOLLOW the case). 倒查: the leader in charge each time;
    # the first case also the stationed group's head (监督责任), the second names the
    # deputy who signed off as directly responsible besides the person involved; in the
    # other two the supervising body was reviewed and found not at fault.
    pz_head = pz["secretary"][0]
    for k, (idx, occurred, category) in enumerate(
            [(4, "2017-03-18", "违反廉洁纪律"), (8, "2017-08-02", "违反工作纪律"),
             (9, "2018-01-15", "违反中央八项规定精神")], start=1):
        uid = subs[idx][0]
        person = ds.next_id(f"P-{uid}-", 2)
        ds.person(person, "科长")
        ds.post(person, uid, "staff", START, "2018-06-30")
        decided = str(int(occurred[:4]) + 1) + "-03-15"
        decisions = [(person, "direct", 2, "disciplinary"),
                     (in_charge[uid], "important_leadership", 1, "circulate")]
        responsible = []
        if k == 1:
            decisions.append((pz_head, "supervisory", 1, "admonish"))
        if k == 2:
            deputy = ds.next_id(f"P-{uid}-", 2)
            ds.person(deputy, "副局长")
            ds.post(deputy, uid, "staff", START)
            responsible = [deputy]
            decisions.append((deputy, "direct", 1, "admonish"))
        cid = ds.add("cases", id=f"C-MH-{k:02d}", title=f"{MH_UNITS[idx][1]}{category}案",
                     unit_id=uid, category=category, subject_ids=[person], issue_id=None,
                     occurred_on=occurred, opened_on=occurred[:5] + "10-01",
                     closed_on=str(int(occurred[:4]) + 1) + "-02-28",
                     responsible_ids=responsible or None,
                     supervision_review=None if k == 1 else "not_applicable")
        for t, (target, cat, form, measure) in enumerate(decisions, start=1):
            ds.add("accountability", id=f"A-MH-{k:02d}{t}", title=None, case_id=cid,
                   target_id=target, category=cat, measure=measure, form=form,
                   decided_by="MH-JW", decided_on=decided)
        iid = ds.add("issues", id=f"I-MH-C{k:02d}", title=f"{MH_UNITS[idx][1]}案发领域制度漏洞",
                     unit_id=uid, source="case", inspection_id=None, owner_id=in_charge[uid],
                     duty_id=dual_of[in_charge[uid]], category="案后治理", severity="high",
                     found_on=decided, deadline=str(int(decided[:4])) + "-12-31",
                     status="closed", follows_case=cid)
        ds.add("projects", id=f"PJ-MH-C{k:02d}", title=f"案后治理：{MH_UNITS[idx][1]}堵漏建制",
               issue_id=iid, leader_id=in_charge[uid],
               goal="查办一起案件、堵住一个漏洞、规范一个领域",
               measures="分析制度漏洞，修订内控制度，开展警示教育", deadline=decided[:4] + "-12-31",
               status="done", completed_on=decided[:4] + "-11-30", follows_case=cid)
    # 巡察 jointly with the discipline bodies: 2017 (two rounds) and 2023/2024.
    for n, (start, end) in enumerate((("2017-03-06", "2017-05-26"),
                                      ("2017-09-04", "2017-11-24")), start=1):
        ds.add("inspections", id=f"INS-MH-2017-{n}", name=f"闵行区委2017年第{n}轮巡察",
               kind="inspection", conducted_by=["MH", "MH-JW"],
               covers=[u for u, _, _ in subs][n - 1::2], round=f"2017-{n}",
               started_on=start, ended_on=end)
    for n, year in enumerate((2023, 2024), start=1):
        ds.add("inspections", id=f"INS-MH-{year}", name=f"闵行区委第{n}轮巡察", kind="inspection",
               conducted_by=["MH", "MH-JW"], covers=[u for u, _, _ in subs][n - 1::2],
               round=str(n), started_on=f"{year}-03-01", ended_on=f"{year}-05-31")


#: The towns piloting delegated supervision powers (授权部分监察职能).
MH_PILOT_TOWNS = ("MH-T01", "MH-T02")


def _delegated_supervision(ds: Dataset, towns: list[tuple[str, str, str]],
                           liaison: str) -> dict[str, str]:
    """A town commission holding delegated supervision powers for each pilot town (town uid
    -> commission uid): its secretary also sits on the town's team, it supervises the town,
    and the district commission records the delegation."""
    out = {}
    for uid, _, _ in towns:
        name = next(n for u, n, _ in MH_UNITS if u == uid)
        jw = ds.unit(f"{uid}-JW", f"{name}纪委（监察办公室，授权监察职能试点）", "discipline_body",
                     2, "MH-JW")
        head = ds.next_id(f"P-{jw}-", 2)
        ds.person(head, "镇纪委书记、监察办公室主任")
        ds.post(head, jw, "secretary", START)
        ds.post(head, uid, "discipline_secretary", START)
        ds.supervise(jw, uid, "same_level")
        ds.portfolio(liaison, jw, "联系指导", START)
        ds.duty(f"D-{jw}-01", "行使区监委授权的部分监察职能，监督镇管干部和村居班子成员履职",
                "supervisory", jw, aspect="授权监察", year=2018, indicator="每季度报告监察情况",
                parent="D-MHJW-01")
        _record(ds, "R-MH-", "MH-JW", jw, "D-MHJW-01", "2018-03-01",
                "区监委授权镇纪委行使部分监察职能，开展试点。", action="meeting")
        out[uid] = jw
    return out


# -- 市教育卫生工作党委 -------------------------------------------------------------------
JWDW_UNITS = [(uid, name, "institution") for uid, name in (
    ("JWDW-U01", "申江大学党委"), ("JWDW-U02", "沪东理工大学党委"),
    ("JWDW-U03", "浦江师范学院党委"),
    ("JWDW-H01", "市申城人民医院党委"), ("JWDW-H02", "市浦江中医医院党委"),
    ("JWDW-H03", "市沪西儿童医院党委"), ("JWDW-H04", "市临港肿瘤医院党委"),
    ("JWDW-U04", "市教育考试院党委"), ("JWDW-U05", "申江医学院党委"),
)]
JWDW_TASK_ASPECTS = ("招生录取", "基建工程", "药品耗材采购", "科研经费", "干部选任", "作风建设",
                     "医德医风", "校园安全")
JWDW_RULE_ASPECTS = ("议事决策", "财务管理", "采购管理", "人事管理", "监督问责")


def add_jwdw(ds: Dataset) -> None:
    ds.unit("JWDW", "市教育卫生工作党委", "party_committee", 1, "SH", code="JWDW-000")
    ds.unit("JWDW-JJZ", "市纪委监委驻市教育卫生工作党委纪检监察组", "discipline_body", 1, "SH-JW")
    ds.supervise("JWDW-JJZ", "JWDW", "stationed")
    team = _team(ds, "JWDW", [("secretary", "党委书记"), ("deputy_secretary", "党委副书记"),
                              *[("member", "党委委员") for _ in range(4)]])
    grp = _team(ds, "JWDW-JJZ", [("secretary", "纪检监察组组长"), ("member", "纪检监察组副组长")])
    sec, members = team["secretary"][0], team["deputy_secretary"] + team["member"]
    for day in ("2017-03-18", "2025-03-18"):
        _record(ds, "R-JWDW-", "JWDW-JJZ", sec, None, day,
                "纪检监察组与党委书记会商全面从严治党形势。")
    subs = _leaf_units(ds, "JWDW", JWDW_UNITS, 2, "党委书记")
    for n, (uid, usec, _) in enumerate(subs):
        ds.supervise("JWDW-JJZ", uid, "stationed")
        ds.portfolio(members[n % len(members)], uid, "联系指导", START)
        for k in range(2):  # the 12 primary items of JWDW each reach a unit
            ds.duty(f"D-{uid}-{k + 1:02d}", f"细化落实主体责任清单第{k + 1}项", "primary", uid,
                    aspect="主体责任", year=2018, indicator="清单任务完成率100%",
                    parent=f"D-JWDW-R{(n * 2 + k) % 12 + 1:02d}")
        for day in ("2017-05-12", "2025-05-12"):
            _record(ds, "R-JWDW-", grp["secretary"][0], usec, None, day,
                    "纪检监察组与单位党委书记开展监督谈话。")
        # Yearly duty review, rotating: 1/3 on-site check, 1/3 on-site report, 1/3 written.
        action = ("check", "report", "report")[n % 3]
        how = ("实地检查", "现场述职", "书面述职")[n % 3]
        _record(ds, "R-JWDW-", usec, "JWDW", f"D-{uid}-01", "2018-12-10",
                f"年度述职检查测评：{how}。", action=action)
        # Each unit's secretary reports on its rectification at the end of 2017.
        _record(ds, "R-JWDW-", usec, "JWDW", f"D-{uid}-01", "2017-12-08",
                "向党委报告巡察整改和清单落实情况。", action="report")
    # 26 responsibility-list items: primary 12, first 6, dual 8 (2 for each member).
    n = 0
    for k in range(12):
        n += 1
        ds.duty(f"D-JWDW-R{n:02d}", f"主体责任第{k + 1}项", "primary", "JWDW", aspect="主体责任",
                indicator="每季度检查进度", year=2018,
                parent="D-SH-01" if k == 0 else None)
    for k in range(6):
        n += 1
        ds.duty(f"D-JWDW-R{n:02d}", f"第一责任人责任第{k + 1}项", "first", sec, aspect="第一责任",
                indicator="每年听取汇报不少于2次", year=2018)
    for k in range(8):
        n += 1
        ds.duty(f"D-JWDW-R{n:02d}", f"“一岗双责”第{k + 1}项", "dual", members[k % 4 + 1],
                aspect="一岗双责", indicator="每年到联系单位督导2次", year=2018)
    for k in range(79):
        holder = "JWDW" if k < 60 else members[k % len(members)]
        ds.duty(f"D-JWDW-T{k + 1:02d}", f"{JWDW_TASK_ASPECTS[k % 8]}风险防控任务第{k // 8 + 1}项",
                "primary" if holder == "JWDW" else "dual", holder, list_="task",
                aspect=JWDW_TASK_ASPECTS[k % 8], indicator="按季度报送进展", year=2018)
    for k in range(75):
        ds.duty(f"D-JWDW-Z{k + 1:02d}", f"{JWDW_RULE_ASPECTS[k % 5]}制度第{k // 5 + 1}项",
                "primary", "JWDW", list_="institution", aspect=JWDW_RULE_ASPECTS[k % 5],
                indicator="年内制定或修订完成", year=2018)
    for p in members:
        _record(ds, "R-JWDW-", p, None, None, "2018-06-20", "到联系单位督导清单落实。",
                action="check")
    # All units inspected in four batches over two years (巡察和专项检查全覆盖), by the
    # committee's inspection group with the stationed discipline group (纪检监察组共同参与).
    batches = [subs[0:3], subs[3:5], subs[5:7], subs[7:9]]
    for b, (batch, start, end) in enumerate(zip(
            batches, ("2017-03-06", "2017-09-04", "2018-01-08", "2018-04-09"),
            ("2017-05-26", "2017-11-24", "2018-03-30", "2018-06-15"), strict=True), start=1):
        ins = ds.add("inspections", id=f"INS-JWDW-{b}", name=f"党委第{b}批巡察和专项检查",
                     kind="inspection", conducted_by=["JWDW", "JWDW-JJZ"],
                     covers=[u for u, _, _ in batch],
                     round=str(b), started_on=start, ended_on=end)
        for uid, usec, _ in batch:
            iid = ds.add("issues", id=f"I-{uid}-{b}", title="整改不力、重视不够问题", unit_id=uid,
                         source="inspection", inspection_id=ins, owner_id=usec,
                         duty_id=f"D-{uid}-01", category="整改落实", severity="medium",
                         found_on=end, deadline=end[:4] + "-12-31", status="closed")
            ds.add("projects", id=f"PJ-{uid}-{b}", title="抓整改、抓问责、抓长效", issue_id=iid,
                   leader_id=usec, goal="举一反三、健全制度、形成长效",
                   measures="制定整改方案，建立长效制度", deadline=end[:4] + "-12-31",
                   status="done", completed_on=end[:4] + "-12-20")


# -- 上港集团 -----------------------------------------------------------------------------
SIPG_UNITS = [(f"SIPG-C{n:02d}", name, "enterprise") for n, name in enumerate(
    ("集团第一集装箱码头分公司", "集团第二集装箱码头分公司", "集团散货码头分公司",
     "集团物流有限公司", "集团港务工程有限公司", "集团船务有限公司", "集团港城开发有限公司",
     "集团信息科技有限公司"), start=1)]
SIPG_ASPECTS = {
    "primary": ("党的建设", "决策监督", "三重一大", "风险防控", "作风建设", "考核评价", "教育活动",
                "选人用人"),
    "supervisory": ("日常监督", "专项检查", "执纪审查", "问责追责"),
    "first": ("第一责任", "示范带头"),
    "dual": ("一岗双责",),
}


#: Items of each company's individual responsibility list (个性化责任清单), 4,536 in all:
#: "4500余条" across the group (DESIGN.md §7).
SIPG_INDIVIDUAL_ITEMS = (618, 603, 571, 566, 552, 547, 540, 539)
#: Supervisory items cascaded from the city commission's duties.
_SIPG_FROM_CITY = {("supervisory", 0): "D-SHJW-02", ("supervisory", 1): "D-SHJW-03"}


def _sipg_parent(resp: str, k: int) -> str | None:
    if resp == "primary" and k == 0:
        return "D-SH-01"
    return _SIPG_FROM_CITY.get((resp, k))


def add_sipg(ds: Dataset) -> None:
    ds.unit("SIPG", "上港集团党委", "party_committee", 1, "SH", code="SIPG-000")
    ds.unit("SIPG-JW", "上港集团纪委", "discipline_body", 1, "SH-JW", code="SIPG-JW-000")
    ds.supervise("SIPG-JW", "SIPG", "same_level")
    team = _team(ds, "SIPG", [("secretary", "党委书记、董事长"),
                              ("deputy_secretary", "党委副书记、总裁"),
                              *[("member", "党委委员、副总裁") for _ in range(3)],
                              ("discipline_secretary", "党委常委、纪委书记")])
    sec, jw_sec = team["secretary"][0], team["discipline_secretary"][0]
    members = team["deputy_secretary"] + team["member"]
    ds.post(jw_sec, "SIPG-JW", "secretary", START)
    for day in ("2017-02-26", "2025-02-26"):
        _record(ds, "R-SIPG-", "SIPG-JW", sec, None, day, "纪委向党委书记通报年度监督情况。")
    counts = {"primary": 40, "supervisory": 33, "first": 24, "dual": 12}
    first_of: dict[str, str] = {}
    for resp, count in counts.items():
        aspects = SIPG_ASPECTS[resp]
        for k in range(count):
            holder = {"primary": "SIPG", "supervisory": "SIPG-JW", "first": sec}.get(resp) \
                or members[k % len(members)]
            did = ds.duty(f"D-SIPG-{resp[0].upper()}{k + 1:02d}",
                          f"{aspects[k % len(aspects)]}责任第{k + 1}条", resp, holder,
                          aspect=aspects[k % len(aspects)], year=2017,
                          indicator="纳入70余项考核指标，按季度考核",
                          parent=_sipg_parent(resp, k))
            first_of.setdefault(holder, did)
    subs = []
    for n, (uid, name, kind) in enumerate(SIPG_UNITS):
        ds.unit(uid, name, kind, 2, "SIPG")
        t = _team(ds, uid, [("secretary", "党委书记"), ("head", "总经理"), ("member", "副总经理")])
        subs.append((uid, t["secretary"][0], t["member"][0]))
        ds.supervise("SIPG-JW", uid, "same_level")
        ds.portfolio(members[n % len(members)], uid, "分管板块", START)
        for k in range(5):  # the 40 primary items, each broken down for one company
            ds.duty(f"D-{uid}-{k + 1:02d}", f"细化个性化责任清单第{k + 1}条并向职工公开", "primary",
                    uid, aspect="党的建设", year=2017,
                    indicator=(f"本单位个性化责任清单{SIPG_INDIVIDUAL_ITEMS[n]}条，向职工公开率100%"
                               if k == 0 else "清单公开率100%"),
                    parent=f"D-SIPG-P{n * 5 + k + 1:02d}")
        # The company's individual list (4,500+ items across the group) made public to its
        # staff: the sample keeps each company's count, not every item.
        _record(ds, "R-SIPG-", t["secretary"][0], uid, f"D-{uid}-01", "2017-06-30",
                f"个性化责任清单{SIPG_INDIVIDUAL_ITEMS[n]}条经职代会审议后向职工公开。",
                action="report")
        for day in ("2017-06-18", "2025-06-18"):
            _record(ds, "R-SIPG-", "SIPG-JW", t["secretary"][0], None, day,
                    "纪委与子公司党委书记开展廉政谈话。")
    for p in [sec, *members]:
        _record(ds, "R-SIPG-", p, None, first_of[p], "2017-10-16", "参加党风廉政建设教育月活动。",
                action="lecture")
    # Quarterly special checks in 2017; decision problems found; seven managers held
    # accountable (the principal Party and administrative heads of the units concerned).
    checks = []
    for q in range(1, 5):
        checks.append(ds.add("inspections", id=f"INS-SIPG-2017Q{q}",
                             name=f"2017年第{q}季度“三重一大”专项检查", kind="special_check",
                             conducted_by=["SIPG", "SIPG-JW"], covers=[u for u, _, _ in subs],
                             round=f"Q{q}",
                             started_on=f"2017-{3 * q - 2:02d}-10",
                             ended_on=f"2017-{3 * q - 1:02d}-20"))
    # 倒查: the deputy manager who pushed the project through is directly responsible, the
    # company's secretary bears 主要领导责任 — seven managers in 2017. In the fourth case a
    # project manager (not a manager of the group) acted; no decision about him is recorded,
    # so his direct link is a gap in that case's trace-back.
    a = 0
    for k, idx in enumerate((0, 2, 4, 6), start=1):
        uid, usec, deputy = subs[idx]
        ended = f"2017-{3 * k - 1:02d}-20"
        decided = f"2017-{3 * k:02d}-28"
        iid = ds.add("issues", id=f"I-SIPG-{k:02d}",
                     title=f"{SIPG_UNITS[idx][1]}超10万元项目未经“三重一大”决策",
                     unit_id=uid, source="special_check", inspection_id=checks[k - 1],
                     owner_id=usec, duty_id=f"D-{uid}-01", category="决策监督", severity="high",
                     found_on=ended, deadline="2017-12-31", status="closed")
        ds.add("projects", id=f"PJ-SIPG-{k:02d}", title="规范“三重一大”决策程序", issue_id=iid,
               leader_id=usec, goal="超过10万元项目全部经集体决策",
               measures="修订议事规则，建立前置程序",
               deadline="2017-12-31", status="done", completed_on="2017-12-15",
               follows_case=f"C-SIPG-{k:02d}")
        held = [(usec, "primary_leadership", "SIPG")]
        if k < 4:
            involved = deputy
            held.insert(0, (deputy, "direct", "SIPG"))
        else:
            involved = ds.next_id(f"P-{uid}-", 2)
            ds.person(involved, "项目经理")
            ds.post(involved, uid, "staff", START)
        # The group commission's supervision was reviewed and found not at fault, except in
        # the third case, where nobody ever looked at it (V_SUPERVISION_NOT_TRACED).
        cid = ds.add("cases", id=f"C-SIPG-{k:02d}", title=f"{SIPG_UNITS[idx][1]}违规决策问题",
                     unit_id=uid, category="违反组织纪律", subject_ids=[involved], issue_id=iid,
                     occurred_on=f"2016-{k + 6:02d}-01", opened_on=ended,
                     closed_on=f"2017-{3 * k:02d}-20",
                     supervision_review=None if k == 3 else "not_applicable")
        for target, category, by in held:
            a += 1
            ds.add("accountability", id=f"A-SIPG-{a:02d}", title=None, case_id=cid,
                   target_id=target, category=category,
                   measure="admonish" if a % 3 else "organizational", form=1 if a % 3 else 2,
                   decided_by=by, decided_on=decided)
