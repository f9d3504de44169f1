"""Contract tests of open loops, on both stores (see loops_world for the timeline)."""

from __future__ import annotations

from typing import Any

import pytest

from api.i18n import translate
from graph.errors import InvalidArgument, NotFound
from graph.queries.loops import LOOP_KINDS, MAX_LIMIT, open_loops
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from tests.graph.queries.loops_world import AS_OF, build_loops_world


@pytest.fixture
def world(store: GraphStore) -> GraphStore:
    build_loops_world(store)
    return store


def rows(result: object) -> list[tuple[str, str, int, str | None, str | None]]:
    return [(i.kind, i.node.uid, i.days_overdue, i.unit.uid if i.unit else None,
             i.holder.uid if i.holder else None) for i in result.items]  # type: ignore[attr-defined]


EXPECTED = [
    ("project_overdue", "project:PJ1", 546, "unit:T1", "person:P2"),
    ("referral_overdue", "referral:R1", 505, "unit:T2", "person:P3"),
    ("issue_no_owner", "issue:I2", 486, "unit:T2", None),
    ("issue_no_project", "issue:I2", 486, "unit:T2", None),
    # R3 has no issue: the unit is where its recipient P2 served on the date (T2, not T1).
    ("referral_overdue", "referral:R3", 121, "unit:T2", "person:P2"),
]


def test_all_loops_most_overdue_first(world: GraphStore) -> None:
    result = open_loops(world, as_of=AS_OF)
    assert rows(result) == EXPECTED
    assert result.totals == {"referral_overdue": 2, "issue_no_owner": 1,
                             "issue_no_project": 1, "project_overdue": 1}
    assert result.total == 5
    assert result.items[0].due_on == "2017-12-31"
    assert result.items[0].kind_zh == translate(LOOP_KINDS["project_overdue"], "zh")


def test_subtree_filter(world: GraphStore) -> None:
    d1 = open_loops(world, unit="D1", as_of=AS_OF)
    assert rows(d1) == EXPECTED[:1]
    assert d1.unit is not None and d1.unit.caption == "嘉定区委"
    d2 = open_loops(world, unit="unit:D2", as_of=AS_OF)
    assert rows(d2) == EXPECTED[1:]
    assert d2.totals["project_overdue"] == 0
    town = open_loops(world, unit="T1", as_of=AS_OF)
    assert rows(town) == EXPECTED[:1]


def test_as_of_before_and_after(world: GraphStore) -> None:
    # 2019-03-01: R3 is due that very day (not yet overdue); R4, replied only on 2019-05-01,
    # was open then -- its unit comes from its recipient's post (P3 in D2).
    early = open_loops(world, as_of="2019-03-01", kinds=["referral_overdue"])
    assert rows(early) == [
        ("referral_overdue", "referral:R1", 384, "unit:T2", "person:P3"),
        ("referral_overdue", "referral:R4", 59, "unit:D2", "person:P3"),
    ]
    # 2016: nothing was found, due or planned yet.
    assert open_loops(world, as_of="2016-06-30").total == 0
    # 2021: I4 (found 2020-06-01) is now open, without owner or project, not yet dated.
    late = open_loops(world, as_of="2021-01-01", kinds=["issue_no_owner"])
    assert [(i.node.uid, i.days_overdue, i.due_on) for i in late.items] == [
        ("issue:I2", 1037, "2018-03-01"), ("issue:I4", 0, None)]


def test_pagination_is_stable(world: GraphStore) -> None:
    full = rows(open_loops(world, as_of=AS_OF))
    pages = [rows(open_loops(world, as_of=AS_OF, limit=2, offset=o)) for o in (0, 2, 4)]
    assert [r for page in pages for r in page] == full
    page = open_loops(world, as_of=AS_OF, limit=2, offset=2)
    assert page.total == 5 and page.offset == 2 and page.limit == 2
    assert open_loops(world, as_of=AS_OF, offset=10).items == []


def test_kinds_filter(world: GraphStore) -> None:
    result = open_loops(world, as_of=AS_OF, kinds={"issue_no_project", "project_overdue"})
    assert [r[0] for r in rows(result)] == ["project_overdue", "issue_no_project"]
    assert result.kinds == ["issue_no_project", "project_overdue"]
    assert set(result.totals) == {"issue_no_project", "project_overdue"}


def test_bad_arguments(world: GraphStore) -> None:
    with pytest.raises(NotFound):
        open_loops(world, unit="NOPE")
    with pytest.raises(NotFound):
        open_loops(world, unit="person:P1")  # not a unit
    with pytest.raises(InvalidArgument):
        open_loops(world, kinds=["late"])
    with pytest.raises(InvalidArgument):
        open_loops(world, as_of="2019-02-30")
    with pytest.raises(InvalidArgument):
        open_loops(world, limit=0)
    with pytest.raises(InvalidArgument):
        open_loops(world, offset=-1)


