"""The trace-back semantics of issue #14, each point on a fixture and its repaired twin, on
both stores (tests/graph/queries/trace_world.py):

1. direct links are the persons involved and those the case names; an originating issue's
   owner leads its rectification (领衔整改) beside the chain, and every person is listed once;
2. a link is held only by a decision of its category (or a configured equivalent); a
   decision in another category reads "held with a different category";
4. what follows the case (案后治理) is shown in the trace;
5. the supervising body's link is held through the body or someone serving in it, or
   settled by the case's judgement that it does not apply.

(Point 3, organisations without forms and counted apart, is in tests/loaders and
tests/graph/queries/test_stats.py.)
"""

from __future__ import annotations

import pytest

from graph.errors import InvalidArgument, NotFound
from graph.queries.chain import case_trace
from graph.queries.chain_models import CaseTrace
from graph.store import GraphStore
from tests.graph.queries.trace_world import build_trace_world


def rows(trace: CaseTrace) -> list[tuple[str, str | None, str]]:
    return [(t.link.role, t.link.holder.id if t.link.holder else None, t.status)
            for t in trace.links]


def test_point_1_the_issue_owner_is_not_a_direct_link(store: GraphStore) -> None:
    # The secretary of U owns the issue the case came from: listed once, as secretary; his
    # rectification of the issue is shown beside the chain, with his chain role.
    build_trace_world(store, repaired=False)
    trace = case_trace(store, "K")
    holders = [t.link.holder.uid for t in trace.links if t.link.holder]
    assert len(holders) == len(set(holders))
    assert [r for r in rows(trace) if r[1] == "SEC"] == [("secretary", "SEC", "held")]
    assert "owner" not in {t.link.role for t in trace.links}
    (rect,) = trace.rectification
    assert (rect.issue.id, [(o.person.id, o.in_chain) for o in rect.owners]) == (
        "I", [("SEC", "secretary")])
    # Five links, five persons or bodies, each answered by one decision of its own.
    assert trace.summary.decisions == 4 and trace.summary.expected == 5


def test_point_1_twin_an_owner_outside_the_chain_stays_outside(store: GraphStore) -> None:
    build_trace_world(store, repaired=True, owner="Y")
    trace = case_trace(store, "K")
    (rect,) = trace.rectification
    # Y leads the rectification and is named directly responsible by the case: the case
    # (NAMES_RESPONSIBLE) makes the link, not the ownership.
    assert [(o.person.id, o.in_chain) for o in rect.owners] == [("Y", "responsible")]
    assert rows(trace)[:2] == [("involved", "X", "held"), ("responsible", "Y", "held")]


def test_point_1_a_person_in_two_roles_is_listed_once(store: GraphStore) -> None:
    # The secretary himself involved in the case: directly responsible, listed once as
    # such; the secretary role is folded into the link, and his 主要领导责任 decision is not
    # his direct link's category.
    build_trace_world(store, repaired=True, secretary_involved=True)
    trace = case_trace(store, "K")
    sec = [t for t in trace.links if t.link.holder and t.link.holder.id == "SEC"]
    assert len(sec) == 1
    assert (sec[0].link.role, sec[0].link.also, sec[0].status) == (
        "involved", ["secretary"], "held_other_category")
    assert "secretary" not in {t.link.role for t in trace.links}


def test_point_2_a_decision_of_another_category_does_not_hold_the_link(
        store: GraphStore) -> None:
    build_trace_world(store, repaired=False)
    trace = case_trace(store, "K")
    member = next(t for t in trace.links if t.link.role == "member_in_charge")
    assert (member.link.holder.id if member.link.holder else None, member.status) == (
        "MEM", "held_other_category")
    assert member.decisions == []
    assert [(d.category, d.decision.id) for d in member.other_decisions] == [("direct", "A-MEM")]
    s = trace.summary
    assert (s.held, s.held_other_category, s.gaps) == (3, 1, 1)
    assert not s.whole_chain_held and not s.stopped_at_direct
    # Nothing held through someone else's decision, and no decision counted twice.
    assert trace.outside_chain == []


def test_point_2_twin_and_configured_equivalences(store: GraphStore) -> None:
    build_trace_world(store, repaired=True)
    member = next(t for t in case_trace(store, "K").links if t.link.role == "member_in_charge")
    assert member.status == "held" and [d.category for d in member.decisions] == [
        "important_leadership"]
    store.clear()
    build_trace_world(store, repaired=False)
    eq = {"important_leadership": ["direct"]}
    member = next(t for t in case_trace(store, "K", equivalences=eq).links
                  if t.link.role == "member_in_charge")
    assert member.status == "held" and member.other_decisions == []
    with pytest.raises(InvalidArgument):
        case_trace(store, "K", equivalences={"important_leadership": ["nonsense"]})


