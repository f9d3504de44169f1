"""A small, well-coordinated world for the analytics tests, and the breaks that plant one weak
link at a time.

``World.healthy()`` yields no finding of any kind as of :data:`AS_OF`: city committee C and
its discipline body CJ; district D (under C) and DJ; town T (under D); village V (under T);
a secretary in every unit; a member of each parent in charge of each child; supervision of
every unit; duties cascaded C → D → T → V; an inspection covering D, T, V within the window;
an issue with owner and project; a referral replied on time; a case with accountability up
the chain and its supervising body judged not applicable on review; fulfilment records
linking members with their units and the discipline bodies with each team. Each ``break_*``
/ ``twin_*`` function edits a world in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graph.store.base import GraphStore, NodeRecord, RelRecord

AS_OF = "2024-06-30"
START = "2020-01-01"


@dataclass
class World:
    nodes: dict[str, NodeRecord] = field(default_factory=dict)
    rels: list[RelRecord] = field(default_factory=list)

    # -- building ----------------------------------------------------------------------
    def node(self, label: str, node_id: str, **props: Any) -> str:
        rec = NodeRecord(label, node_id, props)
        self.nodes[rec.uid] = rec
        return rec.uid

    def rel(self, rel_type: str, src: str, dst: str, **props: Any) -> None:
        self.rels.append(RelRecord.make(rel_type, src, dst, props))

    def unit(self, node_id: str, name: str, kind: str, level: int, parent: str | None) -> str:
        uid = self.node("Unit", node_id, name=name, kind=kind, level=level)
        if parent:
            self.rel("SUBORDINATE_TO", uid, parent)
        return uid

    def person(self, node_id: str, name: str, unit: str, role: str, **tenure: Any) -> str:
        uid = self.node("Person", node_id, name=name, title=role)
        self.rel("SERVES_IN", uid, unit, role=role, start=tenure.get("start", START),
                 end=tenure.get("end"))
        return uid

    def record(self, node_id: str, by: str, concerns: str, on: str, duty: str | None = None,
               kind: str = "fulfilment") -> str:
        uid = self.node("Record", node_id, title=f"记实{node_id}", kind=kind, action="talk", on=on)
        self.rel("BY", uid, by)
        self.rel("CONCERNS", uid, concerns)
        if duty:
            self.rel("FULFILS", uid, duty)
        return uid

    # -- editing -----------------------------------------------------------------------
    def drop(self, pred: Callable[[RelRecord], bool]) -> int:
        before = len(self.rels)
        self.rels = [r for r in self.rels if not pred(r)]
        dropped = before - len(self.rels)
        assert dropped, "the break matched no relationship"
        return dropped

    def drop_rel(self, rel_type: str, src: str, dst: str) -> None:
        self.drop(lambda r: (r.type, r.src, r.dst) == (rel_type, src, dst))

    def drop_node(self, uid: str) -> None:
        del self.nodes[uid]
        self.rels = [r for r in self.rels if uid not in (r.src, r.dst)]

    def set_rel(self, rel_type: str, src: str, dst: str, **props: Any) -> None:
        """Replace a relationship's properties (tenure dates); the key stays the same."""
        for i, r in enumerate(self.rels):
            if (r.type, r.src, r.dst) == (rel_type, src, dst):
                self.rels[i] = RelRecord(r.type, r.src, r.dst, {**r.props, **props}, r.key)
                return
        raise AssertionError(f"no {rel_type} {src} → {dst}")

    def set_node(self, uid: str, **props: Any) -> None:
        n = self.nodes[uid]
        self.nodes[uid] = NodeRecord(n.label, n.id, {**n.props, **props})

    def write(self, store: GraphStore) -> None:
        store.upsert_nodes(list(self.nodes.values()))
        store.upsert_relationships(self.rels)
        store.flush()

    # -- the healthy world -------------------------------------------------------------
    @classmethod
    def healthy(cls) -> World:
        w = cls()
        C = w.unit("C", "市委", "party_committee", 0, None)
        CJ = w.unit("CJ", "市纪委", "discipline_body", 0, None)
        D = w.unit("D", "东区区委", "party_committee", 1, C)
        DJ = w.unit("DJ", "东区纪委", "discipline_body", 1, None)
        T = w.unit("T", "东镇党委", "street_town", 2, D)
        V = w.unit("V", "东村党支部", "village_community", 3, T)
        w.person("c_sec", "甲书记", C, "secretary")
        c_mem = w.person("c_mem", "乙委员", C, "member")
        cj_sec = w.person("cj_sec", "丙纪委书记", CJ, "secretary")
        d_sec = w.person("d_sec", "丁书记", D, "secretary")
        d_mem = w.person("d_mem", "戊委员", D, "member")
        dj_sec = w.person("dj_sec", "己纪委书记", DJ, "secretary")
        w.person("t_sec", "庚书记", T, "secretary")
        t_mem = w.person("t_mem", "辛委员", T, "member")
        v_sec = w.person("v_sec", "壬书记", V, "secretary")
        for who, unit in ((c_mem, D), (d_mem, T), (t_mem, V)):
            w.rel("IN_CHARGE_OF", who, unit, portfolio="联系指导", start=START)
        for sup, unit in ((CJ, C), (CJ, D), (CJ, DJ), (DJ, D), (DJ, T), (DJ, V)):
            w.rel("SUPERVISES", sup, unit, mode="same_level")
        duties = {}
        for unit, key in ((C, "C"), (D, "D"), (T, "T"), (V, "V")):
            duties[key] = w.node("Duty", f"DU{key}", title=f"主体责任{key}",
                                 responsibility="primary", list="responsibility", year=2024)
            w.rel("HOLDS", unit, duties[key])
        for a, b in (("C", "D"), ("D", "T"), ("T", "V")):
            w.rel("CASCADES_TO", duties[a], duties[b])
        ins = w.node("Inspection", "I1", name="第一轮巡察", kind="inspection",
                     started_on="2022-03-01", ended_on="2022-04-30")
        w.rel("CONDUCTED_BY", ins, CJ)
        for unit in (D, T, V):
            w.rel("COVERS", ins, unit)
        issue = w.node("Issue", "IS1", title="镇村财务管理不规范", source="referral",
                       severity="medium", found_on="2024-01-05", deadline="2024-09-30",
                       status="rectifying")
        w.rel("FOUND_IN", issue, T)
        w.rel("ASSIGNED_TO", issue, t_mem)
        proj = w.node("Project", "PR1", title="财务规范整改", deadline="2024-09-30",
                      status="in_progress")
        w.rel("ADDRESSES", proj, issue)
        w.rel("LED_BY", proj, t_mem)
        ref = w.node("Referral", "R1", title="财务廉情抄告", issued_on="2024-01-10",
                     due_on="2024-02-10", replied_on="2024-02-01", status="replied")
        w.rel("ISSUED_BY", ref, DJ)
        w.rel("SENT_TO", ref, t_mem)
        w.rel("ABOUT", ref, issue)
        # 倒查 reached the town's member in charge; the district commission's supervision
        # was reviewed and judged not at fault (经倒查不予追究). Not concluded yet.
        case = w.node("Case", "K1", title="村干部违规案", occurred_on="2023-05-01",
                      opened_on="2023-06-01", supervision_review="not_applicable")
        w.rel("OCCURRED_IN", case, V)
        w.rel("INVOLVES", case, v_sec)
        for aid, target, cat in (("A1", v_sec, "direct"), ("A2", t_mem, "important_leadership")):
            acc = w.node("Accountability", aid, title=f"问责{aid}", category=cat,
                         measure="admonish", form=1, decided_on="2023-09-01")
            w.rel("FOR_CASE", acc, case)
            w.rel("TARGETS", acc, target)
            w.rel("DECIDED_BY", acc, DJ)
        w.record("REC1", t_mem, V, "2024-03-01", duties["T"])
        w.record("REC2", d_mem, T, "2024-02-01", duties["D"])
        w.record("REC3", cj_sec, "person:c_sec", "2024-01-15")
        w.record("REC4", dj_sec, d_sec, "2024-01-20")
        w.record("REC5", dj_sec, v_sec, "2024-02-20")
        return w


