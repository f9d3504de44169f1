"""The rest of the article's mechanism: assessment (考核评议), inspection focus and the lists
refined from inspection findings, 上港's risk prevention network and its 三重一大 rule.

Declared after the pilots exist (it reads their units, people and duties):

* 市教育卫生工作党委: a yearly 述职检查测评 from 2016, each unit by one of three forms in
  rotation — a third 实地检查, a third 现场述职, a third 书面述职 —, so that every unit is
  assessed on site at least once in any three years; its institution list refined from the
  findings of its four inspection batches (``derived_from``).
* 嘉定区: superiors evaluate each town's Party organisation and its secretary, and the cadres
  and masses evaluate the secretary too (优化评议渠道), in 2017 and 2025.
* 上港集团: its companies assessed on the group's 73 list items (“70余项具体指标”) in 2017
  and 2025, the results tied to pay, rewards and appointments; the three-level prevention
  network (决策层, 管理层, 操作层) as a sample of the 16,000 control measures (every unit's
  risk points with one to three controls each); its 三重一大 decisions, with projects and
  spending above 10万元 decided collectively (党委会前置研究), and the four decisions of 2016
  that the 2017 special checks found taken without it (linked from their issues).

Weak spots planted on purpose (docs/sample-data.md lists them; only as of 2026-12-01): a
教卫 unit given a written report three years running, a 上港 company's poor 2025 result
never used, a 嘉定 town secretary whose masses' evaluation falls far below the superiors',
an inspection finding of 闵行's 2024 巡察 closed with no list item or project, two high-level
risk points of 上港 without an active or recently checked control, and a 2026 spending of
28万元 approved without collective decision.
"""

from __future__ import annotations

from loaders.sample.dataset import Dataset

#: 教卫's three forms, in rotation: unit n in year y takes FORMS[(n + y) % 3].
FORMS = ("onsite_check", "onsite_report", "written_report")
JWDW_YEARS = range(2016, 2027)
#: The 教卫 unit whose rotation broke after 2022: written reports three years running.
JWDW_NO_ONSITE = "JWDW-H04"
#: The 上港 company whose poor 2025 result was never used.
SIPG_POOR_UNUSED = "SIPG-C07"
#: The 嘉定 town whose secretary's evaluations diverge in 2025.
JD_DIVERGENT_TOWN = "JD-T05"


def add_mechanism(ds: Dataset) -> None:
    """Assessments, inspection focus and derived list items, risk points, controls and
    三重一大 decisions (see the module docstring)."""
    _jwdw_assessment(ds)
    _jwdw_lists_from_findings(ds)
    _inspection_focus(ds)
    _jiading_evaluation(ds)
    _sipg_assessment(ds)
    _sipg_risks(ds)
    _sipg_decisions(ds)
    _minhang_unlisted_finding(ds)


# -- helpers ------------------------------------------------------------------------------
def _secretary(ds: Dataset, unit: str, day: str) -> str:
    for r in ds.rows["posts"]:
        if (r["unit_id"] == unit and r["role"] == "secretary" and (r["start"] or "") <= day
                and (r["end"] is None or day <= r["end"])):
            return str(r["person_id"])
    raise ValueError(f"no secretary of {unit} on {day}")


def _team(ds: Dataset, unit: str) -> list[str]:
    return [str(r["person_id"]) for r in ds.rows["posts"]
            if r["unit_id"] == unit and r["end"] is None
            and r["role"] in ("secretary", "deputy_secretary", "member", "head")]


def _row(ds: Dataset, table: str, node_id: str) -> dict[str, object]:
    for r in ds.rows[table]:
        if r.get("id") == node_id:
            return r
    raise ValueError(f"no {table} row {node_id}")


def _result(ds: Dataset, rid: str, *, assessment: str | None, assessed: str,
            by: str | None, method: str, on: str, score: float | None,
            grade: str | None = None, use: str | None = None,
            comment: str | None = None) -> str:
    return ds.add("assessment_results", id=rid, title=None, assessment_id=assessment,
                  assessed_id=assessed, assessed_by=by, method=method, assessed_on=on,
                  score=score, grade=grade, use=use, comment=comment)


