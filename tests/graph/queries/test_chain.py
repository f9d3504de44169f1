"""Contract tests of the issue chain and the case trace-back, on both stores (units_world)."""

from __future__ import annotations

import pytest

from graph.errors import NotFound
from graph.queries.chain import case_trace, issue_chain
from graph.queries.chain_models import ChainLink
from graph.queries.common import today
from graph.store import GraphStore
from graph.store.base import NodeRecord, RelRecord
from graph.store.embedded import EmbeddedStore
from tests.graph.queries.units_world import build_units_world


@pytest.fixture
def world(store: GraphStore) -> GraphStore:
    build_units_world(store)
    return store


def summary(links: list[ChainLink]) -> list[tuple[str, str | None, str, str | None]]:
    return [(k.role, k.responsibility, k.category, k.holder.id if k.holder else None)
            for k in links]


def test_full_chain_as_of_found_on(world: GraphStore) -> None:
    chain = issue_chain(world, "I1")
    assert (chain.as_of, chain.as_of_from, chain.found_on) == ("2017-05-01", "found_on",
                                                               "2017-05-01")
    assert chain.unit is not None and chain.unit.unit.id == "D1-EDU"
    assert summary(chain.links) == [
        ("owner", None, "direct", "EHEAD"),
        ("member_in_charge", "dual", "important_leadership", "DEP"),
        ("secretary", "first", "primary_leadership", "ESEC"),
        ("committee", "primary", "overall_leadership", "D1-EDU"),
        ("discipline_body", "supervisory", "supervisory", "D1-JW"),
    ]
    assert chain.missing == []
    basis = {k.role: k.basis for k in chain.links if k.basis is not None}
    member = basis["member_in_charge"]
    assert (member.kind, member.portfolio, member.start, member.end, member.via_parent) == (
        "portfolio", "教育", "2015-01-01", "2018-06-30", False)
    assert member.unit is not None and member.unit.id == "D1-EDU"
    assert (basis["secretary"].kind, basis["secretary"].role) == ("post", "secretary")
    assert basis["discipline_body"].mode == "stationed"
    assert basis["owner"].issue is not None and basis["owner"].issue.id == "I1"
    assert basis["committee"].kind == "organisation"


def test_missing_links_are_explicit(world: GraphStore) -> None:
    # I2: a town with nobody in charge (DEP takes it over only in 2018), no secretary, no
    # supervisor, no owner; the committee is still the town itself.
    chain = issue_chain(world, "issue:I2")
    assert summary(chain.links) == [
        ("owner", None, "direct", None),
        ("member_in_charge", "dual", "important_leadership", None),
        ("secretary", "first", "primary_leadership", None),
        ("committee", "primary", "overall_leadership", "D1-T1"),
        ("discipline_body", "supervisory", "supervisory", None),
    ]
    assert [k.role for k in chain.missing] == ["owner", "member_in_charge", "secretary",
                                               "discipline_body"]
    assert all(k.missing and k.zh and k.en and k.basis is None for k in chain.missing)


def test_member_in_charge_of_the_parent(world: GraphStore) -> None:
    # I3 (2019) in village D1-V1: nobody is in charge of the village; DEP is in charge of
    # its town from 2018-07-01.
    chain = issue_chain(world, "I3")
    member = next(k for k in chain.links if k.role == "member_in_charge")
    assert member.holder is not None and member.holder.id == "DEP"
    assert member.basis is not None and member.basis.via_parent
    assert member.basis.unit is not None and member.basis.unit.id == "D1-T1"


def test_undated_issue_without_unit(world: GraphStore) -> None:
    chain = issue_chain(world, "I4")
    assert (chain.as_of, chain.as_of_from, chain.unit) == (today(), "today", None)
    assert [k.missing for k in chain.links] == [True] * 5
    assert [k.category for k in chain.links] == [
        "direct", "important_leadership", "primary_leadership", "overall_leadership",
        "supervisory"]


