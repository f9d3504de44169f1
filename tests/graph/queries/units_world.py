"""A small fictional world for the unit, person, chain and trace-back contract tests.

Written with NodeRecord/RelRecord.make into any store, so both backends hold exactly the
same graph. The timeline (all names fictional):

* 一区 D1 under the city CITY; D1-JW (its discipline body, under CITY-JW) supervises D1
  (same level) and D1-EDU (stationed). D1-T1 (a town) and D1-E1 (an enterprise) have no
  supervisor. D1-V1 (a village) sits under D1-T1.
* D1 secretaries: OLD 2014-2016, SEC from 2017. DEP deputy from 2015, in charge of D1-EDU
  until 2018-06-30 and of D1-T1 from 2018-07-01. MEM member 2016-2019, in charge of D1-E1.
  JWS discipline secretary of D1 from 2016. STAFF is staff (not a leader).
* D1-EDU: secretary ESEC from 2016, head EHEAD from 2016, staff X from 2010.
* D1-E1: no secretary until 2020; then E1A (from 2020-01-01) and E1B (from 2020-06-01)
  overlap — a contested post.
* Issue I1 in D1-EDU (2017-05-01, owner EHEAD); issue I2 in D1-T1 (2017-03-01, nobody);
  issue I3 in D1-V1 (2019-01-01, owner X), whose only leader in charge is DEP via D1-T1.
* Issue I4 and case C3 record nothing but a title: every link is missing.
* Case C1 in D1-EDU (2017-06-01, involves X, from I1): accountability for the whole chain
  plus MEM, who is outside it. Case C2 in D1-E1 (2018-03-01, involves Y): only Y.
"""

from __future__ import annotations

from typing import Any

from graph.schema import uid_of
from graph.store.base import GraphStore, NodeRecord, RelRecord

AS_OF_C1 = "2017-06-01"


def u(node_id: str) -> str:
    return uid_of("Unit", node_id)


def p(node_id: str) -> str:
    return uid_of("Person", node_id)