def _grade(score: float) -> str:
    return ("excellent" if score >= 90 else "good" if score >= 80
            else "fair" if score >= 70 else "poor")


# -- 市教育卫生工作党委: the 1/3 rotation ------------------------------------------------------
def _jwdw_units(ds: Dataset) -> list[str]:
    return sorted(u for u in ds.units if ds.units[u]["parent_id"] == "JWDW")


def _jwdw_form(n: int, unit: str, year: int) -> str:
    if unit == JWDW_NO_ONSITE and year >= 2023:
        return "written_report"
    return FORMS[(n + year) % 3]


def _jwdw_assessment(ds: Dataset) -> None:
    units = _jwdw_units(ds)
    for year in JWDW_YEARS:
        aid = ds.add("assessments", id=f"AS-JWDW-{year}",
                     name=f"市教育卫生工作党委{year}年度述职检查测评", organised_by="JWDW",
                     year=year, period_start=f"{year}-01-01", period_end=f"{year}-12-31",
                     scheme="系统单位三分之一实地检查并反馈意见、三分之一现场述职并点评、"
                            "三分之一书面述职，三年轮换")
        for n, uid in enumerate(units):
            form = _jwdw_form(n, uid, year)
            score = round(86 + (n * 7 + year) % 11 + (0.5 if n % 2 else 0), 1)
            rid = _result(ds, f"AR-JWDW-{year}-{n + 1:02d}", assessment=aid, assessed=uid,
                          by="JWDW", method=form, on=f"{year}-12-10", score=score,
                          grade=_grade(score),
                          comment={"onsite_check": "实地检查，反馈意见建议。",
                                   "onsite_report": "现场述职，党委点评。",
                                   "written_report": "书面述职。"}[form])
            for k in (1, 2):
                ds.add("assessment_scores", result_id=rid, duty_id=f"D-{uid}-{k:02d}",
                       score=round(score + (1.5 if k == 1 else -1.5), 1))


def _jwdw_lists_from_findings(ds: Dataset) -> None:
    """The institution list refined from the inspection findings (结合巡察发现的突出问题):
    one rule item per unit, derived from that unit's first finding."""
    for n, uid in enumerate(_jwdw_units(ds), start=1):
        issue = next(str(r["id"]) for r in ds.rows["issues"]
                     if r["unit_id"] == uid and r["source"] == "inspection")
        _row(ds, "duties", f"D-JWDW-Z{n:02d}")["derived_from"] = issue


def _inspection_focus(ds: Dataset) -> None:
    political = "政治巡察：“四责协同”机制落实，班子成员履行“一岗双责”情况"
    for r in ds.rows["inspections"]:
        rid = str(r["id"])
        if rid.startswith(("INS-JWDW-", "INS-MH-")):
            r["focus"] = political
        elif rid.startswith("INS-SIPG-"):
            r["focus"] = "“三重一大”决策程序执行情况（金额超过10万元项目集体决策）"
        elif rid.startswith("INS-SH-"):
            r["focus"] = "落实全面从严治党主体责任情况"


