"""Contract tests of search, on both stores (see loops_world), and the Neo4j plan check."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from graph.errors import InvalidArgument
from graph.queries.search import search
from graph.schema import FULLTEXT_INDEX
from graph.scope import EVERYTHING_SCOPE
from graph.store import GraphStore, NodeRecord
from graph.store.cypher.search import lucene_escape, lucene_query, search_query
from graph.store.embedded import EmbeddedStore
from tests.conftest import make_store
from tests.graph.queries.loops_world import build_loops_world


@pytest.fixture
def world(store: GraphStore) -> GraphStore:
    build_loops_world(store)
    return store


def uids(store: GraphStore, text: str, **kwargs: Any) -> list[str]:
    return [h.node.uid for h in search(store, text, **kwargs).hits]


def test_chinese_prefix_finds_the_committee_first(world: GraphStore) -> None:
    result = search(world, "嘉定")
    found = [h.node.uid for h in result.hits]
    assert found[:3] == ["unit:D1", "unit:T1", "unit:D1-JW"]  # shorter names first
    top = result.hits[0]
    assert top.match == "prefix" and top.kind_zh == "单位" and top.kind_en == "unit"
    assert top.node.caption == "嘉定区委"
    assert result.hits[1].context == "隶属：嘉定区委"


def test_person_by_name_with_context(world: GraphStore) -> None:
    top = search(world, "李四").hits[0]
    assert top.node.uid == "person:P2" and top.match == "exact"
    # The post held today (T2 since 2019), not the one that ended.
    assert top.context == "任职：七宝镇（班子成员）"
    assert top.context_en == "serves in: 七宝镇 (team member)"


def test_english_and_case(world: GraphStore) -> None:
    assert uids(world, "Li Wei")[0] == "person:P4"
    assert uids(world, "li wei")[0] == "person:P4"
    hit = search(world, "LI").hits[0]
    assert hit.node.uid == "person:P4" and hit.match == "prefix"


def test_chinese_substring(world: GraphStore) -> None:
    hit = search(world, "定工业").hits[0]
    assert hit.node.uid == "unit:T1" and hit.match == "substring"
    assert uids(world, "虚报冒领")[0] == "case:C2"


def test_labels_and_other_fields(world: GraphStore) -> None:
    # Job titles are searchable too, below names.
    result = search(world, "书记", labels=["Person"])
    assert [h.node.uid for h in result.hits] == ["person:P1", "person:P2"]
    assert {h.match for h in result.hits} == {"field"}
    assert all(h.node.label == "Unit" for h in search(world, "嘉定", labels=["Unit"]).hits)


def test_exact_id_first(world: GraphStore) -> None:
    hit = search(world, "T1").hits[0]
    assert hit.node.uid == "unit:T1" and hit.match == "exact"


def test_limit(world: GraphStore) -> None:
    assert len(search(world, "嘉定", limit=2).hits) == 2
    with pytest.raises(InvalidArgument):
        search(world, "嘉定", limit=0)


@pytest.mark.parametrize("text", ['嘉定 AND (区委', '"', "*", "区委~2", "a:b", "\\", "NOT"])
def test_lucene_syntax_is_literal(world: GraphStore, text: str) -> None:
    search(world, text)  # no parse error on either store


def test_empty_text(world: GraphStore) -> None:
    with pytest.raises(InvalidArgument):
        search(world, "   ")


def test_sees_writes(world: GraphStore) -> None:
    assert uids(world, "南翔") == []
    world.upsert_nodes([NodeRecord("Unit", "T3", {"name": "南翔镇", "kind": "street_town",
                                                  "level": 2})])
    assert uids(world, "南翔") == ["unit:T3"]
    world.upsert_nodes([NodeRecord("Unit", "T3", {"name": "江桥镇", "kind": "street_town",
                                                  "level": 2})])
    assert uids(world, "南翔") == []


def test_agrees_with_embedded(world: GraphStore) -> None:
    reference = EmbeddedStore(None)
    build_loops_world(reference)
    for text in ("嘉定", "嘉定区委", "李四", "工业", "Li Wei", "T1", "七宝", "抄告"):
        ours = [(h.node.uid, h.match) for h in search(world, text).hits if h.match != "related"]
        theirs = [(h.node.uid, h.match) for h in search(reference, text).hits]
        assert ours == theirs, text


def test_lucene_escape() -> None:
    assert lucene_escape('a+b(c)"d"') == 'a\\+b\\(c\\)\\"d\\"'
    # Operators are lower-cased into words; each word also as a prefix.
    assert lucene_query("X AND y") == '"x and y"^4 OR x OR x* OR and OR and* OR y OR y*'


def _operators(plan: Any) -> list[str]:
    out = [str(plan["operatorType"])]
    for child in plan.get("children", []):
        out += _operators(child)
    return out


@pytest.mark.integration
def test_neo4j_plan_uses_only_the_fulltext_index(tmp_path: Path) -> None:
    store = make_store("neo4j", tmp_path)
    try:
        build_loops_world(store)
        jd = store.reads.scope_of(["unit:D1"])
        for labels, scope in ((None, EVERYTHING_SCOPE), (["Unit"], EVERYTHING_SCOPE),
                              (None, jd)):
            params = {"index": FULLTEXT_INDEX, "query": lucene_query("嘉定"),
                      "options": {"limit": 50}, "fetch": 50, "labels": labels, "id": "嘉定",
                      **scope.params()}
            query = search_query(not scope.everything)
            with store.driver.session(database=store.database) as session:  # type: ignore[attr-defined]
                plan = session.run("PROFILE " + query, params).consume().profile
            ops = _operators(plan)
            # Lucene for the text, the Entity.id index for an exact id -- never a scan.
            assert any(op.startswith("ProcedureCall") for op in ops), ops
            assert any(op.startswith("NodeIndexSeek") for op in ops), ops
            assert not [op for op in ops if "Scan" in op], ops
    finally:
        store.close()


def test_sample_names(sample_store: GraphStore) -> None:
    top = search(sample_store, "嘉定").hits[0]
    assert top.node.uid == "unit:JD" and top.node.caption == "嘉定区委"
    # Every tenth person of the sample, by the name in its CSV: found first, with a context.
    people = Path(__file__).parents[3] / "loaders" / "sample" / "csv" / "people.csv"
    rows = list(csv.DictReader(people.open(encoding="utf-8-sig")))
    for row in rows[::10]:
        hits = search(sample_store, row["name"], labels=["Person"]).hits
        exact = [h.node.uid for h in hits if h.match == "exact"]
        assert f"person:{row['id']}" in exact, row
        assert hits[0].match == "exact" and hits[0].context, row
