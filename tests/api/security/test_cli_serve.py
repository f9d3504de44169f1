"""``dutygraph serve`` refuses to start with logins on and nobody able to log in;
``dutygraph demo`` creates a demo admin with a random password printed once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from api.cli.security import DEMO_ADMIN, ensure_demo_admin, require_users
from api.security.users import Role, UserStore
from graph.settings import Settings


def test_serve_refuses_without_users(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                     ) -> None:
    settings = Settings(DUTYGRAPH_HOME=tmp_path, NEO4J_URI=None)
    with pytest.raises(typer.Exit):
        require_users(settings)
    assert "dutygraph users add" in capsys.readouterr().err
    users = UserStore(tmp_path)
    users.add("only", Role.admin, "a long password", ["*"])
    users.set_disabled("only", True)
    with pytest.raises(typer.Exit):
        require_users(settings)  # a disabled user cannot log in either
    users.set_disabled("only", False)
    require_users(settings)
    require_users(Settings(DUTYGRAPH_HOME=tmp_path / "x", NEO4J_URI=None, DUTYGRAPH_AUTH="off"))


def test_demo_admin_has_a_random_password_shown_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    passwords = []
    for home in (tmp_path / "a", tmp_path / "b"):
        settings = Settings(DUTYGRAPH_HOME=home, NEO4J_URI=None)
        ensure_demo_admin(settings)
        out = capsys.readouterr().out
        match = re.search(rf"用户 {DEMO_ADMIN}\s+密码 (\S+)", out)  # the CLI's default: Chinese
        assert match, out
        passwords.append(match.group(1))
        users = UserStore(home)
        assert users.authenticate(DEMO_ADMIN, match.group(1)) is not None
        ensure_demo_admin(settings)  # already there: nothing new, nothing printed
        assert capsys.readouterr().out == ""
        assert [u.username for u in users.all()] == [DEMO_ADMIN]
    assert passwords[0] != passwords[1]