# -- 嘉定区: superiors' and masses' evaluation --------------------------------------------
def _jiading_evaluation(ds: Dataset) -> None:
    towns = sorted(u for u in ds.units if ds.units[u]["parent_id"] == "JD"
                   and ds.units[u]["kind"] == "street_town")
    for year, on in ((2017, "2018-01-15"), (2025, "2026-01-15")):
        aid = ds.add("assessments", id=f"AS-JD-{year}", name=f"嘉定区{year}年度基层党组织履责评议",
                     organised_by="JD", year=year, period_start=f"{year}-01-01",
                     period_end=f"{year}-12-31",
                     scheme="上级党组织评议基层党组织履责情况，基层干部群众评议领导个人履责情况")
        for n, town in enumerate(towns, start=1):
            sec = _secretary(ds, town, on)
            unit_score = 84.0 + (n * 5 + year) % 12
            _result(ds, f"AR-JD-{year}-{n:02d}U", assessment=aid, assessed=town, by="JD",
                    method="superior", on=on, score=unit_score, grade=_grade(unit_score),
                    use="reward" if unit_score >= 90 else None)
            ds.add("assessment_scores", result_id=f"AR-JD-{year}-{n:02d}U", duty_id="D-JD-06",
                   score=unit_score)
            superior = 85.0 + (n * 3 + year) % 10
            masses = superior - 2 - n % 4
            if year == 2025 and town == JD_DIVERGENT_TOWN:
                superior, masses = 93.0, 71.0  # planted: the masses see it very differently
            _result(ds, f"AR-JD-{year}-{n:02d}S", assessment=aid, assessed=sec, by="JD",
                    method="superior", on=on, score=superior, grade=_grade(superior))
            _result(ds, f"AR-JD-{year}-{n:02d}M", assessment=aid, assessed=sec, by=town,
                    method="mass", on=on, score=masses, grade=_grade(masses))


# -- 上港集团: 目标责任制考核 on 70+ indicators ---------------------------------------------------
def _sipg_companies(ds: Dataset) -> list[str]:
    return sorted(u for u in ds.units if ds.units[u]["parent_id"] == "SIPG")


def _sipg_indicators(ds: Dataset) -> list[str]:
    """The group's 40 primary and 33 supervisory items: the “70余项具体指标”."""
    return sorted(str(r["id"]) for r in ds.rows["duties"]
                  if str(r["id"]).startswith(("D-SIPG-P", "D-SIPG-S")))


def _sipg_assessment(ds: Dataset) -> None:
    indicators = _sipg_indicators(ds)
    for year, on in ((2017, "2018-01-20"), (2025, "2026-01-20")):
        aid = ds.add("assessments", id=f"AS-SIPG-{year}",
                     name=f"上港集团{year}年度党组织目标责任制考核", organised_by="SIPG",
                     year=year, period_start=f"{year}-01-01", period_end=f"{year}-12-31",
                     scheme="70余项具体指标，与经营业绩同考核；结果与领导人员任免、薪酬、奖惩挂钩")
        for n, uid in enumerate(_sipg_companies(ds), start=1):
            base = 80 + (n * 7 + year) % 15
            if (year, n) == (2017, 3) or (year == 2025 and uid == SIPG_POOR_UNUSED):
                base = 62  # a poor result
            scores = [float(base + (k * 5 + n) % 9 - 4) for k in range(len(indicators))]
            overall = round(sum(scores) / len(scores), 1)
            if overall < 70:
                # 2017: the poor result led to a talk (约谈); 2025: planted, never used.
                use = "talk" if year == 2017 else None
            else:
                use = "reward" if overall >= 90 else "pay"
            rid = _result(ds, f"AR-SIPG-{year}-{n:02d}", assessment=aid, assessed=uid,
                          by="SIPG", method="onsite_check", on=on, score=overall,
                          grade=_grade(overall), use=use)
            for duty, score in zip(indicators, scores, strict=True):
                ds.add("assessment_scores", result_id=rid, duty_id=duty, score=score)
            if use == "talk":
                ds.add("records", id=ds.next_id("R-SIPG-", 3), title=None, kind="fulfilment",
                       action="talk", actor_id="SIPG-JW", duty_id=None,
                       target_id=_secretary(ds, uid, on), on="2018-02-06",
                       summary="考核结果较差，约谈单位党委书记，督促整改。")


