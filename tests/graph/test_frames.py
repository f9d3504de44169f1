"""DataFrame and NetworkX bridges for notebooks, on real query results of both stores."""

from __future__ import annotations

from graph.frames import counts_frame, nodes_frame, subgraph_to_networkx, to_frame
from graph.queries.subgraph import neighbourhood
from graph.schema import uid_of
from graph.store.base import GraphStore, NodeRecord, RelRecord


def _world(store: GraphStore) -> None:
    store.upsert_nodes([
        NodeRecord("Unit", "SH", {"name": "上海市委", "kind": "party_committee", "level": 0}),
        NodeRecord("Unit", "JD", {"name": "嘉定区委", "kind": "party_committee", "level": 1}),
        NodeRecord("Person", "P1", {"name": "甲某某", "title": "区委书记"}),
    ])
    store.upsert_relationships([
        RelRecord.make("SUBORDINATE_TO", "unit:JD", "unit:SH"),
        RelRecord.make("SERVES_IN", "person:P1", "unit:JD",
                       {"role": "secretary", "start": "2016-01-01"}),
    ])


def test_neighbourhood_to_frame_and_networkx(store: GraphStore) -> None:
    _world(store)
    sub = neighbourhood(store, "unit:JD", depth=1)
    frame = to_frame(sub.nodes)
    assert set(frame["uid"]) == {"unit:JD", "unit:SH", "person:P1"}
    assert "props.name" in frame.columns  # nested props flattened to dotted columns
    g = subgraph_to_networkx(sub)
    assert g.number_of_nodes() == 3 and g.number_of_edges() == 2
    assert g.nodes[uid_of("Person", "P1")]["caption"] == "甲某某"
    edge_types = {a["type"] for _, _, a in g.edges(data=True)}
    assert edge_types == {"SUBORDINATE_TO", "SERVES_IN"}


def test_projection_frames(store: GraphStore) -> None:
    _world(store)
    frame = nodes_frame(store.to_networkx(), labels=["Unit"])
    assert sorted(frame["id"]) == ["JD", "SH"]
    assert list(counts_frame({"a": 1, "b": 2}, key="k")["count"]) == [1, 2]
    assert to_frame([]).empty
