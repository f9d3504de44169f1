"""A small fictional world for the open-loop, statistics, search and subgraph tests.

Written with NodeRecord/RelRecord.make into any store, so both backends hold the same graph
(names fictional)::

    CITY 某市委 ─┬─ D1 嘉定区委 ─┬─ D1-JW 嘉定区纪委监委 (supervises D1)
                 │               └─ T1 嘉定工业区 (town)
                 └─ D2 闵行区委 ─┬─ D2-JW 闵行区纪委监委
                                 └─ T2 七宝镇 (town)

People: P1 张三 secretary of D1 (2016–); P2 李四 secretary of T1 (2015–2018), member of
T2 (2019–); P3 王五 member of D2; P4 "Li Wei" staff of D2.

Loops (judged at 2019-06-30 unless a test says otherwise):

* I1 in T1 (found 2017-01-01, deadline 2017-06-30, owner P2) has projects PJ1 (deadline
  2017-12-31, in progress, led by P2 → overdue) and PJ2 (done 2017-02-01 → closed).
* I2 in T2 (found 2018-01-01, deadline 2018-03-01): no owner, no project.
* I3 in D1 is closed (never a loop); I4 in T1 is found 2020-06-01 (after the date).
* R1 about I2, sent to P3, due 2018-02-10, no reply. R2 replied on time. R3 (no issue) sent
  to P2, due 2019-03-01, no reply: its unit is P2's post on the date (T2; T1 before 2019).
  R4 due 2019-01-01, replied 2019-05-01: open at 2019-03-01, closed at 2019-06-30.

Accountability: case C1 in T1, case C2 in T2.

* D1 subtree: 2016 A1, A2 (C1); 2017 A3, A4, A5 (C1), A6 (targets T1), A7 (targets P1),
  A8 (no case or target, decided by D1-JW), A9 (targets P2, who served in T1 then).
* D2 subtree: A10 (C2, although decided by D1-JW: the case decides) in 2017; A11 (targets
  P2, who serves in T2 on 2019-05-01) in 2019.
"""

from __future__ import annotations

from typing import Any

from graph.schema import uid_of
from graph.store.base import GraphStore, NodeRecord, RelRecord

AS_OF = "2019-06-30"