def test_trace_whole_chain_held(world: GraphStore) -> None:
    trace = case_trace(world, "C1")
    assert (trace.as_of, trace.as_of_from) == ("2017-06-01", "occurred_on")
    assert trace.unit is not None and trace.unit.unit.id == "D1-EDU"
    assert [i.id for i in trace.issues] == ["I1"]
    rows = [(t.link.role, t.link.holder.id if t.link.holder else None, t.status,
             [(d.measure, d.form) for d in t.decisions]) for t in trace.links]
    # EHEAD owns the issue the case came from: he leads its rectification, beside the
    # chain, and is not for that reason directly responsible for the case.
    assert rows == [
        ("involved", "X", "held", [("disciplinary", 3)]),
        ("member_in_charge", "DEP", "held", [("circulate", 1)]),
        ("secretary", "ESEC", "held", [("admonish", 2)]),
        ("committee", "D1-EDU", "held", [("check", 1)]),
        ("discipline_body", "D1-JW", "held", [("check", 1)]),
    ]
    assert [[(o.person.id, o.in_chain) for o in r.owners] for r in trace.rectification] == [
        [("EHEAD", None)]]
    held = trace.links[2].decisions[0]
    assert (held.category, held.decided_on) == ("primary_leadership", "2018-02-01")
    # MEM was held accountable but was in charge of D1-E1, not of the case's unit; EHEAD's
    # decision is about a person outside the chain too.
    assert [(d.target.id if d.target else None, d.category) for d in trace.outside_chain] == [
        ("EHEAD", "direct"), ("MEM", "important_leadership")]
    s = trace.summary
    assert (s.expected, s.held, s.gaps, s.missing, s.outside_chain, s.decisions) == (
        5, 5, 0, 0, 2, 7)
    assert s.whole_chain_held and not s.stopped_at_direct


def test_trace_stopped_at_the_direct_person(world: GraphStore) -> None:
    trace = case_trace(world, "C2")
    rows = [(t.link.role, t.link.holder.id if t.link.holder else None, t.status)
            for t in trace.links]
    assert rows == [
        ("involved", "Y", "held"),
        ("member_in_charge", "MEM", "gap"),
        ("secretary", None, "missing"),
        ("committee", "D1-E1", "gap"),
        ("discipline_body", None, "missing"),
    ]
    s = trace.summary
    assert s.stopped_at_direct and not s.whole_chain_held
    assert (s.expected, s.held, s.gaps, s.missing, s.outside_chain) == (3, 1, 2, 2, 0)


def test_trace_of_an_empty_case(world: GraphStore) -> None:
    trace = case_trace(world, "C3")
    assert trace.as_of_from == "today" and trace.unit is None
    assert [t.status for t in trace.links] == ["missing"] * 5
    assert not trace.summary.stopped_at_direct and not trace.summary.whole_chain_held


def test_unknown_ids(world: GraphStore) -> None:
    for call, ref, kind in ((issue_chain, "C1", "Issue"), (issue_chain, "NOPE", "Issue"),
                            (case_trace, "I1", "Case"), (case_trace, "unit:D1", "Case")):
        with pytest.raises(NotFound) as exc:
            call(world, ref)
        assert exc.value.kind == kind


def test_same_results_as_embedded(world: GraphStore) -> None:
    reference = EmbeddedStore(None)
    build_units_world(reference)
    for issue in ("I1", "I2", "I3", "I4"):
        assert issue_chain(world, issue).model_dump() == issue_chain(reference, issue).model_dump()
    for case in ("C1", "C2", "C3"):
        assert case_trace(world, case).model_dump() == case_trace(reference, case).model_dump()


# -- the sample data --------------------------------------------------------------------
def test_sample_trace_back(sample_store: GraphStore) -> None:
    """The sample holds one case whose accountability covers the whole chain (C-JD-100) and
    one that stopped at the person directly involved (C-JD-005)."""
    whole = case_trace(sample_store, "C-JD-100")
    assert whole.summary.whole_chain_held and not whole.summary.stopped_at_direct
    assert {t.link.category for t in whole.links} == {
        "direct", "important_leadership", "primary_leadership", "overall_leadership",
        "supervisory"}
    direct = case_trace(sample_store, "C-JD-005")
    assert direct.summary.stopped_at_direct and direct.summary.gaps > 0
    assert [t.status for t in direct.links if t.link.category == "direct"] == ["held"]


def test_sample_issue_chains_are_complete(sample_store: GraphStore) -> None:
    from graph.queries.chain_models import ROLES

    chain = issue_chain(sample_store, case_trace(sample_store, "C-JD-100").issues[0].uid)
    assert {k.role for k in chain.links} <= set(ROLES)
    assert chain.as_of == chain.found_on


# -- scope -------------------------------------------------------------------------------
def _city_leader_in_charge_of_d1(store: GraphStore) -> None:
    """The world plus CSEC (the city's secretary) in charge of 一区 (D1) from 2012."""
    store.upsert_relationships([RelRecord.make("IN_CHARGE_OF", "person:CSEC", "unit:D1",
                                               {"portfolio": "联系一区", "start": "2012-01-01"})])
    store.flush()


