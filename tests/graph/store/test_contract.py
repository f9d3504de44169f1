"""The store contract: one suite, run on the embedded store and on a real Neo4j.

Every test takes the ``store`` fixture of ``tests/conftest.py``, which is parametrised over
both backends (the Neo4j half is marked ``integration`` and talks to the server that
``scripts/test`` starts). Whatever one backend does, the other must do identically.
"""

from __future__ import annotations

import pytest

from graph.errors import SchemaError, StoreError
from graph.schema import SCHEMA
from graph.store.base import GraphStore, NodeRecord, RelRecord
from graph.store.batch import LoadBatch, NodeRows, RelRows
from graph.store.embedded import EmbeddedStore
from tests.graph.store import world


def test_ensure_schema_is_idempotent(store: GraphStore) -> None:
    store.ensure_schema()
    store.ensure_schema()
    world.load(store)
    store.ensure_schema()
    assert store.counts().total_nodes == len(world.NODES)


def test_upsert_writes_every_node_and_relationship(store: GraphStore) -> None:
    assert store.upsert_nodes(world.NODES) == len(world.NODES)
    assert store.upsert_relationships(world.RELS) == len(world.RELS)
    counts = store.counts()
    assert counts.nodes == world.expected_node_counts()
    assert counts.relationships == world.expected_rel_counts()
    assert counts.total_relationships == len(world.RELS)


def test_same_batch_twice_gives_identical_counts(store: GraphStore) -> None:
    world.load(store)
    first = store.counts()
    world.load(store)
    assert store.counts() == first
    # And the graph itself is unchanged, not just its counts.
    before = world.graph_signature(store.to_networkx())
    world.load(store)
    assert world.graph_signature(store.to_networkx()) == before


def test_rewriting_a_node_replaces_its_properties(store: GraphStore) -> None:
    world.load(store)
    renamed = {"name": "嘉定区委（新）", "kind": "party_committee", "level": 2}
    store.upsert_nodes([NodeRecord("Unit", "JD", renamed)])
    node = store.get_node("unit:JD")
    assert node is not None
    assert dict(node.props) == {"name": "嘉定区委（新）", "kind": "party_committee", "level": 2}
    # The node keeps its relationships.
    assert len(store.neighbours("unit:JD", rel_types=["SERVES_IN"])) == 3
    # Explicit None clears as well.
    store.upsert_nodes([NodeRecord("Person", "P1", {"name": "张三", "title": None})])
    p1 = store.get_node("person:P1")
    assert p1 is not None and dict(p1.props) == {"name": "张三"}


def test_rewriting_a_relationship_replaces_its_properties(store: GraphStore) -> None:
    world.load(store)
    store.upsert_relationships([RelRecord.make("SUPERVISES", "unit:JD-JW", "unit:JD")])
    (sup,) = store.neighbours("unit:JD-JW", rel_types=["SUPERVISES"])
    assert dict(sup.props) == {}
    # Same key (role, start), new end: one relationship, updated.
    store.upsert_relationships([RelRecord.make("SERVES_IN", "person:P2", "unit:JD",
                                               {"role": "member", "start": "2019-03-01",
                                                "end": "2023-12-31"})])
    (serves,) = store.neighbours("person:P2", rel_types=["SERVES_IN"])
    assert dict(serves.props) == {"role": "member", "start": "2019-03-01", "end": "2023-12-31"}
    assert store.counts().relationships["SERVES_IN"] == world.expected_rel_counts()["SERVES_IN"]


def test_parallel_relationships_are_told_apart_by_key(store: GraphStore) -> None:
    world.load(store)
    posts = store.neighbours("person:P1", rel_types=["SERVES_IN"], direction="out")
    assert [(n.key, n.props.get("role"), n.node.uid) for n in posts] == [
        ("member|2016-01-01", "member", "unit:JD"),
        ("secretary|2021-01-01", "secretary", "unit:JD"),
    ]
    # The key is returned on its own, never among the properties.
    assert all("key" not in n.props for n in posts)


