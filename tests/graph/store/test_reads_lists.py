"""The list operations of the seam (search, neighbourhood, shortest paths, the analytics
projection) on both stores loaded with the sample, for three scopes -- everything, 嘉定,
闵行 -- and the scope facts they promise: limits count visible items, nothing outside the
scope is shown, counted or walked through."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from graph.analytics.report import analyze, analyze_store
from graph.errors import NotFound
from graph.matching import RELATED
from graph.queries.search import search
from graph.queries.subgraph import neighbourhood, shortest_paths
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore
from graph.store.embedded import EmbeddedStore
from graph.store.ops.search import SearchRow
from graph.store.ops.subgraph import NeighbourhoodRow, PathsRow

SCOPES: dict[str, list[str] | None] = {"everything": None, "JD": ["unit:JD"], "MH": ["unit:MH"]}
AS_OF = "2026-01-01"
neo4j_only = pytest.mark.parametrize(
    "backend", [pytest.param("neo4j", marks=pytest.mark.integration)])


@pytest.fixture(scope="module")
def reference() -> Iterator[EmbeddedStore]:
    """The sample in an embedded store of this module's own (the other side of the
    comparisons with Neo4j)."""
    from loaders.pipeline import load_sample

    store = EmbeddedStore(None)
    assert load_sample(store, progress=False).ok
    yield store


def scope(store: GraphStore, name: str) -> Scope:
    return store.reads.scope_of(SCOPES[name])


# -- contract: equal rows on both stores -------------------------------------------------
def search_rows(rows: list[SearchRow]) -> list[Any]:
    """The rows both stores promise alike: the matches (Neo4j may add ``related`` ones
    only its index found) without the score (Lucene's, on Neo4j)."""
    return [(r["uid"], r["fields"], r["tier"], r["context"]) for r in rows if r["tier"] < RELATED]


def neighbourhood_rows(row: NeighbourhoodRow | None) -> Any:
    """A neighbourhood row in a comparable form: the relationships of an expanded node come
    in the store's own order."""
    if row is None:
        return None
    expanded = []
    for uid, others, codes, rich, cut in row["expanded"]:
        props = iter(rich)
        edges = sorted((o, c, sorted(next(props).items()) if c % 64 in _WITH_PROPS else [])
                       for o, c in zip(others, codes, strict=True))
        expanded.append((uid, edges, cut))
    return [[list(node) for node in lv] for lv in row["levels"]], expanded


def paths_rows(row: PathsRow) -> Any:
    return row["ends"], [
        (p["nodes"], sorted((r["type"], r["src"], r["dst"], sorted(r["props"].items()))
                            for r in p["rels"])) for p in row["paths"]]


def _with_props() -> set[int]:
    from graph.schema import SCHEMA

    return {i for i, r in enumerate(SCHEMA.relationships) if r.properties}


_WITH_PROPS = _with_props()
#: Texts with fewer matches than the limit: then Lucene's candidates on Neo4j hold every
#: match and both stores rank the same set (with more, each ranks what it has).
SEARCHES: list[tuple[str, list[str] | None, int]] = [
    ("嘉定", None, 200), ("闵行区", None, 50), ("纪委监委", None, 20), ("纪检监察组", ["Unit"], 20),
    ("黎某芳", ["Person"], 5), ("区委副书记", ["Person"], 10), ("JD-D01", None, 5),
    ("整改", None, 1000), ("街道", None, 50),
]
NEIGHBOURHOODS: list[tuple[str, dict[str, Any]]] = [
    ("unit:JD", {"depth": 1, "limit": 200}),
    ("unit:JD", {"depth": 2, "limit": 40}),
    ("unit:MH", {"depth": 2, "limit": 300, "as_of": AS_OF}),
    ("unit:SH", {"depth": 2, "limit": 60}),
    ("person:P-JD-01", {"depth": 2, "limit": 100}),
    ("unit:JD-D01", {"depth": 3, "limit": 150, "labels": ["Unit", "Person", "Duty"]}),
    ("unit:MH-JW", {"depth": 2, "limit": 80, "rel_types": ["SUPERVISES", "SERVES_IN"]}),
]
PATHS: list[tuple[str, str, int]] = [
    ("unit:JD", "unit:MH", 6), ("unit:JD-D01", "unit:JD-JW", 6), ("person:P-JD-01", "unit:JD", 4),
    ("unit:SH", "unit:JD-D01", 6), ("person:P-JD-01", "person:P-JD-03", 6),
    ("unit:MH", "unit:MH", 3),
]


@neo4j_only
@pytest.mark.parametrize("name", list(SCOPES))
def test_search_rows_agree(sample_store: GraphStore, reference: EmbeddedStore,
                           name: str) -> None:
    mine, theirs = scope(sample_store, name), scope(reference, name)
    assert mine == theirs
    for text, labels, limit in SEARCHES:
        expected = reference.reads.search(text, labels, limit, scope=theirs)
        assert len(expected) < limit, text
        found = sample_store.reads.search(text, labels, limit, scope=mine)
        assert search_rows(found) == search_rows(expected), (text, labels, limit)


@neo4j_only
@pytest.mark.parametrize("name", list(SCOPES))
def test_neighbourhood_rows_agree(sample_store: GraphStore, reference: EmbeddedStore,
                                  name: str) -> None:
    mine, theirs = scope(sample_store, name), scope(reference, name)
    for centre, args in NEIGHBOURHOODS:
        kwargs = {"rel_types": None, "labels": None, "as_of": None, **args}
        expected = reference.reads.neighbourhood(centre, scope=theirs, **kwargs)
        found = sample_store.reads.neighbourhood(centre, scope=mine, **kwargs)
        assert neighbourhood_rows(found) == neighbourhood_rows(expected), (centre, args)
        try:
            shaped = neighbourhood(reference, centre, scope=theirs, **args)
        except NotFound:
            assert expected is None
            continue
        assert neighbourhood(sample_store, centre, scope=mine, **args) == shaped


@neo4j_only
@pytest.mark.parametrize("name", list(SCOPES))
def test_path_rows_agree(sample_store: GraphStore, reference: EmbeddedStore,
                         name: str) -> None:
    mine, theirs = scope(sample_store, name), scope(reference, name)
    for a, b, hops in PATHS:
        kwargs: dict[str, Any] = {"max_depth": hops, "rel_types": None, "limit": 5}
        expected = reference.reads.shortest_paths(a, b, scope=theirs, **kwargs)
        found = sample_store.reads.shortest_paths(a, b, scope=mine, **kwargs)
        assert paths_rows(found) == paths_rows(expected), (a, b)


@neo4j_only
@pytest.mark.parametrize("name", list(SCOPES))
def test_members_agree(sample_store: GraphStore, reference: EmbeddedStore, name: str) -> None:
    mine, theirs = scope(sample_store, name), scope(reference, name)
    members = sample_store.reads.members(mine)
    assert members == reference.reads.members(theirs)
    every = frozenset(reference.to_networkx().nodes)
    assert members == reference.reads.visible(every, theirs)


# -- what a scope promises ------------------------------------------------------------------
def test_scoped_search_fills_its_limit(sample_store: GraphStore) -> None:
    everyone = [h.node.uid for h in search(sample_store, "书记", limit=20).hits]
    for name, limit in (("JD", 20), ("MH", 15)):  # 闵行 has 17 matches
        sc = scope(sample_store, name)
        # Everyone's best twenty cannot all lie in both districts: for one of them at
        # least, filtering after the limit would leave fewer than the limit.
        assert len(sample_store.reads.search("书记", None, 500, scope=sc)) > limit
        hits = search(sample_store, "书记", limit=limit, scope=sc).hits
        uids = [h.node.uid for h in hits]
        assert len(uids) == limit and sample_store.reads.visible(uids, sc) == set(uids), name
        other = "MH" if name == "JD" else "JD"
        assert not [u for u in uids if other in u], name
    assert sample_store.reads.visible(everyone, scope(sample_store, "JD")) != set(everyone) or \
        sample_store.reads.visible(everyone, scope(sample_store, "MH")) != set(everyone)


def test_scoped_search_context_names_only_what_the_scope_shows(
        sample_store: GraphStore) -> None:
    jd = scope(sample_store, "JD")
    for text in ("区", "书记", "纪委", "嘉定"):
        rows = sample_store.reads.search(text, None, 100, scope=jd)
        named = {f["uid"] for r in rows for f in r["context"]}
        shown = sample_store.reads.visible(named, jd) | sample_store.reads.outline(named, jd)
        assert named and named <= shown, text
    # 嘉定区委's context is the city above it, seen in outline; 闵行 never.
    top = search(sample_store, "嘉定区委", scope=jd).hits[0]
    assert top.node.uid == "unit:JD" and top.context == "隶属：上海市委"
    hits = search(sample_store, "闵行区委", scope=jd, labels=["Unit"]).hits
    assert not [h for h in hits if "MH" in h.node.uid or h.match != "related"]


def test_scoped_neighbourhood_fills_its_limit(sample_store: GraphStore) -> None:
    jd = scope(sample_store, "JD")
    sub = neighbourhood(sample_store, "unit:JD", depth=2, limit=6, scope=jd)
    uids = [n.uid for n in sub.nodes]
    assert len(uids) == 6 and sample_store.reads.visible(uids, jd) == set(uids)
    assert not [u for u in uids if "MH" in u or u == "unit:SH"]
    assert sub.truncated
    # "N more" counts the neighbours the scope shows: 嘉定区委's neighbours are the city
    # (not in scope) and those inside 嘉定.
    around = {n.node.uid for n in sample_store.neighbours("unit:JD")}
    shown = sample_store.reads.visible(around, jd)
    assert "unit:SH" in around - shown
    taken = sum(1 for n in sub.nodes if n.level == 1)
    assert sub.more["unit:JD"] == len(shown) - taken
    everyone = neighbourhood(sample_store, "unit:JD", depth=1, limit=6)
    assert everyone.more["unit:JD"] == len(around) - 5
    # Out of scope reads as missing, as an unknown node does.
    with pytest.raises(NotFound):
        neighbourhood(sample_store, "unit:MH", scope=jd)
    with pytest.raises(NotFound):
        neighbourhood(sample_store, "unit:SH", scope=jd)  # above the scope: outline only


def test_scoped_paths_stay_in_scope(sample_store: GraphStore) -> None:
    jd = scope(sample_store, "JD")
    assert shortest_paths(sample_store, "unit:JD", "unit:MH").paths  # through the city
    with pytest.raises(NotFound):
        shortest_paths(sample_store, "unit:JD", "unit:MH", scope=jd)
    row = sample_store.reads.shortest_paths("unit:JD", "unit:MH", max_depth=6, rel_types=None,
                                            limit=5, scope=jd)
    assert row["paths"] == [] and [e["uid"] for e in row["ends"]] == ["unit:JD"]
    sub = shortest_paths(sample_store, "person:P-JD-01", "unit:JD-JW", scope=jd)
    assert sub.paths
    on_paths = {u for p in sub.paths for u in p}
    assert sample_store.reads.visible(on_paths, jd) == on_paths


UID = re.compile(r"\b(?:unit|person|duty|issue|project|inspection|case|accountability|"
                 r"referral|record):[A-Za-z0-9._-]+")


def test_scoped_analysis_sees_only_its_subtrees(sample_store: GraphStore) -> None:
    jd = scope(sample_store, "JD")
    members = sample_store.reads.members(jd)
    units = {u for u in members if u.startswith("unit:")}
    assert units == sample_store.reads.subtree("unit:JD") | sample_store.reads.subtree("unit:JD-JW")
    report = analyze_store(sample_store, as_of=AS_OF, scope=jd).report
    named = set(UID.findall(report.model_dump_json()))
    assert named and named <= members
    assert not [u for u in named if "MH" in u or u in ("unit:SH", "unit:SH-JW")]
    assert report.metrics["graph"]["nodes"] == len(members)
    assert {h.uid for h in report.health} == units
    # The same report as an analysis of a graph holding nothing but the 嘉定 subtrees.
    alone = analyze(sample_store.to_networkx(members), as_of=AS_OF).report
    assert report.counts == alone.counts and report.findings == alone.findings
    assert report.health == alone.health and report.rollup == alone.rollup
    # A unit outside the scope reads as missing; one inside narrows the analysis.
    with pytest.raises(NotFound):
        analyze_store(sample_store, as_of=AS_OF, scope=jd, unit="MH")
    inner = analyze_store(sample_store, as_of=AS_OF, scope=jd, unit="JD-D01").report
    assert inner.scope == "unit:JD-D01" and {h.uid for h in inner.health} <= units
    everything = analyze_store(sample_store, as_of=AS_OF, scope=EVERYTHING_SCOPE).report
    assert len(everything.health) > len(report.health)
