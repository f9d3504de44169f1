"""The analysis of the shipped sample at its two pinned dates (docs/sample-data.md).

The list of findings lives in the documentation, once: the test reads its tables and runs
the product's own analytics (``graph.analytics``) on the loaded sample, so the page and the
product cannot disagree, and no second copy of the rules is kept here.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from graph.analytics import AnalyticsConfig, analyze_store
from graph.store.base import GraphStore

#: The article's period and the sample's present, as docs/sample-data.md pins them.
ARTICLE = "2018-06-30"
PRESENT = "2026-12-01"
DOC = Path(__file__).resolve().parents[3] / "docs" / "sample-data.md"


def documented(as_of: str) -> tuple[Counter[tuple[str, str]], tuple[int, int]]:
    """(code, main id) of every row of the doc's table for ``as_of``, and the "N findings
    in M codes" the section announces."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"### As of {as_of}", 1)[1].split("\n### ", 1)[0]
    rows = Counter(
        (m.group(1), m.group(2))
        for m in re.finditer(r"^\| `([A-Z_]+)` \| `([^`]+)` \|", section, flags=re.M))
    # A long run of one code is a list line instead: "- `CODE` (N): `id`, `id`, …".
    for m in re.finditer(r"^- `([A-Z_]+)` \((\d+)\): (.*)$", section, flags=re.M):
        ids = re.findall(r"`([^`]+)`", m.group(3))
        assert len(ids) == int(m.group(2)), m.group(1)
        rows.update((m.group(1), i) for i in ids)
    totals = re.search(r"(\d+) findings in (\d+) codes", section)
    assert totals is not None, f"no 'N findings in M codes' under {as_of}"
    return rows, (int(totals.group(1)), int(totals.group(2)))


@pytest.mark.parametrize("as_of", [ARTICLE, PRESENT])
def test_sample_findings_are_exactly_the_documented_ones(sample_store: GraphStore,
                                                        as_of: str) -> None:
    report = analyze_store(sample_store, as_of=as_of).report
    found = Counter((f.code, f.ids[0]) for f in report.findings)
    rows, (n_findings, n_codes) = documented(as_of)
    assert found == rows
    assert (len(report.findings), sum(1 for n in report.counts.values() if n)) == (
        n_findings, n_codes)


def test_the_article_period_has_no_coverage_or_coordination_noise(
        sample_store: GraphStore) -> None:
    # What the article describes as working in the pilots is not reported as weak in 2018.
    counts = analyze_store(sample_store, as_of=ARTICLE).report.counts
    for code in ("V_COVERAGE_GAP", "H_DISCIPLINE_TEAM_DISCONNECTED", "H_MEMBER_NO_RECORDS",
                 "V_PRESSURE_BREAK", "H_NO_SUPERVISOR", "H_NO_SECRETARY"):
        assert counts[code] == 0, code


def test_sample_names_minhang_referral_loops_and_ranks_units(sample_store: GraphStore) -> None:
    report = analyze_store(sample_store, as_of=PRESENT).report
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
    pending = {f.ids[0]: f.severity
               for f in analyze_store(sample_store, as_of=PRESENT, config=cfg).report.findings
               if f.code == "V_REFERRAL_OPEN"}
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
    report = analyze_store(sample_store, as_of=PRESENT, unit="MH").report
    assert report.scope == "unit:MH"
    assert all(h.uid.startswith("unit:MH") for h in report.health)
    assert report.counts["V_REFERRAL_OPEN"] == 2


def test_case_findings_explain_themselves(sample_store: GraphStore) -> None:
    report = analyze_store(sample_store, as_of=ARTICLE).report
    by_code = {f.code: f for f in report.findings}
    sup = by_code["V_SUPERVISION_NOT_TRACED"]
    assert sup.ids == ["case:C-SIPG-03", "unit:SIPG-C05", "unit:SIPG-JW"]
    assert sup.evidence["categories"] == ["direct", "primary_leadership"]
    assert "上港集团纪委" in sup.explanation_zh and "经倒查不予追究" in sup.explanation_zh
    post = by_code["V_NO_POST_CASE_GOVERNANCE"]
    assert post.evidence["closed_on"] == "2017-07-25"
    assert post.evidence["days_since_closed"] == 340
    # A shorter window than the case's age is still a finding; a longer one is not.
    later = AnalyticsConfig(post_case_days=341)
    assert analyze_store(sample_store, as_of=ARTICLE, config=later).report.counts[
        "V_NO_POST_CASE_GOVERNANCE"] == 0
