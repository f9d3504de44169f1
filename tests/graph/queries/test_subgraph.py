"""Contract tests of neighbourhoods and shortest paths, on both stores (see loops_world)."""

from __future__ import annotations

import random
from typing import Any

import networkx as nx
import pytest

from graph.errors import InvalidArgument, NotFound
from graph.queries.subgraph import Subgraph, neighbourhood, shortest_paths
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from tests.graph.queries.loops_world import build_loops_world


@pytest.fixture
def world(store: GraphStore) -> GraphStore:
    build_loops_world(store)
    return store


def levels(sub: Subgraph) -> list[tuple[str, int]]:
    return [(n.uid, n.level) for n in sub.nodes]


def edges(sub: Subgraph) -> list[tuple[str, str, str, str]]:
    return [(e.type, e.src, e.dst, e.key) for e in sub.edges]


def test_neighbourhood_depth_one(world: GraphStore) -> None:
    sub = neighbourhood(world, "unit:D1")
    assert sub.roots == ["unit:D1"]
    # Centre first, then by kind (units, people, issues, accountability), then uid.
    assert levels(sub) == [("unit:D1", 0), ("unit:CITY", 1), ("unit:D1-JW", 1), ("unit:T1", 1),
                           ("person:P1", 1), ("issue:I3", 1), ("accountability:A6", 1)]
    assert edges(sub) == [
        ("DECIDED_BY", "accountability:A6", "unit:D1", ""),
        ("FOUND_IN", "issue:I3", "unit:D1", ""),
        ("SERVES_IN", "person:P1", "unit:D1", "secretary|2016-01-01"),
        ("SUBORDINATE_TO", "unit:D1", "unit:CITY", ""),
        ("SUBORDINATE_TO", "unit:D1-JW", "unit:D1", ""),
        ("SUBORDINATE_TO", "unit:T1", "unit:D1", ""),
        ("SUPERVISES", "unit:D1-JW", "unit:D1", ""),
    ]
    assert sub.more == {} and not sub.truncated
    centre = sub.nodes[0]
    assert centre.caption == "嘉定区委" and centre.props["kind"] == "party_committee"
    serves = next(e for e in sub.edges if e.type == "SERVES_IN")
    assert serves.props == {"role": "secretary", "start": "2016-01-01"}


def test_cap_counts_what_it_cut(world: GraphStore) -> None:
    sub = neighbourhood(world, "D1", limit=3)
    assert [n.uid for n in sub.nodes] == ["unit:D1", "unit:CITY", "unit:D1-JW"]
    assert sub.more == {"unit:D1": 4} and sub.truncated
    # Only relationships between included nodes.
    assert {e.dst for e in sub.edges} | {e.src for e in sub.edges} <= {n.uid for n in sub.nodes}


def test_depth_two_and_type_filter(world: GraphStore) -> None:
    sub = neighbourhood(world, "CITY", depth=2, rel_types=["SUBORDINATE_TO"])
    assert levels(sub) == [("unit:CITY", 0), ("unit:D1", 1), ("unit:D2", 1), ("unit:D1-JW", 2),
                           ("unit:D2-JW", 2), ("unit:T1", 2), ("unit:T2", 2)]
    assert {e.type for e in sub.edges} == {"SUBORDINATE_TO"} and len(sub.edges) == 6
    # Depth 2 with a cap that cuts the second level: the level-1 nodes lost some.
    capped = neighbourhood(world, "CITY", depth=2, rel_types=["SUBORDINATE_TO"], limit=5)
    assert [n.uid for n in capped.nodes] == ["unit:CITY", "unit:D1", "unit:D2", "unit:D1-JW",
                                              "unit:D2-JW"]
    assert capped.more == {"unit:D1": 1, "unit:D2": 1}


def test_label_filter(world: GraphStore) -> None:
    sub = neighbourhood(world, "D1", labels=["Unit"])
    assert [n.uid for n in sub.nodes] == ["unit:D1", "unit:CITY", "unit:D1-JW", "unit:T1"]


def test_as_of_keeps_tenures_held_that_day(world: GraphStore) -> None:
    def posts(day: str | None) -> list[str]:
        sub = neighbourhood(world, "person:P2", rel_types=["SERVES_IN"], as_of=day)
        return [n.uid for n in sub.nodes[1:]]

    assert posts("2017-01-01") == ["unit:T1"]
    assert posts("2018-12-31") == ["unit:T1"]  # the last day of the post
    assert posts("2020-01-01") == ["unit:T2"]
    assert posts("2014-01-01") == []
    assert posts(None) == ["unit:T1", "unit:T2"]


def test_neighbourhood_bad_arguments(world: GraphStore) -> None:
    for missing in ("unit:NOPE", "NOPE"):  # a uid (no lookup first on Neo4j) or a bare id
        with pytest.raises(NotFound):
            neighbourhood(world, missing)
    for kwargs in ({"depth": 0}, {"depth": 9}, {"limit": 0}, {"rel_types": ["KNOWS"]},
                   {"labels": ["Dog"]}, {"as_of": "yesterday"}):
        with pytest.raises(InvalidArgument):
            neighbourhood(world, "unit:D1", **kwargs)