def build_units_world(store: GraphStore) -> None:
    """Write the world into ``store`` (an empty store of either backend)."""
    nodes: list[NodeRecord] = []
    rels: list[RelRecord] = []

    def node(label: str, node_id: str, **props: Any) -> str:
        nodes.append(NodeRecord(label, node_id, props))
        return uid_of(label, node_id)

    def rel(rel_type: str, src: str, dst: str, **props: Any) -> None:
        rels.append(RelRecord.make(rel_type, src, dst, props))

    # units
    for uid_, name, kind, level, parent in [
        ("CITY", "某市委", "party_committee", 0, None),
        ("CITY-JW", "某市纪委监委", "discipline_body", 0, None),
        ("D1", "一区区委", "party_committee", 1, "CITY"),
        ("D1-JW", "一区纪委监委", "discipline_body", 1, "CITY-JW"),
        ("D1-EDU", "一区教育局党委", "department", 2, "D1"),
        ("D1-T1", "一区甲镇党委", "street_town", 2, "D1"),
        ("D1-E1", "一区城投集团党委", "enterprise", 2, "D1"),
        ("D1-V1", "甲镇乙村党组织", "village_community", 3, "D1-T1"),
    ]:
        node("Unit", uid_, name=name, kind=kind, level=level)
        if parent:
            rel("SUBORDINATE_TO", u(uid_), u(parent))
    rel("SUPERVISES", u("CITY-JW"), u("CITY"), mode="same_level")
    rel("SUPERVISES", u("CITY-JW"), u("D1"), mode="stationed")
    rel("SUPERVISES", u("D1-JW"), u("D1"), mode="same_level")
    rel("SUPERVISES", u("D1-JW"), u("D1-EDU"), mode="stationed")

    # people and posts
    for pid, name in [("CSEC", "甲市书记"), ("OLD", "乙前书记"), ("SEC", "丙书记"),
                      ("DEP", "丁副书记"), ("MEM", "戊委员"), ("JWS", "己纪委书记"),
                      ("STAFF", "庚干部"), ("ESEC", "辛局党委书记"), ("EHEAD", "壬局长"),
                      ("X", "癸科长"), ("Y", "子经理"), ("E1A", "丑书记"), ("E1B", "寅书记")]:
        node("Person", pid, name=name, title=name[1:])
    for pid, unit, role, start, end in [
        ("CSEC", "CITY", "secretary", "2012-01-01", None),
        ("OLD", "D1", "secretary", "2014-01-01", "2016-12-31"),
        ("SEC", "D1", "secretary", "2017-01-01", None),
        ("DEP", "D1", "deputy_secretary", "2015-01-01", None),
        ("MEM", "D1", "member", "2016-01-01", "2019-12-31"),
        ("JWS", "D1", "discipline_secretary", "2016-01-01", None),
        ("JWS", "D1-JW", "secretary", "2016-01-01", None),
        ("STAFF", "D1", "staff", "2010-01-01", None),
        ("ESEC", "D1-EDU", "secretary", "2016-01-01", None),
        ("EHEAD", "D1-EDU", "head", "2016-01-01", None),
        ("X", "D1-EDU", "staff", "2010-01-01", None),
        ("Y", "D1-E1", "staff", "2012-01-01", None),
        ("E1A", "D1-E1", "secretary", "2020-01-01", None),
        ("E1B", "D1-E1", "secretary", "2020-06-01", None),
    ]:
        rel("SERVES_IN", p(pid), u(unit), role=role, start=start, end=end)
    for pid, unit, portfolio, start, end in [
        ("DEP", "D1-EDU", "教育", "2015-01-01", "2018-06-30"),
        ("DEP", "D1-T1", "街镇", "2018-07-01", None),
        ("MEM", "D1-E1", "国资", "2016-01-01", "2019-12-31"),
    ]:
        rel("IN_CHARGE_OF", p(pid), u(unit), portfolio=portfolio, start=start, end=end)

    # duties
    for did, holder, resp, lst, aspect, year in [
        ("DU-C1", u("CITY"), "primary", "responsibility", "组织领导", 2017),
        ("DU-P1", u("D1"), "primary", "responsibility", "组织领导", 2017),
        ("DU-P2", u("D1"), "primary", "task", "监督检查", 2017),
        ("DU-F1", u("D1"), "first", "responsibility", "组织领导", 2017),
        ("DU-F2", p("SEC"), "first", "responsibility", "带头示范", 2017),
        ("DU-D9", p("SEC"), "dual", "task", "业务监管", 2017),
        ("DU-D1", p("DEP"), "dual", "responsibility", "业务监管", 2017),
        ("DU-D2", p("MEM"), "dual", "institution", "制度建设", 2018),
        ("DU-S1", u("D1-JW"), "supervisory", "responsibility", "监督检查", 2017),
        ("DU-S2", u("D1-JW"), "supervisory", "task", "执纪问责", 2017),
        ("DU-X1", u("D1-JW"), "primary", "responsibility", "组织领导", 2017),
        ("DU-E1", u("D1-EDU"), "primary", "responsibility", "组织领导", 2017),
    ]:
        node("Duty", did, title=f"责任事项{did}", responsibility=resp, list=lst,
             aspect=aspect, indicator="每年至少一次", year=year)
        rel("HOLDS", holder, uid_of("Duty", did))
    rel("CASCADES_TO", uid_of("Duty", "DU-C1"), uid_of("Duty", "DU-P1"))

    # issues, projects, referrals, records
    issue = {i: uid_of("Issue", i) for i in ("I1", "I2", "I3")}
    node("Issue", "I1", title="招生管理不规范", source="inspection", severity="high",
         found_on="2017-05-01", deadline="2017-12-31", status="rectified")
    node("Issue", "I2", title="村务公开不及时", source="self_check", severity="low",
         found_on="2017-03-01", deadline="2017-09-30", status="open")
    node("Issue", "I3", title="集体资产台账缺失", source="referral", severity="medium",
         found_on="2019-01-01", status="rectifying")
    node("Issue", "I4", title="来源不明的问题线索", status="open")
    rel("FOUND_IN", issue["I1"], u("D1-EDU"))
    rel("FOUND_IN", issue["I2"], u("D1-T1"))
    rel("FOUND_IN", issue["I3"], u("D1-V1"))
    rel("ASSIGNED_TO", issue["I1"], p("EHEAD"))
    rel("ASSIGNED_TO", issue["I3"], p("X"))
    rel("BREACHES", issue["I1"], uid_of("Duty", "DU-E1"))
    node("Project", "PR1", title="规范招生专项整治", deadline="2017-12-31", status="done",
         completed_on="2017-11-30")
    rel("ADDRESSES", uid_of("Project", "PR1"), issue["I1"])
    rel("LED_BY", uid_of("Project", "PR1"), p("DEP"))
    node("Referral", "R1", title="招生问题抄告", issued_on="2017-05-10", due_on="2017-06-10",
         replied_on="2017-06-05", status="replied")
    node("Referral", "R2", title="乙村台账问题抄告", issued_on="2018-01-01", due_on="2018-02-01",
         status="open")
    for rid, about in (("R1", "I1"), ("R2", "I3")):
        rel("ISSUED_BY", uid_of("Referral", rid), u("D1-JW"))
        rel("SENT_TO", uid_of("Referral", rid), p("DEP"))
        rel("ABOUT", uid_of("Referral", rid), issue[about])
    node("Record", "REC1", title="约谈教育局党委书记", kind="fulfilment", action="talk",
         on="2017-07-01")
    rel("BY", uid_of("Record", "REC1"), p("DEP"))
    rel("CONCERNS", uid_of("Record", "REC1"), p("ESEC"))
    rel("FULFILS", uid_of("Record", "REC1"), uid_of("Duty", "DU-D1"))
    node("Record", "REC2", title="抄告逾期未回告", kind="failure", action="reminder",
         on="2018-03-01")
    rel("BY", uid_of("Record", "REC2"), u("D1-JW"))
    rel("CONCERNS", uid_of("Record", "REC2"), p("DEP"))

    # cases and accountability
    node("Case", "C1", title="招生收受好处案", category="受贿", occurred_on=AS_OF_C1,
         opened_on="2017-09-01", closed_on="2018-01-15")
    rel("OCCURRED_IN", uid_of("Case", "C1"), u("D1-EDU"))
    rel("INVOLVES", uid_of("Case", "C1"), p("X"))
    rel("ORIGINATED_FROM", uid_of("Case", "C1"), issue["I1"])
    node("Case", "C2", title="工程违规发包案", category="违规发包", occurred_on="2018-03-01")
    rel("OCCURRED_IN", uid_of("Case", "C2"), u("D1-E1"))
    rel("INVOLVES", uid_of("Case", "C2"), p("Y"))
    node("Case", "C3", title="尚未核实的案件")
    for aid, case, target, category, measure, form, decided_on in [
        ("A1", "C1", p("X"), "direct", "disciplinary", 3, "2018-01-20"),
        ("A2", "C1", p("EHEAD"), "direct", "admonish", 2, "2018-01-20"),
        ("A3", "C1", p("DEP"), "important_leadership", "circulate", 1, "2018-02-01"),
        ("A4", "C1", p("ESEC"), "primary_leadership", "admonish", 2, "2018-02-01"),
        ("A5", "C1", u("D1-EDU"), "overall_leadership", "check", 1, "2018-02-01"),
        ("A6", "C1", u("D1-JW"), "supervisory", "check", 1, "2018-02-10"),
        ("A7", "C1", p("MEM"), "important_leadership", "circulate", 1, "2018-02-10"),
        ("A8", "C2", p("Y"), "direct", "disciplinary", 3, "2018-06-01"),
    ]:
        node("Accountability", aid, title=f"问责{aid}", category=category, measure=measure,
             form=form, decided_on=decided_on)
        rel("FOR_CASE", uid_of("Accountability", aid), uid_of("Case", case))
        rel("TARGETS", uid_of("Accountability", aid), target)
        rel("DECIDED_BY", uid_of("Accountability", aid), u("D1-JW"))

    store.upsert_nodes(nodes)
    store.upsert_relationships(rels)
    store.flush()