def test_get_node(store: GraphStore) -> None:
    world.load(store)
    node = store.get_node("unit:JD")
    assert node == NodeRecord("Unit", "JD", {"name": "嘉定区委", "kind": "party_committee",
                                             "level": 2, "code": "JD-001"})
    assert node.uid == "unit:JD" and node.caption == "嘉定区委"
    assert store.get_node("unit:NOPE") is None
    with pytest.raises(SchemaError):
        store.get_node("not-a-uid")
    with pytest.raises(SchemaError):
        store.get_node("planet:EARTH")


def test_find_ids_and_existing_uids(store: GraphStore) -> None:
    world.load(store)
    assert [n.uid for n in store.find_ids("X1")] == ["person:X1", "unit:X1"]
    assert [n.uid for n in store.find_ids("X1", labels=["Unit"])] == ["unit:X1"]
    assert [n.uid for n in store.find_ids("X1", labels=["Duty"])] == []
    assert store.find_ids("nobody") == []
    with pytest.raises(SchemaError):
        store.find_ids("X1", labels=["Planet"])
    assert store.existing_uids(["unit:JD", "unit:NOPE", "person:P1", "unit:JD"]) == {
        "unit:JD", "person:P1"}
    assert store.existing_uids([]) == set()


def test_neighbours_order_and_filters(store: GraphStore) -> None:
    world.load(store)
    every = store.neighbours("unit:JD")
    keys = [(n.type, n.direction, n.node.uid, n.key) for n in every]
    assert keys == sorted(keys)
    assert keys == [
        ("FOUND_IN", "in", "issue:I1", ""),
        ("HOLDS", "out", "duty:D1", ""),
        ("SERVES_IN", "in", "person:P1", "member|2016-01-01"),
        ("SERVES_IN", "in", "person:P1", "secretary|2021-01-01"),
        ("SERVES_IN", "in", "person:P2", "member|2019-03-01"),
        ("SUBORDINATE_TO", "in", "unit:X1", ""),
        ("SUBORDINATE_TO", "out", "unit:SH", ""),
        ("SUPERVISES", "in", "unit:JD-JW", ""),
    ]
    assert [n.node.uid for n in store.neighbours("unit:JD", direction="out")] == [
        "duty:D1", "unit:SH"]
    inbound = store.neighbours("unit:JD", direction="in", rel_types=["SUBORDINATE_TO"])
    assert [n.node.uid for n in inbound] == ["unit:X1"]
    people = store.neighbours("unit:JD", labels=["Person"])
    assert {n.node.uid for n in people} == {"person:P1", "person:P2"}
    assert all(n.node.label == "Person" for n in people)
    units = store.neighbours("unit:JD", labels=["Unit"], rel_types=["SUBORDINATE_TO", "SUPERVISES"])
    assert [n.node.uid for n in units] == ["unit:X1", "unit:SH", "unit:JD-JW"]
    assert store.neighbours("unit:JD", limit=2) == every[:2]
    assert store.neighbours("unit:JD", limit=0) == []
    assert store.neighbours("unit:NOPE") == []
    # The neighbour node comes with its properties.
    (sh,) = store.neighbours("unit:JD", direction="out", rel_types=["SUBORDINATE_TO"])
    assert sh.node == store.get_node("unit:SH")
    with pytest.raises(SchemaError):
        store.neighbours("unit:JD", rel_types=["LIKES"])
    with pytest.raises(SchemaError):
        store.neighbours("unit:JD", labels=["Planet"])


def test_counts_of_an_empty_store(store: GraphStore) -> None:
    counts = store.counts()
    assert counts.nodes == {} and counts.relationships == {}
    assert counts.as_dict()["total_nodes"] == 0


