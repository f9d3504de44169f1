"""Contract tests of unit holders and the unit overview, on both stores (see units_world)."""

from __future__ import annotations

import pytest

from graph.errors import InvalidArgument, NotFound
from graph.queries.holders import unit_holders, unit_overview
from graph.queries.holders_models import UnitHolders
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from tests.graph.queries.units_world import build_units_world


@pytest.fixture
def world(store: GraphStore) -> GraphStore:
    build_units_world(store)
    return store


def secretaries(h: UnitHolders) -> list[str]:
    return [s.person.id for s in h.secretaries]


def team(h: UnitHolders) -> dict[str, list[str]]:
    return {m.person.id: [p.unit.id for p in m.portfolios] for m in h.team}


def codes(h: UnitHolders) -> list[str]:
    return [v.code for v in h.vacancies]


def counts(rows: object) -> dict[str, int]:
    return {c.key: c.count for c in rows}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2013-06-01", []),  # before anyone's tenure
        ("2016-06-01", ["OLD"]),  # during OLD's
        ("2016-12-31", ["OLD"]),  # last day (end is inclusive)
        ("2017-01-01", ["SEC"]),  # first day of SEC's
        ("2025-06-01", ["SEC"]),  # open-ended tenure
    ],
)
def test_secretary_as_of(world: GraphStore, as_of: str, expected: list[str]) -> None:
    h = unit_holders(world, "D1", as_of=as_of)
    assert h.as_of == as_of
    assert secretaries(h) == expected
    assert ("no_secretary" in codes(h)) == (not expected)


def test_team_member_before_during_after_tenure(world: GraphStore) -> None:
    # MEM is a member 2016-2019 in charge of D1-E1; staff are never in the team.
    assert "MEM" not in team(unit_holders(world, "D1", as_of="2015-06-01"))
    during = unit_holders(world, "D1", as_of="2017-06-01")
    assert team(during) == {"DEP": ["D1-EDU"], "JWS": [], "MEM": ["D1-E1"]}
    assert "MEM" not in team(unit_holders(world, "D1", as_of="2020-06-01"))
    assert "STAFF" not in team(during)


def test_portfolios_follow_the_date(world: GraphStore) -> None:
    assert team(unit_holders(world, "D1", as_of="2018-06-30"))["DEP"] == ["D1-EDU"]
    assert team(unit_holders(world, "D1", as_of="2018-07-01"))["DEP"] == ["D1-T1"]
    dep = next(m for m in unit_holders(world, "D1", as_of="2019-01-01").team
               if m.person.id == "DEP")
    assert [(p.role, p.start, p.end) for p in dep.posts] == [
        ("deputy_secretary", "2015-01-01", None)]
    assert dep.portfolios[0].portfolio == "街镇" and dep.portfolios[0].start == "2018-07-01"


def test_duties_of_each_holder(world: GraphStore) -> None:
    h = unit_holders(world, "D1", as_of="2017-06-01")
    assert [d.duty.id for d in h.committee.duties] == ["DU-F1", "DU-P1", "DU-P2"]
    # The secretary shows first duties only, members dual, discipline bodies supervisory.
    assert [d.duty.id for d in h.secretaries[0].duties] == ["DU-F2"]
    assert {m.person.id: [d.duty.id for d in m.duties] for m in h.team} == {
        "DEP": ["DU-D1"], "JWS": [], "MEM": ["DU-D2"]}
    assert [(s.unit.id, s.mode, [d.duty.id for d in s.duties]) for s in h.supervisors] == [
        ("CITY-JW", "stationed", []), ("D1-JW", "same_level", ["DU-S1", "DU-S2"])]
    p1 = h.committee.duties[1]
    assert (p1.responsibility, p1.list, p1.aspect, p1.indicator, p1.year) == (
        "primary", "responsibility", "组织领导", "每年至少一次", 2017)
    assert counts(h.duty_counts_by_responsibility) == {
        "primary": 2, "supervisory": 2, "first": 2, "dual": 2}
    assert [c.key for c in h.duty_counts_by_responsibility] == [
        "primary", "supervisory", "first", "dual"]
    assert counts(h.duty_counts_by_list) == {"responsibility": 5, "task": 2, "institution": 1}
    assert sum(counts(h.duty_counts_by_aspect).values()) == 8
    assert h.vacancies == []


def test_vacancies(world: GraphStore) -> None:
    town = unit_holders(world, "D1-T1", as_of="2017-06-01")
    assert codes(town) == ["no_secretary", "no_supervisor", "no_primary_duties",
                           "no_team_members"]
    assert all(v.zh and v.en for v in town.vacancies)
    assert town.committee.unit.id == "D1-T1" and town.committee.duties == []
    # Two secretaries in office at once: both listed, flagged.
    contested = unit_holders(world, "D1-E1", as_of="2020-07-01")
    assert secretaries(contested) == ["E1A", "E1B"] and contested.secretary is None
    assert "multiple_secretaries" in codes(contested)
    assert secretaries(unit_holders(world, "D1-E1", as_of="2020-03-01")) == ["E1A"]


