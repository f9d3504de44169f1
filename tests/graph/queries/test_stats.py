"""Contract tests of accountability statistics, on both stores (see loops_world)."""

from __future__ import annotations

from typing import Any

import pytest

from graph.errors import InvalidArgument, NotFound
from graph.messages import Message
from graph.queries.stats import MEMBERSHIP_RULE, TargetStats, accountability_stats
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from tests.graph.queries.loops_world import build_loops_world


@pytest.fixture
def world(store: GraphStore) -> GraphStore:
    build_loops_world(store)
    return store


def years(kind: TargetStats) -> list[tuple[int, int, int | None, float | None]]:
    return [(y.year, y.count, y.change, y.change_pct) for y in kind.by_year]


def buckets(items: object) -> dict[str, int]:
    return {b.code: b.count for b in items}  # type: ignore[attr-defined]


def test_subtree_total_and_rule(world: GraphStore) -> None:
    # A1-A9: case in T1, targets T1 / P1 / P2-in-T1, or decided by D1-JW (see loops_world).
    result = accountability_stats(world, unit="D1")
    assert result.total == 9
    assert result.unit is not None and result.unit.uid == "unit:D1"
    assert result.rule == str(Message(MEMBERSHIP_RULE))


def test_persons_and_organisations_are_counted_apart(world: GraphStore) -> None:
    # A7 (P1) and A9 (P2) are about persons, A6 about the town T1 (an organisation); the
    # six others record no target and count in neither kind, only in the total.
    result = accountability_stats(world, unit="D1")
    persons, orgs = result.persons, result.organisations
    assert (persons.kind, persons.counted_zh, orgs.kind, orgs.counted_zh) == (
        "person", "人次", "organisation", "个")
    assert (persons.total, persons.distinct, orgs.total, orgs.distinct) == (2, 2, 1, 1)
    assert result.untargeted == 6
    assert persons.total + orgs.total + result.untargeted == result.total
    assert years(persons) == [(2017, 2, None, None)]
    assert years(orgs) == [(2017, 1, None, None)]
    assert buckets(persons.by_category) == {"primary_leadership": 1, "important_leadership": 1}
    assert buckets(orgs.by_category) == {"overall_leadership": 1}
    assert buckets(persons.by_form) == {"1": 1, "2": 1}
    # An organisation's decision has no form, and none is reported for it.
    assert orgs.by_form == [] and orgs.by_year_form == []
    assert buckets(orgs.by_measure) == {"check": 1}


def test_membership_rule(world: GraphStore) -> None:
    # A10's case occurred in T2 although D1-JW decided it; A11 targets P2, who served in T2
    # (not T1) on the decision date. A gap year (2018) is shown with its change.
    d2 = accountability_stats(world, unit="D2")
    assert d2.total == 2
    assert years(d2.persons) == [(2019, 1, None, None)]
    # The town alone: C1's five decisions, A6 (targets T1) and A9 (P2 in T1 in 2017).
    t1 = accountability_stats(world, unit="T1")
    assert t1.total == 7
    assert (t1.persons.total, t1.organisations.total, t1.untargeted) == (1, 1, 5)
    # The discipline body's own subtree: only A8, which has neither case nor target.
    assert accountability_stats(world, unit="D1-JW").total == 1


def test_breakdowns_keep_schema_order(world: GraphStore) -> None:
    result = accountability_stats(world)
    persons = result.persons
    assert [b.code for b in persons.by_category] == ["primary_leadership",
                                                    "important_leadership"]
    assert persons.by_category[0].zh == "主要领导责任"
    assert buckets(persons.by_measure) == {"circulate": 1, "admonish": 1, "organizational": 1}
    cross = {(c.year, c.code): c.count for c in persons.by_year_category}
    assert cross == {(2017, "primary_leadership"): 1, (2017, "important_leadership"): 1,
                     (2019, "important_leadership"): 1}
    assert sum(c.count for c in persons.by_year_form) == persons.total


def test_years_filter_and_whole_graph(world: GraphStore) -> None:
    only = accountability_stats(world, unit="D1", years=[2017])
    assert only.total == 7
    everything = accountability_stats(world)
    assert everything.unit is None and everything.total == 11
    # The change still compares with the year before, outside the filter; gap years shown.
    assert years(everything.persons) == [(2017, 2, None, None), (2018, 0, -2, -100.0),
                                         (2019, 1, 1, None)]
    filtered = accountability_stats(world, years=[2019])
    assert years(filtered.persons) == [(2019, 1, 1, None)]
    assert filtered.persons.total == 1 and filtered.organisations.total == 0


def test_bad_arguments(world: GraphStore) -> None:
    with pytest.raises(NotFound):
        accountability_stats(world, unit="NOPE")
    with pytest.raises(InvalidArgument):
        accountability_stats(world, years=[17])


def test_empty_subtree(world: GraphStore) -> None:
    result = accountability_stats(world, unit="D2", years=[2016])
    assert result.total == 0 and years(result.persons) == [(2016, 0, None, None)]
    assert result.persons.by_category == [] and result.organisations.total == 0


def test_scope(world: GraphStore) -> None:
    # A user scoped to D2 may see the decisions anchored there: A10 (case in T2), A11 and
    # A9 (their target P2 serves in T2 now). Without a unit the statistics are those of
    # the scope's home unit, D2, counted by the membership rule (A9 was decided while P2
    # served in D1): the same answer as naming it. Nothing of D1's own; D1 is not found.
    d2 = world.reads.scope_of(["unit:D2"])
    assert d2.home == "unit:D2"
    seen = accountability_stats(world, scope=d2)
    assert seen.unit is not None and seen.unit.uid == "unit:D2"
    assert seen == accountability_stats(world, unit="D2", scope=d2)
    assert seen.total == 2 and seen.organisations.total == 0
    with pytest.raises(NotFound):
        accountability_stats(world, unit="D1", scope=d2)


def test_same_results_as_embedded(world: GraphStore) -> None:
    reference = EmbeddedStore(None)
    build_loops_world(reference)
    calls: list[dict[str, Any]] = [{}, {"unit": "D1"}, {"unit": "D2", "years": [2018, 2019]}]
    for kwargs in calls:
        expected = accountability_stats(reference, **kwargs)
        assert accountability_stats(world, **kwargs) == expected


def test_sample_jiading_8_to_31(sample_store: GraphStore) -> None:
    """DESIGN.md §7: 嘉定区 held 31 person-times accountable in 2017, +287.5% on 2016."""
    result = accountability_stats(sample_store, unit="JD", years=[2016, 2017])
    persons = result.persons
    assert [(y.year, y.count) for y in persons.by_year] == [(2016, 8), (2017, 31)]
    assert years(persons)[1] == (2017, 31, 23, 287.5)
    assert persons.total == 39
    # Organisations are counted apart, in 个, never as person-times.
    jd = accountability_stats(sample_store, unit="JD")
    assert jd.organisations.total >= 1 and jd.organisations.counted_zh == "个"
    assert jd.organisations.by_form == []
    assert jd.total == jd.persons.total + jd.organisations.total
