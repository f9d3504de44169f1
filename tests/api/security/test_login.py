"""Logins: the form, the session cookie and its flags, CSRF, logout, the rate limit, bearer
tokens, disabled users, the redirect target, unauthenticated answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.store.embedded import EmbeddedStore
from tests.api.security.conftest import PASSWORD, SecApp, login, make_sec_app


@pytest.fixture
def app_(tmp_path: Path) -> SecApp:
    """Login mechanics need no data: an empty embedded store."""
    return make_sec_app(EmbeddedStore(None), tmp_path / "home")


def test_unauthenticated_api_is_401_json_and_page_redirects(app_: SecApp) -> None:
    c = app_.client()
    r = c.get("/api/search", params={"q": "嘉定"})
    assert r.status_code == 401
    assert r.json()["error"] == "unauthenticated" and r.json()["message_zh"]
    assert r.headers["www-authenticate"].startswith("Bearer")
    r = c.get("/units/JD", params={"lang": "en"})
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=%2Funits%2FJD%3Flang%3Den"
    for public in ("/health", "/login", "/static/ui/ui.css"):
        assert c.get(public).status_code == 200, public
    for private in ("/docs", "/redoc", "/openapi.json", "/admin/audit"):
        assert c.get(private).status_code in (303, 401), private


def test_login_sets_a_hardened_session_cookie_and_logout_ends_it(app_: SecApp) -> None:
    c = app_.client()
    assert login(c, "jd-inspector", next_url="/units/JD") == 303
    cookies = [h for k, h in c.get("/login").headers.multi_items() if k == "set-cookie"]
    r = c.post("/login", data={})  # any response that sets the cookie shows its flags
    set_cookie = r.headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=lax" in set_cookie
    assert "secure" not in set_cookie  # plain HTTP without DUTYGRAPH_SECURE_COOKIES
    assert cookies
    # A fresh login: the cookie now authenticates pages and the API.
    c = app_.client()
    login(c, "jd-inspector")
    assert c.get("/api/search?q=x").status_code == 200
    page = c.get("/logout")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert c.post("/logout", data={"csrf_token": "wrong"}).status_code == 403
    assert c.get("/api/search?q=x").status_code == 200
    r = c.post("/logout", data={"csrf_token": token})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert c.get("/api/search?q=x").status_code == 401


def test_secure_flag_behind_tls(tmp_path: Path) -> None:
    app_ = make_sec_app(EmbeddedStore(None), tmp_path / "h1", DUTYGRAPH_SECURE_COOKIES=True)
    r = app_.client().get("/login")
    assert "secure" in r.headers["set-cookie"].lower()
    app_ = make_sec_app(EmbeddedStore(None), tmp_path / "h2")
    r = TestClient(app_.app, base_url="https://testserver").get("/login")
    assert "secure" in r.headers["set-cookie"].lower()


def test_login_needs_the_csrf_token_of_the_session(app_: SecApp) -> None:
    c = app_.client()
    c.get("/login")
    r = c.post("/login", data={"username": "admin", "password": PASSWORD,
                               "csrf_token": "forged", "next": "/"})
    assert r.status_code == 403
    assert c.get("/api/search?q=x").status_code == 401
    # Without any session cookie (a cross-site form post) it fails the same way.
    r = app_.client().post("/login", data={"username": "admin", "password": PASSWORD,
                                           "csrf_token": "", "next": "/"})
    assert r.status_code == 403


def test_state_changing_requests_with_the_cookie_need_the_csrf_header(app_: SecApp) -> None:
    c = app_.client()
    login(c, "admin")
    r = c.post("/api/search")
    assert r.status_code == 403 and r.json()["error"] == "csrf"


@pytest.mark.parametrize("target,expected", [
    ("/units/JD?lang=en", "/units/JD?lang=en"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_must_be_a_local_path(app_: SecApp, target: str, expected: str) -> None:
    c = app_.client()
    page = c.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    r = c.post("/login", data={"username": "admin", "password": PASSWORD,
                               "csrf_token": token, "next": target})
    assert r.status_code == 303 and r.headers["location"] == expected


def test_failed_logins_are_rate_limited_per_user_and_per_address(app_: SecApp) -> None:
    c = app_.client()
    for _ in range(5):
        assert login(c, "admin", "wrong password!") == 401
    assert login(c, "admin") == 429  # even the right password, for a while
    page = c.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    r = c.post("/login", data={"username": "admin", "password": PASSWORD,
                               "csrf_token": token})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    # The same address is limited for other names too.
    assert login(c, "jd-analyst") == 429


def test_bearer_tokens_and_disabled_users(app_: SecApp) -> None:
    c = app_.client("jd-analyst")
    assert c.get("/api/search?q=x").status_code == 200
    bad = TestClient(app_.app, headers={"Authorization": "Bearer dg_nope_nope"})
    assert bad.get("/api/search?q=x").status_code == 401
    assert bad.get("/health").status_code == 401  # a wrong token is never ignored
    app_.users.set_disabled("jd-analyst", True)
    assert c.get("/api/search?q=x").status_code == 401
    browser = app_.client()
    assert login(browser, "jd-inspector") == 303
    app_.users.set_disabled("jd-inspector", True)
    assert browser.get("/api/search?q=x").status_code == 401
    assert login(app_.client(), "jd-analyst") == 401


def test_auth_off_is_for_local_development_only(tmp_path: Path) -> None:
    app_ = make_sec_app(EmbeddedStore(None), tmp_path / "home", DUTYGRAPH_AUTH="off")
    assert app_.client().get("/api/units/JD/overview").status_code == 404  # no login needed
