"""The change log of the stores' writes and values carried across data versions."""

from __future__ import annotations

import pytest

from graph.store.base import Derived, GraphStore, NodeRecord, RelRecord
from graph.store.changes import ChangeLog


def test_writes_are_noted_per_data_version(store: GraphStore) -> None:
    v0 = store.data_version()
    store.upsert_nodes([NodeRecord("Unit", "A", {"name": "甲", "kind": "street_town",
                                                 "level": 1}),
                        NodeRecord("Person", "P", {"name": "张三"})])
    v1 = store.data_version()
    store.upsert_relationships([RelRecord.make("SERVES_IN", "person:P", "unit:A",
                                               {"role": "secretary"})])
    c01, c12 = store.changes_since(v0), store.changes_since(v1)
    assert c01 is not None and c12 is not None
    assert c01.nodes == {"unit:A", "person:P"} and c12.nodes == frozenset()
    assert c12.ends == {"unit:A", "person:P"}
    assert len(store.changes_since(store.data_version()) or ()) == 0
    around = store.touching(["person:P"])
    assert set(around) == {"person:P", "unit:A"} and around.number_of_edges() == 1


def test_a_log_too_long_to_keep_answers_unknown() -> None:
    log = ChangeLog(max_entries=2)
    for i in range(3):
        log.note(nodes=[f"n{i}"])
        log.seal(f"v{i}", f"v{i + 1}")
    assert log.since("v0", "v3") is None
    c = log.since("v1", "v3")
    assert c is not None and c.nodes == {"n1", "n2"}
    small = ChangeLog(max_uids=5)
    small.note(nodes=[f"x{i}" for i in range(10)])
    small.seal("a", "b")
    assert small.since("a", "b") is None


def test_evolve_advances_or_recomputes() -> None:
    version = ["1"]
    d = Derived(lambda: version[0])
    computed: list[int] = []

    def compute() -> list[int]:
        computed.append(1)
        return [0]

    def advance(value: list[int], old: str | None) -> bool:
        if version[0] == "4":
            value.append(-1)
            raise RuntimeError("half-advanced")
        value.append(int(version[0]))
        return version[0] != "3"

    first = d.evolve("k", compute, advance)
    assert d.evolve("k", compute, advance) is first and len(computed) == 1
    version[0] = "2"
    assert d.evolve("k", compute, advance) is first and first == [0, 2]
    version[0] = "3"  # advance declines: computed afresh
    fresh = d.evolve("k", compute, advance)
    assert fresh is not first and len(computed) == 2
    version[0] = "4"
    with pytest.raises(RuntimeError):
        d.evolve("k", compute, advance)
    # The half-advanced value is gone: the next version computes afresh.
    version[0] = "5"
    assert d.evolve("k", compute, advance) is not fresh and len(computed) == 3