# -- 上港集团: the three-level prevention network ------------------------------------------
#: (layer, post or process, risk, level, controls as (measure, frequency))
RISKS: tuple[tuple[str, str, str, str, tuple[tuple[str, str], ...]], ...] = (
    ("decision", "党委会议事决策", "“三重一大”事项未经集体决策", "high",
     (("党委会前置研究，金额超过10万元项目必须上会", "each_time"),
      ("纪委列席党委会，会后核查决策记录", "quarterly"))),
    ("decision", "干部选拔任用", "动议、考察环节把关不严", "high",
     (("干部选任全程纪实", "each_time"), ("组织部门与纪委联审", "each_time"))),
    ("decision", "投资决策", "投资项目论证不充分、越权决策", "high",
     (("可行性研究和风险评估前置", "each_time"), ("投资后评价", "yearly"))),
    ("management", "招标采购", "规避招标、围标串标", "high",
     (("采购平台全流程留痕", "each_time"), ("纪委季度专项检查", "quarterly"),
      ("评标专家随机抽取", "each_time"))),
    ("management", "工程建设", "工程变更签证不规范", "medium",
     (("变更签证分级审批", "each_time"), ("结算审计", "each_time"))),
    ("management", "财务资金", "大额资金支付审批不严", "high",
     (("大额资金支付联签", "each_time"), ("月度资金流向分析", "monthly"))),
    ("management", "合同管理", "合同履约监管缺位", "medium",
     (("合同台账动态管理", "monthly"),)),
    ("management", "人事薪酬", "薪酬发放不规范", "medium",
     (("薪酬发放双人复核", "monthly"),)),
    ("management", "资产处置", "国有资产处置低价转让", "high",
     (("资产评估和产权交易所公开交易", "each_time"), ("处置事项备案", "quarterly"))),
    ("operation", "码头作业调度", "作业计划优亲厚友、吃拿卡要", "medium",
     (("作业计划系统排程公开", "each_time"), ("调度岗位定期轮岗", "yearly"))),
    ("operation", "堆场仓储", "货物堆存费减免随意", "low",
     (("费用减免审批留痕", "each_time"),)),
    ("operation", "港口收费", "收费标准执行不一", "medium",
     (("收费系统自动计费", "each_time"), ("收费稽核", "monthly"))),
    ("operation", "物资领用", "物资领用无审批", "low",
     (("物资出入库台账", "monthly"),)),
    ("operation", "设备维修", "维修外包虚增工作量", "medium",
     (("维修工单验收签字", "each_time"), ("外包结算抽查", "quarterly"))),
    ("operation", "车辆管理", "公车私用", "low",
     (("公车定位监控", "monthly"),)),
)


def _sipg_risks(ds: Dataset) -> None:
    units = ["SIPG", *_sipg_companies(ds)]
    for u, uid in enumerate(units):
        team = _team(ds, uid)
        sec = _secretary(ds, uid, "2017-01-01")
        for r, (layer, post, risk, level, controls) in enumerate(RISKS, start=1):
            rid = ds.add("risk_points", id=f"RP-{uid}-{r:02d}", title=f"{post}：{risk}",
                         unit_id=uid, layer=layer, post=post, level=level,
                         identified_on="2016-09-30")
            owner = sec if layer == "decision" else team[(r + u) % len(team)]
            for c, (measure, freq) in enumerate(controls, start=1):
                checked = ("2026-09-28" if freq in ("each_time", "monthly", "quarterly")
                           else "2026-01-15")
                ds.add("controls", id=f"CT-{uid}-{r:02d}{c}", title=measure, risk_id=rid,
                       owner_id=owner, frequency=freq, status="active",
                       established_on="2016-12-31", last_checked=checked)
    # Planted (present day): a new business's decision-layer risk with no control yet, and
    # a high-level risk whose only control was last checked in 2024.
    ds.add("risk_points", id="RP-SIPG-C08-90", title="跨境数据服务新业务：合作方选择未经集体决策",
           unit_id="SIPG-C08", layer="decision", post="新业务拓展", level="high",
           identified_on="2025-11-20")
    ds.add("risk_points", id="RP-SIPG-C02-90", title="集装箱超期堆存费核销：人为减免",
           unit_id="SIPG-C02", layer="management", post="费用核销", level="high",
           identified_on="2019-05-10")
    ds.add("controls", id="CT-SIPG-C02-901", title="堆存费核销双人审核并月度抽查",
           risk_id="RP-SIPG-C02-90", owner_id=_secretary(ds, "SIPG-C02", "2019-05-10"),
           frequency="monthly", status="active", established_on="2019-06-01",
           last_checked="2024-05-20")


