"""Every query endpoint through HTTP on both stores: status codes, shapes, the source
article's facts reproduced from the sample data, as_of and pagination."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from graph.queries.chain_models import CaseTrace, IssueChain
from graph.queries.holders_models import UnitHolders, UnitOverview
from graph.queries.loops import OpenLoops
from graph.queries.person_models import PersonProfile
from graph.queries.search import SearchResults
from graph.queries.stats import AccountabilityStats


def counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {r["key"]: r["count"] for r in rows}


# -- units ------------------------------------------------------------------------------
def test_sipg_holders_duty_counts(client: TestClient) -> None:
    """上港集团: primary 40, supervisory 33, first 24, dual 12 duty items."""
    r = client.get("/api/units/unit:SIPG/holders", params={"as_of": "2017-12-31"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    body = UnitHolders.model_validate(r.json())
    assert body.unit.unit.uid == "unit:SIPG"
    assert body.as_of == "2017-12-31"
    assert counts([c.model_dump() for c in body.duty_counts_by_responsibility]) == {
        "primary": 40, "supervisory": 33, "first": 24, "dual": 12}
    assert [s.person.uid for s in body.secretaries] == ["person:P-SIPG-01"]
    assert body.ancestors == []


def test_holders_bare_id_and_up(client: TestClient) -> None:
    bare = client.get("/api/units/SIPG/holders", params={"as_of": "2017-12-31"}).json()
    uid = client.get("/api/units/unit:SIPG/holders", params={"as_of": "2017-12-31"}).json()
    assert bare == uid
    up = client.get("/api/units/SIPG/holders", params={"as_of": "2017-12-31", "up": "true"})
    assert up.status_code == 200
    chain = [a["unit"]["unit"]["uid"] for a in up.json()["ancestors"]]
    assert chain and chain[-1] == "unit:SH"


def test_holders_as_of_follows_tenures(client: TestClient) -> None:
    """嘉定区委's secretary changed in 2021: the answer depends on as_of."""
    def secretaries(day: str) -> list[str]:
        r = client.get("/api/units/JD/holders", params={"as_of": day})
        assert r.status_code == 200
        return [s["person"]["uid"] for s in r.json()["secretaries"]]

    assert secretaries("2017-06-30") == ["person:P-JD-01"]
    assert secretaries("2023-06-30") == ["person:P-JD-02"]
    assert secretaries("2017-06-30") != secretaries("2023-06-30")


def test_holders_default_as_of_is_today(client: TestClient) -> None:
    import datetime as dt

    r = client.get("/api/units/JD/holders")
    assert r.status_code == 200
    assert r.json()["as_of"] == dt.date.today().isoformat()


def test_jd_overview_descendants(client: TestClient) -> None:
    """嘉定区: 71 处级单位, 88 区属二三级公司, 337 村居, 33 经济小区."""
    r = client.get("/api/units/JD/overview")
    assert r.status_code == 200
    body = UnitOverview.model_validate(r.json())
    by_kind = counts([c.model_dump() for c in body.by_kind])
    assert by_kind["enterprise"] == 88
    assert by_kind["village_community"] == 337
    assert by_kind["economic_zone"] == 33
    assert by_kind["department"] + by_kind["institution"] + by_kind["street_town"] == 71
    assert body.descendants == sum(by_kind.values())


# -- people, issues, cases ------------------------------------------------------------------
def test_person_profile_as_of(client: TestClient) -> None:
    r = client.get("/api/people/person:P-JD-01", params={"as_of": "2017-06-30"})
    assert r.status_code == 200
    body = PersonProfile.model_validate(r.json())
    post = next(p for p in body.posts if p.unit.uid == "unit:JD" and p.role == "secretary")
    assert post.active
    later = client.get("/api/people/P-JD-01", params={"as_of": "2023-06-30"}).json()
    post = next(p for p in later["posts"] if p["unit"]["uid"] == "unit:JD")
    assert post["active"] is False


def test_issue_chain(client: TestClient) -> None:
    r = client.get("/api/issues/I-SIPG-01/chain")
    assert r.status_code == 200
    body = IssueChain.model_validate(r.json())
    assert body.issue.uid == "issue:I-SIPG-01"
    assert body.as_of == body.found_on == "2017-02-20"
    assert body.links


def test_case_trace(client: TestClient) -> None:
    r = client.get("/api/cases/case:C-SIPG-01/trace")
    assert r.status_code == 200
    body = CaseTrace.model_validate(r.json())
    assert body.case.uid == "case:C-SIPG-01"
    assert body.as_of == body.occurred_on
    summary = body.summary
    assert summary.expected == (summary.held + summary.gaps + summary.held_other_category
                                + summary.not_applicable)
    assert len(body.links) == summary.expected + summary.missing
    # The group commission was judged not at fault on review; the project follows the case.
    assert [t.status for t in body.links if t.link.role == "discipline_body"] == [
        "not_applicable"]
    assert [p.node.id for p in body.post_case] == ["PJ-SIPG-01"]


