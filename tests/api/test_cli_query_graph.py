"""The ``dutygraph query open-loops|accountability-stats|search|neighbourhood|path`` commands,
end to end on an embedded store under a temporary DUTYGRAPH_HOME (the queries themselves are
tested on both stores in tests/graph/queries)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.queries.loops import open_loops
from graph.queries.search import search
from graph.queries.stats import accountability_stats
from graph.queries.subgraph import neighbourhood, shortest_paths
from graph.store.base import NodeRecord
from graph.store.embedded import EmbeddedStore
from tests.api.cli_support import cli_home, run
from tests.graph.queries.loops_world import AS_OF, build_loops_world


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[EmbeddedStore]:
    """The loops world saved under a fresh DUTYGRAPH_HOME, the CLI pointed at it."""
    yield from cli_home(tmp_path, monkeypatch, build_loops_world)


def test_json_is_the_query_model(home: EmbeddedStore) -> None:
    cases = [
        (["open-loops", "--unit", "D2", "--as-of", AS_OF, "--limit", "2"],
         open_loops(home, unit="D2", as_of=AS_OF, limit=2)),
        (["accountability-stats", "--unit", "D1", "--year", "2017"],
         accountability_stats(home, unit="D1", years=[2017])),
        (["search", "嘉定", "--label", "Unit"], search(home, "嘉定", labels=["Unit"])),
        (["neighbourhood", "D1", "--depth", "2", "--limit", "5"],
         neighbourhood(home, "D1", depth=2, limit=5)),
        (["path", "CITY", "person:P2", "--limit", "1"],
         shortest_paths(home, "CITY", "person:P2", limit=1)),
    ]
    for args, expected in cases:
        code, out = run(*args, "--json")
        assert code == 0, out
        assert json.loads(out) == json.loads(expected.model_dump_json())


def test_tables(home: EmbeddedStore) -> None:
    code, out = run("open-loops", "--as-of", AS_OF)
    assert code == 0 and "招投标制度修订" in out and "合计 5" in out
    code, out = run("accountability-stats")
    assert code == 0 and "-100.0%" in out and "党组织" in out and "人次" in out
    code, out = run("accountability-stats", lang="en")
    assert code == 0 and "Party organisations" in out and "person-times" in out
    code, out = run("search", "李四")
    assert code == 0 and "person:P2" in out and "七宝镇" in out
    code, out = run("neighbourhood", "D1", "--limit", "3")
    assert code == 0 and "+4" in out and "已截断" in out
    code, out = run("path", "T1", "T2")
    assert code == 0 and "李四" in out
    code, out = run("path", "CITY", "person:P2", "--type", "SUBORDINATE_TO")
    assert code == 0 and "之间没有路径" in out
    code, out = run("path", "CITY", "person:P2", "--type", "SUBORDINATE_TO", lang="en")
    assert code == 0 and "No path between unit:CITY and person:P2" in out


def test_not_found_and_bad_arguments(home: EmbeddedStore) -> None:
    for args in (["open-loops", "--unit", "NOPE"], ["neighbourhood", "unit:NOPE"],
                 ["path", "D1", "NOPE"], ["accountability-stats", "--unit", "NOPE"]):
        code, out = run(*args)
        assert code == 1 and "未找到：" in out, (args, out)
    for args in (["open-loops", "--as-of", "2019-13-01"], ["neighbourhood", "D1", "--depth", "9"],
                 ["search", " "], ["open-loops", "--kind", "late"]):
        code, out = run(*args)
        code_en, out_en = run(*args, lang="en")
        assert code == code_en == 1 and "错误：" in out and "Error: " in out_en, (args, out)


def _with_markup_names(store: EmbeddedStore) -> None:
    """The loops world with a town and a person named in Rich markup."""
    build_loops_world(store)
    store.upsert_nodes([
        NodeRecord("Unit", "T2", {"name": "[/]七宝镇[bold]", "kind": "street_town", "level": 2}),
        NodeRecord("Person", "P2", {"name": "[bold]李四[/]"}),
    ])
    store.flush()


def test_names_with_rich_markup_print_as_written(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in cli_home(tmp_path, monkeypatch, _with_markup_names):
        for args in (["open-loops", "--as-of", AS_OF], ["search", "七宝镇"],
                     ["neighbourhood", "T2"], ["path", "T1", "T2"]):
            code, out = run(*args)
            assert code == 0, (args, out)
            assert "[/]七宝镇[bold]" in out, (args, out)
        code, out = run("open-loops", "--as-of", AS_OF)
        assert "[bold]李四[/]" in out
