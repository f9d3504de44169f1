"""Synthetic input data at district or city scale, with planted weak links.

``dutygraph generate --scale district --out DIR`` writes the CSV input format of DESIGN.md
§3 (the same files as the sample) plus ``planted.json``: every weak link planted on purpose,
as ``{"code", "ids", "note"}`` with the finding codes of the analytics, so that the analytics
can be measured for recall (planted ones found) and precision (outside the planted ones the
data is healthy for each rule). docs/generator.md states what each code means here.

Shape (per district; a city is ``SCALES["city"].districts`` of them under 上海市委):
a district committee and its 纪委监委, about 100 level-2 units (15% 街镇 with villages,
60% 委办局 of which a fifth own companies, 25% 事业单位), stationed discipline groups,
a handful of team members per unit, dozens of duty items per unit per year over five years,
fulfilment records, issues with owners and projects, referrals with report-back,
inspections covering every unit within the window, cases and accountability in the four
forms (about 2/3, 1/4, 4%, 4%); and the mechanism's kinds — assessment rounds and results,
risk points and controls, 三重一大 decisions — written by :mod:`loaders.synthetic_mechanism`.

Deterministic: the bytes depend only on (scale, seed, as_of). Rows stream to disk district
by district, so memory stays at one district's indexes even at city scale.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from loaders.sample.jiading import DEPARTMENTS, INSTITUTIONS
from loaders.sample.names import NameBook
from loaders.sample.tables import CSV_MULTI_SEP, TABLES
from loaders.synthetic_mechanism import DistrictMechanism, focus_of

AS_OF = dt.date(2026, 11, 26)
YEARS = 5  # the window: duties, records, inspections (coverage window of the analytics)
FORMS = (1, 2, 3, 4)
FORM_WEIGHTS = (0.67, 0.25, 0.04, 0.04)


@dataclass(frozen=True)
class Scale:
    """Sizes of one generated dataset (counts per district, per unit or per year)."""

    districts: int = 1
    level2: int = 100
    villages: tuple[int, int] = (18, 32)
    companies: tuple[int, int] = (2, 8)
    # duty items per unit per year: (district, level 2, level 3); dual ones per member
    primary: tuple[int, int, int] = (20, 14, 6)
    first: tuple[int, int, int] = (6, 4, 2)
    dual: tuple[int, int, int] = (4, 3, 2)
    supervisory: tuple[int, int] = (12, 6)
    records: tuple[int, int, int] = (18, 15, 12)  # per team member per year
    issues: tuple[float, float] = (4.0, 0.6)   # per unit per year, level 2 / level 3
    referrals: float = 0.3                     # per level-2 unit per year
    cases: float = 0.06                        # per unit per year
    orders: float = 0.05                       # 督办 per level-2 unit per year


SCALES: dict[str, Scale] = {
    # Hidden from the CLI help: seconds, for tests.
    "tiny": Scale(level2=16, villages=(3, 5), companies=(2, 3), primary=(8, 6, 3),
                  first=(2, 2, 1), dual=(2, 2, 1), supervisory=(4, 3), records=(3, 3, 2),
                  issues=(1.5, 0.4), referrals=0.4, cases=0.15, orders=0.25),
    "district": Scale(),
    "city": replace(Scale(), districts=14),
}
PUBLIC_SCALES = ("district", "city")

_REFS = {  # reference columns per table: each non-empty value is one relationship
    "units": ("parent_id",), "posts": ("person_id",), "portfolios": ("person_id",),
    "supervision": ("supervisor_id",), "duties": ("holder_id", "parent_id", "derived_from"),
    "issues": ("unit_id", "inspection_id", "owner_id", "duty_id", "decision_id"),
    "projects": ("issue_id", "leader_id", "follows_case"),
    "inspections": ("conducted_by", "covers"),
    "cases": ("unit_id", "subject_ids", "issue_id", "responsible_ids"),
    "accountability": ("case_id", "target_id", "decided_by"),
    "referrals": ("issued_by", "sent_to", "issue_id", "replied_by"),
    "orders": ("issued_by", "sent_to", "about_id", "replied_by"),
    "records": ("actor_id", "duty_id", "target_id"),
    "assessments": ("organised_by",),
    "assessment_results": ("assessment_id", "assessed_id", "assessed_by"),
    "assessment_scores": ("duty_id",),
    "risk_points": ("unit_id",), "controls": ("risk_id", "owner_id"), "decisions": ("unit_id",),
}
_NODE_TABLES = ("units", "people", "duties", "issues", "projects", "inspections", "cases",
                "accountability", "referrals", "records", "orders", "assessments",
                "assessment_results", "risk_points", "controls", "decisions")
_ASPECTS = ("政治建设", "思想教育", "组织保障", "作风建设", "制度建设", "考核问责", "巡察整改",
            "选人用人", "资金监管", "工程建设", "风险防控", "警示教育", "基层治理", "信访处置")
_ACTIONS = ("talk", "reminder", "check", "report", "meeting", "lecture")
_ACTION_WEIGHTS = (0.3, 0.2, 0.2, 0.1, 0.15, 0.05)
_CASE_KINDS = ("违反中央八项规定精神", "违反廉洁纪律", "违反工作纪律", "违反群众纪律",
               "违反组织纪律")
_STEM_A = "东西南北新永红光胜利丰华兴安宏联民星朝阳春秋金银长平泰和康宁"
_STEM_B = "桥泾浜塘湾港庄园泽林溪河岗圩宅山湖"


class Sink:
    """One CSV file per table, written row by row; counts nodes and relationships."""

    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}
        self.rows: Counter[str] = Counter()
        self.rels = 0
        for t in TABLES:
            fh = (out / f"{t.name}.csv").open("w", encoding="utf-8", newline="")
            self._files[t.name] = fh
            self._writers[t.name] = csv.writer(fh, lineterminator="\n")
            self._writers[t.name].writerow(t.header)
        self._headers = {t.name: t.header for t in TABLES}

    def row(self, table: str, **values: Any) -> None:
        cells = []
        for col in self._headers[table]:
            v = values.get(col)
            if v is None:
                cells.append("")
            elif isinstance(v, list):
                cells.append(CSV_MULTI_SEP.join(v))
            else:
                cells.append(str(v))
        self._writers[table].writerow(cells)
        self.rows[table] += 1
        for col in _REFS.get(table, ()):
            v = values.get(col)
            self.rels += len(v) if isinstance(v, list) else (v is not None)

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()

    @property
    def nodes(self) -> int:
        return sum(self.rows[t] for t in _NODE_TABLES)


@dataclass
class Unit:
    id: str
    name: str
    kind: str
    level: int
    parent: str | None
    supervisor: str | None = None
    secretaries: list[tuple[str, str, str | None]] = field(default_factory=list)
    members: list[str] = field(default_factory=list)   # deputy secretaries and members
    children: list[str] = field(default_factory=list)
    in_charge: dict[str, str] = field(default_factory=dict)   # child -> member
    duties: dict[int, dict[str, list[str]]] = field(default_factory=dict)  # year -> resp -> ids

    def secretary_on(self, day: str) -> str | None:
        for pid, start, end in self.secretaries:
            if start <= day and (end is None or day <= end):
                return pid
        return None

    @property
    def team(self) -> list[str]:
        return [p for p, _, _ in self.secretaries] + self.members


class Generator:
    """Writes one dataset. Use :func:`generate`."""

    def __init__(self, scale: Scale, seed: int, as_of: dt.date, sink: Sink) -> None:
        self.scale, self.seed, self.as_of, self.sink = scale, seed, as_of, sink
        self.today = as_of.isoformat()
        self.years = list(range(as_of.year - YEARS + 1, as_of.year + 1))
        self.window_start = as_of.replace(year=as_of.year - YEARS).isoformat()
        self.planted: list[dict[str, Any]] = []
        self.rng = random.Random(f"{seed}/city")  # noqa: S311 - reproducible, not secret
        self.names = NameBook(random.Random(f"{seed}/names"))  # noqa: S311
        self.units: dict[str, Unit] = {}
        self._seq: Counter[str] = Counter()
        self._rr: Counter[tuple[str, int, str]] = Counter()
        # Per district: unit -> holder -> duty ids of the current year; and the supervisor
        # links deliberately left out (H_DISCIPLINE_TEAM_DISCONNECTED).
        self._held: dict[str, dict[str, list[str]]] = {}
        self._disconnected: dict[str, set[str]] = {}

    # -- small helpers -------------------------------------------------------------------
    def nid(self, prefix: str) -> str:
        self._seq[prefix] += 1
        return f"{prefix}{self._seq[prefix]:06d}"

    def plant(self, code: str, ids: list[str], note: str) -> None:
        self.planted.append({"code": code, "ids": ids, "note": note})

    def day(self, year: int, lo: int = 1, hi: int = 365) -> str:
        """A random date in ``year`` (day-of-year range), never after as_of."""
        d = dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randint(lo, hi) - 1)
        return min(d, self.as_of - dt.timedelta(days=1)).isoformat()

    def person(self, title: str, prefix: str) -> str:
        pid = self.nid(f"P-{prefix}-")
        self.sink.row("people", id=pid, name=self.names.name(), title=title)
        return pid

    def unit(self, u: Unit, code: str | None = None) -> Unit:
        self.units[u.id] = u
        if u.parent is not None and u.parent in self.units:
            self.units[u.parent].children.append(u.id)
        self.sink.row("units", id=u.id, name=u.name, kind=u.kind, level=u.level,
                      parent_id=u.parent, code=code)
        return u

    def post(self, pid: str, u: Unit, role: str, start: str, end: str | None = None) -> None:
        self.sink.row("posts", person_id=pid, unit_id=u.id, role=role, start=start, end=end)
        if role == "secretary":
            u.secretaries.append((pid, start, end))
        elif role in ("deputy_secretary", "member"):
            u.members.append(pid)

    def team(self, u: Unit, prefix: str, members: int, *, head: str | None = None,
             vacancy: str | None = None, turnover: bool = True) -> None:
        """Secretary (sometimes replaced within the window), head, members."""
        start = f"{self.years[0] - self.rng.randint(2, 6)}-{self.rng.randint(1, 12):02d}-01"
        sec = self.person(f"{u.name}书记", prefix)
        if turnover and vacancy is None and self.rng.random() < 0.2:
            change = self.day(self.rng.choice(self.years[:3]))
            before = (dt.date.fromisoformat(change) - dt.timedelta(days=1)).isoformat()
            self.post(sec, u, "secretary", start, before)
            self.post(self.person(f"{u.name}书记", prefix), u, "secretary", change)
        else:
            self.post(sec, u, "secretary", start, vacancy)
        if head:
            self.post(self.person(head, prefix), u, "head", start)
        for k in range(members):
            role = "deputy_secretary" if k == 0 and u.level <= 2 else "member"
            self.post(self.person("班子成员", prefix), u, role, start)

    def supervise(self, sup: Unit, u: Unit, mode: str) -> None:
        self.sink.row("supervision", supervisor_id=sup.id, unit_id=u.id, mode=mode)
        u.supervisor = sup.id

    def portfolio(self, pid: str, child: str, label: str, start: str,
                  end: str | None = None) -> None:
        self.sink.row("portfolios", person_id=pid, unit_id=child, portfolio=label, start=start,
                      end=end)
        if end is None:
            self.units[self.units[child].parent or child].in_charge[child] = pid

    def assign(self, parent: Unit, children: list[str], skip: frozenset[str] = frozenset(),
               outlier: str | None = None) -> None:
        """Children in the charge of the parent's members, evenly (or one overloaded)."""
        members = [m for m in parent.members if m not in skip]
        if not members:
            return
        start = f"{self.years[0] - 1}-01-01"
        todo = list(children)
        if outlier:
            heavy = todo[: int(len(todo) * 0.45)]
            for c in heavy:
                self.portfolio(outlier, c, "重点联系", start)
            todo = todo[len(heavy):]
            members = [m for m in members if m != outlier] or members
        for n, c in enumerate(todo):
            self.portfolio(members[n % len(members)], c, "联系指导", start)

    def cascade_parent(self, parent: Unit | None, year: int, resp: str) -> str | None:
        """The next parent duty, round robin, so every parent duty reaches a subordinate."""
        if parent is None:
            return None
        pool = parent.duties.get(year, {}).get(resp, [])
        if not pool:
            return None
        key = (parent.id, year, resp)
        self._rr[key] += 1
        return pool[(self._rr[key] - 1) % len(pool)]

    @contextmanager
    def seeded(self, name: str) -> Iterator[None]:
        saved = self.rng
        self.rng = random.Random(f"{self.seed}/{name}")  # noqa: S311
        try:
            yield
        finally:
            self.rng = saved

    # -- the city ------------------------------------------------------------------------
    def run(self) -> None:
        s = self.scale
        sh = self.unit(Unit("SH", "上海市委", "party_committee", 0, None), code="SH-000")
        shjw = self.unit(Unit("SH-JW", "市纪委监委", "discipline_body", 0, None))
        self.supervise(shjw, sh, "same_level")
        self.team(sh, "SH", 4, turnover=False)
        self.team(shjw, "SH", 1, turnover=False)
        city_held: dict[int, dict[str, dict[str, list[str]]]] = {}
        for y in self.years:
            primary = self.duties(sh, y, "primary", min(12, s.districts * s.primary[0]))
            first = self.duties(sh, y, "first", min(3, s.districts * s.first[0]))
            sh.duties[y] = {"primary": primary, "first": first}
            held: dict[str, list[str]] = {"SH": primary}
            if first:
                held[sh.secretary_on(f"{y}-01-01") or ""] = first
            for m in sh.members:
                held[m] = self.duties(sh, y, "dual", 2, holder=m, parent_of=sh, pool="primary")
            supervisory = self.duties(shjw, y, "supervisory",
                                      min(6, s.districts * s.supervisory[0]))
            shjw.duties[y] = {"supervisory": supervisory}
            city_held[y] = {"SH": held, "SH-JW": {"SH-JW": supervisory}}
        for n in range(1, s.districts + 1):
            with self.seeded(f"district-{n}"):
                District(self, n).build()
            # Only the city's own units stay in memory between districts.
            self.units = {"SH": sh, "SH-JW": shjw}
        targets: dict[str, list[str]] = defaultdict(list)
        for district, member in sorted(sh.in_charge.items()):
            targets[member].append(district)
        with self.seeded("city-records"):
            for y in self.years:
                self._held = city_held[y]
                self.yearly_records([sh, shjw], y, targets)

    # -- rows shared by every level ----------------------------------------------------
    def duties(self, u: Unit, year: int, resp: str, count: int, *, holder: str | None = None,
               parent_of: Unit | None = None, list_: str = "responsibility",
               pool: str | None = None) -> list[str]:
        """``count`` duty items of one responsibility, cascaded from ``parent_of``'s
        duties of the same responsibility (or of ``pool``)."""
        out: list[str] = []
        if resp == "first":
            holder = holder or u.secretary_on(f"{year}-01-01") or u.secretary_on(self.today)
            if holder is None:
                return out
        for k in range(count):
            did = self.nid("DU-" + u.id.split("-")[0] + "-")
            aspect = _ASPECTS[(k + year) % len(_ASPECTS)]
            self.sink.row("duties", id=did, title=f"{aspect}：{_TITLE[resp]}第{k + 1}项",
                          responsibility=resp, holder_id=holder or u.id, list=list_,
                          aspect=aspect, indicator=f"每年不少于{k % 4 + 1}次，完成率100%",
                          year=year,
                          parent_id=self.cascade_parent(parent_of, year, pool or resp))
            out.append(did)
        return out

    def yearly_records(self, units: list[Unit], year: int,
                       targets: dict[str, list[str]] | None = None,
                       no_records: str | None = None, bridge: str | None = None,
                       bridge_targets: list[str] | None = None) -> None:
        """Fulfilment records of every team member, and the supervisor's talk per unit."""
        s, rng = self.scale, self.rng
        for u in units:
            per = s.records[min(max(u.level - 1, 0), 2)]
            held = self._held.get(u.id, {})
            spans: list[tuple[str, str, str | None]] = [(m, f"{year}-01-01", None)
                                                         for m in u.members]
            spans += [(pid, start, end) for pid, start, end in u.secretaries]
            for pid, start, end in spans:
                lo = max(dt.date(year, 1, 1), dt.date.fromisoformat(start))
                hi = min(dt.date(year, 12, 31), self.as_of - dt.timedelta(days=1),
                         dt.date.fromisoformat(end) if end else self.as_of)
                if lo > hi:
                    continue
                if pid == no_records:  # failures only: a member who records nothing done
                    self.sink.row("records", id=self.nid("RC-" + u.id.split("-")[0] + "-"),
                                  kind="failure", action="other", actor_id=pid,
                                  duty_id=None, target_id=u.id, on=lo.isoformat(),
                                  summary="分管领域问题整改推进不力。")
                    continue
                for _ in range(per):
                    on = (lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))).isoformat()
                    if pid == bridge and bridge_targets:
                        target: str | None = rng.choice(bridge_targets)
                    elif targets and targets.get(pid):
                        target = rng.choice(targets[pid])
                    else:
                        mates = [m for m in u.members if m not in (pid, bridge)]
                        target = rng.choice(mates) if mates else u.id
                    kind = "failure" if rng.random() < 0.04 else "fulfilment"
                    duties = held.get(pid)
                    self.sink.row("records", id=self.nid("RC-" + u.id.split("-")[0] + "-"),
                                  kind=kind, action=rng.choices(_ACTIONS, _ACTION_WEIGHTS)[0],
                                  actor_id=pid, duty_id=rng.choice(duties) if duties else None,
                                  target_id=target, on=on,
                                  summary="按责任清单履责并留痕。" if kind == "fulfilment"
                                  else "履责不到位，记入失责记实。")
            if u.supervisor and u.supervisor not in self._disconnected.get(u.id, ()):
                on = self.day(year)
                target = u.secretary_on(on) or (u.members[0] if u.members else u.id)
                sup_duties = self._held.get(u.supervisor, {}).get(u.supervisor)
                self.sink.row("records", id=self.nid("RC-" + u.id.split("-")[0] + "-"),
                              kind="fulfilment", action="talk", actor_id=u.supervisor,
                              duty_id=rng.choice(sup_duties) if sup_duties else None,
                              target_id=target, on=on, summary="监督谈话，通报廉情、提出要求。")


