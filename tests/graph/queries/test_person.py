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
