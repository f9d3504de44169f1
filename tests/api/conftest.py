"""Fixtures of the API tests: a TestClient over the app serving the shipped sample, once per
backend (``sample_store`` from tests/conftest.py is parametrised over both stores), and a
client over a small store of the test's own making."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import Settings
from graph.store import GraphStore
from tests.conftest import admin_headers


def settings_for(tmp_path: Path) -> Settings:
    """Settings that never point at a real database or a user's home."""
    return Settings(DUTYGRAPH_HOME=tmp_path / "home", NEO4J_URI=None)


def client_for(store: GraphStore, tmp_path: Path) -> TestClient:
    """A client logged in as an admin who sees everything (bearer token)."""
    settings = settings_for(tmp_path)
    return TestClient(create_app(settings, store=store), headers=admin_headers(settings.home))


@pytest.fixture
def client(sample_store: GraphStore, tmp_path: Path) -> Iterator[TestClient]:
    """The app over the sample data (read-only), on the parametrised backend."""
    with client_for(sample_store, tmp_path) as c:
        yield c


@pytest.fixture
def own_client(store: GraphStore, tmp_path: Path) -> Iterator[tuple[TestClient, GraphStore]]:
    """The app over an empty store the test fills itself, on the parametrised backend."""
    with client_for(store, tmp_path) as c:
        yield c, store
