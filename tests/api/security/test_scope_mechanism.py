"""Unit scopes on the mechanism's reads (assessment, coverage, risk points, 三重一大): a user
of 嘉定区 sees none of 上港's or 教卫's, by id or in a list; a user of one 上港 company sees
its own register, the group above it only in outline (the assessor's name, no indicator of
the group's list), and nothing of its sibling companies. The generic route enumeration of
test_scope.py covers the same routes with 闵行's ids."""

from __future__ import annotations

import re

import pytest

from api.security.users import Role
from tests.api.security.conftest import PASSWORD, SecApp

#: Ids of 上港 and 教卫 data (the sample's other pilots).
OTHER_PILOTS = re.compile(r"(?<![A-Za-z0-9_])(?:[A-Z]{1,3}-)*(?:SIPG|JWDW)(?:-[A-Za-z0-9]+)*")
_NOISE = re.compile(r'(?:nonce|value|content)="[^"]*"|nonce-[A-Za-z0-9_-]+')

HIDDEN = [
    "/api/units/SIPG/decisions", "/api/units/SIPG-C02/risks?subtree=true",
    "/api/units/JWDW-H04/assessments", "/api/people/P-SIPG-C02-01/controls",
    "/api/people/P-SIPG-C02-01/assessments", "/api/assessment/rotation?unit=JWDW",
    "/api/assessment/trends?unit=SIPG", "/api/coverage?unit=JWDW",
    "/fragments/unit-mechanism?unit=SIPG", "/coverage?unit=SIPG", "/units/SIPG-C07",
    "/people/P-SIPG-C02-01",
]
SEEN = [
    "/api/coverage", "/coverage", "/api/units/JD/decisions?subtree=true",
    "/api/units/JD/risks?subtree=true", "/api/assessment/trends?unit=JD",
    "/api/assessment/rotation?unit=JD", "/api/people/P-JD-T05-01/assessments",
    "/fragments/unit-mechanism?unit=JD", "/units/JD-T05", "/people/P-JD-T05-01",
]


def _missing(path: str) -> str:
    return path.replace("SIPG", "ZZPG").replace("JWDW", "ZZDW")


def _bare(text: str) -> str:
    """The text with every id of the other pilots (or of its missing twin) set aside."""
    text = _NOISE.sub("", text).replace("ZZPG", "SIPG").replace("ZZDW", "JWDW")
    return OTHER_PILOTS.sub("<ID>", text)


@pytest.mark.parametrize("username", ["jd-analyst", "jd-inspector"])
def test_other_pilots_answer_like_missing_ids(sec: SecApp, username: str) -> None:
    client = sec.client(username)
    admin = sec.client("admin")
    for path in HIDDEN:
        hidden, absent = client.get(path), client.get(_missing(path))
        assert (hidden.status_code, absent.status_code) == (404, 404), (path, hidden.text[:200])
        # Same answer as a missing id, once the id itself is set aside.
        assert _bare(hidden.text) == _bare(absent.text), path
        assert admin.get(path).status_code == 200, path  # not vacuous


@pytest.mark.parametrize("username", ["jd-analyst", "jd-inspector"])
def test_lists_and_pages_carry_nothing_of_other_pilots(sec: SecApp, username: str) -> None:
    client = sec.client(username)
    for path in SEEN:
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        leaked = sorted(set(OTHER_PILOTS.findall(_NOISE.sub("", r.text))))
        assert not leaked, (path, leaked[:10])
    # Coverage defaults to the scope: the same as the admin's for 嘉定, less than the city's.
    mine = client.get("/api/coverage").json()
    admin = sec.client("admin")
    assert {k: v for k, v in mine.items() if k != "unit"} == {
        k: v for k, v in admin.get("/api/coverage?unit=JD").json().items() if k != "unit"}
    assert mine["units"] < admin.get("/api/coverage").json()["units"]
    # The evaluation of a 嘉定 town secretary is seen whole, both channels.
    items = client.get("/api/people/P-JD-T05-01/assessments").json()["items"]
    assert {i["method"] for i in items} == {"superior", "mass"}


def test_a_company_sees_its_own_and_the_group_in_outline(sec: SecApp) -> None:
    sec.users.add("c02-inspector", Role.inspector, PASSWORD, ["SIPG-C02"])
    sec.tokens["c02-inspector"] = sec.users.issue_token("c02-inspector")
    client, admin = sec.client("c02-inspector"), sec.client("admin")
    path = "/api/units/SIPG-C02/assessments?as_of=2018-06-30"
    [mine] = client.get(path).json()["items"]
    [full] = admin.get(path).json()["items"]
    # The assessor (the group, above the scope) by name; of the 73 list items scored, only
    # those the scope shows (its supervising commission's), none of the group's own.
    assert mine["assessed_by"] == full["assessed_by"] and mine["assessed_by"]["uid"] == "unit:SIPG"
    everything = {s["duty"]["uid"] for s in full["indicators"]}
    shown = {s["duty"]["uid"] for s in mine["indicators"]}
    scope = sec.store.reads.scope_of(["unit:SIPG-C02"])
    assert len(everything) == 73 and "duty:D-SIPG-P01" in everything - shown
    assert shown == sec.store.reads.visible(sorted(everything), scope) and shown < everything
    assert mine["score"] == full["score"]
    risks = client.get("/api/units/SIPG-C02/risks").json()
    assert risks["points"] and {p["unit"]["uid"] for p in risks["points"]} == {"unit:SIPG-C02"}
    assert risks == admin.get("/api/units/SIPG-C02/risks").json()
    # The group and a sibling company: not found; the sibling's decision not listed anywhere.
    for hidden in ("/api/units/SIPG/decisions", "/api/units/SIPG-C06/decisions",
                   "/api/people/P-SIPG-C06-01/controls"):
        assert client.get(hidden).status_code == 404, hidden
    decisions = client.get("/api/units/SIPG-C02/decisions?subtree=true").json()
    assert {d["unit"]["uid"] for d in decisions["items"]} == {"unit:SIPG-C02"}
    cov = client.get("/api/coverage").json()
    assert cov["units"] == 1 and not cov["uncovered"]  # its commission is not counted
