"""A small world for the trace-back semantics (issue #14), in a broken form and its
repaired twin, written with NodeRecord/RelRecord into either store (names fictional)::

    D 某区委 ─┬─ U 某区建设局 (department, level 2) ── case K (2017-06-01, closed 2017-12-31)
              └─ D-JW 某区纪委监委 ── PZ 派驻第一纪检监察组 (supervises U, stationed)

People: SEC secretary of U (and owner of the issue I the case came from), MEM member of D in
charge of U, PZH head of PZ, X staff of U involved in the case, Y deputy head of U.

Broken (``repaired=False``): MEM is held for 直接责任 only (a category that does not
discharge a member in charge), nothing follows the case, PZ's supervision is never looked
at. Repaired: MEM held for 重要领导责任, Y named directly responsible and held, a project
follows the case, and PZ's link is settled by ``supervision``: ``"held"`` (its head held
for 监督责任) or ``"not_applicable"`` (the case records 经倒查不予追究) -- or not settled:
``"other"`` (its head held in another category, 重要领导责任), ``"none"``.
"""

from __future__ import annotations

from typing import Any

from graph.schema import uid_of
from graph.store.base import GraphStore, NodeRecord, RelRecord

OCCURRED = "2017-06-01"
CLOSED = "2017-12-31"
DECIDED = "2018-01-15"


def build_trace_world(store: GraphStore, *, repaired: bool, supervision: str = "held",
                      owner: str = "SEC", secretary_involved: bool = False) -> None:
    """Write the world into ``store`` (empty, either backend)."""
    nodes: list[NodeRecord] = []
    rels: list[RelRecord] = []

    def node(label: str, node_id: str, **props: Any) -> str:
        nodes.append(NodeRecord(label, node_id, props))
        return uid_of(label, node_id)

    def rel(rel_type: str, src: str, dst: str, **props: Any) -> None:
        rels.append(RelRecord.make(rel_type, src, dst, props))

    d = node("Unit", "D", name="某区委", kind="party_committee", level=1)
    jw = node("Unit", "D-JW", name="某区纪委监委", kind="discipline_body", level=1)
    u = node("Unit", "U", name="某区建设局", kind="department", level=2)
    pz = node("Unit", "PZ", name="派驻第一纪检监察组", kind="discipline_body", level=2)
    rel("SUBORDINATE_TO", jw, d)
    rel("SUBORDINATE_TO", u, d)
    rel("SUBORDINATE_TO", pz, jw)
    rel("SUPERVISES", jw, d, mode="same_level")
    rel("SUPERVISES", pz, u, mode="stationed")
    people = {}
    for pid, name, unit, role in [("DSEC", "甲某明", d, "secretary"),
                                  ("MEM", "乙某华", d, "member"),
                                  ("SEC", "丙某强", u, "secretary"),
                                  ("X", "丁某伟", u, "staff"), ("Y", "戊某芳", u, "staff"),
                                  ("PZH", "己某敏", pz, "secretary"),
                                  ("JWS", "庚某静", jw, "secretary")]:
        people[pid] = node("Person", pid, name=name)
        rel("SERVES_IN", people[pid], unit, role=role, start="2015-01-01")
    rel("IN_CHARGE_OF", people["MEM"], u, portfolio="城建", start="2015-01-01")
    issue = node("Issue", "I", title="工程招标监管不严", found_on="2017-03-01", status="closed")
    rel("FOUND_IN", issue, u)
    rel("ASSIGNED_TO", issue, people[owner])
    review = {"supervision_review": "not_applicable"} if (
        repaired and supervision == "not_applicable") else {}
    case = node("Case", "K", title="某区建设局招标失职案", occurred_on=OCCURRED,
                closed_on=CLOSED, **review)
    rel("OCCURRED_IN", case, u)
    rel("ORIGINATED_FROM", case, issue)
    rel("INVOLVES", case, people["X"])
    if secretary_involved:
        rel("INVOLVES", case, people["SEC"])

    def decide(aid: str, target: str, category: str, measure: str, form: int | None) -> None:
        props: dict[str, Any] = {"title": aid, "category": category, "measure": measure,
                                 "decided_on": DECIDED}
        if form is not None:
            props["form"] = form
        a = node("Accountability", aid, **props)
        rel("FOR_CASE", a, case)
        rel("TARGETS", a, target)
        rel("DECIDED_BY", a, jw)

    decide("A-X", people["X"], "direct", "disciplinary", 2)
    decide("A-SEC", people["SEC"], "primary_leadership", "circulate", 1)
    decide("A-U", u, "overall_leadership", "check", None)
    if repaired:
        decide("A-MEM", people["MEM"], "important_leadership", "circulate", 1)
        rel("NAMES_RESPONSIBLE", case, people["Y"])
        decide("A-Y", people["Y"], "direct", "admonish", 1)
        pj = node("Project", "PJ", title="招标监管堵漏建制", status="done",
                  completed_on="2018-03-31")
        rel("FOLLOWS_CASE", pj, case)
        rel("LED_BY", pj, people["MEM"])
        if supervision in ("held", "other"):
            decide("A-PZH", people["PZH"],
                   "supervisory" if supervision == "held" else "important_leadership",
                   "admonish", 1)
    else:
        decide("A-MEM", people["MEM"], "direct", "circulate", 1)
    store.upsert_nodes(nodes)
    store.upsert_relationships(rels)