def test_up_lists_every_ancestor_nearest_first(world: GraphStore) -> None:
    h = unit_holders(world, "unit:D1-V1", as_of="2017-06-01", up=True)
    assert h.unit.unit.id == "D1-V1" and (h.unit.kind, h.unit.level) == ("village_community", 3)
    assert [a.unit.unit.id for a in h.ancestors] == ["D1-T1", "D1", "CITY"]
    assert [secretaries(a) for a in h.ancestors] == [[], ["SEC"], ["CSEC"]]
    assert all(a.ancestors == [] and a.as_of == "2017-06-01" for a in h.ancestors)
    assert unit_holders(world, "D1-V1", as_of="2017-06-01").ancestors == []
    assert unit_holders(world, "CITY", up=True).ancestors == []


def test_overview(world: GraphStore) -> None:
    o = unit_overview(world, "D1")
    assert o.descendants == 4
    assert counts(o.by_kind) == {"department": 1, "street_town": 1, "enterprise": 1,
                                 "village_community": 1}
    assert [(r.level, r.count) for r in o.by_level] == [(2, 3), (3, 1)]
    assert [(r.level, r.kind, r.count) for r in o.by_level_kind][-1] == (
        3, "village_community", 1)
    assert [c.unit.id for c in o.children] == ["D1-E1", "D1-EDU", "D1-T1"]
    # The discipline body hangs under the city's, not under the district.
    assert unit_overview(world, "CITY").descendants == 5
    assert [c.unit.id for c in unit_overview(world, "CITY-JW").children] == ["D1-JW"]
    leaf = unit_overview(world, "D1-V1")
    assert (leaf.descendants, leaf.by_kind, leaf.children) == (0, [], [])


def test_unknown_and_bad_arguments(world: GraphStore) -> None:
    for ref in ("NOPE", "person:SEC", "duty:DU-P1", ""):
        with pytest.raises(NotFound):
            unit_holders(world, ref)
    with pytest.raises(NotFound):
        unit_overview(world, "NOPE")
    with pytest.raises(NotFound) as exc:
        unit_overview(world, "person:SEC")
    assert exc.value.kind == "Unit"
    for bad in ("2017-13-01", "2017/06/01", "yesterday"):
        with pytest.raises(InvalidArgument):
            unit_holders(world, "D1", as_of=bad)


def test_same_results_as_embedded(world: GraphStore) -> None:
    reference = EmbeddedStore(None)
    build_units_world(reference)
    for unit in ("CITY", "D1", "D1-EDU", "D1-T1", "D1-E1", "D1-V1", "D1-JW"):
        for as_of in ("2013-01-01", "2016-06-01", "2017-06-01", "2019-01-01", "2020-07-01"):
            expected = unit_holders(reference, unit, as_of=as_of, up=True).model_dump()
            assert unit_holders(world, unit, as_of=as_of, up=True).model_dump() == expected
        assert unit_overview(world, unit) == unit_overview(reference, unit)


# -- the facts of DESIGN.md §7, from the sample data -----------------------------------
def test_sample_sipg_duties_by_responsibility(sample_store: GraphStore) -> None:
    """上港集团: primary 40, supervisory 33, first 24, dual 12."""
    h = unit_holders(sample_store, "SIPG")
    assert counts(h.duty_counts_by_responsibility) == {
        "primary": 40, "supervisory": 33, "first": 24, "dual": 12}
    assert len(h.secretaries) == 1 and h.supervisors and h.team


def test_sample_minhang_51_items_in_14_aspects(sample_store: GraphStore) -> None:
    """闵行区: primary, first and dual broken into 51 items in 14 aspects."""
    h = unit_holders(sample_store, "MH")
    items = [d for d in h.all_duties() if d.responsibility in ("primary", "first", "dual")]
    assert len(items) == 51
    assert len({d.aspect for d in items}) == 14
    assert all(d.indicator for d in items)


def test_sample_jwdw_items_by_list(sample_store: GraphStore) -> None:
    """市教育卫生工作党委: 26 responsibility-list, 79 task-list, 75 institution-list items."""
    h = unit_holders(sample_store, "JWDW")
    assert counts(h.duty_counts_by_list) == {"responsibility": 26, "task": 79, "institution": 75}


def test_sample_jiading_overview(sample_store: GraphStore) -> None:
    """嘉定区: 71 处级单位, 88 二三级公司, 337 村居, 33 经济小区."""
    o = unit_overview(sample_store, "JD")
    by_level = {r.level: r.count for r in o.by_level}
    assert by_level[2] == 71
    level2 = {r.kind for r in o.by_level_kind if r.level == 2}
    assert level2 == {"department", "street_town", "institution"}
    kinds = counts(o.by_kind)
    assert (kinds["enterprise"], kinds["village_community"], kinds["economic_zone"]) == (
        88, 337, 33)
    assert o.descendants == 71 + 88 + 337 + 33
