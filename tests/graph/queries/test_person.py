"""Contract tests of the person profile, on both stores (see units_world)."""

from __future__ import annotations

import pytest

from graph.errors import InvalidArgument, NotFound
from graph.queries.person import person_profile
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from tests.graph.queries.units_world import build_units_world


@pytest.fixture
def world(store: GraphStore) -> GraphStore:
    build_units_world(store)
    return store


def test_posts_and_portfolios_over_time(world: GraphStore) -> None:
    # JWS: discipline secretary of D1 and secretary of D1-JW, both from 2016.
    jws = person_profile(world, "JWS", as_of="2015-06-01")
    assert [(p.unit.id, p.role, p.active) for p in jws.posts] == [
        ("D1", "discipline_secretary", False), ("D1-JW", "secretary", False)]
    assert all(p.active for p in person_profile(world, "JWS", as_of="2016-01-01").posts)
    # DEP's portfolios: before, during and after the first, then the second.
    def portfolios(as_of: str) -> list[tuple[str, bool]]:
        return [(p.unit.id, p.active) for p in person_profile(world, "DEP", as_of=as_of).portfolios]

    assert portfolios("2014-06-01") == [("D1-EDU", False), ("D1-T1", False)]
    assert portfolios("2017-06-01") == [("D1-EDU", True), ("D1-T1", False)]
    assert portfolios("2018-07-01") == [("D1-EDU", False), ("D1-T1", True)]
    mem = person_profile(world, "person:MEM", as_of="2020-01-01")
    assert [(p.role, p.start, p.end, p.active) for p in mem.posts] == [
        ("member", "2016-01-01", "2019-12-31", False)]
    assert mem.summary.active_posts == 0 and mem.title == "委员"


def test_duties_issues_and_projects(world: GraphStore) -> None:
    sec = person_profile(world, "SEC", as_of="2017-06-01")
    # A profile lists every duty held, whatever its responsibility.
    assert [(d.duty.id, d.responsibility) for d in sec.duties] == [
        ("DU-D9", "dual"), ("DU-F2", "first")]
    ehead = person_profile(world, "EHEAD", as_of="2018-06-01")
    [issue] = ehead.issues
    assert (issue.issue.id, issue.unit.id if issue.unit else None, issue.status,
            issue.deadline, issue.overdue) == ("I1", "D1-EDU", "rectified", "2017-12-31", False)
    x = person_profile(world, "X", as_of="2019-06-01")
    assert [(i.issue.id, i.overdue) for i in x.issues] == [("I3", False)]  # no deadline
    [project] = person_profile(world, "DEP", as_of="2018-06-01").projects
    assert (project.project.id, [i.id for i in project.issues], project.status,
            project.completed_on, project.overdue) == ("PR1", ["I1"], "done", "2017-11-30", False)


def test_referrals_answered_and_overdue_against_the_date(world: GraphStore) -> None:
    def refs(as_of: str) -> list[tuple[str, bool, bool]]:
        profile = person_profile(world, "DEP", as_of=as_of)
        return [(r.referral.id, r.answered, r.overdue) for r in profile.referrals]

    # R1 due 2017-06-10, replied 2017-06-05; R2 due 2018-02-01, never replied.
    assert refs("2017-06-01") == [("R1", False, False), ("R2", False, False)]
    assert refs("2017-06-05") == [("R1", True, False), ("R2", False, False)]
    assert refs("2018-01-15") == [("R1", True, False), ("R2", False, False)]
    assert refs("2018-02-02") == [("R1", True, False), ("R2", False, True)]
    profile = person_profile(world, "DEP", as_of="2018-03-01")
    r1, r2 = profile.referrals
    assert r1.issued_by is not None and r1.issued_by.id == "D1-JW"
    assert [i.id for i in r2.issues] == ["I3"] and not r1.late
    assert (profile.summary.referrals, profile.summary.unanswered_referrals,
            profile.summary.overdue_referrals) == (2, 1, 1)


def test_records_by_and_concerning(world: GraphStore) -> None:
    dep = person_profile(world, "DEP", as_of="2018-06-01")
    [by] = dep.records_by
    assert (by.record.id, by.kind, by.action, by.on) == ("REC1", "fulfilment", "talk", "2017-07-01")
    assert [t.id for t in by.targets] == ["ESEC"] and [d.id for d in by.duties] == ["DU-D1"]
    [about] = dep.records_concerning
    assert (about.record.id, about.kind) == ("REC2", "failure")
    assert [a.uid for a in about.actors] == ["unit:D1-JW"]
    assert (dep.summary.fulfilment_records, dep.summary.failure_records,
            dep.summary.records_concerning) == (1, 0, 1)


def test_accountability_targeting_the_person(world: GraphStore) -> None:
    [d] = person_profile(world, "DEP").accountability
    assert (d.decision.id, d.category, d.measure, d.form, d.decided_on) == (
        "A3", "important_leadership", "circulate", 1, "2018-02-01")
    assert d.case is not None and d.case.id == "C1"
    assert d.decided_by is not None and d.decided_by.id == "D1-JW"
    assert d.target is not None and d.target.id == "DEP"
    assert person_profile(world, "STAFF").accountability == []