def test_unknown_ids_are_404_with_kind_and_id(client: TestClient) -> None:
    for path, kind, node_id in [
        ("/api/units/NOPE/holders", "Unit", "NOPE"),
        ("/api/units/unit:NOPE/overview", "Unit", "NOPE"),
        ("/api/people/NOPE", "Person", "NOPE"),
        ("/api/issues/NOPE/chain", "Issue", "NOPE"),
        ("/api/cases/NOPE/trace", "Case", "NOPE"),
    ]:
        r = client.get(path)
        assert r.status_code == 404, path
        body = r.json()
        assert body["error"] == "not_found"
        assert (body["kind"], body["id"]) == (kind, node_id), path
        assert "NOPE" in body["message_zh"] and "NOPE" in body["message_en"]


def test_bad_dates_are_422_with_field(client: TestClient) -> None:
    for value in ("2017-13-01", "yesterday", "2017/03/01"):
        r = client.get("/api/units/JD/holders", params={"as_of": value})
        assert r.status_code == 422, value
        body = r.json()
        assert body["error"] == "invalid_request"
        assert [f["field"] for f in body["fields"]] == ["as_of"]
        assert body["fields"][0]["location"] == "query"
        assert body["message_zh"] and body["message_en"]


# -- loops ----------------------------------------------------------------------------------
def test_open_loops_pagination_is_stable_and_complete(client: TestClient) -> None:
    full = client.get("/api/loops", params={"as_of": "2026-01-01", "limit": 1000}).json()
    total = full["total"]
    assert total == len(full["items"]) >= 3
    assert total == sum(full["totals"].values())
    pages: list[Any] = []
    for offset in range(0, total, 2):
        r = client.get("/api/loops", params={"as_of": "2026-01-01", "limit": 2,
                                             "offset": offset})
        assert r.status_code == 200
        page = OpenLoops.model_validate(r.json())
        assert page.total == total and page.offset == offset and page.limit == 2
        pages.extend(i.model_dump() for i in page.items)
    assert pages == full["items"]
    overdue = [i["days_overdue"] for i in pages]
    assert overdue == sorted(overdue, reverse=True)
    past_end = client.get("/api/loops", params={"as_of": "2026-01-01", "offset": total + 5})
    assert past_end.status_code == 200 and past_end.json()["items"] == []


def test_open_loops_filters(client: TestClient) -> None:
    mh = client.get("/api/loops", params={"unit": "MH", "as_of": "2026-01-01",
                                          "kind": "referral_overdue"})
    assert mh.status_code == 200
    body = mh.json()
    assert body["unit"]["uid"] == "unit:MH"
    assert body["kinds"] == ["referral_overdue"]
    assert body["total"] >= 1
    assert {i["kind"] for i in body["items"]} == {"referral_overdue"}
    bad = client.get("/api/loops", params={"kind": "nonsense"})
    assert bad.status_code == 422
    assert bad.json()["fields"][0]["field"] in ("kinds", "kind")
    for params in ({"limit": 0}, {"limit": 1001}, {"offset": -1}):
        r = client.get("/api/loops", params=params)
        assert r.status_code == 422, params
        assert r.json()["fields"][0]["field"] == next(iter(params))


# -- statistics -------------------------------------------------------------------------------
def test_jd_accountability_8_to_31(client: TestClient) -> None:
    """嘉定区: 31 person-times in 2017, +287.5% on 2016 (8)."""
    r = client.get("/api/stats/accountability", params={"unit": "unit:JD"})
    assert r.status_code == 200
    body = AccountabilityStats.model_validate(r.json())
    # Persons in person-times (人次), organisations apart (个).
    years = {y.year: y for y in body.persons.by_year}
    assert years[2016].count == 8
    assert years[2017].count == 31
    assert years[2017].change == 23
    assert years[2017].change_pct == 287.5
    only = client.get("/api/stats/accountability",
                      params=[("unit", "JD"), ("year", "2017")]).json()
    assert only["persons"]["total"] == 31 and only["persons"]["counted_zh"] == "人次"
    assert only["organisations"]["counted_zh"] == "个"
    assert client.get("/api/stats/accountability", params={"year": 1800}).status_code == 422


def test_sipg_accountability_in_2017(client: TestClient) -> None:
    # The seven managers of the group's companies (DESIGN.md §7): 7 person-times, 7 persons;
    # no organisation.
    body = client.get("/api/stats/accountability", params={"unit": "SIPG", "year": 2017}).json()
    assert (body["persons"]["total"], body["persons"]["distinct"]) == (7, 7)
    assert body["organisations"]["total"] == 0


# -- search -------------------------------------------------------------------------------------
def test_search_chinese_substring(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "嘉定", "label": "Unit", "limit": 5})
    assert r.status_code == 200
    body = SearchResults.model_validate(r.json())
    assert body.hits and len(body.hits) <= 5
    assert body.hits[0].node.uid == "unit:JD"
    assert all(h.node.label == "Unit" for h in body.hits)
    assert client.get("/api/search", params={"q": "上港集团"}).json()["hits"][0]["node"][
        "uid"] == "unit:SIPG"


def test_search_rejects_bad_input(client: TestClient) -> None:
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search", params={"q": "   "}).status_code == 422
    r = client.get("/api/search", params={"q": "x", "label": "Nonsense"})
    assert r.status_code == 422
    assert r.json()["error"] == "invalid_argument"