def add_villages(w: World, owners: list[str]) -> None:
    """Eight more villages under T, in the charge of ``owners`` in turn; T's team gets a third
    member, 子委员 (``person:t_mem2``), so that there are colleagues to compare with."""
    if "person:t_mem2" not in w.nodes:
        w.person("t_mem2", "子委员", "unit:T", "member")
    for k in range(8):
        v = w.unit(f"V{k + 2}", f"东村{k + 2}", "village_community", 3, "unit:T")
        w.rel("IN_CHARGE_OF", owners[k % len(owners)], v, portfolio="联系指导", start=START)


def add_hub(w: World) -> None:
    """Thirty departments under D whose only coordination link is one person, 癸."""
    hub = w.person("hub", "癸委员", "unit:D", "member")
    for k in range(30):
        u = w.unit(f"H{k}", f"东区第{k}局", "department", 2, "unit:D")
        w.rel("IN_CHARGE_OF", hub, u, portfolio="联系指导", start=START)


# code -> (break, repaired twin); each edits a healthy world in place.
Edit = Callable[[World], None]


def _no_twin(w: World) -> None:
    """The repaired twin is the healthy world itself."""


BREAKS: dict[str, tuple[Edit, Edit]] = {
    "V_DUTY_NOT_CASCADED": (lambda w: w.drop_rel("CASCADES_TO", "duty:DUD", "duty:DUT"), _no_twin),
    "V_COVERAGE_GAP": (
        lambda w: _cover_v(w, "2018-05-01", "2018-06-30"),
        lambda w: _cover_v(w, "2019-09-01", "2019-10-30")),
    "V_REFERRAL_OPEN": (
        lambda w: w.set_node("referral:R1", replied_on=None, status="open"), _no_twin),
    "V_ISSUE_NO_OWNER": (lambda w: w.drop_rel("ASSIGNED_TO", "issue:IS1", "person:t_mem"),
                         _no_twin),
    "V_ISSUE_NO_PROJECT": (lambda w: w.drop_rel("ADDRESSES", "project:PR1", "issue:IS1"),
                           _no_twin),
    "V_ACCOUNTABILITY_DIRECT_ONLY": (lambda w: w.drop_node("accountability:A2"), _no_twin),
    "V_SUPERVISION_NOT_TRACED": (
        lambda w: w.set_node("case:K1", supervision_review=None),
        lambda w: _supervision_held(w)),
    "V_NO_POST_CASE_GOVERNANCE": (
        lambda w: w.set_node("case:K1", closed_on="2023-10-31"),
        lambda w: _followed(w)),
    "V_PRESSURE_BREAK": (
        lambda w: w.set_rel("SERVES_IN", "person:t_sec", "unit:T", end="2023-12-31"), _no_twin),
    "H_NO_SECRETARY": (
        lambda w: w.set_rel("SERVES_IN", "person:v_sec", "unit:V", end="2024-03-31"), _no_twin),
    "H_NO_SUPERVISOR": (lambda w: w.drop_rel("SUPERVISES", "unit:DJ", "unit:V"), _no_twin),
    "H_UNIT_UNASSIGNED": (
        lambda w: w.set_rel("IN_CHARGE_OF", "person:t_mem", "unit:V", end="2024-01-31"),
        _no_twin),
    "H_MEMBER_NO_RECORDS": (lambda w: w.set_node("record:REC1", on="2023-03-01"), _no_twin),
    "H_DISCIPLINE_TEAM_DISCONNECTED": (lambda w: w.drop_node("record:REC5"), _no_twin),
    "H_MEMBER_LOAD_OUTLIER": (
        lambda w: add_villages(w, ["person:t_mem"]),
        lambda w: add_villages(w, ["person:t_mem", "person:t_sec", "person:t_mem2"])),
    "H_DUTY_RED": (
        lambda w: w.set_node("duty:DUC", target_kind="deadline", due_on="2024-03-31"),
        lambda w: w.set_node("duty:DUC", target_kind="deadline", due_on="2024-12-31")),
    "V_ORDER_OVERDUE": (lambda w: _order(w, due="2024-05-31"), lambda w: _order(w, due=None)),
    "S_BRIDGE": (lambda w: _only_portfolio(w), _no_twin),
    "S_ARTICULATION_POINT": (lambda w: _only_portfolio(w), _no_twin),
    "S_HIGH_BETWEENNESS": (add_hub, _no_twin),
    "S_ISOLATED_COMPONENT": (lambda w: _isolate_v(w), _no_twin),
}


