"""Users: argon2 hashes, roles, scopes, disabling and tokens; the CLI commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.security.users import Role, UserError, UserStore


def test_password_is_hashed_with_argon2(tmp_path: Path) -> None:
    store = UserStore(tmp_path)
    store.add("alice", Role.inspector, "correct horse battery", ["JD"])
    raw = (tmp_path / "users.json").read_text()
    assert "correct horse battery" not in raw
    assert "$argon2id$" in raw
    assert store.authenticate("alice", "correct horse battery") is not None
    assert store.authenticate("alice", "wrong password!!") is None
    assert store.authenticate("nobody", "correct horse battery") is None


def test_disabled_user_cannot_log_in_or_use_tokens(tmp_path: Path) -> None:
    store = UserStore(tmp_path)
    store.add("bob", Role.analyst, "a long password", ["MH"])
    token = store.issue_token("bob")
    assert store.authenticate_token(token) is not None
    store.set_disabled("bob", True)
    assert store.authenticate("bob", "a long password") is None
    assert store.authenticate_token(token) is None


def test_tokens_are_stored_hashed_and_checked_exactly(tmp_path: Path) -> None:
    store = UserStore(tmp_path)
    store.add("carol", Role.admin, "a long password", [])
    token = store.issue_token("carol", "ci")
    assert token.split("_", 2)[2] not in (tmp_path / "users.json").read_text()
    assert store.authenticate_token(token + "x") is None
    assert store.authenticate_token("dg_nope_nope") is None
    user = store.authenticate_token(token)
    assert user is not None and user.username == "carol"


def test_rules(tmp_path: Path) -> None:
    store = UserStore(tmp_path)
    with pytest.raises(UserError):
        store.add("dave", Role.inspector, "short", ["JD"])
    with pytest.raises(UserError):
        store.add("dave", Role.inspector, "a long password", [])  # no scope
    with pytest.raises(UserError):
        store.add("bad name!", Role.admin, "a long password", [])
    store.add("dave", Role.inspector, "a long password", ["JD"])
    with pytest.raises(UserError):
        store.add("dave", Role.inspector, "a long password", ["JD"])
    assert store.get("dave") is not None and store.get("dave").scopes == ["JD"]  # type: ignore[union-attr]
    assert store.get("dave").can("read") and not store.get("dave").can("export")  # type: ignore[union-attr]


def test_cli_users_and_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.settings import get_settings

    monkeypatch.setenv("DUTYGRAPH_HOME", str(tmp_path))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        r = runner.invoke(app, ["users", "add", "erin", "--role", "inspector", "--scope", "JD"])
        assert r.exit_code == 0, r.output
        assert "密码（仅显示这一次）：" in r.output
        r = runner.invoke(app, ["users", "set-scope", "erin", "--scope", "JD", "--scope", "MH"])
        assert r.exit_code == 0
        r = runner.invoke(app, ["users", "list", "--json"])
        rows = json.loads(r.output)
        assert rows[0]["username"] == "erin" and rows[0]["scopes"] == ["JD", "MH"]
        assert "password_hash" not in r.output
        r = runner.invoke(app, ["users", "disable", "nobody"])
        assert r.exit_code == 1
        r = runner.invoke(app, ["audit", "verify"])
        assert r.exit_code == 0 and "完好" in r.output
        r = runner.invoke(app, ["--lang", "en", "audit", "verify"])
        assert r.exit_code == 0 and r.output.startswith("OK: ")
        r = runner.invoke(app, ["--lang", "en", "users", "disable", "nobody"])
        assert r.exit_code == 1 and "No such user: nobody" in r.output
    finally:
        get_settings.cache_clear()


def test_unit_officer_role_and_acting_unit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    """The unit officer writes but does not supervise; an account's acting unit and person
    are stored as uids and can be cleared."""
    from graph.settings import get_settings

    monkeypatch.setenv("DUTYGRAPH_HOME", str(tmp_path))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        r = runner.invoke(app, ["users", "add", "tan", "--role", "unit_officer", "--scope",
                                "MH", "--person", "P-MH-08"])
        assert r.exit_code == 0, r.output
        user = UserStore(tmp_path).get("tan")
        assert user is not None and user.person == "person:P-MH-08" and user.unit is None
        assert user.can("write") and user.can("read") and not user.can("supervise")
        assert not user.can("export")
        r = runner.invoke(app, ["users", "set-acting", "tan", "--unit", "MH-JW"])
        assert r.exit_code == 0 and "unit:MH-JW" in r.output, r.output
        r = runner.invoke(app, ["users", "set-acting", "tan", "--person", ""])
        user = UserStore(tmp_path).get("tan")
        assert user is not None and user.unit == "unit:MH-JW" and user.person is None
        inspector = UserStore(tmp_path).add("ivy", Role.inspector, "a-long-password-1", ["MH"])
        assert inspector.can("supervise") and not inspector.can("write")
    finally:
        get_settings.cache_clear()
