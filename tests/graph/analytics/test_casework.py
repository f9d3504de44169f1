"""The case findings (graph/analytics/casework.py) on the trace world's broken form and its
repaired twins, on both stores: V_NO_POST_CASE_GOVERNANCE (issue #14 point 4) and
V_SUPERVISION_NOT_TRACED (point 5)."""

from __future__ import annotations

import pytest

from graph.analytics import AnalyticsConfig, analyze_store
from graph.store import GraphStore
from tests.graph.queries.trace_world import CLOSED, build_trace_world

AS_OF = "2018-12-31"  # 365 days after the case was concluded


def findings(store: GraphStore, code: str, **kw: object) -> list[tuple[str, ...]]:
    report = analyze_store(store, as_of=kw.pop("as_of", AS_OF), **kw).report  # type: ignore[arg-type]
    return [tuple(f.ids) for f in report.findings if f.code == code]


def test_post_case_governance_missing_then_repaired(store: GraphStore) -> None:
    build_trace_world(store, repaired=False)
    assert findings(store, "V_NO_POST_CASE_GOVERNANCE") == [("case:K", "unit:U")]
    report = analyze_store(store, as_of=AS_OF).report
    (f,) = [f for f in report.findings if f.code == "V_NO_POST_CASE_GOVERNANCE"]
    assert f.evidence == {"closed_on": CLOSED, "days_since_closed": 365, "window_days": 180}
    assert "以案促改" in f.explanation_zh and "post-case governance" in f.explanation_en
    # Within the window, not yet a finding; a longer window waits longer.
    assert findings(store, "V_NO_POST_CASE_GOVERNANCE", as_of="2018-03-31") == []
    assert findings(store, "V_NO_POST_CASE_GOVERNANCE",
                    config=AnalyticsConfig(post_case_days=400)) == []
    store.clear()
    build_trace_world(store, repaired=True)
    assert findings(store, "V_NO_POST_CASE_GOVERNANCE") == []


def test_supervision_never_traced_then_repaired(store: GraphStore) -> None:
    build_trace_world(store, repaired=False)
    assert findings(store, "V_SUPERVISION_NOT_TRACED") == [("case:K", "unit:U", "unit:PZ")]
    # Before any decision the 倒查 has not happened yet: nothing to report.
    assert findings(store, "V_SUPERVISION_NOT_TRACED", as_of="2017-12-31") == []


@pytest.mark.parametrize("supervision", ["held", "not_applicable"])
def test_supervision_held_or_judged_not_applicable(store: GraphStore, supervision: str) -> None:
    build_trace_world(store, repaired=True, supervision=supervision)
    assert findings(store, "V_SUPERVISION_NOT_TRACED") == []


def test_equivalences_are_the_configured_ones(store: GraphStore) -> None:
    # The group's head held in another category does not discharge the supervisory link,
    # unless that category is configured as equivalent (shared with the trace-back).
    build_trace_world(store, repaired=True, supervision="other")
    assert findings(store, "V_SUPERVISION_NOT_TRACED") == [("case:K", "unit:U", "unit:PZ")]
    cfg = AnalyticsConfig(category_equivalences={"supervisory": ["important_leadership"]})
    assert findings(store, "V_SUPERVISION_NOT_TRACED", config=cfg) == []
    store.clear()
    build_trace_world(store, repaired=True, supervision="none")
    assert findings(store, "V_SUPERVISION_NOT_TRACED") == [("case:K", "unit:U", "unit:PZ")]
