"""Fixtures shared by the Neo4j store's own tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store.neo4j import Neo4jStore
from tests.conftest import neo4j_test_settings


@pytest.fixture
def neo(tmp_path: Path) -> Iterator[Neo4jStore]:
    """A Neo4jStore on the test server with the schema in place and no data."""
    store = Neo4jStore.from_settings(neo4j_test_settings(tmp_path))
    store.ensure_schema()
    store.clear()
    try:
        yield store
    finally:
        store.close()
