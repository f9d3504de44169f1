"""Analytics over HTTP on both stores: findings filtered by unit subtree, code, severity and
axis (paginated, stable), health scores weakest first, roll-up, summary; one analysis per
scope and date is computed and reused."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.routes.analytics import FindingsPage, HealthPage
from graph.analytics import CODES

AS_OF = "2026-01-01"


def test_findings_for_minhang_name_its_open_referrals(client: TestClient) -> None:
    r = client.get("/api/analytics/findings", params={"unit": "MH", "as_of": AS_OF,
                                                      "code": "V_REFERRAL_OPEN"})
    assert r.status_code == 200
    page = FindingsPage.model_validate(r.json())
    assert page.scope == "unit:MH" and page.as_of == AS_OF
    assert page.total >= 1 and page.counts == {"V_REFERRAL_OPEN": page.total}
    for f in page.items:
        assert f.code == "V_REFERRAL_OPEN"
        assert any(i.startswith("referral:") for i in f.ids)
        assert f.explanation_zh and f.explanation_en


def test_findings_filters_and_pagination(client: TestClient) -> None:
    params = {"as_of": AS_OF, "unit": "MH"}
    everything = client.get("/api/analytics/findings", params={**params, "limit": 1000}).json()
    total = everything["total"]
    assert total == len(everything["items"]) >= 3
    assert sum(everything["severity_counts"].values()) == total
    pages = []
    for offset in range(0, total, 2):
        page = client.get("/api/analytics/findings",
                          params={**params, "limit": 2, "offset": offset}).json()
        assert page["total"] == total
        pages += page["items"]
    assert pages == everything["items"]
    high = client.get("/api/analytics/findings", params={**params, "severity": "high"}).json()
    assert high["total"] == everything["severity_counts"]["high"]
    assert {f["severity"] for f in high["items"]} <= {"high"}
    vertical = client.get("/api/analytics/findings", params={**params, "axis": "vertical",
                                                             "limit": 1000}).json()
    assert vertical["total"] == sum(1 for f in everything["items"] if f["axis"] == "vertical")
    two = client.get("/api/analytics/findings",
                     params=[*params.items(), ("code", "V_REFERRAL_OPEN"),
                             ("code", "S_BRIDGE")]).json()
    assert set(two["counts"]) <= {"V_REFERRAL_OPEN", "S_BRIDGE"}


def test_findings_reject_bad_filters(client: TestClient) -> None:
    bad = client.get("/api/analytics/findings", params={"code": "V_NOPE"})
    assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "code"
    assert client.get("/api/analytics/findings", params={"severity": "awful"}).status_code == 422
    missing = client.get("/api/analytics/findings", params={"unit": "NOPE"})
    assert missing.status_code == 404 and missing.json()["kind"] == "Unit"


def test_health_weakest_first_and_rollup(client: TestClient) -> None:
    r = client.get("/api/analytics/health", params={"unit": "MH", "as_of": AS_OF})
    assert r.status_code == 200
    page = HealthPage.model_validate(r.json())
    scores = [h.score for h in page.items]
    assert scores == sorted(scores)
    assert all(0 <= s <= 100 for s in scores)
    assert {h.uid for h in page.items} >= {"unit:MH"}
    low = page.items[0]
    assert low.score == 100 - sum(d.points for d in low.deductions) or low.score == 0
    roll = client.get("/api/analytics/rollup", params={"unit": "MH", "as_of": AS_OF}).json()
    assert roll["items"][0]["uid"] == "unit:MH"
    assert roll["items"][0]["min_score"] == min(scores)
    summary = client.get("/api/analytics/summary", params={"unit": "MH", "as_of": AS_OF}).json()
    assert summary["units"] == page.total
    assert summary["weakest"][0]["uid"] == low.uid
    assert set(summary["counts"]) == set(CODES)


def test_codes_catalogue(client: TestClient) -> None:
    codes = client.get("/api/analytics/codes").json()
    assert [c["code"] for c in codes] == list(CODES)
    assert all(c["zh"] and c["en"] for c in codes)


def test_one_analysis_per_scope_and_date(client: TestClient) -> None:
    from graph.analytics.report import cached_report

    client.get("/api/analytics/summary", params={"unit": "SIPG", "as_of": AS_OF})
    state = client.app.state  # type: ignore[attr-defined]
    store, config = state.store_holder.get(), state.analytics_config
    first = cached_report(store, as_of=AS_OF, unit="SIPG", config=config)
    client.get("/api/analytics/findings", params={"unit": "unit:SIPG", "as_of": AS_OF})
    assert cached_report(store, as_of=AS_OF, unit="unit:SIPG", config=config) is first
    # Another date, unit or configuration is another analysis.
    assert cached_report(store, as_of="2025-01-01", unit="SIPG", config=config) is not first
    other = config.model_copy(update={"link_window_days": config.link_window_days + 1})
    assert cached_report(store, as_of=AS_OF, unit="SIPG", config=other) is not first