_TITLE = {"primary": "落实主体责任", "first": "履行第一责任人责任", "dual": "落实“一岗双责”",
          "supervisory": "履行监督责任"}


class District:
    """One district-level body and everything under it, written through the generator."""

    def __init__(self, g: Generator, n: int) -> None:
        self.g, self.n, self.p = g, n, f"D{n:02d}"
        self.rng = g.rng
        self.level2: list[Unit] = []
        self.level3: list[Unit] = []
        self.discipline: list[Unit] = []
        self.extra: list[Unit] = []   # the planted clusters (isolated / bridged)
        self.quiet: set[str] = set()  # units kept out of cases, referrals, planted picks
        self._open_referrals: list[tuple[Unit, str]] = []  # the planted unanswered ones
        self.covered: dict[str, list[tuple[int, str, str]]] = defaultdict(list)

    # -- structure ---------------------------------------------------------------------
    def build(self) -> None:
        g, p, rng, s = self.g, self.p, self.rng, self.g.scale
        g._held = {}
        g._disconnected = {}
        stem = rng.choice(_STEM_A) + rng.choice(_STEM_A)
        d = g.unit(Unit(p, f"{stem}区委", "party_committee", 1, "SH"), code=f"{p}-000")
        jw = g.unit(Unit(f"{p}-JW", f"{stem}区纪委监委", "discipline_body", 1, "SH-JW"))
        self.d, self.jw = d, jw
        g.supervise(jw, d, "same_level")
        g.team(d, p, 9)
        dsec = g.person("区纪委书记", p)
        g.post(dsec, d, "discipline_secretary", f"{g.years[0] - 3}-01-01")
        g.post(dsec, jw, "secretary", f"{g.years[0] - 3}-01-01")
        for role in ("deputy_secretary", "member"):
            g.post(g.person("区纪委班子成员", p), jw, role, f"{g.years[0] - 3}-01-01")
        sh, shjw = g.units["SH"], g.units["SH-JW"]
        start = f"{g.years[0] - 1}-01-01"
        g.portfolio(sh.members[(self.n - 1) % len(sh.members)], d.id, "联系区", start)
        g.portfolio(shjw.members[0], jw.id, "联系区纪委", start)

        n2 = s.level2
        towns = max(3, round(n2 * 0.15))
        depts = round(n2 * 0.6)
        kinds = ["street_town"] * towns + ["department"] * depts \
            + ["institution"] * (n2 - towns - depts)
        pz_count = max(1, (n2 - towns + 14) // 15)
        pzs = []
        for k in range(pz_count):
            pz = g.unit(Unit(f"{p}-PZ{k + 1}", f"{stem}区纪委监委派驻第{k + 1}纪检监察组",
                             "discipline_body", 2, jw.id))
            g.team(pz, p, 1, turnover=False)
            pzs.append(pz)
            self.discipline.append(pz)
        # Planted picks, chosen before the units exist because they shape them.
        town_idx = list(range(towns))
        rng.shuffle(town_idx)
        with_companies = {i for i in range(towns, towns + depts) if (i - towns) % 5 == 0}
        leaves = [i for i in range(towns, n2) if i not in with_companies]
        rng.shuffle(leaves)
        self.pick = {"pressure_break": town_idx[0], "not_cascaded": town_idx[1],
                     "village_gap": town_idx[2 % towns], "village_unassigned": town_idx[1],
                     "no_secretary": leaves[0], "no_supervisor": leaves[1],
                     "unassigned": leaves[2], "coverage_gap": leaves[3],
                     "disconnected": leaves[4]}
        vacancy_on = (g.as_of - dt.timedelta(days=120)).isoformat()
        pb_end = f"{g.years[-2]}-03-31"
        for i, kind in enumerate(kinds):
            uid = f"{p}-U{i + 1:03d}"
            if kind == "street_town":
                name = rng.choice(_STEM_A) + rng.choice(_STEM_B) + rng.choice(("镇", "街道"))
            elif kind == "department":
                name = DEPARTMENTS[(i - towns) % len(DEPARTMENTS)]
            else:
                name = INSTITUTIONS[(i - towns - depts) % len(INSTITUTIONS)]
            u = g.unit(Unit(uid, f"{stem}{name}", kind, 2, p))
            self.level2.append(u)
            if i == self.pick["no_secretary"]:
                g.team(u, p, rng.randint(1, 2), head="行政负责人", vacancy=vacancy_on)
            elif i == self.pick["pressure_break"]:
                g.team(u, p, 3, vacancy=pb_end)
            elif kind == "street_town":
                g.team(u, p, 3)
            else:
                g.team(u, p, rng.randint(1, 3), head="行政负责人")
            if kind == "street_town":
                tjw = g.unit(Unit(f"{uid}-JW", f"{u.name}纪委", "discipline_body", 2, jw.id))
                tsec = g.person("纪委书记", p)
                g.post(tsec, u, "discipline_secretary", f"{g.years[0] - 2}-01-01")
                g.post(tsec, tjw, "secretary", f"{g.years[0] - 2}-01-01")
                self.discipline.append(tjw)
                g.supervise(tjw, u, "same_level")
                for k in range(rng.randint(*s.villages)):
                    v = g.unit(Unit(f"{uid}-C{k + 1:02d}", f"{u.name}{rng.choice(_STEM_A)}"
                                    f"{rng.choice(_STEM_B)}{rng.choice(('村', '居民区'))}",
                                    "village_community", 3, uid))
                    g.team(v, p, rng.randint(1, 2))
                    g.supervise(tjw, v, "same_level")
                    self.level3.append(v)
            elif i in with_companies:
                pz = pzs[(i - towns) % len(pzs)]
                g.supervise(pz, u, "stationed")
                for k in range(rng.randint(*s.companies)):
                    c = g.unit(Unit(f"{uid}-C{k + 1:02d}", f"{u.name}下属第{k + 1}公司",
                                    "enterprise", 3, uid))
                    g.team(c, p, 1, head="总经理")
                    g.supervise(pz, c, "stationed")
                    self.level3.append(c)
            elif i != self.pick["no_supervisor"]:
                g.supervise(pzs[(i - towns) % len(pzs)], u, "stationed")
        self._plant_structure(vacancy_on)
        self._clusters(stem)
        self._portfolios()
        self._inspections()
        self.mechanism = DistrictMechanism(self)
        for y in g.years:
            self._year(y)
        self.mechanism.finish()

    def _plant_structure(self, vacancy_on: str) -> None:
        g, u = self.g, self.level2
        pk = self.pick
        g.plant("V_PRESSURE_BREAK", [f"unit:{u[pk['pressure_break']].id}"],
                "intermediate 街镇: no secretary since its last one left, and no duties held by "
                "the unit or its team in any year; its villages' duties have no parent")
        g.plant("H_NO_SECRETARY", [f"unit:{u[pk['pressure_break']].id}"],
                "side effect of V_PRESSURE_BREAK (same unit)")
        g.plant("H_NO_SECRETARY", [f"unit:{u[pk['no_secretary']].id}"],
                f"secretary's post ended {vacancy_on}, no successor")
        g.plant("H_NO_SUPERVISOR", [f"unit:{u[pk['no_supervisor']].id}"],
                "no SUPERVISES relationship into the unit")
        g.plant("H_UNIT_UNASSIGNED", [f"unit:{u[pk['unassigned']].id}"],
                "level-2 unit in no district leader's IN_CHARGE_OF")
        g.plant("V_COVERAGE_GAP", [f"unit:{u[pk['coverage_gap']].id}"],
                f"last covered by an inspection ended before the window ({YEARS} years)")
        disc = u[pk["disconnected"]]
        g._disconnected[disc.id] = {disc.supervisor or ""}
        g.plant("H_DISCIPLINE_TEAM_DISCONNECTED", [f"unit:{disc.id}", f"unit:{disc.supervisor}"],
                "the supervising discipline body has no record or referral with the unit's team")
        for u2 in (u[i] for i in pk.values()):
            self.quiet.add(u2.id)

    def _clusters(self, stem: str) -> None:
        """An isolated component, and a cluster tied to the district by one person only."""
        g, p, rng = self.g, self.p, self.rng
        made = []
        for tag, kids in (("X", 2), ("Y", 6)):
            label = "行业协会" if tag == "X" else "园区"
            top = g.unit(Unit(f"{p}-{tag}1", f"{stem}{label}联合党委", "other", 2, None))
            sup = g.unit(Unit(f"{p}-{tag}1-JW", f"{top.name}纪委", "discipline_body", 2, None))
            self.extra += [top, sup]
            g.team(sup, p, 0, turnover=False)
            if tag == "X":
                g.team(top, p, 2, turnover=False)
            else:
                bridge = g.person("区委常委、园区联合党委书记", p)
                g.post(bridge, self.d, "member", f"{g.years[0] - 2}-01-01")
                g.post(bridge, top, "secretary", f"{g.years[0] - 2}-01-01")
                for _ in range(2):
                    g.post(g.person("班子成员", p), top, "member", f"{g.years[0] - 2}-01-01")
                self.bridge = bridge
            g.supervise(sup, top, "same_level")
            for k in range(kids):
                c = g.unit(Unit(f"{top.id}-C{k + 1:02d}", f"{top.name}第{k + 1}支部", "other", 3,
                                top.id))
                g.team(c, p, 1, turnover=False)
                g.supervise(sup, c, "same_level")
                self.extra.append(c)
            g.assign(top, top.children)
            ins = g.nid(f"IN-{p}-")
            year = rng.choice(g.years[1:])
            g.sink.row("inspections", id=ins, name=f"{top.name}履责检查", kind="duty_review",
                       conducted_by=top.id,
                       covers=[top.id, *top.children], round="1",
                       started_on=g.day(year, 1, 150), ended_on=g.day(year, 151, 250),
                       focus=focus_of("duty_review"))
            made.append((top, sup))
        self.quiet.update(u.id for u in self.extra)
        (x, xjw), (y, _) = made
        g.plant("S_ISOLATED_COMPONENT", [f"unit:{x.id}", f"unit:{xjw.id}",
                                         *[f"unit:{c}" for c in x.children]],
                "a 联合党委 with its own discipline body, tied to nothing else in the graph")
        g.plant("S_ARTICULATION_POINT", [f"person:{self.bridge}"],
                f"the only link between {y.id}'s cluster and the district: secretary there, "
                "member of the district committee")
        g.plant("S_BRIDGE", [f"person:{self.bridge}", f"unit:{self.d.id}"],
                "SERVES_IN edge whose removal cuts the cluster (and the person) off")
        g.plant("S_BRIDGE", [f"person:{self.bridge}", f"unit:{y.id}"],
                "SERVES_IN edge whose removal cuts the cluster off")
        g.plant("S_HIGH_BETWEENNESS", [f"person:{self.bridge}"],
                "every path from the cluster to the rest goes through this person; district "
                "committees and discipline bodies rank high naturally")

    def _portfolios(self) -> None:
        g, d, pk = self.g, self.d, self.pick
        unassigned = self.level2[pk["unassigned"]].id
        outlier = self.rng.choice([m for m in d.members[1:] if m != self.bridge])
        kids = [u.id for u in self.level2 if u.id != unassigned]
        g.assign(d, kids, skip=frozenset({self.bridge}), outlier=outlier)
        g.plant("H_MEMBER_LOAD_OUTLIER", [f"person:{outlier}", f"unit:{d.id}"],
                "in charge of about 45% of the district's units; peers share the rest")
        for dis in self.discipline:
            g.portfolio(self.jw.members[0], dis.id, "联系指导", f"{g.years[0] - 1}-01-01")
        village_town = self.level2[pk["village_unassigned"]]
        for u in self.level2:
            if not u.children:
                continue
            kids = list(u.children)
            if u is village_town:
                moved = kids.pop()
                g.portfolio(u.members[-1], moved, "村居工作", f"{g.years[0] - 1}-01-01",
                            f"{g.as_of.year}-01-31")
                g.plant("H_UNIT_UNASSIGNED", [f"unit:{moved}"],
                        "the member in charge moved on (portfolio ended), nobody took over")
                self.quiet.add(moved)
            g.assign(u, kids)
        # A member in charge of companies (so with issues in their charge) who records
        # nothing: H_MEMBER_NO_RECORDS. The unit stays out of the other plants.
        owners = [u for u in self.level2 if u.kind == "department" and u.children
                  and u.id not in self.quiet]
        unit = self.rng.choice(owners)
        member = self.rng.choice([m for m in unit.members if m in unit.in_charge.values()])
        self._no_records = (unit, member)
        self.quiet.add(unit.id)
        g.plant("H_MEMBER_NO_RECORDS", [f"person:{member}"],
                "team member with issues in their charge (and one assigned) but no fulfilment "
                "record in any year; failure records only")

    def _inspections(self) -> None:
        """Every unit covered within the window, except the planted gaps."""
        g, d, pk, rng = self.g, self.d, self.pick, self.rng
        gap = self.level2[pk["coverage_gap"]]
        regular = [u.id for u in self.level2 if u is not gap]
        rng.shuffle(regular)
        rounds = 2 * YEARS
        # A 巡察组 of the district committee with a stationed 纪检监察组, in turn (联动巡察).
        stationed = [u.id for u in self.discipline if "-PZ" in u.id]
        for r in range(rounds):
            y = g.years[r // 2]
            self._inspect(f"{d.name}第{r + 1}轮巡察", "inspection",
                          [d.id, stationed[r % len(stationed)]], regular[r::rounds], y,
                          str(r + 1), 30 if r % 2 == 0 else 200)
        self._inspect(f"{d.name}上届巡察", "inspection", d.id, [gap.id], g.years[0] - 3, "上届", 60)
        gap_town = self.level2[pk["village_gap"]]
        for u in self.level2:
            if not u.children:
                continue
            kids = list(u.children)
            if u is gap_town:
                missed = kids.pop(0)
                g.plant("V_COVERAGE_GAP", [f"unit:{missed}"],
                        "left out of its 街镇's village inspection; never covered")
                self.quiet.add(missed)
            kind = "inspection" if u.kind == "street_town" else "special_check"
            by = d.id if u.kind == "street_town" else u.id
            self._inspect(f"{u.name}{'村居巡察' if kind == 'inspection' else '下属企业专项检查'}",
                          kind, by, kids, rng.choice(g.years), "1", rng.randint(20, 250),
                          focus=focus_of(kind, villages=kind == "inspection"))
        self._inspect(f"市委巡视（{d.name}）", "tour", "SH", [d.id], rng.choice(g.years[:-1]),
                      str(self.n), 60)

    def _inspect(self, name: str, kind: str, by: str | list[str], covers: list[str], year: int,
                 round_: str, doy: int, focus: str | None = None) -> None:
        if not covers:
            return
        g = self.g
        iid = g.nid(f"IN-{self.p}-")
        started = g.day(year, doy, doy)
        ended = min(dt.date.fromisoformat(started) + dt.timedelta(days=60),
                    g.as_of - dt.timedelta(days=1)).isoformat()
        g.sink.row("inspections", id=iid, name=name, kind=kind, conducted_by=by, covers=covers,
                   round=round_, started_on=started, ended_on=ended,
                   focus=focus or focus_of(kind))
        for c in covers:
            self.covered[c].append((year, iid, ended))

    # -- one year --------------------------------------------------------------------------
    def _year(self, y: int) -> None:
        self._duties(y)
        units = [self.d, self.jw, *self.discipline, *self.level2, *self.level3, *self.extra]
        targets = self._record_targets(units)
        self.g.yearly_records(units, y, targets, no_records=self._no_records[1],
                              bridge=self.bridge,
                              bridge_targets=[u.id for u in self.extra if "-Y1" in u.id])
        self._issues(y)
        self._referrals(y)
        with self.g.seeded(f"orders-{self.p}-{y}"):
            self._orders(y)
        self._cases(y)
        self.mechanism.year(y)
        for u in units:
            u.duties.pop(y, None)

    def _duties(self, y: int) -> None:
        g, s, d = self.g, self.scale, self.d
        held: dict[str, dict[str, list[str]]] = {}
        g._held = held

        def make(u: Unit, resp: str, count: int, parent: Unit | None, holder: str | None = None,
                 list_: str = "responsibility") -> list[str]:
            # A member's dual items are the unit's primary items broken down within the team.
            pool = "primary" if resp == "dual" else None
            ids = g.duties(u, y, resp, count, holder=holder, parent_of=parent, list_=list_,
                           pool=pool)
            who = holder or (u.secretary_on(f"{y}-01-01") if resp == "first" else u.id)
            if who and ids:
                held.setdefault(u.id, {}).setdefault(who, []).extend(ids)
                u.duties.setdefault(y, {}).setdefault(resp, []).extend(ids)
            return ids

        sh, shjw = g.units["SH"], g.units["SH-JW"]
        pb = self.level2[self.pick["pressure_break"]]
        p3 = s.primary[2]
        below_d = sum(min(s.primary[1], p3 * len(u.children)) if u.children else s.primary[1]
                      for u in self.level2 if u is not pb)
        top = make(d, "primary", min(s.primary[0], below_d), sh)
        if y == g.years[-1]:
            self._not_cascaded(d, top, y)
        make(d, "first", s.first[0], sh)
        for m in d.members:
            make(d, "dual", s.dual[0], d, holder=m)
        below_jw = len(self.discipline) * s.supervisory[1]
        make(self.jw, "supervisory", min(s.supervisory[0], below_jw), shjw)
        for u in self.discipline:
            make(u, "supervisory", s.supervisory[1], self.jw)
        for u in [*self.level2, *self.extra]:
            if u is pb or u.kind == "discipline_body":
                continue
            parent = g.units[u.parent] if u.parent else None
            n = s.primary[1] if u.level == 2 else s.primary[2]
            if u.children:
                n = min(n, p3 * len(u.children))
            ids = make(u, "primary", n, parent)
            if u is self.level2[self.pick["not_cascaded"]] and y == g.years[-2]:
                self._not_cascaded(u, ids, y)
            if not u.children:
                make(u, "primary", 1, None, list_="institution")
            make(u, "first", s.first[1], parent)
            for m in u.members:
                make(u, "dual", s.dual[1], u, holder=m, list_=self.rng.choice(
                    ("responsibility", "responsibility", "task")))
        for u in self.extra:
            if u.kind == "discipline_body":
                make(u, "supervisory", 1, None)
        for u in self.level3:
            parent = g.units[u.parent or ""]
            make(u, "primary", p3, parent if parent is not pb else None)
            make(u, "primary", 1, None, list_="institution")
            make(u, "first", s.first[2], parent if parent is not pb else None)
            for m in u.members:
                make(u, "dual", s.dual[2], u, holder=m)

    def _not_cascaded(self, u: Unit, ids: list[str], y: int) -> None:
        """Keep the last primary item out of the cascade pool: it reaches nobody below."""
        if not ids:
            return
        last = ids[-1]
        u.duties[y]["primary"].remove(last)
        self.g.plant("V_DUTY_NOT_CASCADED", [f"duty:{last}", f"unit:{u.id}"],
                     "primary duty (responsibility list) with no CASCADES_TO into any "
                     "subordinate unit's duty")

    @property
    def scale(self) -> Scale:
        return self.g.scale

    # -- evidence: records, issues, referrals, cases ------------------------------------
    def _record_targets(self, units: list[Unit]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for u in units:
            for child, pid in u.in_charge.items():
                out[pid].append(child)
        return out

    def _issue(self, u: Unit, y: int, *, owner: str | None = None, no_owner: bool = False,
               project: bool = True, source: str | None = None,
               found: str | None = None) -> str:
        g, rng = self.g, self.rng
        ins = None
        cov = [c for c in self.covered.get(u.id, ()) if c[0] == y]
        if source is None and cov and rng.random() < 0.7:
            _, ins, found = cov[0]
            source = "inspection"
        found = found or g.day(y)
        source = source or rng.choice(("self_check", "petition", "audit"))
        own = None if no_owner else (owner or u.secretary_on(found)
                                     or (u.members[0] if u.members else None))
        primaries = u.duties.get(y, {}).get("primary")
        deadline = (dt.date.fromisoformat(found) + dt.timedelta(days=180)).isoformat()
        done = deadline < (g.as_of - dt.timedelta(days=60)).isoformat() and project
        iid = g.nid(f"IS-{self.p}-")
        g.sink.row("issues", id=iid, title=f"{u.name}{rng.choice(_ASPECTS)}方面存在短板",
                   unit_id=u.id, source=source, inspection_id=ins, owner_id=own,
                   duty_id=rng.choice(primaries) if primaries else None,
                   category=rng.choice(_ASPECTS), severity=rng.choice(("high", "medium", "low")),
                   found_on=found, deadline=deadline,
                   status=rng.choice(("closed", "closed", "rectified")) if done else "rectifying")
        if project:
            leader = own or u.secretary_on(found) or (u.members[0] if u.members else None)
            for _ in range(2 if rng.random() < 0.15 else 1):
                completed = (dt.date.fromisoformat(deadline)
                             - dt.timedelta(days=rng.randint(1, 60))).isoformat()
                g.sink.row("projects", id=g.nid(f"PJ-{self.p}-"), title=f"{u.name}整改项目",
                           issue_id=iid, leader_id=leader, goal="问题整改到位、建章立制",
                           measures="明确责任人和时间节点，纪委跟踪督办", deadline=deadline,
                           status="done" if done else (
                               "in_progress" if deadline >= g.today else "overdue"),
                           completed_on=completed if done else None)
        self._last_issue[u.id] = iid
        if source == "inspection":
            self.mechanism.finding(u, iid)
        return iid

    def _issues(self, y: int) -> None:
        g, s, rng = self.g, self.scale, self.rng
        self._last_issue: dict[str, str] = {}
        for u in [*self.level2, *self.level3]:
            rate = s.issues[0] if u.level == 2 else s.issues[1]
            for _ in range(int(rate) + (rng.random() < rate - int(rate))):
                self._issue(u, y)
        if y != g.years[-1]:
            return
        open_ = [u for u in self.level2 if u.id not in self.quiet]
        recent = (g.as_of - dt.timedelta(days=45)).isoformat()
        for k, u in enumerate(rng.sample(open_, 4)):
            if k < 2:
                iid = self._issue(u, y, no_owner=True, source="self_check", found=recent)
                g.plant("V_ISSUE_NO_OWNER", [f"issue:{iid}"], "open issue with no ASSIGNED_TO")
            else:
                iid = self._issue(u, y, project=False, source="self_check", found=recent)
                g.plant("V_ISSUE_NO_PROJECT", [f"issue:{iid}"],
                        "open issue with no project ADDRESSES it")
        unit, member = self._no_records
        self._issue(unit, y, owner=member, source="self_check")

    def _referrals(self, y: int) -> None:
        g, s, rng, d = self.g, self.scale, self.rng, self.d
        cands = [u for u in self.level2 if u.id not in self.quiet and u.id in d.in_charge]
        towns = [u for u in self.level2 if u.children and u.kind == "street_town"
                 and u.id not in self.quiet]
        jobs: list[tuple[Unit, str, str]] = []
        for _ in range(round(len(self.level2) * s.referrals)):
            u = rng.choice(cands)
            jobs.append((u, self.jw.id, d.in_charge[u.id]))
        for t in towns:
            kids = [c for c in t.children if c in t.in_charge and c not in self.quiet]
            if kids:
                c = rng.choice(kids)
                jobs.append((g.units[c], f"{t.id}-JW", t.in_charge[c]))
        for u, by, leader in jobs:
            issued = g.day(y)
            self._referral(u, y, by, leader, issued, overdue=False)
        if y == g.years[-1]:
            for u in rng.sample(cands, 2):
                issued = (g.as_of - dt.timedelta(days=rng.randint(70, 120))).isoformat()
                rid = self._referral(u, y, self.jw.id, d.in_charge[u.id], issued, overdue=True)
                self._open_referrals.append((u, rid))
                g.plant("V_REFERRAL_OPEN", [f"referral:{rid}"],
                        "reply due more than a month ago, no reply (回告) recorded")

    def _referral(self, u: Unit, y: int, by: str, leader: str, issued: str,
                  overdue: bool) -> str:
        g, rng = self.g, self.rng
        due_d = dt.date.fromisoformat(issued) + dt.timedelta(days=30)
        due = due_d.isoformat()
        iid = self._issue(u, y, owner=leader, source="referral", found=issued)
        replied = None
        if overdue:
            status = rng.choice(("overdue", "open"))
        elif due < g.today:
            late = rng.random() < 0.15
            r = due_d + dt.timedelta(days=rng.randint(1, 30) if late else -rng.randint(0, 25))
            replied = min(r, g.as_of - dt.timedelta(days=1)).isoformat()
            status = "replied"
        else:
            status = "open"
        rid = g.nid(f"RF-{self.p}-")
        # A reply is verified by the issuing body two weeks later (no draw: the rest of the
        # data stays as it was before replies were written).
        verified = replied and _after(replied, 14)
        if verified and verified >= g.today:
            verified = None
        g.sink.row("referrals", id=rid, title=f"{u.name}廉情抄告", issued_by=by, sent_to=leader,
                   issue_id=iid, issued_on=issued, due_on=due, replied_on=replied,
                   status="verified" if verified else status,
                   reply=replied and "已督促整改到位并回告。", replied_by=replied and leader,
                   verified_on=verified, verification=verified and "经核实，同意办结。")
        return rid

    def _orders(self, y: int) -> None:
        """督办 of the year (``Scale.orders`` per level-2 unit): the district commission
        orders a unit, or the leader in charge of it, to act on the unit's latest issue of
        the year (in the last year, issued within its last five months). Due 30–60 days after
        issue; every order whose deadline has passed was
        replied to (one in ten late) and, two to three weeks later, verified; of the current
        ones half are replied and awaiting verification, and one in ten of those was sent
        back with a new deadline. In the last year one order per district about a planted
        unanswered referral is left overdue with no reply: a planted ``V_ORDER_OVERDUE``.

        Drawn from the generator's own seeded stream (see :meth:`_year`), so adding orders
        changed no other row."""
        g, d = self.g, self.d
        rng = g.rng
        cands = [u for u in self.level2 if u.id not in self.quiet and u.id in self._last_issue]
        for _ in range(round(len(self.level2) * self.scale.orders) if cands else 0):
            u = rng.choice(cands)
            to = d.in_charge[u.id] if u.id in d.in_charge and rng.random() < 0.3 else u.id
            # The last year's orders fall in its last five months, so that some are open
            # on the as-of date as on a real workbench.
            issued = (g.day(y) if y != g.years[-1]
                      else _after(g.today, -rng.randint(1, 150)))
            due = _after(issued, rng.randint(30, 60))
            self._order(u, to, self._last_issue[u.id], issued, due, rng)
        if y == g.years[-1] and self._open_referrals:
            u, rid = self._open_referrals[0]
            issued = (g.as_of - dt.timedelta(days=60)).isoformat()
            oid = self._order(u, d.in_charge[u.id], rid, issued, _after(issued, 30), None)
            g.plant("V_ORDER_OVERDUE", [f"supervisionorder:{oid}"],
                    "督办 about an unanswered referral, past its deadline with no reply")

    def _order(self, u: Unit, to: str, about: str, issued: str, due: str,
               rng: random.Random | None) -> str:
        """One order row; ``rng`` None leaves it unanswered (the planted overdue one)."""
        g = self.g
        yesterday = (g.as_of - dt.timedelta(days=1)).isoformat()
        replied = verified = reopened = None
        if rng is not None and (due < g.today or rng.random() < 0.5):
            late = due < g.today and rng.random() < 0.1
            replied = _after(due, rng.randint(1, 20) if late else -rng.randint(0, 25))
            replied = min(max(replied, issued), yesterday)
            if _after(replied, 21) < g.today:
                verified = _after(replied, rng.randint(14, 21))
            elif rng.random() < 0.1 and _after(replied, 5) < g.today:
                reopened, replied = _after(replied, 5), None
                due = _after(reopened, 30)
        status = ("verified" if verified else "reopened" if reopened
                  else "replied" if replied else "issued")
        oid = g.nid(f"OD-{self.p}-")
        g.sink.row("orders", id=oid, title=f"督办：{u.name}整改落实", issued_by=self.jw.id,
                   sent_to=to, about_id=about, issued_on=issued, due_on=due, status=status,
                   request="请于期限内报告整改落实情况。",
                   reply=replied and "已按要求完成整改并报告。",
                   replied_by=replied and (to if to != u.id else u.secretary_on(replied)),
                   replied_on=replied, verification=verified and "经核实，整改到位。",
                   verified_on=verified, reopened_on=reopened)
        return oid

    def _cases(self, y: int) -> None:
        g, s, rng = self.g, self.scale, self.rng
        pool = [u for u in [*self.level2, *self.level3] if u.id not in self.quiet]
        rate = len(pool) * s.cases
        # One case of the year before last whose supervising body nobody traced back, one
        # case of the year before that which no 案后治理 followed (the first that qualifies:
        # picked without drawing from the generator, so the rest of the data is unchanged).
        untraced = y == g.years[-2]
        unfollowed = y == g.years[-3]
        for _ in range(int(rate) + (rng.random() < rate - int(rate))):
            cid, unit, kind = self._case(rng.choice(pool), y, untraced=untraced,
                                         unfollowed=unfollowed)
            if kind == "untraced":
                untraced = False
                g.plant("V_SUPERVISION_NOT_TRACED", [f"case:{cid}", f"unit:{unit}"],
                        "leadership held, the supervising body neither held nor judged "
                        "not applicable")
            elif kind == "unfollowed":
                unfollowed = False
                g.plant("V_NO_POST_CASE_GOVERNANCE", [f"case:{cid}", f"unit:{unit}"],
                        "concluded, and no issue or project follows it")
        if y == g.years[-2]:
            for u in rng.sample(pool, 2):
                cid, _, _ = self._case(u, y, direct_only=True)
                g.plant("V_ACCOUNTABILITY_DIRECT_ONLY", [f"case:{cid}"],
                        "accountability decided for the directly involved person only")

    def _case(self, u: Unit, y: int, direct_only: bool = False, untraced: bool = False,
              unfollowed: bool = False) -> tuple[str, str, str | None]:
        """Write one case and its accountability; returns (case id, unit id, the plant it
        became: ``untraced``, ``unfollowed`` or None). A concluded case records its
        supervising body as judged not applicable unless it held it, and a project follows
        it (案后治理), except where planted."""
        g, rng, p = self.g, self.rng, self.p
        occurred_d = dt.date.fromisoformat(g.day(y, 1, 200))
        decided_d = occurred_d + dt.timedelta(days=rng.randint(60, 150))
        if direct_only:
            decided_d = min(decided_d, g.as_of - dt.timedelta(days=10))
        occurred, decided = occurred_d.isoformat(), decided_d.isoformat()
        if rng.random() < 0.8 or not u.members:
            subject = g.person("工作人员", p)
            g.post(subject, u, "staff", f"{g.years[0] - 3}-01-01")
        else:
            subject = rng.choice(u.members)
        cid = g.nid(f"CA-{p}-")
        kind = rng.choice(_CASE_KINDS)
        pending = decided >= g.today
        issue_id = self._last_issue.get(u.id) if rng.random() < 0.4 else None
        closed = None if pending else (decided_d - dt.timedelta(days=7)).isoformat()
        targets = [] if pending else self._targets(u, subject, occurred, direct_only)
        held_body = any(c == "supervisory" for _, c in targets)
        plant: str | None = None
        review: str | None = None
        if targets and not direct_only and not held_body:
            if untraced and u.supervisor:
                plant = "untraced"
            else:
                review = "not_applicable"
        if closed and unfollowed and plant is None:
            plant = "unfollowed"
        g.sink.row("cases", id=cid, title=f"{u.name}{kind}问题", unit_id=u.id, category=kind,
                   subject_ids=[subject], issue_id=issue_id, occurred_on=occurred,
                   opened_on=(occurred_d + dt.timedelta(days=30)).isoformat(),
                   closed_on=closed, supervision_review=review)
        for target, category in targets:
            unit_target = target.startswith(f"{p}-")
            # The four forms grade the handling of persons; an organisation takes none.
            form = None if unit_target else rng.choices(FORMS, FORM_WEIGHTS)[0]
            measure = (rng.choice(("check", "circulate")) if form is None else
                       {1: rng.choice(("circulate", "admonish")),
                        2: rng.choice(("organizational", "disciplinary")),
                        3: "organizational", 4: "disciplinary"}[form])
            g.sink.row("accountability", id=g.nid(f"AC-{p}-"), case_id=cid, target_id=target,
                       category=category, measure=measure, form=form,
                       decided_by=self.d.id if category == "overall_leadership" else self.jw.id,
                       decided_on=decided)
        if closed and plant != "unfollowed":
            done = min(dt.date.fromisoformat(closed) + dt.timedelta(days=60),
                       g.as_of - dt.timedelta(days=1)).isoformat()
            # Own id sequence: the other projects keep their ids.
            g.sink.row("projects", id=g.nid(f"PC-{p}-"), title=f"以案促改：{u.name}{kind}问题",
                       leader_id=u.secretary_on(closed), goal="堵塞案发环节制度漏洞",
                       deadline=(dt.date.fromisoformat(closed)
                                 + dt.timedelta(days=180)).isoformat(),
                       status="done", completed_on=done, follows_case=cid)
        return cid, u.id, plant

    def _targets(self, u: Unit, subject: str, occurred: str,
                 direct_only: bool) -> list[tuple[str, str]]:
        """Who is held accountable for a case, and in which category."""
        g, rng = self.g, self.rng
        targets = [(subject, "direct")]
        if not direct_only:
            sec = u.secretary_on(occurred)
            leader = g.units[u.parent or u.id].in_charge.get(u.id)
            if sec and sec != subject and rng.random() < 0.7:
                targets.append((sec, "primary_leadership"))
            if leader and rng.random() < 0.5:
                targets.append((leader, "important_leadership"))
            if rng.random() < 0.1:
                targets.append((u.id, "overall_leadership"))
            if u.supervisor and rng.random() < 0.1:
                targets.append((u.supervisor, "supervisory"))
            if len(targets) == 1:
                targets.append((leader, "important_leadership") if leader
                               else (u.id, "overall_leadership"))
        return targets


def _after(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


def generate(out: Path, scale: str | Scale = "district", seed: int = 1,
             as_of: dt.date = AS_OF) -> dict[str, Any]:
    """Write a dataset to ``out``; returns the manifest (also written as .manifest.json).

    ``scale`` is a name of :data:`SCALES` or a :class:`Scale` of one's own.
    """
    sizes = SCALES[scale] if isinstance(scale, str) else scale
    sink = Sink(out)
    try:
        gen = Generator(sizes, seed, as_of, sink)
        gen.run()
    finally:
        sink.close()
    (out / "planted.json").write_text(
        json.dumps(gen.planted, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    manifest = {"scale": scale if isinstance(scale, str) else "custom", "seed": seed,
                "as_of": as_of.isoformat(),
                "nodes": sink.nodes, "relationships": sink.rels,
                "rows": dict(sorted(sink.rows.items())),
                "planted": dict(sorted(Counter(p["code"] for p in gen.planted).items()))}
    (out / ".manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    return manifest

