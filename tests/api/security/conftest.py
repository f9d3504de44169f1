"""Fixtures of the security tests: the app over the sample (both stores) with four users
— an admin, a JD-scoped inspector, a JD-scoped analyst and a MH-scoped inspector — and a
bearer-token client for each."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.security.users import Role, UserStore
from graph.settings import Settings
from graph.store import GraphStore

PASSWORD = "a-long-test-password"  # a throwaway test account
USERS = {
    "admin": (Role.admin, ["*"]),
    "jd-inspector": (Role.inspector, ["JD"]),
    "jd-analyst": (Role.analyst, ["JD"]),
    "mh-inspector": (Role.inspector, ["MH"]),
}


@dataclass
class SecApp:
    app: FastAPI
    home: Path
    store: GraphStore
    users: UserStore
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, username: str | None = None) -> TestClient:
        """A client with the user's bearer token (None: anonymous)."""
        headers = {"Authorization": f"Bearer {self.tokens[username]}"} if username else {}
        return TestClient(self.app, headers=headers, follow_redirects=False)


def make_sec_app(store: GraphStore, home: Path, **settings: Any) -> SecApp:
    users = UserStore(home)
    sec = SecApp(create_app(Settings(DUTYGRAPH_HOME=home, NEO4J_URI=None, **settings),
                            store=store), home, store, users)
    for name, (role, scopes) in USERS.items():
        users.add(name, role, PASSWORD, scopes)
        sec.tokens[name] = users.issue_token(name)
    return sec


@pytest.fixture
def sec(sample_store: GraphStore, tmp_path: Path) -> Iterator[SecApp]:
    """The secured app over the sample data, on the parametrised backend."""
    yield make_sec_app(sample_store, tmp_path / "home")


def login(client: TestClient, username: str, password: str = PASSWORD,
          next_url: str = "/") -> int:
    """Log in through the form (GET for the CSRF token, then POST); the status code."""
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    r = client.post("/login", data={"username": username, "password": password,
                                    "csrf_token": token, "next": next_url})
    return r.status_code