def test_unknown_and_bad_arguments(world: GraphStore) -> None:
    for ref in ("NOPE", "unit:D1", "D1"):
        with pytest.raises(NotFound) as exc:
            person_profile(world, ref)
        assert exc.value.kind == "Person"
    with pytest.raises(InvalidArgument):
        person_profile(world, "DEP", as_of="2018-02-30")


def test_same_results_as_embedded(world: GraphStore) -> None:
    reference = EmbeddedStore(None)
    build_units_world(reference)
    people = ("CSEC", "OLD", "SEC", "DEP", "MEM", "JWS", "STAFF", "ESEC", "EHEAD", "X", "Y")
    for pid in people:
        for as_of in ("2014-06-01", "2017-06-01", "2018-03-01", "2020-07-01"):
            expected = person_profile(reference, pid, as_of=as_of).model_dump()
            assert person_profile(world, pid, as_of=as_of).model_dump() == expected


def test_sample_person(sample_store: GraphStore) -> None:
    """A SIPG team member in the sample: in office, with dual duties, on both stores."""
    from graph.queries.holders import unit_holders

    member = unit_holders(sample_store, "SIPG").team[0]
    profile = person_profile(sample_store, member.person.uid)
    assert any(p.unit.id == "SIPG" and p.active for p in profile.posts)
    assert {d.duty.uid for d in member.duties} <= {d.duty.uid for d in profile.duties}


# -- scope -------------------------------------------------------------------------------
def test_scope_drops_what_lies_outside(world: GraphStore) -> None:
    """DEP seen by a user scoped to 一区教育局 (D1-EDU): DEP is in charge of it, so the
    profile is there, but nothing outside D1-EDU is named."""
    scope = world.reads.scope_of(["unit:D1-EDU"])
    dep = person_profile(world, "DEP", as_of="2018-03-01", scope=scope)
    # The post in 一区区委 (above the scope) and the portfolio of 甲镇 (outside it) are gone.
    assert dep.posts == [] and [p.unit.id for p in dep.portfolios] == ["D1-EDU"]
    # R1 and R2 were issued by 一区纪委监委, outside the scope: not named. R2 is about I3,
    # found in a village outside the scope: not named either.
    r1, r2 = dep.referrals
    assert (r1.referral.id, r1.issued_by, [i.id for i in r1.issues]) == ("R1", None, ["I1"])
    assert (r2.referral.id, r2.issued_by, r2.issues) == ("R2", None, [])
    # REC2 was recorded by 一区纪委监委: the record is DEP's, its actor is not shown.
    [about] = dep.records_concerning
    assert about.record.id == "REC2" and about.actors == []
    [decision] = dep.accountability
    assert decision.case is not None and decision.case.id == "C1" and decision.decided_by is None
    assert (dep.summary.active_posts, dep.summary.active_portfolios, dep.summary.referrals) == (
        0, 1, 2)
    whole = person_profile(world, "DEP", as_of="2018-03-01")
    assert len(whole.posts) == 1 and whole.referrals[0].issued_by is not None


def test_person_outside_the_scope_is_not_found(world: GraphStore) -> None:
    scope = world.reads.scope_of(["unit:D1-EDU"])
    for pid in ("MEM", "Y", "NOPE"):  # MEM and Y lead or serve in D1-E1 and D1 only
        with pytest.raises(NotFound) as exc:
            person_profile(world, pid, scope=scope)
        assert exc.value.kind == "Person"


def test_sample_scoped_profiles(sample_store: GraphStore) -> None:
    """The sample: 市纪委监委's deputy secretary is in charge of the four pilots' discipline
    bodies; scoped to 嘉定 only 嘉定区纪委监委 is shown, and no post (his is in the city)."""
    jd = sample_store.reads.scope_of(["unit:JD"])
    mh = sample_store.reads.scope_of(["unit:MH"])
    whole = person_profile(sample_store, "P-SHJW-01", as_of="2026-11-26")
    assert len(whole.portfolios) == 4 and len(whole.posts) == 1
    scoped = person_profile(sample_store, "P-SHJW-01", as_of="2026-11-26", scope=jd)
    assert [p.unit.uid for p in scoped.portfolios] == ["unit:JD-JW"] and scoped.posts == []
    assert (scoped.summary.active_posts, scoped.summary.active_portfolios) == (0, 1)
    # A 闵行 leader is not found by a 嘉定 user, nor the city member in charge of 嘉定 by a
    # 闵行 user.
    with pytest.raises(NotFound):
        person_profile(sample_store, "P-MH-02", scope=jd)
    with pytest.raises(NotFound):
        person_profile(sample_store, "P-SH-04", scope=mh)
    assert person_profile(sample_store, "P-MH-02", scope=mh).person.id == "P-MH-02"