def test_clear_removes_everything(store: GraphStore) -> None:
    world.load(store)
    store.clear()
    assert store.counts().total_nodes == 0
    assert store.counts().total_relationships == 0
    assert store.get_node("unit:JD") is None
    assert store.find_ids("JD") == []
    # The store is usable again afterwards (schema objects stay).
    world.load(store)
    assert store.counts().nodes == world.expected_node_counts()


def test_to_networkx_attributes(store: GraphStore) -> None:
    world.load(store)
    g = store.to_networkx()
    assert g.number_of_nodes() == len(world.NODES)
    assert g.number_of_edges() == len(world.RELS)
    assert g.nodes["unit:JD"] == {"label": "Unit", "id": "JD", "name": "嘉定区委",
                                  "kind": "party_committee", "level": 2, "code": "JD-001"}
    assert g.nodes["person:P2"] == {"label": "Person", "id": "P2", "name": "李四"}
    assert g.edges["person:P1", "unit:JD", "SERVES_IN|secretary|2021-01-01"] == {
        "type": "SERVES_IN", "role": "secretary", "start": "2021-01-01"}
    assert g.edges["unit:JD", "unit:SH", "SUBORDINATE_TO|"] == {"type": "SUBORDINATE_TO"}
    # No storage detail leaks into the projection.
    for _, attrs in g.nodes(data=True):
        assert "uid" not in attrs and set(attrs) - {"label", "id"} <= set(
            SCHEMA.node(attrs["label"]).prop_names)
    for _, _, attrs in g.edges(data=True):
        assert "key" not in attrs
        assert set(attrs) - {"type"} <= set(SCHEMA.rel(attrs["type"]).prop_names)


def test_to_networkx_subgraph_is_induced(store: GraphStore) -> None:
    world.load(store)
    sub = store.to_networkx(["unit:JD", "person:P1", "unit:SH", "unit:NOPE"])
    assert set(sub.nodes) == {"unit:JD", "person:P1", "unit:SH"}
    assert sorted(sub.edges(keys=True)) == [
        ("person:P1", "unit:JD", "SERVES_IN|member|2016-01-01"),
        ("person:P1", "unit:JD", "SERVES_IN|secretary|2021-01-01"),
        ("unit:JD", "unit:SH", "SUBORDINATE_TO|"),
    ]
    assert store.to_networkx([]).number_of_nodes() == 0


def test_to_networkx_equals_the_embedded_projection(store: GraphStore) -> None:
    reference = EmbeddedStore(None)
    world.load(reference)
    world.load(store)
    assert world.graph_signature(store.to_networkx()) == world.graph_signature(
        reference.to_networkx())
    uids = ["unit:JD", "person:P1", "person:P2", "duty:D2"]
    assert world.graph_signature(store.to_networkx(uids)) == world.graph_signature(
        reference.to_networkx(uids))


@pytest.mark.parametrize(
    "bad",
    [
        NodeRecord("Planet", "EARTH", {"name": "Earth"}),
        NodeRecord("Unit", "U9", {"name": "x", "colour": "red"}),
    ],
    ids=["unknown-label", "unknown-property"],
)
def test_unknown_node_kinds_and_properties_are_rejected(store: GraphStore, bad: NodeRecord) -> None:
    good = NodeRecord("Unit", "U8", {"name": "y", "kind": "other", "level": 1})
    with pytest.raises(SchemaError):
        store.upsert_nodes([good, bad])
    assert store.counts().total_nodes == 0


@pytest.mark.parametrize(
    "bad",
    [
        RelRecord("LIKES", "person:P1", "unit:JD"),
        RelRecord.make("HOLDS", "duty:D1", "unit:JD"),
        RelRecord.make("SUBORDINATE_TO", "person:P1", "unit:JD"),
        RelRecord("SUPERVISES", "unit:JD-JW", "unit:JD", {"strength": 3}),
        RelRecord.make("SUBORDINATE_TO", "unit:JD", "planet:EARTH"),
    ],
    ids=["unknown-type", "reversed-endpoints", "wrong-source", "unknown-property", "unknown-kind"],
)
def test_invalid_relationships_are_rejected(store: GraphStore, bad: RelRecord) -> None:
    store.upsert_nodes(world.NODES)
    good = RelRecord.make("SUBORDINATE_TO", "unit:JD", "unit:SH")
    with pytest.raises(SchemaError):
        store.upsert_relationships([good, bad])
    assert store.counts().total_relationships == 0


