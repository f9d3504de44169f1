"""嘉定区: 71 处级单位, 88 区属二三级公司, 337 村居, 33 经济小区 and its three lists.

Counts and dates here are the facts the tests and notebooks check (DESIGN.md §7): the unit
counts by kind, and accountability decisions numbering 8 in 2016 and 31 in 2017. Names of
villages, companies and people are invented; only the district's own name is real.
"""

from __future__ import annotations

from loaders.sample.dataset import Dataset

START = "2014-01-01"

DEPARTMENTS = (
    "区委办公室", "区政府办公室", "区委组织部", "区委宣传部", "区委统战部", "区委政法委",
    "区发展改革委", "区经济委员会", "区国资委", "区教育局", "区卫生健康委", "区财政局",
    "区人力资源社会保障局", "区规划资源局", "区建设管理委", "区交通委", "区生态环境局",
    "区农业农村委", "区商务委", "区文化旅游局", "区民政局", "区司法局", "区审计局",
    "区统计局", "区市场监管局", "区应急管理局", "区医疗保障局", "区退役军人事务局",
    "区房屋管理局", "区绿化市容局", "区水务局", "区科学技术委员会", "区信访办",
    "区机关事务管理局", "区政务服务办", "区体育局", "区档案局", "区地区工作办公室",
    "区总工会", "团区委", "区妇联", "区科协", "区侨办", "区城运中心", "区网信办",
)
INSTITUTIONS = (
    "区中心医院", "区中医医院", "区南翔医院", "区安亭医院", "区疾病预防控制中心",
    "区妇幼保健院", "区图书馆", "区融媒体中心", "区教育学院", "区委党校", "区档案馆",
    "区社会福利院", "区青少年活动中心", "区公共资源交易中心",
)
#: (name, villages and residential areas, economic-zone Party organisations)
TOWNS = (
    ("新成路街道", 22, 0), ("真新街道", 30, 0), ("嘉定镇街道", 25, 0), ("南翔镇", 33, 5),
    ("安亭镇", 38, 6), ("马陆镇", 30, 4), ("徐行镇", 22, 4), ("华亭镇", 16, 0),
    ("外冈镇", 22, 4), ("江桥镇", 40, 0), ("菊园新区", 24, 0), ("嘉定工业区", 35, 10),
)
_VILLAGE_A = "东西南北新永红光胜利丰华兴安宏联民星朝阳春秋金银"
_VILLAGE_B = "桥泾浜塘湾港庄园泽林溪河岗圩宅"
_COMPANY = (
    "城市发展", "国有资产经营", "水务", "公交", "市政建设", "环境发展", "燃气", "物业管理",
    "置业", "新城开发", "农业发展", "旅游发展", "文化传媒", "科创投资", "融资担保",
    "供排水", "绿化工程", "停车管理", "资产管理", "城市更新", "数据科技", "产业园区",
)
_COMPANY_SUFFIX = ("有限公司", "服务有限公司", "建设有限公司", "实业有限公司")

#: Weak spots planted on purpose (docs/sample-data.md lists them).
VACANT_UNIT = "区统计局"          # H_NO_SECRETARY: secretary left 2026-08-31, no successor
UNASSIGNED_UNIT = "区档案馆"      # H_UNIT_UNASSIGNED: in no district leader's charge
UNCOVERED_UNIT = "区侨办"         # V_COVERAGE_GAP: outside the 2022-2025 inspection rounds
CHAIN_UNIT = "区建设管理委"        # whole-chain accountability; secretary replaced in 2020
DIRECT_ONLY_CASE = "C-JD-005"    # V_ACCOUNTABILITY_DIRECT_ONLY: stopped at the direct person
NO_FOLLOW_UP_CASE = "C-JD-012"   # V_NO_POST_CASE_GOVERNANCE: no 案后治理 after it


