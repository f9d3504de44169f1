"""The home is for the service account only: DUTYGRAPH_HOME is a 0700 directory and every
file DutyGraph writes there is 0600 — the graph, users, audit log and head, keys, sessions
(SQLite with its WAL files), cache counters — whatever the umask."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.security.users import Role, UserStore
from graph.settings import Settings
from graph.store.base import NodeRecord
from graph.store.embedded import EmbeddedStore
from tests.api.security.conftest import PASSWORD, login


@pytest.fixture(params=[0o022, 0o000, 0o277], ids=["umask022", "umask000", "umask277"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield int(request.param)
    finally:
        os.umask(old)


def modes(home: Path) -> dict[str, int]:
    """Mode of the home and of everything under it, by relative path."""
    out = {".": stat.S_IMODE(home.stat().st_mode)}
    for p in home.rglob("*"):
        out[str(p.relative_to(home))] = stat.S_IMODE(p.lstat().st_mode)
    return out


def test_everything_in_the_home_is_private(tmp_path: Path, umask: int,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("DUTYGRAPH_API_CACHE_STATS", "true")
    store = EmbeddedStore(home)
    store.upsert_nodes([NodeRecord("Unit", "U1", {"name": "单位", "kind": "other", "level": 1})])
    store.flush()
    users = UserStore(home)
    users.add("alice", Role.admin, PASSWORD, ["*"])
    token = users.issue_token("alice", "t")
    app = create_app(Settings(DUTYGRAPH_HOME=home, NEO4J_URI=None), store=store)
    browser = TestClient(app, follow_redirects=False)
    assert login(browser, "alice") == 303  # a session, an audit entry, login attempts
    api = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    for _ in range(2):
        assert api.get("/api/units/unit:U1/holders").status_code == 200  # cache counters
    deadline = time.monotonic() + 10
    while not (home / "cache-stats").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    found = modes(home)
    expected = {"graph.json", "users.json", "audit.log", "audit.head", "audit.key",
                "secret.key", "security.db", "security.db-wal", "security.db-shm",
                ".lock", ".users.lock", "cache-stats", f"cache-stats/{os.getpid()}.json"}
    assert expected <= set(found), sorted(found)
    assert {p: m for p, m in found.items()
            if m != (0o700 if (home / p).is_dir() else 0o600)} == {}


def test_an_older_open_home_is_tightened(tmp_path: Path) -> None:
    """A home of an older version (0755, files 0644) is made private as it is used."""
    from api.security.audit import AuditLog
    from api.security.session import secret_key

    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)
    for name in ("audit.log", "secret.key"):
        (home / name).write_text("" if name == "audit.log" else "an older key")
        os.chmod(home / name, 0o644)
    store = EmbeddedStore(home)
    store.upsert_nodes([NodeRecord("Unit", "U1", {"name": "单位", "kind": "other", "level": 1})])
    store.flush()
    AuditLog(home).append("alice", "read", "/x", [])
    assert secret_key(Settings(DUTYGRAPH_HOME=home, NEO4J_URI=None)) == "an older key"
    found = modes(home)
    assert (found["."], found["graph.json"], found["audit.log"], found["secret.key"]) == (
        0o700, 0o600, 0o600, 0o600)
