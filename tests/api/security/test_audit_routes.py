"""The audit of reads: person, issue, case and accountability records, searches and exports
are appended with user, time, route and the ids returned; admins ask who viewed a record."""

from __future__ import annotations

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
    # Nothing returned, nothing logged: an out-of-scope id is a 404 and leaves no entry.
    before = len(entries(sec))
    assert c.get("/api/people/P-MH-01").status_code == 404
    assert len(entries(sec)) == before
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