class Jiading:
    """Builds the district into a :class:`Dataset`; kept as an object for its indexes."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.by_name: dict[str, str] = {}
        self.secretaries: dict[str, list[tuple[str, str, str | None]]] = {}
        self.members: dict[str, list[str]] = {}
        self.in_charge: dict[str, str] = {}   # unit -> person in charge (current)
        self.supervisor: dict[str, str] = {}
        self.level2: list[str] = []
        self.towns: list[str] = []

    # -- helpers ---------------------------------------------------------------------
    def _person(self, unit: str, title: str, role: str, start: str = START,
                end: str | None = None) -> str:
        pid = self.ds.next_id(f"P-{unit}-", 2)
        self.ds.person(pid, title)
        self.ds.post(pid, unit, role, start, end)
        if role == "secretary":
            self.secretaries.setdefault(unit, []).append((pid, start, end))
        elif role in ("member", "deputy_secretary"):
            self.members.setdefault(unit, []).append(pid)
        return pid

    def _team_of(self, unit: str) -> list[str]:
        """The unit's leading team in office from the start (secretary first)."""
        rows = self.ds.rows["posts"]
        return [r["person_id"] for r in rows if r["unit_id"] == unit and r["start"] == START
                and r["end"] is None and r["role"] in ("secretary", "head", "deputy_secretary",
                                                       "member")]

    def secretary_on(self, unit: str, day: str) -> str:
        for pid, start, end in self.secretaries[unit]:
            if start <= day and (end is None or day <= end):
                return pid
        raise ValueError(f"no secretary of {unit} on {day}")

    def _unit(self, uid: str, name: str, kind: str, level: int, parent: str) -> str:
        self.ds.unit(uid, name, kind, level, parent)
        self.by_name[name] = uid
        return uid

    # -- build -----------------------------------------------------------------------
    def build(self) -> None:
        self._district()
        self._level2()
        self._level3()
        self._portfolios()
        self._discipline_portfolios()
        self._duties()
        self._inspections_and_issues()
        self._cases()
        self._records()

    def _district(self) -> None:
        ds = self.ds
        ds.unit("JD", "嘉定区委", "party_committee", 1, "SH", code="JD-000")
        ds.unit("JD-JW", "嘉定区纪委监委", "discipline_body", 1, "SH-JW", code="JD-JW-000")
        ds.supervise("JD-JW", "JD", "same_level")
        # The district secretary changed in 2021: the as-of date decides who was 一把手.
        self._person("JD", "区委书记", "secretary", START, "2021-06-30")
        self._person("JD", "区委书记", "secretary", "2021-07-01")
        for title in ("区委副书记、区长", "区委副书记"):
            self._person("JD", title, "deputy_secretary")
        for title in ("区委常委、组织部部长", "区委常委、宣传部部长", "区委常委、统战部部长",
                      "区委常委、政法委书记", "区委常委、常务副区长", "区委常委、副区长",
                      "区委常委、区委办主任"):
            self._person("JD", title, "member")
        jw = self._person("JD", "区委常委、区纪委书记、区监委主任", "discipline_secretary")
        self.ds.post(jw, "JD-JW", "secretary", START)
        self.secretaries["JD-JW"] = [(jw, START, None)]
        self._person("JD-JW", "区纪委副书记", "deputy_secretary")
        self._person("JD-JW", "区纪委常委", "member")
        for n in range(1, 5):
            pz = f"JD-PZ{n}"
            ds.unit(pz, f"区纪委监委派驻第{'一二三四'[n - 1]}纪检监察组", "discipline_body", 2,
                    "JD-JW")
            self._person(pz, "派驻纪检监察组组长", "secretary")
            self._person(pz, "派驻纪检监察组副组长", "member")

    def _level2(self) -> None:
        ds = self.ds
        for n, name in enumerate(DEPARTMENTS, start=1):
            uid = self._unit(f"JD-D{n:02d}", name, "department", 2, "JD")
            pz = f"JD-PZ{(n - 1) * 4 // len(DEPARTMENTS) + 1}"
            ds.supervise(pz, uid, "stationed")
            self.supervisor[uid] = pz
            self._team(uid, name, "党组书记", "主要负责人")
        for n, name in enumerate(INSTITUTIONS, start=1):
            uid = self._unit(f"JD-I{n:02d}", name, "institution", 2, "JD")
            ds.supervise("JD-PZ4", uid, "stationed")
            self.supervisor[uid] = "JD-PZ4"
            self._team(uid, name, "党委书记", "院长（主任）")
        for n, (name, _, _) in enumerate(TOWNS, start=1):
            uid = self._unit(f"JD-T{n:02d}", name, "street_town", 2, "JD")
            jw = f"{uid}-JW"
            ds.unit(jw, f"{name}纪（工）委", "discipline_body", 2, "JD-JW")
            ds.supervise(jw, uid, "same_level")
            self.supervisor[uid] = jw
            self._team(uid, name, "党（工）委书记", "镇长（主任）", town=True)
            self.towns.append(uid)
        self.level2 = [u for u in ds.units if ds.units[u]["parent_id"] == "JD"]

    def _team(self, uid: str, name: str, sec_title: str, head_title: str,
              town: bool = False) -> None:
        if name == VACANT_UNIT:
            self._person(uid, sec_title, "secretary", START, "2026-08-31")
        elif name == CHAIN_UNIT:
            self._person(uid, sec_title, "secretary", START, "2019-12-31")
            self._person(uid, sec_title, "secretary", "2020-01-01")
        else:
            self._person(uid, sec_title, "secretary")
        self._person(uid, head_title, "deputy_secretary" if town else "head")
        self._person(uid, "班子成员", "member")
        if town:
            self._person(uid, "班子成员", "member")
            dsec = self._person(uid, "纪（工）委书记", "discipline_secretary")
            self.ds.post(dsec, f"{uid}-JW", "secretary", START)
            self.secretaries[f"{uid}-JW"] = [(dsec, START, None)]
        elif self.ds.rng.random() < 0.4:
            self._person(uid, "班子成员", "member")

    def _discipline_portfolios(self) -> None:
        # Planted: the commission's deputy is the one liaison of all 16 stationed groups and
        # town commissions (H_MEMBER_LOAD_OUTLIER, S_HIGH_BETWEENNESS): no 2nd (AB角) liaison.
        deputy = self.members["JD-JW"][0]
        for uid in self.ds.units:
            if uid.startswith("JD-PZ") or (uid.startswith("JD-T") and uid.endswith("-JW")):
                self.ds.portfolio(deputy, uid, "联系指导", START)

    def _level3(self) -> None:
        ds = self.ds
        soe = self.by_name["区国资委"]
        owners = [soe] * 70 + [self.by_name["区建设管理委"]] * 8 \
            + [self.by_name["区农业农村委"]] * 5 + [self.by_name["区商务委"]] * 5
        for n, parent in enumerate(owners, start=1):
            word = _COMPANY[(n - 1) % len(_COMPANY)]
            suffix = _COMPANY_SUFFIX[(n - 1) // len(_COMPANY)]
            uid = self._unit(f"JD-E{n:03d}", f"上海嘉定{word}{suffix}", "enterprise", 3, parent)
            ds.supervise(self.supervisor[parent], uid, "stationed")
            self.supervisor[uid] = self.supervisor[parent]
            self._person(uid, "党支部书记", "secretary")
            self._person(uid, "总经理", "head")
        v = z = 0
        for t, (town, villages, zones) in enumerate(TOWNS, start=1):
            tid = f"JD-T{t:02d}"
            short = town.removesuffix("街道").removesuffix("镇").removesuffix("新区")
            street = town.endswith(("街道", "新区"))
            names: set[str] = set()
            for _ in range(villages):
                v += 1
                while True:
                    stem = ds.rng.choice(_VILLAGE_A) + ds.rng.choice(_VILLAGE_B)
                    if stem not in names:
                        names.add(stem)
                        break
                kind_name = "居民区" if street or ds.rng.random() < 0.35 else "村"
                uid = self._unit(f"JD-V{v:03d}", f"{short}{stem}{kind_name}",
                                 "village_community", 3, tid)
                self._leaf(uid, tid, "党总支书记")
            for k in range(1, zones + 1):
                z += 1
                uid = self._unit(f"JD-Z{z:02d}", f"{short}经济小区第{k}党组织", "economic_zone",
                                 3, tid)
                self._leaf(uid, tid, "党支部书记")

    def _leaf(self, uid: str, town: str, title: str) -> None:
        self.ds.supervise(f"{town}-JW", uid, "same_level")
        self.supervisor[uid] = f"{town}-JW"
        self._person(uid, title, "secretary")

    def _portfolios(self) -> None:
        ds = self.ds
        leaders = self.members["JD"]
        assignable = [u for u in self.level2 if ds.units[u]["name"] != UNASSIGNED_UNIT]
        chain = self.by_name[CHAIN_UNIT]
        for n, uid in enumerate(assignable):
            pid = leaders[n % len(leaders)]
            area = {"department": "委办局", "institution": "事业单位",
                    "street_town": "街镇"}[ds.units[uid]["kind"]]
            if uid == chain:
                # The leader in charge changed too: the case trace-back must use 2017's.
                before = leaders[(n + 1) % len(leaders)]
                ds.portfolio(before, uid, "城建", START, "2019-12-31")
                ds.portfolio(pid, uid, "城建", "2020-01-01")
                self.in_charge[uid] = pid
                self.in_charge_2017_chain = before
                continue
            ds.portfolio(pid, uid, area, START)
            self.in_charge[uid] = pid
        for parent in [*self.level2]:
            kids = ds.children(parent)
            team = self.members.get(parent, [])
            if kids and ds.units[kids[0]]["kind"] == "enterprise":
                # Companies are shared by the whole team (主任 and 副主任 alike), as a
                # 国资委 divides them, not left to one member.
                team = self._team_of(parent)
            if not kids or not team:
                continue
            for n, uid in enumerate(kids):
                pid = team[n % len(team)]
                label = "国资国企" if ds.units[uid]["kind"] == "enterprise" else "村居工作"
                ds.portfolio(pid, uid, label, START)
                self.in_charge[uid] = pid

    def _duties(self) -> None:
        ds = self.ds
        primary = []
        for n, (title, aspect, parent) in enumerate((
            ("落实“1+4”文件，建立“四责协同”工作机制", "机制建设", "D-SH-03"),
            ("开出问题、责任、项目三张清单并动态更新", "三张清单", "D-SH-03"),
            ("搭建领导干部履责记实和失责记实两个平台", "记实平台", "D-SH-04"),
            ("每年专题研究部署全面从严治党工作", "部署推动", "D-SH-02"),
            ("开展区委巡察，推进巡察全覆盖", "巡察", "D-SH-05"),
            ("改革考核方式，开展履责评议", "考核评议", "D-SH-04"),
            ("深化作风建设，开展“面对面”履责约谈", "作风建设", "D-SH-06"),
            ("建立全面从严治党工作信息化平台", "信息化", "D-SH-03"),
        ), start=1):
            primary.append(ds.duty(f"D-JD-{n:02d}", title, "primary", "JD", aspect=aspect,
                                   indicator="年度任务完成率100%", year=2017, parent=parent))
        # D-JD-08 stays with the district: planted V_DUTY_NOT_CASCADED.
        self.cascaded = primary[:7]
        self.first = ds.duty("D-JD-F1", "履行第一责任人责任，勇于“揭盖”，定期约谈下级一把手",
                             "first", self.secretary_on("JD", "2017-01-01"), aspect="第一责任",
                             indicator="每年约谈处级单位主要负责人全覆盖", year=2017,
                             parent="D-SH-F1")
        self.dual: dict[str, str] = {}
        for n, pid in enumerate(self.members["JD"], start=1):
            self.dual[pid] = ds.duty(f"D-JD-Y{n:02d}", "落实分管领域“一岗双责”", "dual", pid,
                                     aspect="一岗双责", indicator="每半年到分管单位督导1次",
                                     year=2017)
        self.supervisory = ds.duty("D-JDJW-01", "主动“发球”，横向纵向联动监督", "supervisory",
                                   "JD-JW", aspect="监督责任", indicator="每季度通报一次",
                                   year=2017, parent="D-SHJW-01")
        for uid in [u for u in ds.units if u.startswith("JD-PZ") or
                    (u.startswith("JD-T") and u.endswith("-JW"))]:
            ds.duty(f"D-{uid}-01", "对监督对象开展日常监督，“抓早抓小”", "supervisory", uid,
                    aspect="监督责任", indicator="每季度向区纪委监委报告一次", year=2017,
                    parent=self.supervisory)
        self.unit_duty: dict[str, str] = {}
        for seq, uid in enumerate(self.level2, start=1):
            parent = self.cascaded[seq % len(self.cascaded)]
            self.unit_duty[uid] = ds.duty(f"D-{uid}-01", "落实本单位全面从严治党主体责任",
                                          "primary", uid, aspect="主体责任", year=2017,
                                          indicator="年度问题清单整改率100%", parent=parent)
            sec = self.secretary_on(uid, "2017-01-01")
            self.dual[sec] = ds.duty(f"D-{uid}-F1", "履行第一责任人责任", "first", sec,
                                     aspect="第一责任", year=2017, parent=self.first,
                                     indicator="每年约谈班子成员全覆盖")
            for k, pid in enumerate(self.members.get(uid, []), start=1):
                self.dual[pid] = ds.duty(f"D-{uid}-Y{k}", "落实“一岗双责”", "dual", pid,
                                         aspect="一岗双责", year=2017,
                                         indicator="每年到分管领域检查不少于2次")
        for uid in ds.units:
            level3 = ds.units[uid]["level"] == 3 and uid.startswith("JD-")
            if level3:
                parent = self.unit_duty[ds.units[uid]["parent_id"]]
                self.unit_duty[uid] = ds.duty(f"D-{uid}-01", "落实基层党组织管党治党责任",
                                              "primary", uid, aspect="主体责任", year=2017,
                                              indicator="每季度开展廉政提醒1次", parent=parent)

    def _inspections_and_issues(self) -> None:
        ds = self.ds
        rounds = [self.level2[i::3] for i in range(3)]
        self.first_term = []
        for n, covered in enumerate(rounds, start=1):
            year = 2016 if n == 1 else 2017
            month = 3 if n != 3 else 9
            iid = ds.add("inspections", id=f"INS-JD-{year}-{n}", name=f"区委第{n}轮巡察",
                         kind="inspection", conducted_by=["JD"], covers=covered, round=str(n),
                         started_on=f"{year}-{month:02d}-01", ended_on=f"{year}-{month + 2:02d}-28")
            self.first_term.append((iid, covered, f"{year}-{month + 2:02d}-28"))
        # 2017: every town's Party committee and its discipline commission inspect the
        # villages and economic zones jointly (村居巡察); the state-assets commission and its
        # stationed group check every district company (联合专项检查).
        soe = [u for u in ds.units if u.startswith("JD-E")]
        soe_owner = self.by_name["区国资委"]
        for n, tid in enumerate(self.towns):
            ds.add("inspections", id=f"INS-JD-VC17-{n + 1:02d}",
                   name=f"{ds.units[tid]['name']}2017年村居巡察", kind="inspection",
                   conducted_by=[tid, f"{tid}-JW"], covers=ds.children(tid),
                   round=f"2017村居{n + 1}", started_on="2017-04-10", ended_on="2017-06-30")
        ds.add("inspections", id="INS-JD-SOE-2017", name="区属企业“三重一大”联合专项检查（2017年）",
               kind="special_check", conducted_by=[soe_owner, self.supervisor[soe_owner]],
               covers=soe, round="2017", started_on="2017-05-02", ended_on="2017-08-31")
        uncovered = self.by_name[UNCOVERED_UNIT]
        recent = [u for u in self.level2 if u != uncovered]
        for n in range(4):
            year = 2022 + n
            ds.add("inspections", id=f"INS-JD-{year}", name=f"区委十届第{n + 1}轮巡察",
                   kind="inspection", conducted_by=["JD"], covers=recent[n::4], round=str(n + 4),
                   started_on=f"{year}-04-01", ended_on=f"{year}-06-30")
        for n, tid in enumerate(self.towns):
            year = 2023 + n % 3
            ds.add("inspections", id=f"INS-JD-VC-{n + 1:02d}",
                   name=f"{ds.units[tid]['name']}村居巡察", kind="inspection",
                   conducted_by=["JD", f"{tid}-JW"], covers=ds.children(tid),
                   round=f"村居{n + 1}", started_on=f"{year}-09-01", ended_on=f"{year}-10-31")
        ds.add("inspections", id="INS-JD-SOE-2024", name="区属企业“三重一大”专项检查",
               kind="special_check", conducted_by=[soe_owner, self.supervisor[soe_owner]],
               covers=soe, round="2024", started_on="2024-05-01", ended_on="2024-08-31")
        topics = (
            ("“三重一大”决策程序执行不严", "决策监督", "high"),
            ("党委主体责任清单内容空泛、指标不可量化", "清单管理", "medium"),
            ("班子成员“一岗双责”履责记实缺失", "记实平台", "medium"),
            ("公务接待超标准问题整改不到位", "作风建设", "medium"),
            ("对下属单位廉政风险排查流于形式", "风险防控", "low"),
            ("专项资金使用监管不严", "资金监管", "high"),
            ("干部选拔任用程序不规范", "选人用人", "medium"),
        )
        self.issues: list[tuple[str, str, str]] = []
        n = 0
        for iid, covered, ended in self.first_term:
            for uid in covered[::3]:
                n += 1
                title, category, severity = topics[n % len(topics)]
                owner = self.secretary_on(uid, ended)
                name = ds.units[uid]["name"]
                issue = ds.add("issues", id=f"I-JD-{n:03d}", title=f"{name}{title}",
                               unit_id=uid, source="inspection", inspection_id=iid,
                               owner_id=owner, duty_id=self.unit_duty[uid], category=category,
                               severity=severity, found_on=ended,
                               deadline=_plus_months(ended, 6),
                               status="closed" if n % 5 else "rectified")
                self.issues.append((issue, uid, owner))
                ds.add("projects", id=f"PJ-JD-{n:03d}", title=f"{title}整改项目",
                       issue_id=issue, leader_id=owner, goal=f"彻底解决{title}",
                       measures="建立台账、明确时间节点、纪委跟踪督办",
                       deadline=_plus_months(ended, 6), status="done",
                       completed_on=_plus_months(ended, 5))
        # A recent issue whose rectification project was never set up (V_ISSUE_NO_PROJECT).
        uid = self.by_name["区市场监管局"]
        year = 2022 + recent.index(uid) % 4
        found_by = f"INS-JD-{year}"
        ds.add("issues", id="I-JD-900", title="区市场监管局执法检查“一案双查”机制未建立",
               unit_id=uid, source="inspection", inspection_id=found_by,
               owner_id=self.secretary_on(uid, f"{year}-06-30"), duty_id=self.unit_duty[uid],
               category="机制建设", severity="medium", found_on=f"{year}-06-30",
               deadline=f"{year}-12-31", status="rectifying")

    def _cases(self) -> None:
        """Cases and accountability: 8 decisions in 2016, 31 in 2017, one whole-chain case."""
        ds = self.ds
        villages = [u for u in ds.units if u.startswith("JD-V")]
        departments = [u for u in self.level2 if u.startswith("JD-D")]
        # (unit, occurred, decided, leadership categories beyond the direct person)
        plan: list[tuple[str, str, str, tuple[str, ...]]] = []
        for k in range(4):
            plan.append((villages[k * 41], f"2015-{k + 3:02d}-10", f"2016-{k + 6:02d}-20",
                         ("primary_leadership",)))
        plan.append((self.by_name["区房屋管理局"], "2016-11-03", "2017-03-15", ()))
        for k in range(10):
            unit = villages[k * 29 + 7] if k % 2 else departments[k * 3 + 1]
            plan.append((unit, f"2016-{k + 2:02d}-12", f"2017-{k + 2:02d}-25",
                         ("primary_leadership", "important_leadership")))
        forms = {"2016": [1, 2, 2, 3], "2017": [2] * 8 + [3, 3, 4]}
        categories = ("违反中央八项规定精神", "违反廉洁纪律", "违反工作纪律",
                      "违反群众纪律", "违反组织纪律")
        for n, (uid, occurred, decided, extra) in enumerate(plan, start=1):
            year = decided[:4]
            direct = self._person(uid, "工作人员", "staff", START, decided)
            cid = f"C-JD-{n:03d}"
            closed = _plus_months(decided, -1)
            ds.add("cases", id=cid, title=f"{ds.units[uid]['name']}{categories[n % 5]}问题",
                   unit_id=uid, category=categories[n % 5], subject_ids=[direct],
                   issue_id=None, occurred_on=occurred, opened_on=_plus_months(occurred, 2),
                   closed_on=closed,
                   # Leadership was traced back and the supervising body reviewed and found
                   # not at fault (经倒查不予追究); the direct-only case reached neither.
                   supervision_review=None if cid == DIRECT_ONLY_CASE else "not_applicable")
            form = forms[year].pop(0)
            self._decision(cid, direct, "direct", form, decided)
            for cat in extra:
                target = (self.secretary_on(uid, occurred) if cat == "primary_leadership"
                          else self.in_charge[uid])
                self._decision(cid, target, cat, 1, decided)
            if cid != NO_FOLLOW_UP_CASE:
                self._follow_up(cid, uid, categories[n % 5], closed)
        self._whole_chain_case()

    def _follow_up(self, case: str, uid: str, topic: str, closed: str) -> None:
        """案后治理: the unit's secretary leads a project that closes the loophole."""
        self.ds.add("projects", id=f"PJ-{case}", title=f"以案促改：{self.ds.units[uid]['name']}"
                    f"{topic}问题堵漏建制", issue_id=None,
                    leader_id=self.secretary_on(uid, closed), goal="查找案发环节制度漏洞并堵塞",
                    measures="剖析案例、开展警示教育、修订内控制度",
                    deadline=_plus_months(closed, 6), status="done",
                    completed_on=_plus_months(closed, 5), follows_case=case)

    def _decision(self, case: str, target: str, category: str, form: int, decided: str,
                  by: str = "JD-JW") -> None:
        measure = {1: "admonish" if category == "direct" else "circulate", 2: "disciplinary",
                   3: "organizational", 4: "disciplinary"}[form]
        given: int | None = form
        if target in self.ds.units:
            # A Party organisation is held accountable by organisation measures and no form.
            measure, given = ("check" if category == "supervisory" else "circulate"), None
        self.ds.add("accountability", id=self.ds.next_id("A-JD-"), title=None, case_id=case,
                    target_id=target, category=category, measure=measure, form=given,
                    decided_by=by, decided_on=decided)

    def _whole_chain_case(self) -> None:
        """倒查: the direct person, the leader in charge, the secretary, the unit and its
        discipline group, each as they were in 2017 (the secretary and the leader in charge
        have both changed since)."""
        ds = self.ds
        uid = self.by_name[CHAIN_UNIT]
        occurred = "2017-06-15"
        iid = "I-JD-950"
        ds.add("issues", id=iid, title="区建设管理委工程招投标监管失职问题线索",
               unit_id=uid, source="inspection", inspection_id="INS-JD-2017-3",
               owner_id=self.secretary_on(uid, "2017-11-28"), duty_id=self.unit_duty[uid],
               category="工程建设", severity="high", found_on="2017-11-28",
               deadline="2018-05-31", status="closed")
        ds.add("projects", id="PJ-JD-950", title="工程招投标全流程监管整改", issue_id=iid,
               leader_id=self.secretary_on(uid, "2017-11-28"), goal="堵塞招投标监管漏洞",
               measures="修订招投标管理办法，建立廉政风险防控台账", deadline="2018-06-30",
               status="done", completed_on="2018-06-20")
        direct = self._person(uid, "工程管理科科长", "staff", START, "2018-03-31")
        cid = ds.add("cases", id="C-JD-100", title="区建设管理委工程招投标监管失职失责案",
                     unit_id=uid, category="违反工作纪律", subject_ids=[direct], issue_id=iid,
                     occurred_on=occurred, opened_on="2017-12-20", closed_on="2018-03-30")
        decided = "2018-04-20"
        self._follow_up(cid, uid, "工程招投标监管", "2018-03-30")
        self._decision(cid, direct, "direct", 3, decided)
        self._decision(cid, self.in_charge_2017_chain, "important_leadership", 1, decided)
        self._decision(cid, self.secretary_on(uid, occurred), "primary_leadership", 1, decided)
        self._decision(cid, uid, "overall_leadership", 1, decided, by="JD")
        self._decision(cid, self.supervisor[uid], "supervisory", 1, decided)

    def _records(self) -> None:
        ds = self.ds
        # “面对面”履责约谈, in 2017 and again in 2025 (the district secretary changed in 2021):
        # the secretary talks with each member of the district team, and each member with
        # the secretaries of the units in their charge. 区档案馆 is in nobody's charge, so
        # the district secretary talks with its secretary himself.
        for day in ("2017-04-01", "2025-04-01"):
            sec = self.secretary_on("JD", day)
            pairs = [(sec, m) for m in self.members["JD"]]
            pairs += [(self._in_charge_on(uid, day), self.secretary_on(uid, day))
                      for uid in self.level2 if uid in self.in_charge]
            pairs.append((sec, self.secretary_on(self.by_name[UNASSIGNED_UNIT], day)))
            for actor, target in pairs:
                ds.add("records", id=ds.next_id("R-JD-", 4), title=None, kind="fulfilment",
                       action="talk", actor_id=actor,
                       duty_id=self.first if actor == sec and day < "2021" else None,
                       target_id=target, on=day, summary="“面对面”履责约谈，红脸出汗、明示提醒。")
        for pid, duty in self.dual.items():
            if pid in self.members.get("JD", []) or any(pid in self.members.get(u, [])
                                                         for u in self.level2):
                ds.add("records", id=ds.next_id("R-JD-", 4), title=None, kind="fulfilment",
                       action="check", actor_id=pid, duty_id=duty, target_id=None,
                       on="2017-09-15", summary="到分管领域督查“一岗双责”落实情况。")
        for pid in self.members["JD"]:
            ds.add("records", id=ds.next_id("R-JD-", 4), title=None, kind="fulfilment",
                   action="check", actor_id=pid, duty_id=self.dual[pid], target_id=None,
                   on="2026-03-16", summary="年度到分管领域督查“一岗双责”落实情况。")
        # Each level-2 secretary leads the team's own study of its issues (2017).
        for uid in self.level2:
            sec = self.secretary_on(uid, "2017-12-15")
            ds.add("records", id=ds.next_id("R-JD-", 4), title=None, kind="fulfilment",
                   action="meeting", actor_id=sec, duty_id=f"D-{uid}-F1", target_id=uid,
                   on="2017-12-15", summary="主持召开班子会，专题研究全面从严治党和问题整改。")
        # The discipline body of every unit talks with its team: the horizontal link, in
        # the pilot years and again today.
        self.supervisor["JD"] = "JD-JW"
        for day in ("2017-03-01", "2025-03-01"):
            for uid, sup in self.supervisor.items():
                ds.add("records", id=ds.next_id("R-JD-", 4), title=None, kind="fulfilment",
                       action="talk", actor_id=sup, duty_id=None,
                       target_id=self.secretary_on(uid, day), on=day,
                       summary="监督谈话，提醒落实全面从严治党主体责任。")
        for issue, uid, owner in self.issues[:8]:
            ds.add("records", id=ds.next_id("R-JD-", 4), title=None, kind="failure",
                   action="other", actor_id=owner, duty_id=self.unit_duty[uid], target_id=uid,
                   on="2017-12-20", summary=f"问题{issue}整改推进迟缓，记入失责记实。")
        # The owner of the open issue without a project has acted on it, just not planned it.
        owner = self.secretary_on(self.by_name["区市场监管局"], "2026-07-01")
        ds.add("records", id=ds.next_id("R-JD-", 4), title=None, kind="fulfilment",
               action="meeting", actor_id=owner, duty_id=None, target_id=None, on="2026-07-01",
               summary="召开班子会通报“一案双查”机制问题，尚未制定整改项目。")

    def _in_charge_on(self, unit: str, day: str) -> str:
        if unit == self.by_name[CHAIN_UNIT] and day < "2020-01-01":
            return self.in_charge_2017_chain
        return self.in_charge[unit]


def _plus_months(day: str, months: int) -> str:
    y, m, d = (int(x) for x in day.split("-"))
    m0 = y * 12 + (m - 1) + months
    return f"{m0 // 12:04d}-{m0 % 12 + 1:02d}-{min(d, 28):02d}"


def add_jiading(ds: Dataset) -> None:
    Jiading(ds).build()
