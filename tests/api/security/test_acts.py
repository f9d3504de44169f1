"""The working loop's write routes (api/routes/acts.py) on both stores, over a writable copy
of the sample: each act by the role allowed to make it, audited; refusals by role (403
forbidden), by unit (403 refused), by state (409), by field (422, each field named, zh and
en) and by scope (404 exactly like a missing id) — and a refused write changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.security.users import Role
from graph.store import GraphStore
from loaders.pipeline import load_sample
from tests.api.security.conftest import PASSWORD, SecApp, make_sec_app


@pytest.fixture
def wsec(store: GraphStore, tmp_path: Path) -> Iterator[SecApp]:
    """The secured app over a fresh, writable copy of the sample, with unit officers of 闵行
    (谭某静's account, P-MH-08) and 嘉定 besides the users of the security tests."""
    assert load_sample(store, progress=False).ok
    sec = make_sec_app(store, tmp_path / "home")
    sec.users.add("mh-officer", Role.unit_officer, PASSWORD, ["MH"], person="person:P-MH-08")
    sec.users.add("jd-officer", Role.unit_officer, PASSWORD, ["JD"])
    for name in ("mh-officer", "jd-officer"):
        sec.tokens[name] = sec.users.issue_token(name)
    yield sec


def _refused(sec: SecApp, client: TestClient, path: str, body: dict[str, object],
             status: int) -> dict[str, object]:
    """POST, expect ``status``, check nothing was written; the error body."""
    before = sec.store.data_version()
    r = client.post(path, json=body)
    assert r.status_code == status, (path, r.status_code, r.text[:400])
    assert sec.store.data_version() == before, path
    out: dict[str, object] = r.json()
    return out


def test_reply_verify_and_refusals(wsec: SecApp) -> None:
    officer, inspector = wsec.client("mh-officer"), wsec.client("mh-inspector")
    # The leader replies to the overdue referral sent to them; the act is audited.
    r = officer.post("/api/referrals/RF-MH-05/reply", json={"reply": "已约谈并完成整改"})
    assert r.status_code == 201, r.text
    assert r.json()["uid"] == "referral:RF-MH-05" and r.json()["act"] == "reply"
    node = wsec.store.get_node("referral:RF-MH-05")
    assert node is not None and node.props["status"] == "replied"
    assert node.props["reply"] == "已约谈并完成整改"
    entry = list(wsec.app.state.security.audit.entries())[-1]
    assert (entry.user, entry.action) == ("mh-officer", "write:reply")
    assert "referral:RF-MH-05" in entry.ids and entry.detail["after"] == r.json()["data_version"]
    # ... and recorded in the history as a change set of its own, under the account.
    header = wsec.store.history.header(r.json()["change"])
    assert entry.detail["change"] == r.json()["change"]
    assert header is not None and (header.kind, header.user, header.reason) == (
        "act", "mh-officer", "reply")
    # The warning list shows it awaiting verification by the issuing body.
    items = officer.get("/api/warnings", params={"status": ["green"], "type": "referral"}
                        ).json()["items"]
    mine = [i for i in items if i["node"]["uid"] == "referral:RF-MH-05"]
    assert mine and mine[0]["rule"] == "awaiting_verification"
    # A second reply while it awaits verification: a state conflict, nothing written.
    err = _refused(wsec, officer, "/api/referrals/RF-MH-05/reply", {"reply": "再次回告"}, 409)
    assert err["error"] == "state_conflict"
    # Roles: an officer may not verify, an inspector may not reply.
    assert _refused(wsec, officer, "/api/referrals/RF-MH-05/verify", {"accept": True},
                    403)["error"] == "forbidden"
    assert _refused(wsec, inspector, "/api/referrals/RF-MH-05/reply", {"reply": "x"},
                    403)["error"] == "forbidden"
    # Sending back needs a reason and a new deadline: both fields named, in both languages.
    err = _refused(wsec, inspector, "/api/referrals/RF-MH-05/verify", {"accept": False}, 422)
    assert err["error"] == "invalid_fields"
    assert {f["field"] for f in err["fields"]} == {"verification", "due_on"}  # type: ignore[attr-defined]
    assert "verification" in str(err["message_en"]) and "verification" in str(err["message_zh"])
    # The issuing body's inspector verifies; then nothing more is accepted.
    r = inspector.post("/api/referrals/RF-MH-05/verify", json={"accept": True,
                                                              "verification": "经核实属实"})
    assert r.status_code == 201, r.text
    node = wsec.store.get_node("referral:RF-MH-05")
    assert node is not None and node.props["status"] == "verified"
    assert _refused(wsec, officer, "/api/referrals/RF-MH-05/reply", {"reply": "x"},
                    409)["error"] == "state_conflict"
    assert _refused(wsec, inspector, "/api/referrals/RF-MH-05/verify", {"accept": True},
                    409)["error"] == "state_conflict"
    # Not replied yet: nothing to verify.
    assert _refused(wsec, inspector, "/api/referrals/RF-MH-06/verify", {"accept": True},
                    409)["error"] == "state_conflict"


def test_record_fulfilment_and_field_errors(wsec: SecApp) -> None:
    officer = wsec.client("mh-officer")
    officer.headers["Accept-Language"] = "en"
    err = _refused(wsec, officer, "/api/duties/D-MH-01/records",
                   {"action": "dance", "on": "2017-02-30"}, 422)
    fields = {f["field"]: f for f in err["fields"]}  # type: ignore[attr-defined]
    assert set(fields) == {"action", "on", "summary"}
    assert "2017-02-30" in fields["on"]["reason"] and "dance" in fields["action"]["reason"]
    err = _refused(wsec, officer, "/api/duties/D-MH-01/records",
                   {"action": "meeting", "on": "2999-01-01", "summary": "x"}, 422)
    assert [f["field"] for f in err["fields"]] == ["on"]  # type: ignore[attr-defined]
    # An unknown field is refused too (a typo never silently drops a value).
    _refused(wsec, officer, "/api/duties/D-MH-01/records", {"summry": "x"}, 422)
    r = officer.post("/api/duties/D-MH-01/records", json={
        "action": "会议", "on": "2018-03-01", "summary": "区委常委会专题研究党风廉政建设"})
    assert r.status_code == 201, r.text
    uid = r.json()["uid"]
    node = wsec.store.get_node(uid)
    assert node is not None and node.props["action"] == "meeting"  # the loader's synonym
    assert node.props["on"] == "2018-03-01"
    entry = list(wsec.app.state.security.audit.entries())[-1]
    assert entry.action == "write:record" and {uid, "duty:D-MH-01"} <= set(entry.ids)
    progress = officer.get("/api/status/duties/D-MH-01", params={"as_of": "2018-06-30"}
                           ).json()
    assert progress and progress[0]["done"] == 1 and progress[0]["target"] == 2


def test_issue_order_and_reply_to_it(wsec: SecApp) -> None:
    inspector, officer = wsec.client("mh-inspector"), wsec.client("mh-officer")
    body = {"issued_by": "MH-JW", "sent_to": "unit:MH-D04", "due_on": "2099-12-31",
            "about": "issue:I-MH-R05", "request": "限期整改并回告"}
    # Only a discipline body or committee issues; an officer may not at all.
    assert _refused(wsec, inspector, "/api/orders", {**body, "issued_by": "MH-D04"},
                    403)["error"] == "refused"
    assert _refused(wsec, officer, "/api/orders", body, 403)["error"] == "forbidden"
    err = _refused(wsec, inspector, "/api/orders", {**body, "due_on": "2001-01-01"}, 422)
    assert [f["field"] for f in err["fields"]] == ["due_on"]  # type: ignore[attr-defined]
    r = inspector.post("/api/orders", json=body)
    assert r.status_code == 201, r.text
    uid = r.json()["uid"]
    assert uid.startswith("supervisionorder:")
    order = wsec.store.get_node(uid)
    assert order is not None and order.props["status"] == "issued"
    r = officer.post(f"/api/orders/{uid}/reply", json={"reply": "已整改完毕"})
    assert r.status_code == 201, r.text
    r = inspector.post(f"/api/orders/{uid}/verify", json={
        "accept": False, "verification": "整改不到位", "due_on": "2099-06-30"})
    assert r.status_code == 201 and r.json()["act"] == "send-back", r.text
    order = wsec.store.get_node(uid)
    assert order is not None and order.props["status"] == "reopened"
    assert order.props["due_on"] == "2099-06-30"


@pytest.mark.parametrize("username", ["jd-officer", "jd-inspector"])
def test_writes_outside_the_scope_answer_like_missing_items(wsec: SecApp,
                                                            username: str) -> None:
    """A 嘉定 account cannot write into 闵行 by any act: 404 exactly as for an id that does
    not exist (or 403 when its role may not make the act at all), and nothing is written."""
    client = wsec.client(username)
    writes: list[tuple[str, dict[str, object], str]] = [
        ("/api/duties/{id}/records", {"action": "meeting", "on": "2018-03-01", "summary": "x"},
         "D-MH-01"),
        ("/api/referrals/{id}/reply", {"reply": "x"}, "RF-MH-05"),
        ("/api/referrals/{id}/verify", {"accept": True}, "RF-MH-01"),
        ("/api/orders", {"issued_by": "{id}", "sent_to": "unit:JD-D01",
                         "due_on": "2099-12-31"}, "MH-JW"),
        ("/api/orders", {"issued_by": "JD-JW", "sent_to": "unit:{id}",
                         "due_on": "2099-12-31"}, "MH-D04"),
        ("/api/orders", {"issued_by": "JD-JW", "sent_to": "unit:JD-D01",
                         "about": "issue:{id}", "due_on": "2099-12-31"}, "I-MH-R05"),
    ]
    user = wsec.users.get(username)
    assert user is not None
    for path, body, hidden in writes:
        action = "supervise" if path.endswith(("verify", "orders")) else "write"
        expected = 404 if user.can(action) else 403
        missing = hidden.replace("MH", "ZZ")

        def filled(ref: str, path: str = path, body: dict[str, object] = body,
                   ) -> tuple[str, dict[str, object]]:
            return path.replace("{id}", ref), {k: str(v).replace("{id}", ref)
                                                if isinstance(v, str) else v
                                                for k, v in body.items()}

        seen = _refused(wsec, client, *filled(hidden), expected)
        if expected == 404:
            absent = _refused(wsec, client, *filled(missing), 404)
            assert str(seen).replace(hidden, "<ID>") == str(absent).replace(missing, "<ID>")
        assert "MH" not in str(seen).replace(hidden, ""), (path, seen)
    # Not vacuous: within its own scope the same account can act.
    if user.can("supervise"):
        r = client.post("/api/orders", json={"issued_by": "JD-JW", "sent_to": "unit:JD-D01",
                                             "due_on": "2099-12-31"})
    else:
        r = client.post("/api/duties/D-JD-01/records", json={
            "action": "meeting", "on": "2017-05-01", "summary": "专题会议"})
    assert r.status_code == 201, r.text


def test_forms_and_evidence_outside_the_scope(wsec: SecApp) -> None:
    """The browser's forms and the evidence download keep the scope too: a 嘉定 account
    asking for a 闵行 item gets the page of a missing one, and its form writes nothing."""
    from tests.api.security.test_scope import normalise

    jd_officer, jd_inspector = wsec.client("jd-officer"), wsec.client("jd-inspector")
    for client, path, ref in [
        (jd_officer, "/warnings/record?duty=", "duty:D-MH-01"),
        (jd_officer, "/warnings/reply?item=", "referral:RF-MH-05"),
        (jd_inspector, "/warnings/verify?item=", "referral:RF-MH-01"),
        (jd_inspector, "/warnings/order?about=", "issue:I-MH-R05"),
    ]:
        hidden, absent = client.get(path + ref), client.get(path + ref.replace("MH", "ZZ"))
        assert hidden.status_code == absent.status_code == 404, (path, hidden.status_code)
        assert normalise(hidden.text, ref) == normalise(absent.text, ref.replace("MH", "ZZ"))
    before = wsec.store.data_version()
    r = jd_officer.post("/warnings/reply", data={"item": "referral:RF-MH-05", "reply": "x"})
    assert r.status_code == 404 and wsec.store.data_version() == before
    # A record with its evidence file, through the form (a bearer token needs no CSRF).
    officer = wsec.client("mh-officer")
    r = officer.post("/warnings/record", data={
        "duty": "D-MH-01", "action": "meeting", "on": "2018-04-01", "summary": "专题会议"},
        files={"evidence": ("纪要.txt", "会议纪要".encode(), "text/plain")})
    assert r.status_code == 303, r.text[:300]
    uid = r.headers["location"].rpartition("uid=")[2]
    got = officer.get(f"/api/records/{uid}/evidence")
    assert got.status_code == 200 and got.content == "会议纪要".encode()
    assert got.headers["content-disposition"].startswith("attachment")
    hidden = jd_officer.get(f"/api/records/{uid}/evidence")
    missing = uid.replace("MH", "ZZ") if "MH" in uid else uid + "ZZ"
    absent = jd_officer.get(f"/api/records/{missing}/evidence")
    assert hidden.status_code == absent.status_code == 404
    assert hidden.text.replace(uid.partition(":")[2], "<ID>") == absent.text.replace(
        missing.partition(":")[2], "<ID>")
    # A reply through the form, then a second one: the page says why it was refused.
    r = officer.post("/warnings/reply", data={"item": "referral:RF-MH-05", "reply": "已整改"})
    assert r.status_code == 303, r.text[:300]
    before = wsec.store.data_version()
    r = officer.post("/warnings/reply", data={"item": "referral:RF-MH-05", "reply": "再次"})
    assert r.status_code == 409 and "已回告" in r.text and wsec.store.data_version() == before
    r = wsec.client("mh-inspector").post("/warnings/order", data={
        "issued_by": "unit:MH-D04", "sent_to": "unit:MH-D04", "due_on": "2099-12-31"})
    assert r.status_code == 403 and "纪检监察机关或党委" in r.text
    assert wsec.store.data_version() == before
    # A form with a bad field: shown again with the field named, nothing written.
    before = wsec.store.data_version()
    r = officer.post("/warnings/record", data={"duty": "D-MH-01", "action": "meeting",
                                               "on": "2018-02-30", "summary": "x"})
    assert r.status_code == 422 and 'data-field="on"' in r.text
    assert wsec.store.data_version() == before