def test_point_3_the_trace_counts_persons_and_organisations_apart(store: GraphStore) -> None:
    build_trace_world(store, repaired=True)
    s = case_trace(store, "K").summary
    assert (s.decisions, s.persons, s.organisations) == (6, 5, 1)
    committee = next(t for t in case_trace(store, "K").links if t.link.role == "committee")
    assert committee.status == "held" and committee.decisions[0].form is None


def test_point_4_post_case_governance_in_the_trace(store: GraphStore) -> None:
    build_trace_world(store, repaired=False)
    assert case_trace(store, "K").post_case == []
    store.clear()
    build_trace_world(store, repaired=True)
    (item,) = case_trace(store, "K").post_case
    assert (item.node.id, item.kind, item.status, item.on, [x.id for x in item.leads]) == (
        "PJ", "Project", "done", "2018-03-31", ["MEM"])


def test_point_5_the_supervising_body(store: GraphStore) -> None:
    build_trace_world(store, repaired=False)
    body = next(t for t in case_trace(store, "K").links if t.link.role == "discipline_body")
    assert (body.link.holder.id if body.link.holder else None, body.status) == ("PZ", "gap")
    # Twin 1: the group's head, serving in it when the case occurred, held for 监督责任.
    store.clear()
    build_trace_world(store, repaired=True, supervision="held")
    trace = case_trace(store, "K")
    body = next(t for t in trace.links if t.link.role == "discipline_body")
    assert body.status == "held"
    assert [d.target.id if d.target else None for d in body.decisions] == ["PZH"]
    assert trace.outside_chain == [] and trace.summary.whole_chain_held
    # Twin 2: nobody held, but the case records the judgement 经倒查不予追究.
    store.clear()
    build_trace_world(store, repaired=True, supervision="not_applicable")
    trace = case_trace(store, "K")
    body = next(t for t in trace.links if t.link.role == "discipline_body")
    assert (body.status, trace.supervision_review) == ("not_applicable", "not_applicable")
    assert trace.summary.not_applicable == 1 and trace.summary.whole_chain_held
    # Held in another category only: shown as such, not as held.
    store.clear()
    build_trace_world(store, repaired=True, supervision="other")
    body = next(t for t in case_trace(store, "K").links if t.link.role == "discipline_body")
    assert body.status == "held_other_category"
    assert [d.category for d in body.other_decisions] == ["important_leadership"]


def test_the_sample_case_c_jd_100(sample_store: GraphStore) -> None:
    """`dutygraph query trace C-JD-100`: each person once, each link held by a decision of
    its category, the secretary's rectification beside the chain, the project after it."""
    trace = case_trace(sample_store, "C-JD-100")
    assert [(t.link.role, t.status, [d.category for d in t.decisions]) for t in trace.links] == [
        ("involved", "held", ["direct"]),
        ("member_in_charge", "held", ["important_leadership"]),
        ("secretary", "held", ["primary_leadership"]),
        ("committee", "held", ["overall_leadership"]),
        ("discipline_body", "held", ["supervisory"]),
    ]
    holders = [t.link.holder.uid for t in trace.links if t.link.holder]
    assert len(holders) == len(set(holders)) == trace.summary.decisions == 5
    secretary = trace.links[2].link.holder
    assert [(o.person, o.in_chain) for o in trace.rectification[0].owners] == [
        (secretary, "secretary")]
    assert [p.node.id for p in trace.post_case] == ["PJ-C-JD-100"]
    assert (trace.summary.persons, trace.summary.organisations) == (3, 2)


def test_scope_keeps_what_follows_the_case_in_view(store: GraphStore) -> None:
    # A user scoped to 某区建设局 (U) sees its case, the person it names responsible and the
    # project following it, led by MEM (in scope: MEM is in charge of U). Scoped to the
    # other unit of the district, the case is not found at all.
    build_trace_world(store, repaired=True)
    scope = store.reads.scope_of(["unit:U"])
    trace = case_trace(store, "K", scope=scope)
    assert ("responsible", "Y", "held") in rows(trace)
    (item,) = trace.post_case
    assert item.node.id == "PJ" and [x.id for x in item.leads] == ["MEM"]
    other = store.reads.scope_of(["unit:PZ"])
    with pytest.raises(NotFound):
        case_trace(store, "K", scope=other)
