"""The mechanism's subject routes read a subject given as a bare id or as a uid alike, and a
uid of another kind is a 404 (the path names the kind)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(("bare", "uid", "other"), [
    ("/api/units/JWDW-H04/assessments", "/api/units/unit:JWDW-H04/assessments",
     "/api/units/person:P-JD-T05-01/assessments"),
    ("/api/people/P-JD-T05-01/assessments", "/api/people/person:P-JD-T05-01/assessments",
     "/api/people/unit:JD/assessments"),
    ("/api/people/P-SIPG-C02-01/controls", "/api/people/person:P-SIPG-C02-01/controls",
     "/api/people/unit:SIPG/controls"),
])
def test_bare_id_and_uid_agree(client: TestClient, bare: str, uid: str, other: str) -> None:
    a, b = client.get(bare), client.get(uid)
    assert a.status_code == b.status_code == 200, (a.text[:200], b.text[:200])
    assert a.json() == b.json()
    assert a.json().get("items"), bare  # not vacuous: the sample has results for them
    assert client.get(other).status_code == 404
