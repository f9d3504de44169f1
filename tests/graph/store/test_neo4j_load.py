"""The bulk-load transactions of the Neo4j store (graph.store.neo4j_load): CREATE for what
is new, MERGE for what may exist, the fallback when a concurrent load got there first."""

from __future__ import annotations

import pytest

from graph.errors import SchemaError, StoreError
from graph.store.base import NodeRecord, RelRecord
from graph.store.neo4j import Neo4jStore
from graph.store.neo4j_load import LoadBatch, NodeRows, RelRows, node_statement, rel_statement

pytestmark = pytest.mark.integration


def _units(*rows: tuple[str, str | None]) -> NodeRows:
    return NodeRows("Unit", ("name", "level"), [[i, f"unit:{i}", name, 1] for i, name in rows])


def test_a_new_batch_creates_nodes_and_relationships(neo: Neo4jStore) -> None:
    batch = LoadBatch(
        nodes=[_units(("A", "甲"), ("B", None))],
        rels=[RelRows("SUBORDINATE_TO", (), [["unit:B", "unit:A", ""]])],
        new=True,
    )
    assert neo.write_batch(batch) == 3
    assert neo.counts().as_dict()["total_relationships"] == 1
    b = neo.get_node("unit:B")
    assert b is not None and b.props == {"level": 1}  # a null in CREATE is not stored
    assert [n.node.uid for n in neo.neighbours("unit:B", direction="out")] == ["unit:A"]


def test_a_new_batch_meeting_an_existing_node_is_merged_instead(neo: Neo4jStore) -> None:
    # A concurrent load created unit:A (with a relationship) between our lookup and write.
    neo.upsert_nodes([NodeRecord("Unit", "A", {"name": "旧", "code": "C1"}),
                      NodeRecord("Unit", "C", {"name": "丙"})])
    neo.upsert_relationships([RelRecord("SUBORDINATE_TO", "unit:C", "unit:A")])
    batch = LoadBatch(
        nodes=[_units(("A", "甲"), ("B", "乙"))],
        rels=[RelRows("SUBORDINATE_TO", (), [["unit:B", "unit:A", ""],
                                             ["unit:C", "unit:A", ""]])],
        new=True,
    )
    neo.write_batch(batch)
    counts = neo.counts()
    assert counts.nodes == {"Unit": 3}
    assert counts.relationships == {"SUBORDINATE_TO": 2}  # C→A merged, not duplicated
    a = neo.get_node("unit:A")
    assert a is not None and a.props == {"name": "甲", "level": 1}  # replaced, as upsert does
    assert neo.read("MATCH (n:Unit {id: 'A'}) RETURN n.uid AS uid") == [{"uid": "unit:A"}]


def test_a_merged_batch_is_idempotent(neo: Neo4jStore) -> None:
    batch = LoadBatch(
        nodes=[_units(("A", "甲"), ("B", "乙"))],
        rels=[RelRows("SERVES_IN", (), [])],
    )
    neo.write_batch(batch)
    rels = LoadBatch(rels=[RelRows("SUBORDINATE_TO", (), [["unit:B", "unit:A", ""]])])
    neo.write_batch(rels)
    neo.write_batch(rels)
    assert neo.counts().relationships == {"SUBORDINATE_TO": 1}


def test_a_missing_endpoint_rolls_the_whole_batch_back(neo: Neo4jStore) -> None:
    batch = LoadBatch(
        nodes=[_units(("A", "甲"))],
        rels=[RelRows("SUBORDINATE_TO", (), [["unit:A", "unit:NOPE", ""]])],
        new=True,
    )
    with pytest.raises(StoreError, match="unit:NOPE"):
        neo.write_batch(batch)
    assert neo.counts().total_nodes == 0


def test_property_names_are_whitelisted() -> None:
    with pytest.raises(SchemaError):
        node_statement("Unit", ("name`}) DETACH DELETE n //",), create=True)
    with pytest.raises(SchemaError):
        rel_statement("SERVES_IN", ("nope",), create=False)
    # MERGE sets every schema property, the absent ones to null (a rewrite replaces).
    assert "n.`code` = null" in node_statement("Unit", ("name",), create=False)