def build_loops_world(store: GraphStore) -> None:
    """Write the world into ``store`` (an empty store of either backend)."""
    nodes: list[NodeRecord] = []
    rels: list[RelRecord] = []

    def node(label: str, node_id: str, **props: Any) -> str:
        nodes.append(NodeRecord(label, node_id, props))
        return uid_of(label, node_id)

    def rel(rel_type: str, src: str, dst: str, **props: Any) -> None:
        rels.append(RelRecord.make(rel_type, src, dst, props))

    units = {}
    for uid_, name, kind, level, parent in [
        ("CITY", "某市委", "party_committee", 0, None),
        ("D1", "嘉定区委", "party_committee", 1, "CITY"),
        ("D1-JW", "嘉定区纪委监委", "discipline_body", 1, "D1"),
        ("T1", "嘉定工业区", "street_town", 2, "D1"),
        ("D2", "闵行区委", "party_committee", 1, "CITY"),
        ("D2-JW", "闵行区纪委监委", "discipline_body", 1, "D2"),
        ("T2", "七宝镇", "street_town", 2, "D2"),
    ]:
        units[uid_] = node("Unit", uid_, name=name, kind=kind, level=level)
        if parent:
            rel("SUBORDINATE_TO", units[uid_], units[parent])
    rel("SUPERVISES", units["D1-JW"], units["D1"], mode="same_level")
    rel("SUPERVISES", units["D2-JW"], units["D2"], mode="same_level")

    p1 = node("Person", "P1", name="张三", title="区委书记")
    p2 = node("Person", "P2", name="李四", title="镇党委书记")
    p3 = node("Person", "P3", name="王五", title="区委委员")
    p4 = node("Person", "P4", name="Li Wei", title="staff")
    rel("SERVES_IN", p1, units["D1"], role="secretary", start="2016-01-01")
    rel("SERVES_IN", p2, units["T1"], role="secretary", start="2015-01-01", end="2018-12-31")
    rel("SERVES_IN", p2, units["T2"], role="member", start="2019-01-01")
    rel("SERVES_IN", p3, units["D2"], role="member", start="2016-01-01")
    rel("SERVES_IN", p4, units["D2"], role="staff")

    i1 = node("Issue", "I1", title="工程招投标管理不规范", found_on="2017-01-01",
              deadline="2017-06-30", status="rectifying")
    i2 = node("Issue", "I2", title="村居财务公开不及时", found_on="2018-01-01",
              deadline="2018-03-01", status="open")
    i3 = node("Issue", "I3", title="会议记录不全", found_on="2016-01-01", status="closed")
    i4 = node("Issue", "I4", title="公车使用登记缺失", found_on="2020-06-01", status="open")
    for issue, unit in ((i1, "T1"), (i2, "T2"), (i3, "D1"), (i4, "T1")):
        rel("FOUND_IN", issue, units[unit])
    rel("ASSIGNED_TO", i1, p2)
    pj1 = node("Project", "PJ1", title="招投标制度修订", deadline="2017-12-31",
               status="in_progress")
    pj2 = node("Project", "PJ2", title="招投标专项培训", deadline="2017-03-01", status="done",
               completed_on="2017-02-01")
    for pj in (pj1, pj2):
        rel("ADDRESSES", pj, i1)
        rel("LED_BY", pj, p2)

    for rid, title, to, issued, due, replied, about in [
        ("R1", "财务公开抄告", p3, "2018-01-10", "2018-02-10", None, i2),
        ("R2", "节日廉洁抄告", p3, "2018-04-01", "2018-05-01", "2018-04-20", None),
        ("R3", "干部作风抄告", p2, "2019-02-01", "2019-03-01", None, None),
        ("R4", "公车管理抄告", p3, "2018-12-01", "2019-01-01", "2019-05-01", None),
    ]:
        dates = {"issued_on": issued, "due_on": due}
        if replied:
            dates["replied_on"] = replied
        r = node("Referral", rid, title=title, **dates)
        rel("SENT_TO", r, to)
        rel("ISSUED_BY", r, units["D2-JW"] if to == p3 else units["D1-JW"])
        if about:
            rel("ABOUT", r, about)

    c1 = node("Case", "C1", title="工业区违规收受礼金案", occurred_on="2015-10-01")
    c2 = node("Case", "C2", title="七宝镇虚报冒领案", occurred_on="2016-10-01")
    rel("OCCURRED_IN", c1, units["T1"])
    rel("OCCURRED_IN", c2, units["T2"])
    for aid, day, category, measure, form, case, target, decider in [
        ("A1", "2016-03-01", "direct", "disciplinary", 2, c1, None, "D1-JW"),
        ("A2", "2016-09-01", "primary_leadership", "admonish", 1, c1, None, "D1-JW"),
        ("A3", "2017-01-05", "direct", "disciplinary", 3, c1, None, "D1-JW"),
        ("A4", "2017-02-01", "important_leadership", "circulate", 1, c1, None, "D1-JW"),
        ("A5", "2017-03-01", "supervisory", "admonish", 1, c1, None, "D1-JW"),
        ("A6", "2017-04-01", "overall_leadership", "check", None, None, units["T1"], "D1"),
        ("A7", "2017-05-01", "primary_leadership", "circulate", 1, None, p1, "CITY"),
        ("A8", "2017-06-01", "direct", "admonish", 1, None, None, "D1-JW"),
        ("A9", "2017-08-01", "important_leadership", "organizational", 2, None, p2, "D1-JW"),
        ("A10", "2017-09-01", "direct", "disciplinary", 4, c2, None, "D1-JW"),
        ("A11", "2019-05-01", "important_leadership", "admonish", 1, None, p2, "D2-JW"),
    ]:
        props: dict[str, Any] = {"category": category, "measure": measure, "decided_on": day}
        if form is not None:
            props["form"] = form
        a = node("Accountability", aid, title=f"问责决定{aid}", **props)
        if case:
            rel("FOR_CASE", a, case)
        if target:
            rel("TARGETS", a, target)
        rel("DECIDED_BY", a, units[decider])

    store.upsert_nodes(nodes)
    store.upsert_relationships(rels)
