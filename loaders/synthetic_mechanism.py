"""The mechanism's kinds in the synthetic data: assessment rounds and results, risk points
and controls, 三重一大 decisions, inspection findings turned into list items, and the
planted weak links of those kinds (docs/generator.md).

Per district, written through the district's generator (:class:`loaders.synthetic.District`):

* a yearly 述职检查测评 round of the district committee over its level-2 units, held on
  10 December of every year before as_of: each unit by one of the three forms in rotation
  (实地检查, 现场述职, 书面述职: unit n in year y takes ``FORMS[(n + y) % 3]``, so a third
  each and every unit on site at least once in any three rounds), three indicator scores
  on its primary items, a grade and the use made of it; in the same round the secretary of
  each unit evaluated by the district (上级评议) and by the unit's cadres and masses
  (群众评议), the other team members by 民主测评; every department owning companies assesses
  them yearly on site (目标责任制考核) on their primary items;
* risk points in the decision, management and operation layers (level-2 units, companies and
  the district committee 6–12 each, villages 2–4) with one to three controls each (villages
  one or two), owned by a team member, checked at their frequency;
* 三重一大 decisions: three a year per level-2 unit and company, one per village; projects and
  spending above 10万元 decided collectively, below it sometimes by one person;
* a list item (institution list) derived from a third of each year's inspection findings.

Random draws come from a stream of its own (``{seed}/district-n/mechanism``), so the rest of
the generated data is the same with or without this part. Planted per district (codes of
:mod:`graph.analytics`): a unit written-report only in the last three rounds, a secretary's
poor grade never used (the secretary of the unit with no supervisor, whom no record
concerns), a secretary whose masses' score is 22 points below the superiors', two high-level
risk points (no control; a control last checked 500 days ago), two spendings above 10万元
by one person, an inspection finding closed with no project and no list item, and a new
unit outside every supervision channel (also ``H_NO_SUPERVISOR``).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from loaders.sample.names import NameBook

if TYPE_CHECKING:
    from loaders.synthetic import District, Unit

#: The 述职检查测评 rotation: unit n in year y takes FORMS[(n + y) % 3].
FORMS = ("onsite_check", "onsite_report", "written_report")
#: The 三重一大 threshold of the analytics' default configuration (上港: 10万元).
THRESHOLD = 100_000.0
#: (layer, post or process, risk, usual level) of an organ, institution or company.
RISKS = (
    ("decision", "党委会议事决策", "“三重一大”事项未经集体决策", "high"),
    ("decision", "干部选拔任用", "动议、考察环节把关不严", "high"),
    ("decision", "投资决策", "项目论证不充分、越权决策", "high"),
    ("management", "招标采购", "规避招标、围标串标", "high"),
    ("management", "工程建设", "工程变更签证不规范", "medium"),
    ("management", "财务资金", "大额资金支付审批不严", "high"),
    ("management", "合同管理", "合同履约监管缺位", "medium"),
    ("management", "资产管理", "国有资产处置低价转让", "medium"),
    ("operation", "行政审批", "审批环节吃拿卡要", "medium"),
    ("operation", "执法检查", "选择性执法、随意减免", "medium"),
    ("operation", "物资领用", "物资领用无审批", "low"),
    ("operation", "公务用车", "公车私用", "low"),
)
#: The same for a village or residents' committee (村级小微权力).
VILLAGE_RISKS = (
    ("decision", "村级重大事项决策", "未落实“四议两公开”", "high"),
    ("management", "集体资产资源", "集体资产发包租赁暗箱操作", "medium"),
    ("management", "村级工程", "工程项目未经公开招投标", "medium"),
    ("operation", "惠农补贴", "优亲厚友、虚报冒领", "medium"),
    ("operation", "村务公开", "公开不及时、不全面", "low"),
)
CONTROLS = {
    "decision": ("会前酝酿、集体讨论、会议纪要备查", "纪检组织列席会议并核查决策记录"),
    "management": ("流程节点全程留痕、系统控制", "分级审批、双人复核", "定期专项检查"),
    "operation": ("岗位定期轮岗", "办理结果公开公示", "台账月度抽查"),
}
FREQUENCIES = ("each_time", "monthly", "quarterly", "half_yearly", "yearly")
FREQUENCY_WEIGHTS = (0.35, 0.2, 0.25, 0.1, 0.1)
DECISION_KINDS = ("major_decision", "appointment", "major_project", "large_fund")
DECISION_WEIGHTS = (0.3, 0.2, 0.3, 0.2)
DECISION_TITLES = {"major_decision": ("年度工作计划", "党风廉政建设工作要点", "内部管理制度修订"),
                   "appointment": ("中层干部任免", "干部交流轮岗"),
                   "major_project": ("信息化建设项目", "办公场所修缮项目", "设备更新项目"),
                   "large_fund": ("专项资金使用", "年度预算调整", "采购预付款支付")}
FOCUS = {"inspection": "政治巡察：“四责协同”机制落实，班子成员履行“一岗双责”情况",
         "village": "村级小微权力运行和“三重一大”事项决策情况",
         "special_check": "下属企业“三重一大”决策程序执行情况（金额超过10万元项目集体决策）",
         "tour": "落实全面从严治党主体责任情况",
         "duty_review": "落实“四责协同”机制、建立责任清单情况"}


def focus_of(kind: str, villages: bool = False) -> str:
    """The focus (检查重点) the generator gives an inspection of ``kind``."""
    return FOCUS["village" if villages else kind]


def _grade(score: float) -> str:
    return ("excellent" if score >= 90 else "good" if score >= 80
            else "fair" if score >= 70 else "poor")


class DistrictMechanism:
    """The mechanism's rows of one district (see the module docstring)."""

    def __init__(self, district: District) -> None:
        self.d = district
        g = self.g = district.g
        self.p = district.p
        self.rng = random.Random(f"{g.seed}/district-{district.n}/mechanism")  # noqa: S311
        self.names = NameBook(random.Random(f"{g.seed}/district-{district.n}/mechanism-names"))  # noqa: S311
        #: Rounds are held on 10 December of every year before as_of.
        self.rounds = [y for y in g.years if f"{y}-12-10" < g.today]
        self.findings: list[tuple[Unit, str]] = []   # this year's inspection findings
        pk, level2 = district.pick, district.level2
        self.no_follow_up = level2[pk["no_supervisor"]]
        calm = [u for u in level2 if u.id not in district.quiet]
        picks = self.rng.sample(calm, 5)
        self.no_onsite, self.divergent = picks[0], picks[1]
        self.uncontrolled = picks[2:4]
        self.audited = picks[4]
        # The finding never listed: in a unit an inspection covered before last year ended.
        listed = [u for u in calm if u not in picks and self._inspected(u)]
        self.unlisted = self.rng.choice(listed or [u for u in level2 if self._inspected(u)])

    def _inspected(self, u: Unit) -> tuple[int, str, str] | None:
        """The last inspection of ``u`` in the year before as_of's or earlier."""
        last = self.g.years[-2]
        done = [c for c in self.d.covered.get(u.id, ()) if c[0] <= last and c[2] < self.g.today]
        return done[-1] if done else None

    # -- small helpers -------------------------------------------------------------------
    def day(self, year: int, lo: int = 1, hi: int = 365) -> str:
        """A random date in ``year`` (day-of-year range), never after as_of."""
        g = self.g
        d = dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randint(lo, hi) - 1)
        return min(d, g.as_of - dt.timedelta(days=1)).isoformat()

    def ago(self, days: int) -> str:
        return (self.g.as_of - dt.timedelta(days=days)).isoformat()

    @staticmethod
    def owner(u: Unit, on: str, k: int = 0) -> str:
        """Someone of the unit's team in post on ``on`` (the unit itself if nobody)."""
        sec = u.secretary_on(on)
        team = ([sec] if sec else []) + u.members
        return team[k % len(team)] if team else u.id

    # -- per year ------------------------------------------------------------------------
    def year(self, y: int) -> None:
        """Rows of year ``y``: the assessment round, decisions, list items from findings
        (called while the year's duty items are known)."""
        if y in self.rounds:
            self._round(y)
            self._companies(y)
        self._decisions(y)
        self._derived(y)

    def finding(self, u: Unit, issue: str) -> None:
        """An issue an inspection found in ``u`` this year (the district reports each). The
        quiet units take no list item from it (the pressure-break town must hold none)."""
        if u.id not in self.d.quiet:
            self.findings.append((u, issue))

    def _result(self, rid: str, round_: str, subject: str, by: str, method: str, on: str,
                score: float, use: str | None = None) -> str:
        grade = _grade(score)
        if grade == "poor" and use is None:
            use = "talk"   # a poor grade is followed up (约谈) unless planted otherwise
        self.g.sink.row("assessment_results", id=rid, assessment_id=round_,
                        assessed_id=subject, assessed_by=by, method=method, assessed_on=on,
                        score=score, grade=grade, use=use)
        return rid

    def _round(self, y: int) -> None:
        g, d, rng, p = self.g, self.d, self.rng, self.p
        aid = f"AS-{p}-{y}"
        on = f"{y}-12-10"
        g.sink.row("assessments", id=aid, name=f"{d.d.name}{y}年度述职检查测评",
                   organised_by=d.d.id, year=y, period_start=f"{y}-01-01",
                   period_end=f"{y}-12-31",
                   scheme="三分之一实地检查、三分之一现场述职、三分之一书面述职，三年轮换；"
                          "上级评议班子和书记，干部群众评议班子成员")
        last_three = self.rounds[-3:]
        for n, u in enumerate(d.level2):
            form = FORMS[(n + y) % 3]
            if u is self.no_onsite and y in last_three:
                form = "written_report"
            score = round(min(99.0, max(60.0, rng.gauss(87, 5))), 1)
            use = ("reward" if score >= 90 else
                   "pay" if score >= 80 and rng.random() < 0.5 else None)
            rid = self._result(g.nid(f"AR-{p}-"), aid, u.id, d.d.id, form, on, score, use)
            if u is self.no_onsite and y == self.rounds[-1]:
                g.plant("V_NO_ONSITE_ASSESSMENT", [f"unit:{u.id}"],
                        "in the rotation since the first round, by written report only in the "
                        "last three")
            primaries = u.duties.get(y, {}).get("primary", [])
            for duty in rng.sample(primaries, min(3, len(primaries))):
                g.sink.row("assessment_scores", result_id=rid, duty_id=duty,
                           score=round(min(100.0, score + rng.uniform(-5, 5)), 1))
            self._people(u, y, aid, on, last=y == self.rounds[-1])

    def _people(self, u: Unit, y: int, aid: str, on: str, last: bool) -> None:
        """The secretary by the district and by cadres and masses, members by 民主测评."""
        g, rng, p = self.g, self.rng, self.p
        sec = u.secretary_on(on)
        if sec is not None:
            superior = round(rng.uniform(78, 96), 1)
            masses = round(superior - rng.uniform(-3, 6), 1)
            use: str | None = None
            if last and u is self.divergent:
                superior, masses = 93.0, 71.0
            elif last and u is self.no_follow_up:
                superior, masses, use = 65.0, 72.0, "none"
            sid = self._result(g.nid(f"AR-{p}-"), aid, sec, self.d.d.id, "superior", on,
                               superior, use)
            mid = self._result(g.nid(f"AR-{p}-"), aid, sec, u.id, "mass", on, masses)
            if last and u is self.divergent:
                g.plant("H_EVALUATION_DIVERGENT", [f"person:{sec}", f"assessmentresult:{mid}",
                                                   f"assessmentresult:{sid}"],
                        "the secretary's masses' score (71) is 22 points below the "
                        "superiors' (93) in the last round")
            elif last and u is self.no_follow_up:
                g.plant("V_LOW_GRADE_NO_FOLLOW_UP", [f"assessmentresult:{sid}",
                                                     f"person:{sec}"],
                        "the superiors graded the secretary poor in the last round, use "
                        "recorded as none, and no record concerns them since")
        for m in u.members:
            score = round(rng.uniform(80, 97), 1)
            self._result(g.nid(f"AR-{p}-"), aid, m, u.id, "democratic", on, score)

    def _companies(self, y: int) -> None:
        """Each department's yearly 目标责任制考核 of its companies, on site."""
        g, d, rng, p = self.g, self.d, self.rng, self.p
        for owner in d.level2:
            kids = [g.units[c] for c in owner.children if g.units[c].kind == "enterprise"]
            if not kids:
                continue
            aid = f"AS-{owner.id}-{y}"
            on = f"{y + 1}-01-20" if f"{y + 1}-01-20" < g.today else f"{y}-12-20"
            g.sink.row("assessments", id=aid, name=f"{owner.name}{y}年度下属企业目标责任制考核",
                       organised_by=owner.id, year=y, period_start=f"{y}-01-01",
                       period_end=f"{y}-12-31",
                       scheme="党建和党风廉政建设指标与经营业绩同考核，结果与薪酬、奖惩挂钩")
            for c in kids:
                score = round(min(99.0, max(62.0, rng.gauss(86, 6))), 1)
                rid = self._result(g.nid(f"AR-{p}-"), aid, c.id, owner.id, "onsite_check", on,
                                   score, "reward" if score >= 90 else "pay")
                for duty in c.duties.get(y, {}).get("primary", []):
                    g.sink.row("assessment_scores", result_id=rid, duty_id=duty,
                               score=round(min(100.0, score + rng.uniform(-6, 6)), 1))

    def _decisions(self, y: int) -> None:
        g, d, rng, p = self.g, self.d, self.rng, self.p
        companies = [u for u in d.level3 if u.kind == "enterprise"]
        villages = [u for u in d.level3 if u.kind == "village_community"]
        meetings = 0
        for u in [*d.level2, *companies, *villages]:
            village = u.kind == "village_community"
            for _ in range(1 if village else 3):
                kind = rng.choices(DECISION_KINDS, DECISION_WEIGHTS)[0]
                amount = None
                if kind in ("major_project", "large_fund"):
                    lo, hi = (4.0, 5.6) if village else (4.3, 6.5)
                    amount = float(round(10 ** rng.uniform(lo, hi), -3))
                small = amount is not None and amount <= THRESHOLD
                alone = small and rng.random() < 0.6
                meetings += 1
                body = "村党组织会议（四议两公开）" if village else "党委（党组）会议"
                self._decision(u, kind, rng.choice(DECISION_TITLES[kind]), amount,
                               self.day(y), None if alone else f"{body}（{y}年第{meetings}次）",
                               "individual" if alone else "collective")
        if y == g.years[-1]:
            for n, u in enumerate(rng.sample(d.level2, 2)):
                amount = float(rng.randrange(120_000, 600_000, 1_000))
                did = self._decision(u, "large_fund" if n else "major_project",
                                     "采购预付款支付" if n else "办公场所修缮项目", amount,
                                     self.day(y, 1, 300), None, "individual")
                g.plant("H_DECISION_NOT_COLLECTIVE", [f"decision:{did}", f"unit:{u.id}"],
                        f"{amount:,.0f} yuan above the 10万元 threshold, approved by one person")
        elif y == g.years[-3]:
            # One found by an audit and dealt with (an issue ABOUT_DECISION): not reported.
            u = self.audited
            did = self._decision(u, "major_project", "设备更新项目", 350_000.0,
                                 self.day(y, 1, 120), None, "individual")
            found = self.day(y, 200, 240)
            owner = self.owner(u, found)
            deadline = (dt.date.fromisoformat(found) + dt.timedelta(days=120)).isoformat()
            iid = g.nid(f"IS-{p}-D")
            g.sink.row("issues", id=iid, title=f"{u.name}超过10万元项目未经集体决策",
                       unit_id=u.id, source="audit", owner_id=owner, category="资金监管",
                       severity="high", found_on=found, deadline=deadline, status="closed",
                       decision_id=did)
            g.sink.row("projects", id=g.nid(f"PJ-{p}-D"), title=f"{u.name}“三重一大”决策整改",
                       issue_id=iid, leader_id=owner, goal="重大项目一律党委会前置研究",
                       measures="修订议事规则，纪委列席", deadline=deadline, status="done",
                       completed_on=(dt.date.fromisoformat(deadline)
                                     - dt.timedelta(days=20)).isoformat())

    def _decision(self, u: Unit, kind: str, title: str, amount: float | None, on: str,
                  meeting: str | None, mode: str) -> str:
        did = self.g.nid(f"DC-{self.p}-")
        self.g.sink.row("decisions", id=did, title=f"{u.name}{title}", unit_id=u.id, kind=kind,
                        amount=amount, decided_on=on, meeting=meeting, mode=mode)
        return did

    def _derived(self, y: int) -> None:
        """An institution-list item derived from a third of this year's inspection findings
        (清单结合巡察发现的问题修订), and the planted finding never listed."""
        g, rng, p = self.g, self.rng, self.p
        for u, issue in self.findings:
            if rng.random() < 1 / 3:
                g.sink.row("duties", id=g.nid(f"DZ-{p}-"), title=f"巡察整改：{u.name}建章立制",
                           responsibility="primary", holder_id=u.id, list="institution",
                           aspect="巡察整改", indicator="整改事项建立长效机制", year=y,
                           derived_from=issue)
        self.findings = []
        if y != g.years[-2]:
            return
        u = self.unlisted
        visit = self._inspected(u)
        if visit is None:
            return
        _, ins, ended = visit
        found = min(ended, self.ago(120))
        iid = g.nid(f"IS-{p}-F")
        g.sink.row("issues", id=iid, title=f"巡察发现：{u.name}班子成员履行“一岗双责”不到位",
                   unit_id=u.id, source="inspection", inspection_id=ins,
                   owner_id=self.owner(u, found), category="一岗双责", severity="medium",
                   found_on=found,
                   deadline=(dt.date.fromisoformat(found) + dt.timedelta(days=60)).isoformat(),
                   status="rectified")
        g.plant("V_FINDING_NOT_LISTED", [f"issue:{iid}", f"inspection:{ins}", f"unit:{u.id}"],
                "an inspection finding marked rectified, with no project and no list item "
                "derived from it")

    # -- once per district ---------------------------------------------------------------
    def finish(self) -> None:
        """Risk points and controls, and the new unit outside every channel."""
        d = self.d
        companies = [u for u in d.level3 if u.kind == "enterprise"]
        villages = [u for u in d.level3 if u.kind == "village_community"]
        for u in [d.d, *d.level2, *companies]:
            self._risks(u, RISKS, (6, 12), (1, 3))
        for u in villages:
            self._risks(u, VILLAGE_RISKS, (2, 4), (1, 2))
        self._planted_risks()
        self._outside_channels()

    def _risks(self, u: Unit, catalogue: tuple[tuple[str, str, str, str], ...],
               points: tuple[int, int], controls: tuple[int, int]) -> None:
        g, rng, p = self.g, self.rng, self.p
        chosen = rng.sample(catalogue, min(len(catalogue), rng.randint(*points)))
        for k, (layer, post, risk, level) in enumerate(chosen):
            if level != "high" and rng.random() < 0.15:
                level = "low" if level == "medium" else "medium"
            identified = self.day(rng.choice(g.years[:2]) - rng.randint(0, 3))
            rid = g.nid(f"RP-{p}-")
            g.sink.row("risk_points", id=rid, title=f"{post}：{risk}", unit_id=u.id, layer=layer,
                       post=post, level=level, identified_on=identified)
            owner = self.owner(u, g.today, 0 if layer == "decision" else k + 1)
            measures = CONTROLS[layer]
            for c, measure in enumerate(rng.sample(measures,
                                                   min(len(measures), rng.randint(*controls)))):
                freq = rng.choices(FREQUENCIES, FREQUENCY_WEIGHTS)[0]
                # High-level points are checked within the year; a lower one's control may
                # have gone unchecked longer (outside what the analytics look at).
                stale = level != "high" and rng.random() < 0.1
                checked = self.ago(rng.randint(400, 900) if stale else rng.randint(5, 300))
                g.sink.row("controls", id=f"CT-{rid[3:]}-{c + 1}", title=measure, risk_id=rid,
                           owner_id=owner, frequency=freq,
                           status="retired" if c and rng.random() < 0.05 else "active",
                           established_on=(dt.date.fromisoformat(identified)
                                           + dt.timedelta(days=60)).isoformat(),
                           last_checked=checked)

    def _planted_risks(self) -> None:
        g, p = self.g, self.p
        bare, stale = self.uncontrolled
        rid = g.nid(f"RP-{p}-")
        g.sink.row("risk_points", id=rid, title="新业务合作方选择：未经集体研究", unit_id=bare.id,
                   layer="decision", post="新业务拓展", level="high", identified_on=self.ago(60))
        g.plant("H_RISK_UNCONTROLLED", [f"riskpoint:{rid}", f"unit:{bare.id}"],
                "a high-level risk point identified 60 days ago with no control")
        rid = g.nid(f"RP-{p}-")
        g.sink.row("risk_points", id=rid, title="费用核销：人为减免", unit_id=stale.id,
                   layer="management", post="费用核销", level="high",
                   identified_on=self.ago(1200))
        g.sink.row("controls", id=f"CT-{rid[3:]}-1", title="核销双人审核并月度抽查", risk_id=rid,
                   owner_id=self.owner(stale, g.today), frequency="monthly", status="active",
                   established_on=self.ago(1150), last_checked=self.ago(500))
        g.plant("H_RISK_UNCONTROLLED", [f"riskpoint:{rid}", f"control:CT-{rid[3:]}-1",
                                        f"unit:{stale.id}"],
                "a high-level risk point whose only control was last checked 500 days ago")

    def _outside_channels(self) -> None:
        """A unit set up 150 days ago: a team, a district member in charge, a duty review;
        no inspection of any channel and nobody supervising it yet."""
        g, d, p = self.g, self.d, self.p
        from loaders.synthetic import Unit

        stem = d.d.name.removesuffix("区委")
        u = g.unit(Unit(f"{p}-N01", f"{stem}区新设服务中心", "institution", 2, d.d.id))
        start = self.ago(150)
        for role, title in (("secretary", "书记"), ("member", "班子成员")):
            pid = g.nid(f"P-{p}-")
            g.sink.row("people", id=pid, name=self.names.name(), title=f"{u.name}{title}")
            g.post(pid, u, role, start)
        load: dict[str, int] = {}
        for member in d.d.in_charge.values():
            load[member] = load.get(member, 0) + 1
        member = min(sorted(load), key=lambda m: load[m])
        g.portfolio(member, u.id, "联系指导", start)
        iid = g.nid(f"IN-{p}-")
        g.sink.row("inspections", id=iid, name=f"{u.name}履责检查", kind="duty_review",
                   conducted_by=[d.d.id], covers=[u.id], round="1", started_on=self.ago(100),
                   ended_on=self.ago(70), focus=focus_of("duty_review"))
        g.plant("V_OUTSIDE_ALL_CHANNELS", [f"unit:{u.id}"],
                "a unit set up 150 days ago: no 巡察 yet, no stationed group or commission "
                "supervising it (a duty review only)")
        g.plant("H_NO_SUPERVISOR", [f"unit:{u.id}"], "side effect of V_OUTSIDE_ALL_CHANNELS "
                "(same unit)")