def test_missing_endpoint_rejects_the_whole_batch(store: GraphStore) -> None:
    store.upsert_nodes(world.NODES)
    batch = [
        RelRecord.make("SUBORDINATE_TO", "unit:JD", "unit:SH"),
        RelRecord.make("SERVES_IN", "person:P1", "unit:GHOST", {"role": "member"}),
        RelRecord.make("HOLDS", "unit:JD", "duty:D1"),
    ]
    with pytest.raises(StoreError, match="unit:GHOST"):
        store.upsert_relationships(batch)
    assert store.counts().total_relationships == 0
    assert store.neighbours("unit:JD") == []


def test_a_failed_batch_leaves_earlier_batches_intact(store: GraphStore) -> None:
    store.upsert_nodes(world.NODES)
    store.upsert_relationships(world.RELS[:5])
    committed = world.graph_signature(store.to_networkx())
    with pytest.raises(StoreError):
        store.upsert_relationships([*world.RELS[5:], RelRecord.make("FOUND_IN", "issue:NOPE",
                                                                    "unit:JD")])
    assert world.graph_signature(store.to_networkx()) == committed
    assert store.counts().total_relationships == 5
    # The rejected rows can be written once their endpoints exist.
    store.upsert_relationships(world.RELS[5:])
    assert store.counts().relationships == world.expected_rel_counts()


def test_flush_and_close_are_safe_to_repeat(store: GraphStore) -> None:
    world.load(store)
    store.flush()
    store.flush()
    assert store.counts().nodes == world.expected_node_counts()


def _batches() -> list[LoadBatch]:
    """The world as bulk-load batches: nodes grouped per label, then relationships per
    type (the loader's compact rows)."""
    nodes: dict[str, list[list[object]]] = {}
    for n in world.NODES:
        names = SCHEMA.node(n.label).prop_names
        nodes.setdefault(n.label, []).append([n.id, n.uid, *(n.props.get(k) for k in names)])
    rels: dict[str, list[list[object]]] = {}
    for r in world.RELS:
        names = SCHEMA.rel(r.type).prop_names
        rels.setdefault(r.type, []).append([r.src, r.dst, r.key, *(r.props.get(k) for k in names)])
    return [LoadBatch(nodes=[NodeRows(lb, SCHEMA.node(lb).prop_names, rows)
                             for lb, rows in nodes.items()], new=True),
            LoadBatch(rels=[RelRows(t, SCHEMA.rel(t).prop_names, rows)
                            for t, rows in rels.items()])]


def test_write_batch_writes_what_the_upserts_write(store: GraphStore) -> None:
    reference = EmbeddedStore(None)
    world.load(reference)
    first, second = _batches()
    assert store.write_batch(first) == len(world.NODES)
    assert store.write_batch(second) == len(world.RELS)
    assert world.graph_signature(store.to_networkx()) == world.graph_signature(
        reference.to_networkx())
    # Written again (merged, not new): nothing changes.
    store.write_batch(LoadBatch(nodes=first.nodes, rels=second.rels))
    assert world.graph_signature(store.to_networkx()) == world.graph_signature(
        reference.to_networkx())


def test_a_refused_write_batch_changes_nothing(store: GraphStore) -> None:
    first, _ = _batches()
    ghost = RelRows("SERVES_IN", ("role", "start", "end"),
                    [["person:P1", "unit:GHOST", "member|", "member", None, None]])
    with pytest.raises(StoreError, match="unit:GHOST"):
        store.write_batch(LoadBatch(nodes=first.nodes, rels=[ghost], new=True))
    assert store.counts().total_nodes == 0
