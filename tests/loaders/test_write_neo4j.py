"""The planned (CREATE-what-is-new) load on Neo4j under concurrency: two loads of the same
data at once write one copy of everything, equal to one load on the embedded store."""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Any

import pytest

from graph.errors import StoreError
from graph.schema import FULLTEXT_INDEX
from graph.store.embedded import EmbeddedStore
from graph.store.neo4j import Neo4jStore, schema_statements
from loaders.pipeline import LoadReport, load_paths
from loaders.write import run_ordered, write_planned
from tests.conftest import neo4j_test_settings
from tests.loaders.files import load, snapshot
from tests.loaders.fixture_world import write_world


@pytest.mark.integration
@pytest.mark.parametrize("round_", range(3))
def test_two_concurrent_loads_write_one_copy(tmp_path: Path, round_: int) -> None:
    folder = write_world(tmp_path / "w")
    reference = EmbeddedStore(None)
    assert load(reference, folder).ok
    settings = neo4j_test_settings(tmp_path)
    stores = [Neo4jStore.from_settings(settings) for _ in range(2)]
    try:
        stores[0].ensure_schema()
        stores[0].clear()
        start = threading.Barrier(2)
        reports: list[LoadReport] = []
        errors: list[BaseException] = []

        def run(store: Neo4jStore) -> None:
            try:
                start.wait()
                # Tiny batches: many transactions, so the two loads interleave.
                reports.append(load_paths(store, [folder], progress=False, batch_size=2))
            except BaseException as exc:  # re-raised in the test thread
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(s,)) for s in stores]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        assert not errors, errors
        assert all(r.ok and r.written for r in reports)
        # No duplicate relationship (which the uid-keyed snapshot would not show).
        assert stores[0].counts() == reference.counts()
        assert snapshot(stores[0], provenance=False) == snapshot(reference, provenance=False)
    finally:
        for s in stores:
            s.close()


def test_run_ordered_respects_dependencies_and_raises_the_first_failure() -> None:
    order: list[int] = []
    lock = threading.Lock()
    done: set[int] = set()

    class B:
        size = 1

        def __init__(self, k: int) -> None:
            self.k = k

    def write(batch: Any) -> int:
        with lock:
            assert all(d in done for d in deps[batch.k]), (batch.k, done)
        if batch.k == 5:
            raise RuntimeError("boom")
        with lock:
            done.add(batch.k)
            order.append(batch.k)
        return 1

    deps: list[set[int]] = [set(), set(), {0}, {1, 2}, {3}, {0}, {4}, set()]
    seen: list[int] = []
    with pytest.raises(RuntimeError, match="boom"):
        run_ordered(write, len(deps), deps, B, 2, seen.append)
    assert {0, 1, 2, 3} <= done  # 3 ran before 4 (its dependant) was submitted
    assert 7 not in done  # submitting stops once the failure surfaces
    deps = [set(), {0}, {1}]
    done.clear()
    run_ordered(write, 3, deps, B, 2, seen.append)
    assert done == {0, 1, 2}


# -- a large first load builds its range and full-text indexes after the write -----------
def _index_names(store: Neo4jStore) -> set[str]:
    return {r["name"] for r in store.read("SHOW INDEXES YIELD name RETURN name")}


@pytest.mark.integration
def test_a_first_load_builds_the_deferred_indexes_after_the_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_world(tmp_path / "w")
    reference = EmbeddedStore(None)
    assert load(reference, folder).ok
    store = Neo4jStore.from_settings(neo4j_test_settings(tmp_path))
    try:
        store.ensure_schema()
        store.clear()
        everything = {name for name, _ in schema_statements()}
        deferrable = {name for name, ddl in schema_statements() if "CONSTRAINT" not in ddl}
        seen: list[set[str]] = []
        write_batch = store.write_batch

        def spy(batch: Any) -> int:
            if not seen:
                seen.append(_index_names(store))
            return write_batch(batch)

        monkeypatch.setattr(store, "write_batch", spy)
        report = load_paths(store, [folder], progress=False,
                            writer=functools.partial(write_planned, defer_indexes_at=1))
        assert report.ok and "indexes" in report.seconds
        assert FULLTEXT_INDEX in deferrable and "issue_status" in deferrable
        assert not seen[0] & deferrable  # absent while writing ...
        assert everything - deferrable <= seen[0]  # ... the constraints were there
        assert everything <= _index_names(store)  # all back, online (awaited)
        states = {r["name"]: r["state"]
                  for r in store.read("SHOW INDEXES YIELD name, state RETURN name, state")}
        assert {states[n] for n in everything} == {"ONLINE"}
        assert snapshot(store) == snapshot(reference)
    finally:
        store.close()


@pytest.mark.integration
def test_a_failed_first_load_still_gets_its_indexes_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_world(tmp_path / "w")
    store = Neo4jStore.from_settings(neo4j_test_settings(tmp_path))
    try:
        store.ensure_schema()
        store.clear()
        calls: list[int] = []
        write_batch = store.write_batch

        def fail_second(batch: Any) -> int:
            calls.append(1)
            if len(calls) == 2:
                raise StoreError("the server went away")
            return write_batch(batch)

        monkeypatch.setattr(store, "write_batch", fail_second)
        with pytest.raises(StoreError, match="went away"):
            load_paths(store, [folder], progress=False, batch_size=2,
                       writer=functools.partial(write_planned, defer_indexes_at=1, writers=1))
        assert {name for name, _ in schema_statements()} <= _index_names(store)
    finally:
        store.close()


@pytest.mark.integration
def test_a_small_first_load_keeps_its_indexes(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store = Neo4jStore.from_settings(neo4j_test_settings(tmp_path))
    try:
        store.ensure_schema()
        store.clear()
        monkeypatch.setattr(store, "defer_indexes", lambda: pytest.fail("deferred"))
        report = load_paths(store, [write_world(tmp_path / "w")], progress=False)
        assert report.ok and "indexes" not in report.seconds
    finally:
        store.close()
