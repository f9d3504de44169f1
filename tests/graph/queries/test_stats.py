"""Contract tests of accountability statistics, on both stores (see loops_world)."""

from __future__ import annotations

from typing import Any

import pytest

from graph.errors import InvalidArgument, NotFound
from graph.queries.stats import MEMBERSHIP_RULE, accountability_stats
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from tests.graph.queries.loops_world import build_loops_world


@pytest.fixture
def world(store: GraphStore) -> GraphStore:
    build_loops_world(store)
    return store


def years(result: object) -> list[tuple[int, int, int | None, float | None]]:
    return [(y.year, y.count, y.change, y.change_pct) for y in result.by_year]  # type: ignore[attr-defined]


def buckets(items: object) -> dict[str, int]:
    return {b.code: b.count for b in items}  # type: ignore[attr-defined]


def test_subtree_by_year_with_change(world: GraphStore) -> None:
    # A1-A9: case in T1, targets T1 / P1 / P2-in-T1, or decided by D1-JW (see loops_world).
    result = accountability_stats(world, unit="D1")
    assert result.total == 9
    assert years(result) == [(2016, 2, None, None), (2017, 7, 5, 250.0)]
    assert result.unit is not None and result.unit.uid == "unit:D1"
    assert result.rule == MEMBERSHIP_RULE


def test_membership_rule(world: GraphStore) -> None:
    # A10's case occurred in T2 although D1-JW decided it; A11 targets P2, who served in T2
    # (not T1) on the decision date. A gap year (2018) is shown with its change.
    d2 = accountability_stats(world, unit="D2")
    assert years(d2) == [(2017, 1, None, None), (2018, 0, -1, -100.0), (2019, 1, 1, None)]
    # The town alone: C1's five decisions, A6 (targets T1) and A9 (P2 in T1 in 2017).
    t1 = accountability_stats(world, unit="T1")
    assert t1.total == 7
    # The discipline body's own subtree: only A8, which has neither case nor target.
    assert accountability_stats(world, unit="D1-JW").total == 1


def test_breakdowns(world: GraphStore) -> None:
    result = accountability_stats(world, unit="D1")
    assert buckets(result.by_category) == {
        "overall_leadership": 1, "primary_leadership": 2, "important_leadership": 2,
        "direct": 3, "supervisory": 1}
    # Schema order, so tables read the same everywhere.
    assert result.by_category[0].code == "overall_leadership"
    assert result.by_category[0].zh == "全面领导责任"
    assert buckets(result.by_measure) == {
        "check": 1, "circulate": 2, "admonish": 3, "organizational": 1, "disciplinary": 2}
    assert buckets(result.by_form) == {"1": 5, "2": 2, "3": 1, "unknown": 1}
    assert buckets(result.by_target) == {"person": 2, "unit": 1, "unknown": 6}
    cross = {(c.year, c.code): c.count for c in result.by_year_category}
    assert cross[(2016, "direct")] == 1 and cross[(2017, "direct")] == 2
    assert sum(cross.values()) == result.total
    assert sum(c.count for c in result.by_year_form) == result.total


def test_years_filter_and_whole_graph(world: GraphStore) -> None:
    only = accountability_stats(world, unit="D1", years=[2017])
    assert only.total == 7
    # The change still compares with the year before, outside the filter.
    assert years(only) == [(2017, 7, 5, 250.0)]
    assert sum(b.count for b in only.by_category) == 7
    everything = accountability_stats(world)
    assert everything.unit is None and everything.total == 11
    assert years(everything) == [(2016, 2, None, None), (2017, 8, 6, 300.0),
                                 (2018, 0, -8, -100.0), (2019, 1, 1, None)]


def test_bad_arguments(world: GraphStore) -> None:
    with pytest.raises(NotFound):
        accountability_stats(world, unit="NOPE")
    with pytest.raises(InvalidArgument):
        accountability_stats(world, years=[17])


def test_empty_subtree(world: GraphStore) -> None:
    result = accountability_stats(world, unit="D2", years=[2016])
    assert result.total == 0 and years(result) == [(2016, 0, None, None)]
    assert result.by_category == []


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
    assert [(y.year, y.count) for y in result.by_year] == [(2016, 8), (2017, 31)]
    assert years(result)[1] == (2017, 31, 23, 287.5)
    assert result.total == 39
