"""The planned (CREATE-what-is-new) load on Neo4j under concurrency: two loads of the same
data at once write one copy of everything, equal to one load on the embedded store."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from graph.store.embedded import EmbeddedStore
from graph.store.neo4j import Neo4jStore
from loaders.pipeline import LoadReport, load_paths
from loaders.write import run_ordered
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
