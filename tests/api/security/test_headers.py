"""Security headers on every page: a strict CSP (no external origin, scripts only from the
server or with the request's nonce), frame-ancestors none, nosniff, no referrer."""

from __future__ import annotations

import re
from urllib.parse import quote

from tests.api.security.conftest import SecApp
from tests.api.security.routes import all_routes

JD = {"unit": "JD", "unit_id": "JD", "person": "P-JD-01", "person_id": "P-JD-01",
      "issue": "I-JD-001", "issue_id": "I-JD-001", "case": "C-JD-001", "case_id": "C-JD-001",
      "uid": "unit:JD", "change": "1"}
SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)


def check_headers(r: object, where: str) -> str:
    headers = r.headers  # type: ignore[attr-defined]
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy, where
    assert "frame-ancestors 'none'" in policy, where
    assert "http:" not in policy and "https:" not in policy and "*" not in policy, where
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src, where
    assert headers["x-content-type-options"] == "nosniff", where
    assert headers["referrer-policy"] == "no-referrer", where
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce, where
    return nonce.group(1)


def test_every_page_has_a_strict_csp_and_nonced_inline_scripts(sec: SecApp) -> None:
    admin = sec.client("admin")
    pages = 0
    nonces = set()
    for route in all_routes(sec.app):
        if "GET" not in route.methods or not route.html:
            continue
        path = route.path
        for p in route.path_params:
            path = path.replace("{" + p + "}", quote(JD[p], safe=":"))
        params = ({"unit": "JD"} if route.path in ("/cases", "/fragments/unit-findings",
                                                   "/fragments/unit-mechanism") else {})
        if route.path == "/loops/item":
            params = {"node": "issue:I-JD-001", "kind": "issue_no_owner"}
        if route.path.startswith("/views/path"):
            params = {"from": "unit:JD", "to": "unit:JD-JW"}
        r = admin.get(path, params=params)
        assert r.status_code == 200, (route.path, r.status_code)
        nonce = check_headers(r, route.path)
        nonces.add(nonce)
        for attrs in SCRIPT.findall(r.text):
            if "src=" in attrs or "application/json" in attrs:
                continue
            assert f'nonce="{nonce}"' in attrs, (route.path, attrs)
        pages += 1
    assert pages >= 15 and len(nonces) == pages  # a fresh nonce per response
    # The JSON API, errors, the login page and static files carry the headers as well.
    for path in ("/api/units/JD/holders", "/api/people/NOPE", "/health", "/static/ui/ui.css"):
        check_headers(admin.get(path), path)
    check_headers(sec.client().get("/login"), "/login")
    check_headers(sec.client().get("/api/search?q=x"), "401")