def test_same_results_as_embedded(world: GraphStore) -> None:
    reference = EmbeddedStore(None)
    build_loops_world(reference)
    calls: list[dict[str, Any]] = [
        {"as_of": AS_OF}, {"as_of": "2019-03-01", "unit": "CITY"},
        {"as_of": "2021-01-01", "unit": "D2", "limit": 3, "offset": 1}]
    for kwargs in calls:
        assert open_loops(world, **kwargs) == open_loops(reference, **kwargs)


def test_sample_minhang_has_overdue_referrals(sample_store: GraphStore) -> None:
    result = open_loops(sample_store, unit="MH", kinds=["referral_overdue"], limit=500)
    assert result.totals["referral_overdue"] > 0
    days = [i.days_overdue for i in result.items]
    assert days == sorted(days, reverse=True) and days[0] > 0
    for item in result.items:
        assert item.unit is not None and item.due_on is not None and item.due_on < result.as_of


# -- scope -------------------------------------------------------------------------------
def test_scope_lists_and_counts_only_what_it_sees(world: GraphStore) -> None:
    """A user scoped to 七宝镇 (T2): 嘉定's project is not there; R1's recipient P3, a member
    of 闵行区委 above the town, is not named; the totals count what is listed."""
    t2 = world.reads.scope_of(["unit:T2"])
    result = open_loops(world, as_of=AS_OF, scope=t2)
    assert rows(result) == [
        ("referral_overdue", "referral:R1", 505, "unit:T2", None),
        ("issue_no_owner", "issue:I2", 486, "unit:T2", None),
        ("issue_no_project", "issue:I2", 486, "unit:T2", None),
        ("referral_overdue", "referral:R3", 121, "unit:T2", "person:P2"),
    ]
    assert result.totals == {"referral_overdue": 2, "issue_no_owner": 1,
                             "issue_no_project": 1, "project_overdue": 0}
    assert result.total == len(result.items) == sum(result.totals.values())
    page = open_loops(world, as_of=AS_OF, scope=t2, limit=3)
    assert len(page.items) == 3 and page.total == 4


def test_scope_picks_the_unit_among_those_it_sees(world: GraphStore) -> None:
    """Scoped to 嘉定工业区 (T1): R3's recipient P2 served in T1 until 2018 and in 七宝镇
    since; the user sees only T1, so that is R3's unit."""
    t1 = world.reads.scope_of(["unit:T1"])
    assert rows(open_loops(world, as_of=AS_OF, scope=t1)) == [
        ("project_overdue", "project:PJ1", 546, "unit:T1", "person:P2"),
        ("referral_overdue", "referral:R3", 121, "unit:T1", "person:P2"),
    ]
    assert open_loops(world, unit="T1", as_of=AS_OF, scope=t1).total == 2
    for unit in ("D1", "T2", "NOPE"):  # above the scope, beside it, missing
        with pytest.raises(NotFound):
            open_loops(world, unit=unit, as_of=AS_OF, scope=t1)


def test_sample_scoped_loops(sample_store: GraphStore) -> None:
    """The sample as of 2026-11-26: a 嘉定 user sees 嘉定's loops and no 闵行 referral; a 闵行
    user sees the overdue referrals; each total is the count of its own list."""
    jd = sample_store.reads.scope_of(["unit:JD"])
    mh = sample_store.reads.scope_of(["unit:MH"])
    day = "2026-11-26"
    everything = open_loops(sample_store, as_of=day, limit=MAX_LIMIT)
    in_jd = open_loops(sample_store, as_of=day, limit=MAX_LIMIT, scope=jd)
    in_mh = open_loops(sample_store, as_of=day, limit=MAX_LIMIT, scope=mh)
    assert "issue:I-JD-900" in {i.node.uid for i in in_jd.items}
    assert not any("-MH-" in i.node.uid for i in in_jd.items)
    assert {"referral:RF-MH-05", "referral:RF-MH-06"} <= {i.node.uid for i in in_mh.items}
    assert not any("-JD-" in i.node.uid for i in in_mh.items)
    for result in (in_jd, in_mh):
        assert result.total == len(result.items) == sum(result.totals.values())
        assert {(i.kind, i.node.uid) for i in result.items} <= {
            (i.kind, i.node.uid) for i in everything.items}
    assert open_loops(sample_store, unit="JD", as_of=day, limit=MAX_LIMIT, scope=jd) == \
        open_loops(sample_store, unit="JD", as_of=day, limit=MAX_LIMIT)
    with pytest.raises(NotFound):
        open_loops(sample_store, unit="MH", scope=jd)
