"""What only the embedded store has: its snapshot on disk, saved atomically, never pickled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import orjson
import pytest

import graph.store.embedded as embedded_module
from graph.errors import StoreError
from graph.store.base import NodeRecord
from graph.store.embedded import SNAPSHOT, EmbeddedStore
from tests.graph.store import world

REPO = Path(__file__).resolve().parents[3]


def test_round_trip_across_reopen(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    world.load(store)
    before = world.graph_signature(store.to_networkx())
    store.close()
    again = EmbeddedStore(tmp_path)
    assert world.graph_signature(again.to_networkx()) == before
    assert again.counts().nodes == world.expected_node_counts()
    # The id index is rebuilt on load too.
    assert [n.uid for n in again.find_ids("X1")] == ["person:X1", "unit:X1"]


def test_nothing_is_written_until_flush(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    world.load(store)
    assert not (tmp_path / SNAPSHOT).exists()
    store.flush()
    assert (tmp_path / SNAPSHOT).exists()


def test_snapshot_is_json_not_pickle(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    world.load(store)
    store.close()
    raw = (tmp_path / SNAPSHOT).read_bytes()
    assert not raw.startswith(b"\x80")  # the pickle protocol marker
    doc = orjson.loads(raw)
    assert doc["format"] == "dutygraph-embedded" and len(doc["nodes"]) == len(world.NODES)
    source = Path(embedded_module.__file__).read_text(encoding="utf-8")
    assert "import pickle" not in source and "pickle.load" not in source


def test_a_failing_save_keeps_the_previous_snapshot(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    store = EmbeddedStore(tmp_path)
    world.load(store)
    store.flush()
    saved = (tmp_path / SNAPSHOT).read_bytes()

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    store.upsert_nodes([NodeRecord("Unit", "NEW", {"name": "新", "kind": "other", "level": 3})])
    monkeypatch.setattr(embedded_module.os, "replace", refuse)
    with pytest.raises(StoreError, match="cannot save"):
        store.flush()
    monkeypatch.undo()
    assert (tmp_path / SNAPSHOT).read_bytes() == saved
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    reopened = EmbeddedStore(tmp_path)
    assert reopened.get_node("unit:NEW") is None
    assert reopened.counts().nodes == world.expected_node_counts()
    # The failed save is retried by the next flush.
    store.flush()
    assert EmbeddedStore(tmp_path).get_node("unit:NEW") is not None


_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from graph.store.base import NodeRecord
    from graph.store.embedded import EmbeddedStore

    store = EmbeddedStore(Path(sys.argv[1]))
    n = int(sys.argv[2])
    generation = 0
    while True:
        generation += 1
        store.upsert_nodes([NodeRecord("Unit", f"U{i}", {"name": f"gen{generation}-{i}",
                                       "kind": "other", "level": 1}) for i in range(n)])
        store.flush()
        print(generation, flush=True)
    """
)


def test_killing_a_writer_mid_save_leaves_a_loadable_snapshot(tmp_path: Path) -> None:
    nodes = 8_000  # a snapshot of ~1 MB: every save takes a while, so kills land mid-save
    for attempt in range(2):
        home = tmp_path / f"home{attempt}"
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(home), str(nodes)],
            cwd=REPO, stdout=subprocess.PIPE, text=True,
        )
        try:
            assert proc.stdout is not None
            first = proc.stdout.readline()
            assert first.strip() == "1", "the writer never saved"
            time.sleep(0.1 * attempt)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
        store = EmbeddedStore(home)  # must not raise
        assert store.counts().nodes == {"Unit": nodes}
        names = {a["name"].split("-")[0] for _, a in store.graph.nodes(data=True)}
        assert len(names) == 1, "a snapshot mixing two generations"
