"""The audit of reads: every record about people and their cases (every kind but units),
searches and exports are appended with user, time, route and the ids returned, through any
route; 403/404 answers are appended as refusals; admins ask who viewed a record."""

from __future__ import annotations

import pytest

from api.security.audit import AuditEntry
from tests.api.security.conftest import SecApp, login


def entries(sec: SecApp) -> list[AuditEntry]:
    return list(sec.app.state.security.audit.entries())


def test_reads_searches_and_exports_are_audited_with_the_ids_returned(sec: SecApp) -> None:
    c = sec.client("jd-analyst")
    assert c.get("/api/people/P-JD-01").status_code == 200
    e = entries(sec)[-1]
    assert (e.user, e.action, e.route) == ("jd-analyst", "read", "/api/people/{person}")
    assert "person:P-JD-01" in e.ids and e.ts
    trace = c.get("/api/cases/C-JD-001/trace")
    assert trace.status_code == 200
    e = entries(sec)[-1]
    assert "case:C-JD-001" in e.ids and any(i.startswith("accountability:") for i in e.ids)
    assert c.get("/api/issues/I-JD-001/chain").status_code == 200
    assert "issue:I-JD-001" in entries(sec)[-1].ids
    hits = c.get("/api/search", params={"q": "嘉定"}).json()["hits"]
    e = entries(sec)[-1]
    assert e.action == "search" and "q=" in e.detail["query"]
    returned = [h["node"]["uid"] for h in hits
                if h["node"]["uid"].split(":")[0] in ("person", "issue", "case")]
    assert set(returned) <= set(e.ids)
    r = c.get("/api/graph/neighbourhood/person:P-JD-01.csv.zip")
    assert r.status_code == 200
    e = entries(sec)[-1]
    assert e.action == "export" and "person:P-JD-01" in e.ids
    # Pages too, through the session cookie.
    browser = sec.client()
    login(browser, "jd-inspector")
    assert browser.get("/people/P-JD-01").status_code == 200
    e = entries(sec)[-1]
    assert (e.user, e.route) == ("jd-inspector", "/people/{person_id}")
    assert "person:P-JD-01" in e.ids
    # Nothing returned, no record named as viewed: an out-of-scope id is a 404, audited as a
    # refusal with the path asked for (probing leaves a trace) and no ids.
    assert c.get("/api/people/P-MH-01").status_code == 404
    e = entries(sec)[-1]
    assert (e.user, e.action, e.route, e.ids) == ("jd-analyst", "refused",
                                                  "/api/people/{person}", [])
    assert (e.detail["status"], e.detail["path"]) == (404, "/api/people/P-MH-01")
    assert sec.app.state.security.audit.verify().ok


#: A record of each kind beside people, issues, cases and decisions, by a user who sees it.
RECORDS = [("jd-analyst", "duty:D-JD-01"), ("jd-analyst", "project:PJ-JD-001"),
           ("jd-analyst", "inspection:INS-JD-2016-1"), ("jd-analyst", "record:R-JD-0001"),
           ("mh-inspector", "referral:RF-MH-01")]


@pytest.mark.parametrize("username,uid", RECORDS)
def test_who_viewed_finds_every_kind_of_record_by_any_route(sec: SecApp, username: str,
                                                            uid: str) -> None:
    c = sec.client(username)
    routes = {f"/nodes/{uid}": "/nodes/{uid}",
              f"/api/graph/neighbourhood/{uid}": "/api/graph/neighbourhood/{uid}",
              f"/views/neighbourhood/{uid}": "/views/neighbourhood/{uid}"}
    for url in routes:
        assert c.get(url).status_code == 200, url
    browser = sec.client()
    login(browser, username)
    assert browser.get(f"/nodes/{uid}").status_code == 200
    admin = sec.client("admin")
    who = admin.get("/api/audit/who-viewed", params={"uid": uid}).json()["entries"]
    assert {(e["user"], e["route"]) for e in who} == {(username, r) for r in routes.values()}
    assert len(who) == len(routes) + 1  # the page twice: token and browser


def test_refusals_are_audited_on_every_kind_of_route(sec: SecApp) -> None:
    inspector, admin = sec.client("jd-inspector"), sec.client("admin")
    probes = [(inspector, "/api/people/P-MH-01%20", 404),
              (inspector, "/nodes/referral:RF-MH-01", 404),
              (inspector, "/api/analytics/summary", 403), (inspector, "/admin/users", 403),
              (admin, "/api/audit/nope", 404), (admin, "/api/people/NOPE", 404)]
    for client, url, status in probes:
        before = len(entries(sec))
        assert client.get(url).status_code == status, url
        new = entries(sec)[before:]
        assert [(e.action, e.ids, e.detail["status"]) for e in new] == [
            ("refused", [], status)], url
        # The audit sees the id as every layer does: canonical (api/security/canonical.py).
        assert new[0].detail["path"] == url.replace("%20", "")
    assert {e.user for e in entries(sec) if e.action == "refused"} == {"jd-inspector", "admin"}
    assert sec.app.state.security.audit.verify().ok


def test_admins_see_who_viewed_a_record_and_when(sec: SecApp) -> None:
    sec.client("jd-inspector").get("/api/people/P-JD-01")
    sec.client("jd-analyst").get("/people/P-JD-01")
    admin = sec.client("admin")
    r = admin.get("/api/audit/who-viewed", params={"uid": "person:P-JD-01"})
    assert r.status_code == 200
    who = [(e["user"], e["route"]) for e in r.json()["entries"]]
    assert ("jd-inspector", "/api/people/{person}") in who
    assert ("jd-analyst", "/people/{person_id}") in who
    assert all(e["ts"] for e in r.json()["entries"])
    page = admin.get("/admin/audit", params={"uid": "person:P-JD-01"})
    assert page.status_code == 200 and "jd-inspector" in page.text and "jd-analyst" in page.text
    # Asking is itself recorded.
    assert entries(sec)[-1].action == "audit-view" and entries(sec)[-1].user == "admin"
    assert admin.get("/admin/users").status_code == 200
    for user in ("jd-inspector", "jd-analyst"):
        c = sec.client(user)
        assert c.get("/api/audit/who-viewed", params={"uid": "person:P-JD-01"}
                     ).status_code == 403
        assert c.get("/admin/audit").status_code == 403
        assert c.get("/admin/users").status_code == 403


def test_roles_inspectors_cannot_export_or_analyse(sec: SecApp) -> None:
    inspector, analyst = sec.client("jd-inspector"), sec.client("jd-analyst")
    for path in ("/api/graph/neighbourhood/unit:JD.graphml",
                 "/api/graph/neighbourhood/unit:JD.gexf",
                 "/api/graph/neighbourhood/unit:JD.csv.zip",
                 "/api/graph/path.graphml?from=unit:JD&to=unit:JD-JW",
                 "/api/analytics/summary", "/api/analytics/findings", "/weak-links"):
        r = inspector.get(path)
        assert r.status_code == 403, path
        if path.startswith("/api/"):
            assert r.json()["error"] == "forbidden"
        assert analyst.get(path).status_code == 200, path
    assert inspector.get("/api/units/JD/holders").status_code == 200
