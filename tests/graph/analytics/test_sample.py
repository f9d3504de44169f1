"""The analysis of the shipped sample (as of the date its open loops are planted for)."""

from __future__ import annotations

from graph.analytics import AnalyticsConfig, analyze_store
from graph.store.base import GraphStore

AS_OF = "2026-11-26"


def test_sample_names_minhang_referral_loops_and_ranks_units(sample_store: GraphStore) -> None:
    report = analyze_store(sample_store, as_of=AS_OF).report
    loops = {f.ids[0]: f for f in report.findings if f.code == "V_REFERRAL_OPEN"}
    # Overdue (status overdue) and past due with a stale "open" status: high.
    for rid in ("referral:RF-MH-05", "referral:RF-MH-06"):
        f = loops[rid]
        assert f.severity == "high" and f.evidence["days_overdue"] > 0
        assert "闵行区纪委监委" in f.explanation_zh and "回告" in f.explanation_zh
        assert "unit:MH-JW" in f.ids
    # Not yet due: open but not (yet) a weak link; reported as low only when asked for.
    assert not {"referral:RF-MH-07", "referral:RF-MH-08"} & set(loops)
    cfg = AnalyticsConfig(referral_due_soon_is_finding=True)
    pending = {f.ids[0]: f.severity for f in analyze_store(sample_store, as_of=AS_OF, config=cfg)
               .report.findings if f.code == "V_REFERRAL_OPEN"}
    assert pending["referral:RF-MH-07"] == pending["referral:RF-MH-08"] == "low"
    # Replied ones (on time or late) are closed loops.
    assert not {"referral:RF-MH-01", "referral:RF-MH-02", "referral:RF-MH-04"} & set(loops)
    # Every unit ranked, weakest first; the MH subtree rolled up.
    scores = [h.score for h in report.health]
    assert scores == sorted(scores) and scores[0] < 100
    assert len(report.health) == sample_store.counts().nodes["Unit"]
    roll = {s.uid: s for s in report.rollup}
    assert roll["unit:MH"].min_score <= roll["unit:MH"].mean_score < 100
    # The overdue loops lower the score of the units they belong to.
    by_uid = {h.uid: h for h in report.health}
    for rid in ("referral:RF-MH-05", "referral:RF-MH-06"):
        unit = by_uid[loops[rid].unit or ""]
        assert unit.uid.startswith("unit:MH") and unit.score < 100
        assert loops[rid].key in {d.key for d in unit.deductions}


def test_sample_scoped_to_minhang(sample_store: GraphStore) -> None:
    report = analyze_store(sample_store, as_of=AS_OF, unit="MH").report
    assert report.scope == "unit:MH"
    assert all(h.uid.startswith("unit:MH") for h in report.health)
    assert report.counts["V_REFERRAL_OPEN"] == 2
