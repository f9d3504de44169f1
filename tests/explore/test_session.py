"""The analysts' handle: each method is the public query with the handle's scope and as-of
date, on both stores."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import explore as ex
from explore import DutyGraph
from graph.analytics.config import load_config
from graph.errors import InvalidArgument, NotFound
from graph.queries.assessment import assessment_history, rotation, score_trends
from graph.queries.cases import cases_in_subtree
from graph.queries.coverage import coverage
from graph.queries.holders import unit_holders
from graph.queries.prevention import decision_register, owned_controls, risk_register
from graph.queries.stats import accountability_stats
from graph.scope import EVERYTHING_SCOPE
from graph.settings import Settings
from tests.explore.conftest import AS_OF


def test_a_method_returns_the_query_result_with_the_handle_date(dg: DutyGraph) -> None:
    assert dg.holders("SIPG") == unit_holders(dg.store, "SIPG", as_of=AS_OF)
    assert dg.holders("SIPG").as_of == AS_OF
    assert dg.holders("SIPG", as_of="2017-06-01").as_of == "2017-06-01"
    assert dg.at("2018-12-31").holders("JD").as_of == "2018-12-31"
    stats = dg.accountability(unit="JD", years=[2017])
    assert stats == accountability_stats(dg.store, unit="JD", years=[2017])
    assert stats.total == 31


def test_the_handle_date_reaches_every_dated_query(dg: DutyGraph) -> None:
    # The overdue referrals of 闵行区 depend on the date: none were overdue in 2018.
    assert dg.open_loops(unit="MH", kinds=["referral_overdue"]).total == 2
    assert dg.at("2018-12-31").open_loops(unit="MH", kinds=["referral_overdue"]).total == 0
    assert dg.person(dg.holders("SIPG").secretaries[0].person.uid).as_of == AS_OF
    assert dg.analyze().as_of == AS_OF


def test_within_scopes_like_a_user(dg: DutyGraph) -> None:
    jd = dg.within("JD")
    assert jd.scope.roots == frozenset({"unit:JD", "unit:JD-JW"})
    assert "unit:SH" in jd.scope.above
    assert jd.holders("JD").unit.unit.uid == "unit:JD"
    with pytest.raises(NotFound):
        jd.holders("SIPG")  # outside the scope: exactly like a missing unit
    with pytest.raises(NotFound):
        dg.holders("SIPG", scope=["JD"])  # the same, per call
    assert dg.within("*").scope == EVERYTHING_SCOPE
    assert dg.within(jd.scope).scope is jd.scope
    assert jd.within(None).scope is jd.scope


@pytest.mark.parametrize("ask", [
    lambda d: [h.node.uid for h in d.search("上港集团", limit=5).hits],
    lambda d: d.accountability(unit="SIPG").total,
    lambda d: d.open_loops(unit="MH").total,
], ids=["search", "accountability", "open_loops"])
def test_a_question_outside_the_scope_gets_nothing_from_outside(
        dg: DutyGraph, ask: Callable[[DutyGraph], object]) -> None:
    # Everything here lies outside 嘉定: the whole graph answers, 嘉定's user gets nothing of
    # it — nothing found, or the query refuses a scope it does not take yet, never an
    # answer with what the scope may not see.
    assert ask(dg)
    try:
        answer = ask(dg.within("JD"))
    except NotFound:
        return
    except InvalidArgument as exc:
        assert exc.field == "scope"
        return
    assert not answer, answer


def test_subtree_and_projection_follow_the_scope(dg: DutyGraph) -> None:
    minhang = dg.subtree("MH")
    assert minhang[0] == "unit:MH" or "unit:MH" in minhang
    assert len(minhang) == 11  # 闵行区委 and its 10 subunits (docs/sample-data.md)
    assert dg.subtree("unit:MH") == minhang
    assert dg.subtree("MH", scope=["JD"]) == []
    whole = dg.projection()
    jd = dg.within("JD").projection()
    assert "unit:JD" in jd and "unit:SIPG" not in jd and "unit:SIPG" in whole
    assert set(jd.nodes) <= set(whole.nodes)
    labels = {a["label"] for _, a in jd.nodes(data=True)}
    assert {"Unit", "Person", "Duty", "Issue", "Record", "Accountability"} <= labels


def test_counts_and_backend(dg: DutyGraph) -> None:
    assert dg.counts() == dg.store.counts()
    assert dg.backend == dg.store.backend


def test_the_analysis_is_kept_until_the_graph_changes() -> None:
    dg = ex.sample(as_of=AS_OF)
    try:
        first = dg.analyze()
        assert dg.analyze() is first
        assert dg.at("2020-01-01").analyze() is not first
        assert dg.analyze(unit="MH") is not first
        assert dg.analyze(unit="MH").report.scope == "unit:MH"
        dg.store.clear()  # a write: a new data version
        assert dg.analyze() is not first
    finally:
        dg.close()


def test_connect_opens_the_configured_store_and_loads_the_sample_once(tmp_path: Path) -> None:
    settings = Settings(DUTYGRAPH_HOME=tmp_path / "home", NEO4J_URI=None)
    with ex.connect(settings, load_sample_if_empty=True, as_of=AS_OF) as dg:
        assert dg.loaded_sample and dg.backend == "embedded" and dg.as_of == AS_OF
        nodes = dg.counts().total_nodes
    with ex.connect(settings, load_sample_if_empty=True, scope="JD") as again:
        assert not again.loaded_sample  # persisted under DUTYGRAPH_HOME, not loaded twice
        assert again.counts().total_nodes == nodes
        assert again.scope.roots == frozenset({"unit:JD", "unit:JD-JW"})
    with ex.connect(Settings(DUTYGRAPH_HOME=tmp_path / "empty", NEO4J_URI=None)) as empty:
        assert not empty.loaded_sample and empty.counts().total_nodes == 0


def test_the_mechanism_methods_are_the_queries_with_the_handle_date(dg: DutyGraph) -> None:
    cfg = load_config()
    assert dg.assessments("JD-T05") == assessment_history(dg.store, "JD-T05", as_of=AS_OF,
                                                          config=cfg)
    assert dg.rotation("JWDW") == rotation(dg.store, "JWDW", as_of=AS_OF, config=cfg)
    assert dg.score_trends("SIPG", subjects="unit") == score_trends(
        dg.store, "SIPG", as_of=AS_OF, subjects="unit")
    assert dg.coverage("MH") == coverage(dg.store, "MH", as_of=AS_OF, config=cfg)
    assert dg.risk_register("SIPG", subtree=True) == risk_register(
        dg.store, "SIPG", subtree=True, as_of=AS_OF, config=cfg)
    assert dg.decision_register("SIPG", subtree=True, kind="large_fund") == decision_register(
        dg.store, "SIPG", subtree=True, kind="large_fund", as_of=AS_OF, config=cfg)
    assert dg.cases("JD", limit=3) == cases_in_subtree(dg.store, "JD", limit=3)
    owner = dg.risk_register("SIPG").points[0].controls[0].owners[0].uid
    assert dg.owned_controls(owner) == owned_controls(dg.store, owner, as_of=AS_OF, config=cfg)
    # The date reaches them: the 2026 spending above 10万 without a collective decision is
    # not in the register of 2025, and no rotation year after 2018 is in 2018's.
    late = "DC-SIPG-C06-2026-01"
    assert late in {i.decision.id for i in dg.decision_register("SIPG-C06").items}
    assert late not in {i.decision.id
                        for i in dg.at("2025-12-31").decision_register("SIPG-C06").items}
    assert max(y.year for y in dg.rotation("JWDW", as_of="2018-12-31").years) == 2018


def test_the_mechanism_methods_follow_the_scope(dg: DutyGraph) -> None:
    jd = dg.within("JD")
    assert jd.assessments("JD-T05").subject.uid == "unit:JD-T05"
    for ask in (lambda: jd.rotation("JWDW"), lambda: jd.risk_register("SIPG"),
                lambda: jd.decision_register("SIPG"), lambda: jd.coverage("MH"),
                lambda: jd.score_trends("SIPG"), lambda: jd.assessments("SIPG-C07"),
                lambda: jd.cases("SIPG")):
        with pytest.raises(NotFound):
            ask()
    everything = dg.coverage().units
    assert 0 < dg.coverage(scope=["JD"]).units < everything
