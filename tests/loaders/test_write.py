"""Writing: every table, nothing half-loaded, idempotent, resumable, skip-invalid, dry run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.schema import SCHEMA
from graph.store import GraphStore
from graph.store.batch import LoadBatch
from graph.store.embedded import EmbeddedStore
from loaders.pipeline import load_paths
from tests.loaders.files import load, snapshot, where, write_csv
from tests.loaders.fixture_world import write_world


def test_every_table_loads_to_every_kind(store: GraphStore, tmp_path: Path) -> None:
    report = load(store, write_world(tmp_path / "w"))
    assert report.ok and report.written, report.errors
    counts = store.counts()
    assert set(counts.nodes) == set(SCHEMA.labels)
    assert set(counts.relationships) == set(SCHEMA.rel_types)
    assert counts.nodes == report.nodes
    assert counts.relationships == report.relationships
    # direction of inbound references: the parent duty cascades to the child
    assert {n.node.id for n in store.neighbours("duty:D1", rel_types=["CASCADES_TO"],
                                                 direction="out")} == {"D2", "D3"}
    assert [n.node.uid for n in store.neighbours("duty:D2", rel_types=["HOLDS"])] == ["person:P3"]
    assert [n.node.uid for n in store.neighbours("issue:I1", rel_types=["FOUND"],
                                                  direction="in")] == ["inspection:X1"]
    # two tenures of one person in one unit are two relationships
    assert len(store.neighbours("person:P3", rel_types=["SERVES_IN"])) == 2
    # derived titles
    titles = {uid: store.get_node(uid).props["title"]  # type: ignore[union-attr]
              for uid in ("accountability:A1", "accountability:A2", "referral:F1",
                          "record:R1", "record:R2")}
    assert titles == {
        "accountability:A1": "诫勉 · 赵某某",
        "accountability:A2": "检查 · 区财政局党组",
        "referral:F1": "廉情抄告 · 王某某 · 2017-05-10",
        "record:R1": "约谈区财政局局长，提醒落实整改",
        "record:R2": "其他 · 区财政局党组",
    }


def test_loading_twice_changes_nothing(store: GraphStore, tmp_path: Path) -> None:
    folder = write_world(tmp_path / "w")
    assert load(store, folder).ok
    first = snapshot(store, provenance=False)
    again = load(store, folder)
    assert again.ok and again.written
    assert snapshot(store, provenance=False) == first


def test_dry_run_writes_nothing(store: GraphStore, tmp_path: Path) -> None:
    report = load(store, write_world(tmp_path / "w"), dry_run=True)
    assert report.ok and not report.written and report.dry_run
    assert store.counts().total_nodes == 0


class FailingStore:
    """Delegates to a real store, but dies after ``k`` write batches (a killed process)."""

    def __init__(self, inner: GraphStore, k: int) -> None:
        self.inner = inner
        self.k = k
        self.backend = inner.backend

    def _tick(self) -> None:
        if self.k == 0:
            raise KeyboardInterrupt("killed mid-write")
        self.k -= 1

    def write_batch(self, batch: LoadBatch) -> int:  # the loader's one write call
        self._tick()
        return self.inner.write_batch(batch)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.mark.parametrize("k", [1, 4, 9])
def test_interrupted_load_is_completed_by_running_it_again(
    store: GraphStore, tmp_path: Path, k: int
) -> None:
    folder = write_world(tmp_path / "w")
    reference = EmbeddedStore(None)
    assert load(reference, folder, batch_size=3).ok
    expected = snapshot(reference, provenance=False)

    with pytest.raises(KeyboardInterrupt):
        load_paths(FailingStore(store, k), [folder], progress=False,
                   batch_size=3)
    partial = store.counts()
    assert partial.total_nodes + partial.total_relationships > 0
    assert snapshot(store, provenance=False) != expected
    assert load(store, folder, batch_size=3).ok
    assert snapshot(store, provenance=False) == expected


def test_skip_invalid_writes_valid_rows_and_drops_dependants(
    store: GraphStore, tmp_path: Path
) -> None:
    folder = write_world(tmp_path / "w")
    # JD-CZ becomes invalid (bad level): everything that refers to it must go too,
    # and what refers to *those*, transitively.
    write_csv(folder / "units.csv", [
        ["id", "name", "kind", "level", "parent_id"],
        ["SH", "上海市委", "party_committee", 0, ""],
        ["SH-JW", "市纪委监委", "discipline_body", 0, "SH"],
        ["JD", "嘉定区委", "party_committee", 1, "SH"],
        ["JD-CZ", "区财政局党组", "department", "处级", "JD"],
        ["JD-JW", "嘉定区纪委监委", "discipline_body", 1, "JD"],
    ])
    strict = load(store, folder)
    assert not strict.ok and store.counts().total_nodes == 0
    assert where(strict, "BAD_INT") == [("units.csv", None, 5, "level")]
    # Without skip, references to the invalid row are not reported again.
    assert strict.error_count == 1

    report = load(store, folder, skip_invalid=True)
    assert report.ok and report.written
    skipped = {(Path(e.file or "").name, e.row, e.code) for e in report.errors}
    assert ("units.csv", 5, "BAD_INT") in skipped
    assert ("duties.csv", 4, "REF_SKIPPED") in skipped          # D3 held by JD-CZ
    assert ("issues.csv", 2, "REF_SKIPPED") in skipped          # I1 found in JD-CZ
    assert ("projects.csv", 2, "REF_SKIPPED") in skipped        # J1 addresses I1 (transitive)
    assert ("referrals.csv", 2, "REF_SKIPPED") in skipped       # F1 about I1
    assert store.get_node("unit:JD-CZ") is None
    assert store.get_node("issue:I1") is None and store.get_node("project:J1") is None
    assert store.get_node("duty:D2") is not None and store.get_node("unit:JD") is not None
    assert report.rows_skipped == report.total_rows - report.rows_valid > 0
    assert store.counts().total_nodes == sum(report.nodes.values())


def test_skip_invalid_keeps_the_first_of_duplicate_ids(store: GraphStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", [["id", "name"], ["P1", "甲"], ["P1", "乙"]])
    report = load(store, path, skip_invalid=True)
    assert report.ok and where(report, "DUPLICATE_ID") == [("people.csv", None, 3, "id")]
    node = store.get_node("person:P1")
    assert node is not None and node.props["name"] == "甲"


def test_reload_replaces_properties(store: GraphStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", [["id", "name", "title"], ["P1", "甲", "书记"]])
    assert load(store, path).ok
    write_csv(path, [["id", "name"], ["P1", "甲"]])
    assert load(store, path).ok
    node = store.get_node("person:P1")
    assert node is not None and node.props == {"name": "甲"}
