"""What only the Neo4j store has: URIs, credentials, batches as transactions, the schema.

Runs against the test server of ``scripts/test`` (see ``tests/conftest.py``).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from graph.errors import StoreError, StoreUnavailable
from graph.schema import FULLTEXT_INDEX, SCHEMA
from graph.settings import Settings
from graph.store import open_store
from graph.store.base import NodeRecord, RelRecord
from graph.store.neo4j import Neo4jStore, schema_statements
from tests.conftest import neo4j_test_settings
from tests.graph.store import world

pytestmark = pytest.mark.integration


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return neo4j_test_settings(tmp_path)


def _auth(settings: Settings) -> tuple[str, str]:
    return settings.neo4j_username, settings.neo4j_password.get_secret_value()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_bolt_and_routing_uris_both_work(neo: Neo4jStore, settings: Settings, scheme: str) -> None:
    assert settings.neo4j_uri is not None
    host = settings.neo4j_uri.split("://", 1)[1]
    store = Neo4jStore(f"{scheme}://{host}", _auth(settings), database=settings.neo4j_database)
    try:
        world.load(store)
        assert store.counts().nodes == world.expected_node_counts()
        assert store.get_node("unit:JD") is not None
        assert store.server_info()["version"].startswith("5.")
    finally:
        store.close()


def test_open_store_picks_neo4j_when_the_uri_is_set(neo: Neo4jStore, settings: Settings) -> None:
    store = open_store(settings)
    try:
        assert store.backend == "neo4j" and isinstance(store, Neo4jStore)
        assert store.database == settings.neo4j_database
    finally:
        store.close()


def test_wrong_password_is_store_unavailable(settings: Settings) -> None:
    assert settings.neo4j_uri is not None
    store = Neo4jStore(settings.neo4j_uri, (settings.neo4j_username, "not-the-password"))
    try:
        with pytest.raises(StoreUnavailable, match="credentials"):
            store.counts()
    finally:
        store.close()


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_closed_port_is_store_unavailable(scheme: str) -> None:
    store = Neo4jStore(f"{scheme}://127.0.0.1:{_free_port()}", ("neo4j", "whatever"),
                       connection_timeout=2.0)
    try:
        with pytest.raises(StoreUnavailable, match="unavailable"):
            store.get_node("unit:JD")
    finally:
        store.close()


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "127.0.0.1:7687"])
def test_bad_uri_is_a_store_error(uri: str) -> None:
    with pytest.raises(StoreError):
        Neo4jStore(uri, ("neo4j", "x"))


def test_cypher_errors_are_wrapped(neo: Neo4jStore) -> None:
    with pytest.raises(StoreError, match="SyntaxError"):
        neo.read("MATCH (n RETURN n")
    with pytest.raises(StoreError):
        neo.write("RETURN 1 / $zero AS x", {"zero": 0})


def test_read_and_write_return_plain_rows(neo: Neo4jStore) -> None:
    world.load(neo)
    rows = neo.read("MATCH (u:Unit {id: $id}) RETURN u, u.name AS name", {"id": "JD"})
    assert rows == [{"u": {"id": "JD", "uid": "unit:JD", "name": "嘉定区委",
                           "kind": "party_committee", "level": 2, "code": "JD-001"},
                     "name": "嘉定区委"}]
    out = neo.write("MATCH (u:Unit {id: $id}) SET u.code = $code RETURN u.code AS code",
                    {"id": "SH", "code": "SH-1"})
    assert out == [{"code": "SH-1"}]


def test_each_batch_is_one_transaction(settings: Settings, neo: Neo4jStore) -> None:
    # batch_size=2: the call below is three transactions; the third fails and rolls back
    # alone, the first two stay committed.
    assert settings.neo4j_uri is not None
    small = Neo4jStore(settings.neo4j_uri, _auth(settings), database=settings.neo4j_database,
                       batch_size=2)
    try:
        small.upsert_nodes(world.NODES)  # five transactions of two
        assert small.counts().nodes == world.expected_node_counts()
        rels = [
            RelRecord.make("SUBORDINATE_TO", "unit:JD", "unit:SH"),
            RelRecord.make("SUBORDINATE_TO", "unit:X1", "unit:JD"),
            RelRecord.make("HOLDS", "unit:JD", "duty:D1"),
            RelRecord.make("HOLDS", "person:P2", "duty:D2"),
            RelRecord.make("CASCADES_TO", "duty:D1", "duty:D2"),
            RelRecord.make("FOUND_IN", "issue:GHOST", "unit:JD"),
        ]
        with pytest.raises(StoreError, match="issue:GHOST"):
            small.upsert_relationships(rels)
        assert small.counts().relationships == {"SUBORDINATE_TO": 2, "HOLDS": 2}
    finally:
        small.close()


def test_every_node_carries_entity_and_uid(neo: Neo4jStore) -> None:
    world.load(neo)
    rows = neo.read("MATCH (n) RETURN count(n) AS all, "
                    "count(CASE WHEN n:Entity AND n.uid IS NOT NULL THEN 1 END) AS ok")
    assert rows == [{"all": len(world.NODES), "ok": len(world.NODES)}]
    assert neo.counts().nodes.get("Entity") is None


def test_uniqueness_is_enforced_by_the_database(neo: Neo4jStore) -> None:
    world.load(neo)
    with pytest.raises(StoreError, match="ConstraintValidationFailed"):
        neo.write("CREATE (:Unit {id: 'JD'})")


def test_schema_objects_exist_and_are_online(neo: Neo4jStore) -> None:
    indexes = {r["name"]: r for r in neo.read(
        "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, options, state "
        "RETURN name, type, labelsOrTypes, properties, options, state")}
    constraints = {r["name"] for r in neo.read("SHOW CONSTRAINTS YIELD name RETURN name")}
    for name, _ in schema_statements():
        assert name in indexes, name
        assert indexes[name]["state"] == "ONLINE"
    for node in SCHEMA.nodes:
        assert f"{node.prefix}_id_unique" in constraints
    assert "entity_uid_unique" in constraints
    ft = indexes[FULLTEXT_INDEX]
    assert ft["type"] == "FULLTEXT"
    assert ft["options"]["indexConfig"]["fulltext.analyzer"] == "cjk"
    assert set(ft["labelsOrTypes"]) == {n.label for n in SCHEMA.nodes}
    assert set(ft["properties"]) == {"name", "title"}


def test_an_outdated_fulltext_index_is_replaced(neo: Neo4jStore) -> None:
    # A database made before the schema gained kinds: its index leaves them out of search.
    neo.write(f"DROP INDEX {FULLTEXT_INDEX} IF EXISTS")
    neo.write(f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} FOR (n:Unit|Person) ON EACH [n.name]")
    neo.ensure_schema()
    [ft] = neo.read("SHOW INDEXES YIELD name, labelsOrTypes, properties, state "
                    "WHERE name = $name RETURN labelsOrTypes, properties, state",
                    {"name": FULLTEXT_INDEX})
    assert set(ft["labelsOrTypes"]) == {n.label for n in SCHEMA.nodes}
    assert set(ft["properties"]) == {"name", "title"} and ft["state"] == "ONLINE"


def test_fulltext_index_finds_chinese_names(neo: Neo4jStore) -> None:
    world.load(neo)
    neo.write("CALL db.awaitIndexes(60)")
    rows = neo.read(
        "CALL db.index.fulltext.queryNodes($index, $q) YIELD node, score "
        "RETURN node.uid AS uid ORDER BY score DESC",
        {"index": FULLTEXT_INDEX, "q": "嘉定"},
    )
    uids = [r["uid"] for r in rows]
    assert "unit:JD" in uids and "unit:JD-JW" in uids
    assert "unit:SH" not in uids


def test_node_rewrite_removes_stale_properties_in_the_database(neo: Neo4jStore) -> None:
    world.load(neo)
    neo.upsert_nodes([NodeRecord("Unit", "JD", {"name": "嘉定", "kind": "other", "level": 2})])
    (row,) = neo.read("MATCH (u:Unit {id: 'JD'}) RETURN keys(u) AS keys")
    assert sorted(row["keys"]) == ["id", "kind", "level", "name", "uid"]


def test_first_write_creates_missing_schema_objects(settings: Settings, neo: Neo4jStore) -> None:
    neo.write("DROP INDEX issue_status IF EXISTS")
    assert not neo.read("SHOW INDEXES YIELD name WHERE name = 'issue_status' RETURN name")
    fresh = Neo4jStore.from_settings(settings)
    try:
        fresh.upsert_nodes(world.NODES[:1])
        assert fresh.read("SHOW INDEXES YIELD name, state WHERE name = 'issue_status' "
                          "RETURN state") == [{"state": "ONLINE"}]
    finally:
        fresh.close()