# -- 上港集团: 三重一大 and the 10万 rule ----------------------------------------------------
#: (kind, title, amount in yuan or None) of each company's 2017 decisions.
SIPG_2017 = (
    ("major_decision", "年度党风廉政建设工作要点", None),
    ("appointment", "中层干部任免", None),
    ("major_project", "码头设备更新改造项目", 3_800_000.0),
    ("major_project", "堆场信息化改造项目", 460_000.0),
    ("large_fund", "年度安全生产专项资金使用", 1_200_000.0),
    ("major_project", "办公区域修缮项目", 86_000.0),
)
#: The four decisions the 2017 special checks found taken without collective decision
#: (the issues I-SIPG-01..04 and cases C-SIPG-01..04 of pilots.py): company idx, amount.
SIPG_2016_INDIVIDUAL = ((0, 350_000.0), (2, 280_000.0), (4, 460_000.0), (6, 180_000.0))


def _sipg_decisions(ds: Dataset) -> None:
    companies = _sipg_companies(ds)
    for n, uid in enumerate(companies, start=1):
        for k, (kind, title, amount) in enumerate(SIPG_2017, start=1):
            # Below the threshold a project may be approved by the manager alone.
            small = amount is not None and amount <= 100_000
            ds.add("decisions", id=f"DC-{uid}-2017-{k:02d}", title=title, unit_id=uid,
                   kind=kind, amount=amount, decided_on=f"2017-{k + 3:02d}-{10 + n:02d}",
                   meeting=None if small else f"党委会（2017年第{k + 2}次）",
                   mode="individual" if small else "collective")
    for year in (2017, 2025, 2026):
        ds.add("decisions", id=f"DC-SIPG-{year}-01", title=f"集团{year}年度重大投资计划",
               unit_id="SIPG", kind="major_decision", amount=None, decided_on=f"{year}-01-18",
               meeting=f"集团党委会（{year}年第1次，前置研究）", mode="collective")
    for k, (idx, amount) in enumerate(SIPG_2016_INDIVIDUAL, start=1):
        uid = companies[idx]
        did = ds.add("decisions", id=f"DC-{uid}-2016-{k:02d}", title="码头配套工程项目",
                     unit_id=uid, kind="major_project", amount=amount,
                     decided_on=f"2016-{k + 6:02d}-01", meeting=None, mode="individual")
        _row(ds, "issues", f"I-SIPG-{k:02d}")["decision_id"] = did
    for n, uid in enumerate(companies, start=1):
        ds.add("decisions", id=f"DC-{uid}-2025-01", title="港区智能化改造项目", unit_id=uid,
               kind="major_project", amount=2_000_000.0 + 150_000.0 * n,
               decided_on=f"2025-03-{10 + n:02d}", meeting="党委会（2025年第3次，前置研究）",
               mode="collective")
    # Planted (present day): spending above the threshold approved by one person.
    ds.add("decisions", id="DC-SIPG-C06-2026-01", title="船舶燃料采购预付款支付",
           unit_id="SIPG-C06", kind="large_fund", amount=280_000.0, decided_on="2026-08-12",
           meeting=None, mode="individual")


# -- 闵行区: an inspection finding never listed ----------------------------------------------
def _minhang_unlisted_finding(ds: Dataset) -> None:
    """Planted (present day): a finding of the 2024 巡察, marked rectified, that was never
    turned into a list item or a project."""
    covered = next(r for r in ds.rows["inspections"] if r["id"] == "INS-MH-2024")["covers"]
    unit = sorted(covered)[0]
    sec = _secretary(ds, unit, "2024-05-31")
    ds.add("issues", id="I-MH-X01", title="巡察发现：班子成员履行“一岗双责”不到位", unit_id=unit,
           source="inspection", inspection_id="INS-MH-2024", owner_id=sec, duty_id=None,
           category="一岗双责", severity="medium", found_on="2024-05-31",
           deadline="2024-11-30", status="rectified", follows_case=None, decision_id=None)