def test_all_shortest_paths(world: GraphStore) -> None:
    sub = shortest_paths(world, "CITY", "person:P2")
    assert sub.paths == [["unit:CITY", "unit:D1", "unit:T1", "person:P2"],
                         ["unit:CITY", "unit:D2", "unit:T2", "person:P2"]]
    assert sub.roots == ["unit:CITY", "person:P2"]
    assert edges(sub) == [
        ("SERVES_IN", "person:P2", "unit:T1", "secretary|2015-01-01"),
        ("SERVES_IN", "person:P2", "unit:T2", "member|2019-01-01"),
        ("SUBORDINATE_TO", "unit:D1", "unit:CITY", ""),
        ("SUBORDINATE_TO", "unit:D2", "unit:CITY", ""),
        ("SUBORDINATE_TO", "unit:T1", "unit:D1", ""),
        ("SUBORDINATE_TO", "unit:T2", "unit:D2", ""),
    ]
    assert levels(sub)[0] == ("unit:CITY", 0) and ("person:P2", 3) in levels(sub)
    assert shortest_paths(world, "CITY", "person:P2", limit=1).paths == sub.paths[:1]


def test_paths_limits(world: GraphStore) -> None:
    assert shortest_paths(world, "CITY", "person:P2", max_depth=2).paths == []
    assert shortest_paths(world, "CITY", "person:P2", rel_types=["SUBORDINATE_TO"]).paths == []
    # Undirected: up from T1 and down again to T2 through the person serving in both.
    assert shortest_paths(world, "T1", "T2").paths == [["unit:T1", "person:P2", "unit:T2"]]
    same = shortest_paths(world, "D1", "unit:D1")
    assert same.paths == [["unit:D1"]] and len(same.nodes) == 1
    with pytest.raises(NotFound):
        shortest_paths(world, "D1", "NOPE")
    with pytest.raises(InvalidArgument):
        shortest_paths(world, "D1", "D2", max_depth=11)


def test_same_results_as_embedded(world: GraphStore) -> None:
    reference = EmbeddedStore(None)
    build_loops_world(reference)
    calls: list[tuple[Any, tuple[str, ...], dict[str, Any]]] = [
        (neighbourhood, ("T1",), {"depth": 3}),
        (neighbourhood, ("person:P2",), {"depth": 2, "limit": 9}),
        (neighbourhood, ("CITY",), {"depth": 4, "limit": 25, "as_of": "2017-06-01"}),
        (neighbourhood, ("D2",), {"depth": 2, "labels": ["Unit", "Person", "Referral"]}),
        # The cap reached at the centre: nothing but "N more"; tenure edges (properties).
        (neighbourhood, ("CITY",), {"depth": 3, "limit": 1}),
        (neighbourhood, ("D1",), {"depth": 2, "rel_types": ["SERVES_IN", "IN_CHARGE_OF"]}),
        (shortest_paths, ("person:P1", "person:P3"), {}),
        (shortest_paths, ("accountability:A1", "referral:R3"), {"limit": 3}),
    ]
    for fn, args, kwargs in calls:
        assert fn(world, *args, **kwargs) == fn(reference, *args, **kwargs), (fn, args, kwargs)


def test_sample_paths_agree_with_networkx(sample_store: GraphStore) -> None:
    """Seeded random pairs of the sample: our paths are networkx's first shortest paths."""
    g = sample_store.to_networkx()
    undirected = g.to_undirected(as_view=True)
    rng = random.Random(7)
    nodes = sorted(g.nodes)
    checked = 0
    for _ in range(12):
        a, b = rng.sample(nodes, 2)
        try:
            expected = sorted(nx.all_shortest_paths(undirected, a, b))
        except nx.NetworkXNoPath:
            expected = []
        if expected and len(expected[0]) - 1 > 6:
            expected = []
        if len(expected) > 1000:  # beyond PATH_CAP the choice may differ; not this test
            continue
        assert shortest_paths(sample_store, a, b).paths == expected[:5], (a, b)
        checked += 1
    assert checked >= 8


def test_a_view_is_few_tracked_objects(sample_store: GraphStore) -> None:
    """A neighbourhood's nodes and edges are one object each for the garbage collector
    (slotted dataclasses; a model is three): with the collector on, a thousand-node view
    would otherwise trigger collections enough to double its time."""
    import gc

    neighbourhood(sample_store, "unit:JD", depth=2, limit=400)  # warm caches
    gc.collect()
    gc.disable()
    try:
        before = len(gc.get_objects())
        sub = neighbourhood(sample_store, "unit:JD", depth=2, limit=400)
        grown = len(gc.get_objects()) - before
    finally:
        gc.enable()
    items = len(sub.nodes) + len(sub.edges)
    assert len(sub.nodes) == 400 and items > 600
    # The items, the lists holding them, the model and a few strays; not three per item.
    assert grown < 1.3 * items, (grown, items)
