"""Every finding kind: a minimal world that triggers it and its repaired twin that does not,
written into both stores and analysed from each store's NetworkX projection."""

from __future__ import annotations

import pytest

from graph.analytics import CODES, AnalyticsConfig, analyze
from graph.analytics.report import Analysis
from graph.store.base import GraphStore
from tests.graph.analytics.mechanism_world import MECHANISM_BREAKS
from tests.graph.analytics.world import AS_OF, BREAKS, World

BREAKS = {**BREAKS, **MECHANISM_BREAKS}


def run(store: GraphStore, world: World, as_of: str = AS_OF, **kw: object) -> Analysis:
    store.clear()
    world.write(store)
    return analyze(store.to_networkx(), as_of=as_of, **kw)  # type: ignore[arg-type]


def test_every_code_has_a_fixture() -> None:
    assert set(BREAKS) == set(CODES)


def test_healthy_world_has_no_finding(store: GraphStore) -> None:
    report = run(store, World.healthy()).report
    assert [f.code for f in report.findings] == []
    assert all(h.score == 100 for h in report.health)


@pytest.mark.parametrize("code", list(BREAKS))
def test_true_positive_and_repaired_twin(store: GraphStore, code: str) -> None:
    brk, twin = BREAKS[code]
    broken = World.healthy()
    brk(broken)
    found = [f for f in run(store, broken).report.findings if f.code == code]
    assert len(found) == 1, [f.explanation_en for f in found]
    f = found[0]
    assert f.axis == CODES[code].axis and f.severity in ("high", "medium", "low")
    # The explanation names what it is about, in both languages.
    caption = broken.nodes[f.ids[0]].caption
    assert caption in f.explanation_zh and caption in f.explanation_en
    assert f.unit is None or f.unit.startswith("unit:")

    repaired = World.healthy()
    twin(repaired)
    assert [x for x in run(store, repaired).report.findings if x.code == code] == []


EVIDENCE: dict[str, dict[str, object]] = {
    "V_COVERAGE_GAP": {"last_covered": "2018-06-30", "window_start": "2019-06-30"},
    "V_REFERRAL_OPEN": {"days_overdue": 141, "due_on": "2024-02-10"},
    "V_PRESSURE_BREAK": {"units_below": 1, "no_secretary": True, "no_duties": False},
    "H_MEMBER_NO_RECORDS": {"issues": 1, "last_record": "2023-03-01"},
    "H_MEMBER_LOAD_OUTLIER": {"units_in_charge": 9},
    "S_BRIDGE": {"units_cut_off": 1},
    "S_ARTICULATION_POINT": {"units_cut_off": 1},
    "S_ISOLATED_COMPONENT": {"units": 1, "persons": 1},
}


@pytest.mark.parametrize("code", list(EVIDENCE))
def test_evidence(code: str) -> None:
    from graph.store.embedded import EmbeddedStore

    w = World.healthy()
    BREAKS[code][0](w)
    (f,) = [f for f in run(EmbeddedStore(None), w).report.findings if f.code == code]
    assert {k: f.evidence[k] for k in EVIDENCE[code]} == EVIDENCE[code]


def test_as_of_tenures_and_replies(store: GraphStore) -> None:
    w = World.healthy()
    BREAKS["V_PRESSURE_BREAK"][0](w)  # T's secretary left on 2023-12-31
    before = run(store, w, as_of="2023-06-30").report
    assert before.counts["V_PRESSURE_BREAK"] == 0 and before.counts["H_NO_SECRETARY"] == 0
    after = run(store, w).report
    assert after.counts["V_PRESSURE_BREAK"] == 1 and after.counts["H_NO_SECRETARY"] == 1
    # Before its reply (2024-02-01) and its due date the referral is an open loop, not yet a
    # weak link; reported (low) only when asked for.
    assert run(store, World.healthy(), as_of="2024-01-20").report.counts["V_REFERRAL_OPEN"] == 0
    early = run(store, World.healthy(), as_of="2024-01-20",
                config=AnalyticsConfig(referral_due_soon_is_finding=True)).report
    (f,) = [f for f in early.findings if f.code == "V_REFERRAL_OPEN"]
    assert f.severity == "low" and f.evidence["due_on"] == "2024-02-10"


def test_health_scores_and_rollup(store: GraphStore) -> None:
    w = World.healthy()
    BREAKS["H_NO_SECRETARY"][0](w)  # V has no secretary
    report = run(store, w).report
    weakest = report.health[0]
    assert weakest.uid == "unit:V" and weakest.score == 80.0
    assert [d.code for d in weakest.deductions] == ["H_NO_SECRETARY"]
    roll = {s.uid: s for s in report.rollup}
    assert roll["unit:T"].min_score == 80.0 and roll["unit:T"].units == 2
    assert roll["unit:T"].mean_score == 90.0
    assert roll["unit:C"].weakest[0].uid == "unit:V"
    assert report.rollup[0].uid == "unit:T"  # weakest subtree first


def test_scope_is_a_subtree(store: GraphStore) -> None:
    w = World.healthy()
    BREAKS["H_NO_SECRETARY"][0](w)
    BREAKS["V_DUTY_NOT_CASCADED"][0](w)  # at D, outside T's subtree
    report = run(store, w, unit="T").report
    assert report.scope == "unit:T" and report.scope_caption == "东镇党委"
    assert {h.uid for h in report.health} == {"unit:T", "unit:V"}
    assert {f.code for f in report.findings} == {"H_NO_SECRETARY"}
