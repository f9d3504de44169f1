"""Faults: Neo4j stopped mid-load, concurrent loads, and (by reference) the others.

* Neo4j stopped while the API serves → 503, then recovery without restarting the app:
  ``tests/api/test_errors.py::test_503_when_the_database_is_unreachable`` and
  ``::test_recovers_when_neo4j_comes_back`` (not repeated here).
* The embedded store's process killed during a save → the previous state loads intact:
  ``tests/graph/store/test_embedded.py::test_killing_a_writer_mid_save_leaves_a_loadable_snapshot``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.checksum import graph_checksum
from graph.store.embedded import EmbeddedStore
from loaders.pipeline import load_paths
from tests.conftest import neo4j_test_settings
from tests.reliability.corpus import csv_bytes
from tests.reliability.neo4j_instance import REPO, OwnNeo4j, fault_port

CLI = [sys.executable, "-c", "from api.cli import main; main()"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generator's tiny dataset (~5k nodes, ~12k relationships)."""
    from loaders.synthetic import generate

    out = tmp_path_factory.mktemp("tiny")
    generate(out / "data", "tiny", seed=7)
    return out / "data"


@pytest.fixture(scope="module")
def tiny_checksum(tiny: Path) -> str:
    """The checksum of an uninterrupted load of ``tiny`` (the same on either store)."""
    store = EmbeddedStore(None)
    report = load_paths(store, [tiny], progress=False)
    assert report.ok and report.written
    return graph_checksum(store)


def _other(tmp: Path, zz: str = "ZZ") -> Path:
    """A small dataset disjoint from ``tiny`` (ids starting with ``zz``)."""
    d = tmp / f"other-{zz}"
    d.mkdir()
    (d / "units.csv").write_bytes(csv_bytes(
        [["id", "name", "kind", "level", "parent_id"],
         [zz, "测试区委", "party_committee", 1, ""],
         *[[f"{zz}-{i}", f"测试单位{i}", "department", 2, zz] for i in range(300)]]))
    (d / "people.csv").write_bytes(csv_bytes(
        [["id", "name", "title"], *[[f"P{zz}-{i}", f"测试{i}", "科员"] for i in range(300)]]))
    (d / "posts.csv").write_bytes(csv_bytes(
        [["person_id", "unit_id", "role", "start"],
         *[[f"P{zz}-{i}", f"{zz}-{i}", "member", "2020-01-01"] for i in range(300)]]))
    return d


def _cli_env(home: Path, neo4j: dict[str, str] | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(DUTYGRAPH_HOME=str(home), **(neo4j or {}), **extra)
    return env


# -- two loads at once -------------------------------------------------------------------
def test_embedded_two_writers_lose_nothing(tmp_path: Path) -> None:
    """Two stores opened on one home before either saves: both loads survive."""
    first, second = _other(tmp_path, "YY"), _other(tmp_path, "ZZ")
    home = tmp_path / "home"
    a, b = EmbeddedStore(home), EmbeddedStore(home)  # both read the same (empty) snapshot
    assert load_paths(a, [first], progress=False).written
    assert load_paths(b, [second], progress=False).written  # saves after a: must rebase
    expected = EmbeddedStore(None)
    load_paths(expected, [first], progress=False)
    only_first = graph_checksum(expected)
    load_paths(expected, [second], progress=False)
    assert graph_checksum(EmbeddedStore(home)) == graph_checksum(expected) != only_first
    assert graph_checksum(b) == graph_checksum(expected)  # b sees a's writes after saving
    # A third writer that clears and reloads: the clear is replayed, not merged away.
    c = EmbeddedStore(home)
    c.clear()
    assert load_paths(c, [first], progress=False).written
    assert graph_checksum(EmbeddedStore(home)) == only_first


def test_embedded_two_load_processes(tmp_path: Path, tiny: Path) -> None:
    """Two ``dutygraph load`` processes on one embedded home at the same time."""
    other = _other(tmp_path)
    env = _cli_env(tmp_path / "home")
    procs = [subprocess.Popen([*CLI, "load", str(p)], env=env, cwd=REPO, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for p in (tiny, other)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-2000:]
    expected = EmbeddedStore(None)
    load_paths(expected, [tiny], progress=False)
    load_paths(expected, [other], progress=False)
    assert graph_checksum(EmbeddedStore(tmp_path / "home")) == graph_checksum(expected)


@pytest.mark.integration
@pytest.mark.slow
def test_neo4j_two_load_processes(tmp_path: Path, tiny: Path, tiny_checksum: str) -> None:
    """Two processes loading the same data into Neo4j at once: MERGE on unique keys gives
    one copy of everything, equal to one uninterrupted load."""
    from graph.store.neo4j import Neo4jStore

    settings = neo4j_test_settings(tmp_path)
    store = Neo4jStore.from_settings(settings)
    try:
        store.ensure_schema()
        store.clear()
        neo = {"NEO4J_URI": settings.neo4j_uri or "",
               "NEO4J_USERNAME": settings.neo4j_username,
               "NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
               "NEO4J_DATABASE": settings.neo4j_database}
        env = _cli_env(tmp_path / "home", neo, DUTYGRAPH_BATCH_SIZE="500")
        procs = [subprocess.Popen([*CLI, "load", str(tiny)], env=env, cwd=REPO, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(2)]
        for p in procs:
            _, err = p.communicate(timeout=600)
            assert p.returncode == 0, err[-2000:]
        assert graph_checksum(store) == tiny_checksum
        store.clear()
    finally:
        store.close()


# -- Neo4j stopped during a load -----------------------------------------------------------
@pytest.fixture
def own_neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnNeo4j]:
    neo4j_test_settings()  # skip (or fail under CI) exactly when the other Neo4j tests do
    server = OwnNeo4j(tmp_path_factory.mktemp("own-neo4j"), fault_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.timeout(900)  # two Neo4j start-ups and two loads on a shared 2-core machine
def test_neo4j_stopped_during_a_load(own_neo4j: OwnNeo4j, tmp_path: Path, tiny: Path,
                                     tiny_checksum: str) -> None:
    from graph.store.neo4j import Neo4jStore

    env = _cli_env(tmp_path / "home", own_neo4j.env(), DUTYGRAPH_BATCH_SIZE="100")
    proc = subprocess.Popen([*CLI, "load", str(tiny)], env=env, cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        probe = Neo4jStore.from_settings(own_neo4j.settings(tmp_path / "probe"))
        try:
            deadline = time.monotonic() + 120
            while probe.counts().total_nodes == 0 and proc.poll() is None:
                assert time.monotonic() < deadline, "the load never started writing"
                time.sleep(0.1)
        finally:
            probe.close()
        assert proc.poll() is None, "the load finished before Neo4j could be stopped"
        own_neo4j.stop()
        _, err = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 3, err[-2000:]
    assert "数据库不可用 / database unavailable" in err
    assert "Traceback" not in err

    own_neo4j.start()
    store = Neo4jStore.from_settings(own_neo4j.settings(tmp_path / "after"))
    try:
        partial = graph_checksum(store)
        assert partial != tiny_checksum  # the stop really cut the load short
        env.pop("DUTYGRAPH_BATCH_SIZE")  # small batches only to make the first load last
        rerun = subprocess.run([*CLI, "load", str(tiny)], env=env, cwd=REPO, text=True,
                               capture_output=True, timeout=600)
        assert rerun.returncode == 0, rerun.stderr[-2000:]
        assert graph_checksum(store) == tiny_checksum
    finally:
        store.close()
