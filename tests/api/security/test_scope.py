"""Unit scopes: a user scoped to 嘉定区 (JD) cannot read, search, export or path-find into
闵行区 (MH) by any route. Every GET route of the app is enumerated and tried with MH ids in
each id parameter (out of scope → answered exactly like a missing id) and without (lists and
statistics carry nothing of MH)."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest

from api.security.policy import required_action
from api.security.users import Role
from graph.scope import EVERYTHING_SCOPE
from tests.api.security.conftest import PASSWORD, SecApp
from tests.api.security.routes import data_routes

MH_REFS: dict[str, list[str]] = {
    "unit": ["MH", "unit:MH-T01", "unit:MH-JW"],
    "person": ["P-MH-01", "person:P-MH-D02-03"],
    "issue": ["I-MH-R01"],
    "case": ["C-MH-01"],
    "duty": ["D-MH-01", "duty:D-MH-23"],
    "record": ["R-MH-001"],
    "uid": ["unit:MH", "person:P-MH-01", "issue:I-MH-R01", "case:C-MH-01",
            "accountability:A-MH-011", "referral:RF-MH-01"],
}
JD_REFS = {"unit": "JD", "person": "P-JD-01", "issue": "I-JD-001", "case": "C-JD-001",
           "duty": "D-JD-01", "record": "R-JD-0001", "uid": "unit:JD"}
KIND_OF_PARAM = {"unit": "unit", "unit_id": "unit", "person": "person", "person_id": "person",
                 "issue": "issue", "issue_id": "issue", "case": "case", "case_id": "case",
                 "duty": "duty", "record": "record",
                 "uid": "uid", "node": "uid", "from": "uid", "to": "uid"}
#: Any id of 闵行 data: MH, MH-T01, P-MH-01, I-MH-R01, A-MH-011, unit:MH ...
MH_ID = re.compile(r"(?<![A-Za-z0-9_])(?:[A-Z]{1,3}-)?MH(?:-[A-Za-z0-9]+)*(?![A-Za-z0-9_])")
_NOISE = re.compile(r'(?:nonce|value|content)="[^"]*"|nonce-[A-Za-z0-9_-]+')


def body_text(r: httpx.Response) -> str:
    # Zipped CSV and Excel workbooks (XML parts in a zip) are read part by part.
    if r.headers.get("content-type", "").startswith(("application/zip",
                                                      "application/vnd.openxmlformats")):
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:
            return "\n".join(z.read(n).decode("utf-8") for n in z.namelist())
    return r.text


def missing_twin(ref: str) -> str:
    """An id of the same shape that names nothing (MH → ZZ, kind prefix kept)."""
    return ref.replace("MH", "ZZ")


def url(path: str, params: dict[str, str]) -> str:
    query = {k: v for k, v in params.items() if "{" + k + "}" not in path}
    for k, v in params.items():
        path = path.replace("{" + k + "}", quote(v, safe=":"))
    return path + ("?" + urlencode(query) if query else "")


def required(path: str) -> dict[str, str]:
    """Parameters a route needs besides the one under test."""
    if path.startswith(("/api/graph/path", "/views/path")):
        return {"from": "unit:JD", "to": "unit:JD-JW"}
    if path == "/api/search":
        return {"q": "嘉定"}
    if path in ("/cases", "/fragments/unit-findings", "/api/assessment/rotation",
                "/api/assessment/trends", "/fragments/unit-mechanism"):
        return {"unit": "JD"}
    if path == "/search/resolve":
        return {"q": "嘉定区委"}
    if path == "/loops/item":
        return {"node": "issue:I-JD-001", "kind": "issue_no_owner"}
    if path.startswith("/export/"):  # the page's own node (the unit filters are optional)
        page = path.removeprefix("/export/").rsplit(".", 1)[0]
        return {"cases": {"unit": "JD"}, "case": {"case": "C-JD-001"},
                "issue": {"issue": "I-JD-001"}, "unit": {"unit": "JD"},
                "person": {"person": "P-JD-01"}}.get(page, {})
    if path == "/api/provenance":
        return {"fact": "unit:JD"}
    return {}


def normalise(text: str, ref: str) -> str:
    text = _NOISE.sub("", text)
    for variant in (ref, quote(ref, safe=""), quote(ref, safe=":"), ref.partition(":")[2]):
        if variant:
            text = text.replace(variant, "<ID>")
    for variant in (missing_twin(ref), quote(missing_twin(ref), safe=""),
                    quote(missing_twin(ref), safe=":"), missing_twin(ref).partition(":")[2]):
        if variant:
            text = text.replace(variant, "<ID>")
    return text


@pytest.mark.parametrize("username", ["jd-analyst", "jd-inspector"])
def test_out_of_scope_ids_answer_like_missing_ones_on_every_route(
        sec: SecApp, username: str) -> None:
    client = sec.client(username)
    user = sec.users.get(username)
    assert user is not None
    tried = 0
    for route in data_routes(sec.app):
        id_params = [p for p in route.path_params if p in KIND_OF_PARAM]
        id_params += [q for q in sorted(route.query_params)
                      if q in ("unit", "node", "from", "to", "person", "issue", "case")]
        for param in id_params:
            for ref in MH_REFS[KIND_OF_PARAM[param]]:
                params = {**required(route.path), param: ref}
                for other in route.path_params:
                    params.setdefault(other, JD_REFS[KIND_OF_PARAM[other]])
                hidden = client.get(url(route.path, params))
                tried += 1
                where = f"{route.path} {param}={ref}"
                if not user.can(str(required_action(route.route))):
                    assert hidden.status_code == 403, where
                    continue
                assert hidden.status_code == 404, (where, hidden.status_code, hidden.text[:300])
                absent = client.get(url(route.path, {**params, param: missing_twin(ref)}))
                assert absent.status_code == 404, where
                assert normalise(body_text(hidden), ref) == normalise(body_text(absent), ref), \
                    where
    assert tried > 60  # the enumeration really covered the routes
    # Not vacuous: the admin sees the same ids.
    admin = sec.client("admin")
    for path in ("/api/units/MH/holders", "/api/people/P-MH-01", "/api/cases/C-MH-01/trace",
                 "/people/P-MH-01", "/api/graph/path?from=unit:JD&to=unit:MH"):
        assert admin.get(path).status_code == 200, path


@pytest.mark.parametrize("username", ["jd-analyst", "jd-inspector"])
def test_lists_searches_and_views_carry_nothing_of_mh(sec: SecApp, username: str) -> None:
    client = sec.client(username)
    user = sec.users.get(username)
    assert user is not None
    checked = 0
    for route in data_routes(sec.app):
        if route.path.endswith("/evidence"):
            continue  # a file, not a list: tried with ids above and in test_acts.py
        params: dict[str, Any] = dict(required(route.path))
        for p in route.path_params:
            params[p] = JD_REFS[KIND_OF_PARAM[p]]
        if "q" in route.query_params:
            params["q"] = "闵行"
        if "up" in route.query_params:
            params["up"] = "true"
        if "depth" in route.query_params:
            params["depth"] = "2"
        r = client.get(url(route.path, params))
        if not user.can(str(required_action(route.route))):
            assert r.status_code == 403, route.path
            continue
        assert r.status_code == 200, (route.path, r.status_code, r.text[:300])
        text = _NOISE.sub("", body_text(r))
        leaked = sorted(set(MH_ID.findall(text)))
        assert not leaked, (route.path, leaked[:10])
        checked += 1
    assert checked > 15
    # The admin's search does find 闵行 (the filter, not the data, made the difference).
    assert sec.client("admin").get("/api/search", params={"q": "闵行"}).json()["hits"]


def test_statistics_default_to_the_scope(sec: SecApp) -> None:
    jd = sec.client("jd-analyst").get("/api/stats/accountability").json()
    assert jd["unit"]["uid"] == "unit:JD"
    explicit = sec.client("admin").get("/api/stats/accountability", params={"unit": "JD"})
    assert jd == explicit.json()
    whole = sec.client("admin").get("/api/stats/accountability").json()
    assert whole["total"] > jd["total"]
    # Several scope units: the first one, never the whole graph.
    sec.users.add("two-districts", Role.analyst, PASSWORD, ["JD", "MH"])
    sec.tokens["two-districts"] = sec.users.issue_token("two-districts")
    two = sec.client("two-districts")
    assert two.get("/api/stats/accountability").json() == jd
    mh = two.get("/api/stats/accountability", params={"unit": "MH"}).json()
    assert mh["unit"]["uid"] == "unit:MH"


def test_scope_rules_on_the_sample(sec: SecApp) -> None:
    store = sec.store
    jd = store.reads.scope_of(["unit:JD"])
    assert jd.roots == {"unit:JD", "unit:JD-JW"} and jd.above == {"unit:SH", "unit:SH-JW"}
    assert store.reads.scope_of(None).everything
    assert store.reads.scope_of(["unit:NO-SUCH-UNIT"]).roots == frozenset()
    uids = ["unit:JD", "unit:MH", "person:P-JD-01", "person:P-MH-01", "issue:I-JD-001",
            "issue:I-MH-R01", "case:C-JD-001", "case:C-MH-01", "accountability:A-JD-001",
            "accountability:A-MH-011", "referral:RF-MH-01", "project:PJ-JD-001",
            "duty:D-MH-23", "nothing:here", "person:NOBODY"]
    seen = store.reads.visible(uids, jd)
    assert seen == {"unit:JD", "person:P-JD-01", "issue:I-JD-001", "case:C-JD-001",
                    "accountability:A-JD-001", "project:PJ-JD-001"}
    mh = store.reads.scope_of(["unit:MH"])
    assert {"case:C-MH-01", "referral:RF-MH-01", "duty:D-MH-23"} <= store.reads.visible(uids, mh)
    assert store.reads.visible(uids, EVERYTHING_SCOPE) == set(uids) - {"nothing:here",
                                                                      "person:NOBODY"}
