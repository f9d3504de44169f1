"""Revocation: logout, a password change, disabling and "sign out everywhere" end browser
sessions at once (a saved copy of the cookie stops working); API tokens expire, carry a
label and their last use, and are revoked one by one; the CLI commands."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.cli import app as cli
from api.security.session import COOKIE
from api.security.users import DEFAULT_TOKEN_DAYS, UserError
from graph.settings import get_settings
from graph.store.embedded import EmbeddedStore
from tests.api.security.conftest import PASSWORD, SecApp, login, make_sec_app

DATA = "/api/search?q=x"


@pytest.fixture
def app_(tmp_path: Path) -> SecApp:
    """Sessions and tokens need no data: an empty embedded store."""
    return make_sec_app(EmbeddedStore(None), tmp_path / "home")


def signed_in(app_: SecApp, username: str) -> tuple[TestClient, str]:
    """A browser signed in as ``username`` and a copy of its session cookie."""
    browser = app_.client()
    assert login(browser, username) == 303
    assert browser.get(DATA).status_code == 200
    return browser, str(browser.cookies[COOKIE])


def with_cookie(app_: SecApp, cookie: str) -> TestClient:
    """Another client replaying a saved cookie (what a thief of the cookie does)."""
    return TestClient(app_.app, cookies={COOKIE: cookie}, follow_redirects=False)


def test_logout_ends_the_session_for_every_copy_of_the_cookie(app_: SecApp) -> None:
    browser, saved = signed_in(app_, "jd-inspector")
    assert with_cookie(app_, saved).get(DATA).status_code == 200
    token = browser.get("/logout").text.split('name="csrf_token" value="', 1)[1].split('"')[0]
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 303
    assert with_cookie(app_, saved).get(DATA).status_code == 401
    assert with_cookie(app_, saved).get("/units/JD").status_code == 303  # to the login page
    assert browser.get(DATA).status_code == 401


def test_a_password_change_ends_sessions_and_revokes_tokens(app_: SecApp) -> None:
    _, saved = signed_in(app_, "jd-analyst")
    api = app_.client("jd-analyst")
    assert api.get(DATA).status_code == 200
    user, revoked = app_.users.set_password("jd-analyst", "a new long password")
    assert revoked == 1 and user.tokens == []
    assert with_cookie(app_, saved).get(DATA).status_code == 401
    assert api.get(DATA).status_code == 401
    # Tokens kept on request (unattended jobs); sessions end all the same.
    _, saved = signed_in(app_, "jd-inspector")
    inspector_api = app_.client("jd-inspector")
    _, revoked = app_.users.set_password("jd-inspector", "another long password",
                                         keep_tokens=True)
    assert revoked == 0
    assert with_cookie(app_, saved).get(DATA).status_code == 401
    assert inspector_api.get(DATA).status_code == 200


def test_disabling_ends_sessions_and_enabling_does_not_bring_them_back(app_: SecApp) -> None:
    _, saved = signed_in(app_, "mh-inspector")
    app_.users.set_disabled("mh-inspector", True)
    assert with_cookie(app_, saved).get(DATA).status_code == 401
    app_.users.set_disabled("mh-inspector", False)
    assert with_cookie(app_, saved).get(DATA).status_code == 401
    assert login(app_.client(), "mh-inspector") == 303  # a new login works again


def test_sign_out_everywhere_ends_every_session_of_that_user_only(app_: SecApp) -> None:
    _, laptop = signed_in(app_, "jd-inspector")
    _, phone = signed_in(app_, "jd-inspector")
    _, other = signed_in(app_, "jd-analyst")
    assert app_.users.state.session_count("jd-inspector") == 2
    assert app_.users.sign_out_everywhere("jd-inspector") == 2
    assert with_cookie(app_, laptop).get(DATA).status_code == 401
    assert with_cookie(app_, phone).get(DATA).status_code == 401
    assert with_cookie(app_, other).get(DATA).status_code == 200
    assert app_.client("jd-inspector").get(DATA).status_code == 200  # tokens stay
    with pytest.raises(UserError):
        app_.users.sign_out_everywhere("nobody")


def test_tokens_have_a_label_an_expiry_and_their_last_use(app_: SecApp) -> None:
    users = app_.users
    token = users.issue_token("jd-analyst", "nightly report", days=30)
    _, (t, used) = users.tokens("jd-analyst")
    assert (t.label, used) == ("nightly report", None)
    assert t.expires > t.created
    client = TestClient(app_.app, headers={"Authorization": f"Bearer {token}"})
    assert client.get(DATA).status_code == 200
    (_, used) = users.tokens("jd-analyst")[1]
    assert used is not None
    with pytest.raises(UserError):
        users.issue_token("jd-analyst", days=0)
    # Past its expiry a token is refused (the expiry moved back in the user file).
    doc = orjson.loads(users.path.read_bytes())
    doc["users"]["jd-analyst"]["tokens"][1]["expires"] = "2020-01-01T00:00:00+00:00"
    users.path.write_bytes(orjson.dumps(doc))
    assert client.get(DATA).status_code == 401
    assert users.tokens("jd-analyst")[1][0].expired()
    assert app_.client("jd-analyst").get(DATA).status_code == 200  # the other one still works


def test_a_token_from_before_expiries_expires_after_the_default_days(app_: SecApp) -> None:
    users = app_.users
    doc = orjson.loads(users.path.read_bytes())
    token = doc["users"]["jd-analyst"]["tokens"][0]
    del token["expires"]
    token["created"] = "2020-01-01T00:00:00+00:00"
    users.path.write_bytes(orjson.dumps(doc))
    (t, _), = users.tokens("jd-analyst")
    assert DEFAULT_TOKEN_DAYS == 90
    assert t.expires == "2020-03-31T00:00:00+00:00"  # 90 days after 2020-01-01
    assert app_.client("jd-analyst").get(DATA).status_code == 401


def test_tokens_are_revoked_one_by_one(app_: SecApp) -> None:
    users = app_.users
    second = users.issue_token("jd-inspector", "second")
    second_client = TestClient(app_.app, headers={"Authorization": f"Bearer {second}"})
    first_id = users.tokens("jd-inspector")[0][0].id
    users.revoke_token("jd-inspector", first_id)
    assert app_.client("jd-inspector").get(DATA).status_code == 401
    assert second_client.get(DATA).status_code == 200
    with pytest.raises(UserError):
        users.revoke_token("jd-inspector", first_id)
    with pytest.raises(UserError):
        users.revoke_token("jd-analyst", users.tokens("jd-inspector")[0][0].id)  # not theirs


@pytest.fixture
def cli_home(app_: SecApp, monkeypatch: pytest.MonkeyPatch) -> Iterator[SecApp]:
    monkeypatch.setenv("DUTYGRAPH_HOME", str(app_.home))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    get_settings.cache_clear()
    try:
        yield app_
    finally:
        get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--lang", "en", "users", *args], env={"COLUMNS": "200"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_cli_tokens_revoke_passwd_and_signout(cli_home: SecApp) -> None:
    app_ = cli_home
    code, out = run("token", "jd-analyst", "--label", "ci", "--days", "7")
    assert code == 0 and out.startswith("dg_")
    ci = TestClient(app_.app, headers={"Authorization": f"Bearer {out.strip()}"})
    assert ci.get(DATA).status_code == 200
    code, out = run("tokens", "jd-analyst", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["label"] for r in rows] == ["", "ci"]
    assert set(rows[1]) == {"id", "label", "created", "expires", "expired", "last_used"}
    assert rows[1]["last_used"] is not None and not rows[1]["expired"]
    assert "sha256" not in out
    code, out = run("tokens", "jd-analyst")
    assert code == 0 and "ci" in out and "active" in out
    assert run("revoke", "jd-analyst", rows[1]["id"])[0] == 0
    assert ci.get(DATA).status_code == 401
    assert app_.client("jd-analyst").get(DATA).status_code == 200
    code, out = run("revoke", "jd-analyst", "nope")
    assert code == 1
    # signout: sessions end, tokens stay.
    _, saved = signed_in(app_, "jd-analyst")
    code, out = run("signout", "jd-analyst")
    assert (code, out.strip()) == (0, "jd-analyst: 1 session ended")
    assert with_cookie(app_, saved).get(DATA).status_code == 401
    assert app_.client("jd-analyst").get(DATA).status_code == 200
    # passwd: a new password; sessions end and tokens are revoked unless --keep-tokens.
    _, saved = signed_in(app_, "jd-analyst")
    code, out = run("passwd", "jd-analyst")
    assert code == 0 and "1 API token revoked" in out
    new_password = out.split("Password (shown once): ", 1)[1].split()[0]
    assert with_cookie(app_, saved).get(DATA).status_code == 401
    assert app_.client("jd-analyst").get(DATA).status_code == 401
    assert login(app_.client(), "jd-analyst", PASSWORD) == 401
    assert login(app_.client(), "jd-analyst", new_password) == 303
    code, out = run("passwd", "jd-inspector", "--keep-tokens")
    assert code == 0 and "0 API tokens revoked" in out
    assert app_.client("jd-inspector").get(DATA).status_code == 200