def _order(w: World, due: str | None) -> None:
    """The district commission's 督办 to the town's member in charge, open past ``due``;
    the twin: the same order, replied to in time."""
    replied = {"status": "issued"} if due else {"replied_on": "2024-05-20", "status": "replied"}
    order = w.node("SupervisionOrder", "DB1", title="督办财务整改", issued_on="2024-05-01",
                   due_on=due or "2024-05-31", **replied)
    w.rel("ORDERED_BY", order, "unit:DJ")
    w.rel("ORDERED_TO", order, "person:t_mem")


def _supervision_held(w: World) -> None:
    """No judgement recorded, but the district commission's secretary (serving in it when
    the case occurred) held for 监督责任."""
    w.set_node("case:K1", supervision_review=None)
    acc = w.node("Accountability", "A3", title="问责A3", category="supervisory",
                 measure="admonish", form=1, decided_on="2023-09-01")
    w.rel("FOR_CASE", acc, "case:K1")
    w.rel("TARGETS", acc, "person:dj_sec")
    w.rel("DECIDED_BY", acc, "unit:CJ")


def _followed(w: World) -> None:
    """Concluded, and a project follows the case (案后治理)."""
    w.set_node("case:K1", closed_on="2023-10-31")
    proj = w.node("Project", "PR2", title="以案促改堵漏", status="done",
                  completed_on="2024-03-31")
    w.rel("FOLLOWS_CASE", proj, "case:K1")
    w.rel("LED_BY", proj, "person:t_mem")


def _cover_v(w: World, started: str, ended: str) -> None:
    """V covered only by an older inspection (dates given)."""
    w.drop_rel("COVERS", "inspection:I1", "unit:V")
    ins = w.node("Inspection", "I0", name="上届巡察", kind="inspection", started_on=started,
                 ended_on=ended)
    w.rel("COVERS", ins, "unit:V")
    w.rel("CONDUCTED_BY", ins, "unit:CJ")


def _only_portfolio(w: World) -> None:
    """V linked to the rest by 辛委员's portfolio (and record) only."""
    w.drop_rel("SUPERVISES", "unit:DJ", "unit:V")
    w.drop_node("record:REC5")


def _isolate_v(w: World) -> None:
    _only_portfolio(w)
    w.drop_rel("IN_CHARGE_OF", "person:t_mem", "unit:V")
    w.drop_node("record:REC1")
