"""Fixtures shared by every test package.

``store`` is parametrised over both backends, so one contract suite runs on each
(the graphiti pattern). The Neo4j half talks to the real server that ``scripts/test``
starts (DUTYGRAPH_TEST_NEO4J_URI etc.); without it the Neo4j half is skipped in a
developer's quick run, but *fails* under CI (``CI=true``) or DUTYGRAPH_REQUIRE_NEO4J=1,
so it can never be silently skipped where it matters.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

# The catalogues render the domain's messages (str() of errors, load reasons), as they do
# in the CLI and the API, which import them the same way.
import api.i18n  # noqa: F401
from graph.settings import Settings
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore

BACKENDS = ["embedded", pytest.param("neo4j", marks=pytest.mark.integration)]


def neo4j_test_settings(tmp_path: Path | None = None) -> Settings:
    """Settings pointing at the test Neo4j, or skip/fail as the module docstring says."""
    uri = os.environ.get("DUTYGRAPH_TEST_NEO4J_URI")
    if not uri:
        if os.environ.get("CI") == "true" or os.environ.get("DUTYGRAPH_REQUIRE_NEO4J") == "1":
            pytest.fail("DUTYGRAPH_TEST_NEO4J_URI is not set: start Neo4j with ops/neo4j/neo4jctl")
        pytest.skip("no test Neo4j (run scripts/test, or ops/neo4j/neo4jctl start)")
    return Settings(
        NEO4J_URI=uri,
        NEO4J_USERNAME=os.environ.get("DUTYGRAPH_TEST_NEO4J_USERNAME", "neo4j"),
        NEO4J_PASSWORD=SecretStr(os.environ.get("DUTYGRAPH_TEST_NEO4J_PASSWORD", "")),
        NEO4J_DATABASE=os.environ.get("DUTYGRAPH_TEST_NEO4J_DATABASE", "neo4j"),
        DUTYGRAPH_HOME=tmp_path or Path("/nonexistent"),
    )


def make_store(backend: str, tmp_path: Path) -> GraphStore:
    """A fresh, empty store of the given backend (the Neo4j database is cleared)."""
    if backend == "embedded":
        return EmbeddedStore(tmp_path / "home")
    from graph.store.neo4j import Neo4jStore

    store = Neo4jStore.from_settings(neo4j_test_settings(tmp_path))
    store.ensure_schema()
    store.clear()
    _bump_neo4j_generation()
    return store


#: Bumped whenever make_store clears the shared test Neo4j database, so that a cached
#: ``sample_store`` knows its data is gone and reloads it.
NEO4J_GENERATION = 0


def _bump_neo4j_generation() -> None:
    global NEO4J_GENERATION
    NEO4J_GENERATION += 1


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(backend: str, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store, once per backend."""
    s = make_store(backend, tmp_path)
    try:
        yield s
    finally:
        s.close()


# -- the sample data, loaded once per backend ------------------------------------------
@pytest.fixture(scope="session")
def _sample_stores() -> Iterator[dict[str, tuple[GraphStore, int, dict[str, object]]]]:
    cache: dict[str, tuple[GraphStore, int, dict[str, object]]] = {}
    yield cache
    for store, _, _ in cache.values():
        store.close()


@pytest.fixture
def sample_store(
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    _sample_stores: dict[str, tuple[GraphStore, int, dict[str, object]]],
) -> GraphStore:
    """The shipped sample data (CSV form) in a store of the parametrised backend. READ-ONLY.

    Loaded once per session per backend (:func:`sample_store_of`).
    """
    return sample_store_of(backend, tmp_path_factory, _sample_stores)


def sample_store_of(
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    cache: dict[str, tuple[GraphStore, int, dict[str, object]]],
) -> GraphStore:
    """The sample in a store of ``backend``, loaded once per session (``cache`` is the
    ``_sample_stores`` fixture), for tests that need both stores at once. READ-ONLY.

    The Neo4j database is shared with the ``store`` fixture, which clears it: the sample is
    reloaded when make_store has cleared the database since (generation counter) or when
    the counts differ from those right after loading.
    """
    from loaders.pipeline import load_sample

    cached = cache.get(backend)
    if cached is not None:
        store, generation, counts = cached
        if backend == "embedded":
            return store
        if generation == NEO4J_GENERATION and store.counts().as_dict() == counts:
            return store
    if backend == "embedded":
        store = EmbeddedStore(None)
    else:
        from graph.store.neo4j import Neo4jStore

        store = cached[0] if cached is not None else Neo4jStore.from_settings(
            neo4j_test_settings(tmp_path_factory.mktemp("sample-neo4j")))
        store.ensure_schema()
        store.clear()
    report = load_sample(store, progress=False)
    assert report.ok and report.written, [e.model_dump() for e in report.errors[:5]]
    cache[backend] = (store, NEO4J_GENERATION, store.counts().as_dict())
    return store


# -- logins for the API and browser tests (api/security) ---------------------------------
TEST_ADMIN = "test-admin"
TEST_ADMIN_PASSWORD = "test-admin-password"  # a throwaway test account


def admin_headers(home: Path) -> dict[str, str]:
    """Create the test admin (sees everything) in ``home`` if needed and return the
    ``Authorization: Bearer`` header of a fresh API token for it."""
    from api.security.users import Role, UserStore

    users = UserStore(home)
    if users.get(TEST_ADMIN) is None:
        users.add(TEST_ADMIN, Role.admin, TEST_ADMIN_PASSWORD, ["*"])
    return {"Authorization": f"Bearer {users.issue_token(TEST_ADMIN, 'tests')}"}