def test_scope_keeps_a_holder_above_it_in_outline(world: GraphStore) -> None:
    """I2 in 甲镇 (D1-T1), 2017-03-01: nobody is in charge of the town, so the member in
    charge of its parent 一区 holds the link -- the city's secretary, above a user scoped to
    the town: named in outline, not left out and not reported missing."""
    _city_leader_in_charge_of_d1(world)
    scope = world.reads.scope_of(["unit:D1-T1"])
    chain = issue_chain(world, "I2", scope=scope)
    member = next(k for k in chain.links if k.role == "member_in_charge")
    assert member.holder is not None and member.holder.id == "CSEC" and member.outline
    assert member.basis is not None and member.basis.via_parent
    assert member.basis.unit is not None and member.basis.unit.id == "D1"
    assert [k.role for k in chain.missing] == ["owner", "secretary", "discipline_body"]
    assert not any(k.outline for k in chain.links if k.role != "member_in_charge")
    # Seen by everyone the same holder is a plain link.
    whole = next(k for k in issue_chain(world, "I2").links if k.role == "member_in_charge")
    assert whole.holder == member.holder and not whole.outline


def test_scope_leaves_a_hidden_holder_out_without_calling_it_missing(world: GraphStore) -> None:
    """A user scoped to 一区教育局 (D1-EDU): its stationed supervisor 一区纪委监委 lies
    neither inside the scope nor above it, so the discipline-body link is left out."""
    scope = world.reads.scope_of(["unit:D1-EDU"])
    chain = issue_chain(world, "I1", scope=scope)
    assert summary(chain.links) == [
        ("owner", None, "direct", "EHEAD"),
        ("member_in_charge", "dual", "important_leadership", "DEP"),
        ("secretary", "first", "primary_leadership", "ESEC"),
        ("committee", "primary", "overall_leadership", "D1-EDU"),
    ]
    assert chain.missing == []
    trace = case_trace(world, "C1", scope=scope)
    # EHEAD owns the originating issue: he leads its rectification, beside the chain.
    assert [(t.link.role, t.status) for t in trace.links] == [
        ("involved", "held"), ("member_in_charge", "held"), ("secretary", "held"),
        ("committee", "held")]
    assert [[o.person.id for o in r.owners] for r in trace.rectification] == [["EHEAD"]]
    # Every decision was taken by 一区纪委监委 (not shown); A6 targeted it (target hidden);
    # A7 targeted MEM, a member of 一区区委 above the scope: named in outline; EHEAD's
    # decision answers no link of the case.
    assert all(d.decided_by is None for d in trace.decisions)
    assert [d.decision.id for d in trace.decisions if d.target is None] == ["A6"]
    ehead, mem = trace.outside_chain
    assert ehead.target is not None and ehead.target.id == "EHEAD"
    assert mem.target is not None and mem.target.id == "MEM" and mem.target_outline
    s = trace.summary
    assert (s.expected, s.held, s.gaps, s.missing, s.outside_chain, s.decisions) == (
        4, 4, 0, 0, 2, 7)
    assert s.whole_chain_held


def test_scope_outline_discipline_body_and_not_found(world: GraphStore) -> None:
    """Scoped to 一区 (D1 and its same-level body D1-JW): the city's discipline body, which
    also supervises D1, lies above -- in outline; an issue or case outside is NotFound."""
    world.upsert_nodes([NodeRecord("Issue", "I9", {"title": "区委议事规则未更新",
                                                   "found_on": "2017-05-01"})])
    world.upsert_relationships([RelRecord.make("FOUND_IN", "issue:I9", "unit:D1", {})])
    world.flush()
    d1 = world.reads.scope_of(["unit:D1"])
    bodies = [(k.holder.id, k.outline) for k in issue_chain(world, "I9", scope=d1).links
              if k.role == "discipline_body" and k.holder]
    assert bodies == [("CITY-JW", True), ("D1-JW", False)]
    edu = world.reads.scope_of(["unit:D1-EDU"])
    for call, ref in ((issue_chain, "I2"), (issue_chain, "I9"), (case_trace, "C2")):
        with pytest.raises(NotFound):
            call(world, ref, scope=edu)


def test_sample_scoped_chains(sample_store: GraphStore) -> None:
    """The sample's 嘉定 trace-back reads the same to a 嘉定 user (its chain lies inside 嘉定)
    and is NotFound to a 闵行 user; a 闵行 referral issue the other way round."""
    jd = sample_store.reads.scope_of(["unit:JD"])
    mh = sample_store.reads.scope_of(["unit:MH"])
    assert case_trace(sample_store, "C-JD-100", scope=jd) == case_trace(sample_store, "C-JD-100")
    with pytest.raises(NotFound):
        case_trace(sample_store, "C-JD-100", scope=mh)
    with pytest.raises(NotFound):
        issue_chain(sample_store, "I-MH-R05", scope=jd)
    assert issue_chain(sample_store, "I-MH-R05", scope=mh) == issue_chain(sample_store,
                                                                           "I-MH-R05")
