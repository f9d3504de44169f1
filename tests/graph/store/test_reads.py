"""The contract of the read operations: every operation of ``store.reads`` gives equal rows
on the embedded store and on Neo4j, both loaded with the sample, for several subjects and
three scopes (everything, 嘉定, 闵行).

Rows are compared after :func:`normal`, which sorts every list (the stores return lists in
no promised order; the shaping in ``graph.queries`` orders them). Each test also checks a
fact or two of the sample, so that two stores agreeing on nothing cannot pass.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from tests.conftest import sample_store_of

pytestmark = pytest.mark.integration

#: The scopes every operation runs under, by the units a user's entries name.
SCOPES: dict[str, list[str] | None] = {"everything": None, "JD": ["unit:JD"], "MH": ["unit:MH"]}
TODAY = "2026-11-26"

Stores = tuple[GraphStore, GraphStore]


@pytest.fixture
def stores(tmp_path_factory: pytest.TempPathFactory,
           _sample_stores: dict[str, tuple[GraphStore, int, dict[str, object]]]) -> Stores:
    """(embedded, Neo4j), both holding the sample. READ-ONLY."""
    return (sample_store_of("embedded", tmp_path_factory, _sample_stores),
            sample_store_of("neo4j", tmp_path_factory, _sample_stores))


def normal(value: Any) -> Any:
    """``value`` with every list and set sorted (recursively), dicts as they are."""
    if isinstance(value, dict):
        return {k: normal(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [normal(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def agree(stores: Stores, call: Callable[[GraphStore, Scope], Any]) -> dict[str, Any]:
    """Run ``call`` on both stores under each scope (made by each store itself); assert the
    results are equal and return the embedded one per scope name."""
    out = {}
    for name, units in SCOPES.items():
        embedded, neo4j = (call(s, s.reads.scope_of(units)) for s in stores)
        assert normal(embedded) == normal(neo4j), (name, call)
        out[name] = embedded
    return out


# -- scope -----------------------------------------------------------------------------------
def test_scope_of(stores: Stores) -> None:
    embedded, neo4j = stores
    for units in [*SCOPES.values(), ["unit:JD", "unit:SIPG-C01"], ["unit:NOPE"], []]:
        assert embedded.reads.scope_of(units) == neo4j.reads.scope_of(units), units
    jd = embedded.reads.scope_of(["unit:JD"])
    assert jd.roots == {"unit:JD", "unit:JD-JW"} and jd.above == {"unit:SH", "unit:SH-JW"}
    assert embedded.reads.scope_of(None) == EVERYTHING_SCOPE


def test_visible_and_outline(stores: Stores) -> None:
    embedded = stores[0]
    assert isinstance(embedded, EmbeddedStore)
    # Every node of the sample: each kind's scope rule is exercised.
    uids = sorted(embedded.graph.nodes)
    uids.append("unit:NOPE")
    seen = agree(stores, lambda s, scope: (s.reads.visible(uids, scope),
                                           s.reads.outline(uids, scope)))
    assert seen["everything"] == (set(uids) - {"unit:NOPE"}, set())
    jd_visible, jd_outline = seen["JD"]
    assert "case:C-JD-100" in jd_visible and "referral:RF-MH-01" not in jd_visible
    assert {"unit:SH", "unit:SH-JW", "person:P-SH-01"} <= jd_outline
    assert "unit:SH" not in jd_visible and "unit:MH" not in jd_outline


def test_subtree(stores: Stores) -> None:
    embedded, neo4j = stores
    for unit in ("unit:JD", "unit:MH-T01", "unit:SH", "unit:NOPE", "person:P-JD-01"):
        assert embedded.reads.subtree(unit) == neo4j.reads.subtree(unit), unit
    assert len(embedded.reads.subtree("unit:JD")) == 1 + 71 + 88 + 337 + 33


# -- units -----------------------------------------------------------------------------------
@pytest.mark.parametrize("unit", ["unit:JD", "unit:JD-V001", "unit:MH-T01", "unit:SIPG",
                                  "unit:SH", "unit:NOPE"])
@pytest.mark.parametrize(("as_of", "up"), [("2017-06-30", False), (TODAY, True)])
def test_unit_panels(stores: Stores, unit: str, as_of: str, up: bool) -> None:
    panels = agree(stores, lambda s, scope: s.reads.unit_panels(unit, as_of, up=up, scope=scope))
    if unit != "unit:NOPE":
        assert panels["everything"] and panels["everything"][0]["uid"] == unit
    if unit == "unit:JD-V001" and up:
        assert [p["outline"] for p in panels["JD"]] == [False, False, False, True]
        assert panels["MH"] == []


@pytest.mark.parametrize("unit", ["unit:JD", "unit:MH", "unit:SH", "unit:JD-T01", "unit:NOPE"])
def test_unit_overview(stores: Stores, unit: str) -> None:
    overview = agree(stores, lambda s, scope: s.reads.unit_overview(unit, scope))
    if unit == "unit:JD":
        assert overview["JD"] == overview["everything"] and overview["MH"] is None
    if unit == "unit:SH":
        assert overview["everything"] is not None and overview["JD"] is None


@pytest.mark.parametrize("unit", ["unit:JD", "unit:MH", "unit:SH", "unit:JD-D05", "unit:NOPE"])
def test_cases_in_subtree(stores: Stores, unit: str) -> None:
    cases = agree(stores, lambda s, scope: s.reads.cases_in_subtree(unit, scope))
    if unit == "unit:JD":
        assert cases["everything"] is not None and len(cases["everything"]["cases"]) >= 16
        assert cases["MH"] is None


# -- people and chains -----------------------------------------------------------------------
@pytest.mark.parametrize("person", ["person:P-JD-01", "person:P-SH-04", "person:P-SHJW-01",
                                    "person:P-MH-02", "person:P-JD-V001-01", "person:P-SIPG-01",
                                    "person:NOPE"])
def test_person_profile(stores: Stores, person: str) -> None:
    rows = agree(stores, lambda s, scope: s.reads.person_profile(person, scope))
    if person == "person:P-SHJW-01":
        everything, jd = rows["everything"], rows["JD"]
        assert everything is not None and jd is not None
        assert len(everything["portfolios"]) == 4
        assert [p["unit"]["uid"] for p in jd["portfolios"]] == ["unit:JD-JW"]
        assert jd["posts"] == []  # in 市纪委监委, above 嘉定
    if person == "person:P-MH-02":
        assert rows["everything"] is not None and rows["JD"] is None


@pytest.mark.parametrize("issue", ["issue:I-JD-001", "issue:I-JD-900", "issue:I-MH-R05",
                                   "issue:I-SIPG-01", "issue:I-JWDW-U01-1", "issue:NOPE"])
def test_issue_chain(stores: Stores, issue: str) -> None:
    rows = agree(stores, lambda s, scope: s.reads.issue_chain(issue, TODAY, scope))
    if issue == "issue:I-MH-R05":
        assert rows["everything"] is not None and rows["everything"]["owners"]
        assert rows["JD"] is None and rows["MH"] == rows["everything"]


@pytest.mark.parametrize("case", ["case:C-JD-100", "case:C-JD-005", "case:C-MH-01",
                                  "case:C-SIPG-01", "case:NOPE"])
def test_case_trace(stores: Stores, case: str) -> None:
    rows = agree(stores, lambda s, scope: s.reads.case_trace(case, TODAY, scope))
    if case == "case:C-JD-100":
        assert rows["everything"] is not None and rows["everything"]["decisions"]
        assert rows["JD"] == rows["everything"] and rows["MH"] is None


# -- open loops ------------------------------------------------------------------------------
ALL_KINDS = ("referral_overdue", "issue_no_owner", "issue_no_project", "project_overdue")


@pytest.mark.parametrize(("as_of", "kinds", "unit"), [
    (TODAY, ALL_KINDS, None),
    (TODAY, ALL_KINDS, "unit:JD"),
    ("2018-06-30", ALL_KINDS, "unit:MH"),
    ("2017-12-31", ("referral_overdue",), "unit:SH"),
    (TODAY, ("issue_no_owner", "issue_no_project"), None),
    (TODAY, (), "unit:MH-T01"),
    (TODAY, ALL_KINDS, "unit:NOPE"),
])
def test_open_loops(stores: Stores, as_of: str, kinds: tuple[str, ...], unit: str | None) -> None:
    rows = agree(stores, lambda s, scope: s.reads.open_loops(as_of, kinds, unit, scope))
    if unit is None and kinds == ALL_KINDS:
        facts = {f["node"]["uid"] for f in rows["everything"]["facts"]}
        assert "referral:RF-MH-05" in facts and "issue:I-JD-900" in facts
        jd = {f["node"]["uid"] for f in rows["JD"]["facts"]}
        assert "issue:I-JD-900" in jd and not any("-MH-" in uid for uid in jd)
    if unit == "unit:JD":
        assert rows["MH"] is None


# -- the mechanism: assessment, coverage, risk prevention, 三重一大 ---------------------------
@pytest.mark.parametrize("uid", ["unit:JWDW-H04", "unit:SIPG-C01", "unit:JD-T05",
                                 "person:P-JD-T05-01", "person:NOPE"])
def test_assessment_history(stores: Stores, uid: str) -> None:
    rows = agree(stores, lambda s, scope: s.reads.assessment_history(uid, scope))
    if uid == "unit:SIPG-C01":
        everything = rows["everything"]
        assert everything is not None and len(everything["results"]) == 2
        assert rows["JD"] is None and rows["MH"] is None
    if uid == "person:P-JD-T05-01":
        assert rows["JD"] == rows["everything"] and rows["MH"] is None


@pytest.mark.parametrize("unit", ["unit:JWDW", "unit:JD", "unit:SIPG", "unit:NOPE"])
def test_assessment_facts(stores: Stores, unit: str) -> None:
    rows = agree(stores, lambda s, scope: s.reads.assessment_facts(unit, scope))
    if unit == "unit:JWDW":
        everything = rows["everything"]
        assert everything is not None and len(everything["results"]) == 9 * 11
        assert rows["JD"] is None


@pytest.mark.parametrize("unit", [None, "unit:JWDW", "unit:MH", "unit:NOPE"])
def test_coverage_facts(stores: Stores, unit: str | None) -> None:
    rows = agree(stores, lambda s, scope: s.reads.coverage_facts(unit, scope))
    if unit is None:
        everything, jd = rows["everything"], rows["JD"]
        assert everything is not None and jd is not None
        assert len(jd["units"]) < len(everything["units"])


@pytest.mark.parametrize(("unit", "subtree"), [("unit:SIPG", True), ("unit:SIPG-C02", False),
                                               ("unit:JD", True)])
def test_risk_register_and_decisions(stores: Stores, unit: str, subtree: bool) -> None:
    risks = agree(stores, lambda s, scope: s.reads.risk_register(unit, subtree, scope))
    decisions = agree(stores, lambda s, scope: s.reads.major_decisions(unit, subtree, scope))
    if unit == "unit:SIPG":
        register = risks["everything"]
        assert register is not None and len(register["points"]) == 137
        assert risks["JD"] is None and decisions["JD"] is None


@pytest.mark.parametrize("person", ["person:P-SIPG-C02-01", "person:P-JD-01", "person:NOPE"])
def test_owned_controls(stores: Stores, person: str) -> None:
    rows = agree(stores, lambda s, scope: s.reads.owned_controls(person, scope))
    if person == "person:P-SIPG-C02-01":
        assert rows["everything"] and rows["JD"] == []
