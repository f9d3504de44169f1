"""Contract tests of the read operations added for issue #14 — the accountability facts
of the statistics and what follows a case — on both stores, against the embedded walk."""

from __future__ import annotations

from typing import Any

from graph.scope import EVERYTHING_SCOPE
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from tests.graph.queries.loops_world import build_loops_world
from tests.graph.queries.trace_world import OCCURRED, build_trace_world


def _canonical(rows: list[Any]) -> list[Any]:
    def norm(row: dict[str, Any]) -> dict[str, Any]:
        return {k: sorted(map(str, v)) if isinstance(v, list) else v for k, v in row.items()}
    return sorted((norm(r) for r in rows), key=repr)


def test_accountability_facts_agree(store: GraphStore) -> None:
    build_loops_world(store)
    reference = EmbeddedStore(None)
    build_loops_world(reference)
    for units in (None, ["unit:D1", "unit:T1"], ["unit:NOPE"]):
        got = store.reads.accountability_facts(units, EVERYTHING_SCOPE)
        assert _canonical(got) == _canonical(
            reference.reads.accountability_facts(units, EVERYTHING_SCOPE))
    every = store.reads.accountability_facts(None, EVERYTHING_SCOPE)
    assert len(every) == 11
    a9 = next(r for r in every if r["decided_on"] == "2017-08-01")
    assert a9["targets"] == ["person:P2"] and a9["case_units"] == []
    # Scoped to D2: only decisions anchored there (case in T2, or a target serving there).
    d2 = store.reads.scope_of(["unit:D2"])
    assert len(store.reads.accountability_facts(None, d2)) == 3


def test_case_casework_agrees(store: GraphStore) -> None:
    build_trace_world(store, repaired=True, supervision="held")
    reference = EmbeddedStore(None)
    build_trace_world(reference, repaired=True, supervision="held")
    args = ("case:K", ["unit:PZ", "unit:D-JW"], OCCURRED, EVERYTHING_SCOPE)
    got = store.reads.case_casework(*args)
    assert got["body_people"] == [["unit:D-JW", "person:JWS"], ["unit:PZ", "person:PZH"]]
    assert [p["uid"] for p in got["responsible"]] == ["person:Y"]
    (post,) = got["post_case"]
    assert (post["node"]["uid"], post["label"], [x["uid"] for x in post["leads"]]) == (
        "project:PJ", "Project", ["person:MEM"])
    want = reference.reads.case_casework(*args)
    assert sorted(map(tuple, got["body_people"])) == sorted(map(tuple, want["body_people"]))
    assert got["responsible"] == want["responsible"] and got["post_case"] == want["post_case"]
    empty = store.reads.case_casework("case:NOPE", [], OCCURRED, EVERYTHING_SCOPE)
    assert empty == {"responsible": [], "post_case": [], "body_people": []}
