"""The ``dutygraph query holders|overview|person|issue-chain|trace`` commands, end to end on
an embedded store under a temporary DUTYGRAPH_HOME (the queries themselves are tested on
both stores in tests/graph/queries)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.queries.chain import case_trace, issue_chain
from graph.queries.holders import unit_holders, unit_overview
from graph.queries.person import person_profile
from graph.store.base import NodeRecord
from graph.store.embedded import EmbeddedStore
from tests.api.cli_support import cli_home, run
from tests.graph.queries.units_world import build_units_world


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[EmbeddedStore]:
    """The units world saved under a fresh DUTYGRAPH_HOME, the CLI pointed at it."""
    yield from cli_home(tmp_path, monkeypatch, build_units_world)


def test_json_is_the_query_model(home: EmbeddedStore) -> None:
    cases = [
        (["holders", "D1", "--as-of", "2017-06-01", "--up"],
         unit_holders(home, "D1", as_of="2017-06-01", up=True)),
        (["overview", "unit:D1"], unit_overview(home, "D1")),
        (["person", "DEP", "--as-of", "2018-03-01"],
         person_profile(home, "DEP", as_of="2018-03-01")),
        (["issue-chain", "I1"], issue_chain(home, "I1")),
        (["trace", "C1"], case_trace(home, "C1")),
    ]
    for args, expected in cases:
        code, out = run(*args, "--json")
        assert code == 0, out
        assert json.loads(out) == json.loads(expected.model_dump_json())
        assert "\\u" not in out  # Chinese stays readable


def test_tables_print_in_chinese_by_default(home: EmbeddedStore) -> None:
    code, out = run("holders", "D1-T1", "--as-of", "2017-06-01")
    assert code == 0 and "四责主体 — " in out and "主体责任 primary" in out
    assert "空缺 no_secretary" in out and "holders" not in out
    code, out = run("holders", "D1", "--as-of", "2017-06-01", "--up", "--duties")
    assert code == 0 and "某市委" in out and "责任事项（" in out and "DU-F2" in out
    code, out = run("overview", "D1")
    assert code == 0 and "下辖单位 — " in out and "村居 village_community" in out
    code, out = run("person", "DEP", "--as-of", "2018-03-01")
    assert code == 0 and "收到的廉情抄告" in out and "R2" in out
    code, out = run("issue-chain", "I2")
    assert code == 0 and "环节缺失" in out and "重要领导责任" in out
    code, out = run("trace", "C2")
    assert code == 0 and "未问责" in out and "问责止于直接责任人" in out
    code, out = run("trace", "C1")
    assert code == 0 and "链条外被问责" in out and "全链条问责" in out


def test_tables_print_in_english_with_lang_en(home: EmbeddedStore) -> None:
    """``--lang en`` (or DUTYGRAPH_LANG=en): the CLI's own words are all English; only the
    graph's data (names, titles) stays as written."""
    code, out = run("holders", "D1-T1", "--as-of", "2017-06-01", lang="en")
    assert code == 0 and "The four holders — " in out
    assert "primary responsibility (primary)" in out and "vacancy no_secretary" in out
    assert "四责主体" not in out and "主体责任" not in out and "空缺" not in out
    code, out = run("trace", "C2", env={"DUTYGRAPH_LANG": "en"})
    assert code == 0 and "Trace-back — " in out and "gap" in out
    assert "Accountability stopped at the direct level" in out and "倒查" not in out
    code, out = run("holders", "NOPE", lang="en")
    assert code == 1 and "Not found: There is no unit with the id “NOPE”." in out
    assert "未找到" not in out


@pytest.mark.parametrize(
    "args",
    [["holders", "NOPE"], ["overview", "person:DEP"], ["person", "D1"], ["issue-chain", "C1"],
     ["trace", "I1"]],
)
def test_not_found_is_a_message_and_exit_1(home: EmbeddedStore, args: list[str]) -> None:
    code, out = run(*args)
    assert code == 1
    assert "未找到：没有编号为" in out and "Traceback" not in out


def test_bad_date_is_a_message_and_exit_1(home: EmbeddedStore) -> None:
    code, out = run("holders", "D1", "--as-of", "2017-02-30")
    assert code == 1 and "as_of" in out and "Traceback" not in out


def _with_markup_names(store: EmbeddedStore) -> None:
    """The units world with a unit and a person named in Rich markup."""
    build_units_world(store)
    store.upsert_nodes([
        NodeRecord("Unit", "D1-EDU", {"name": "[/]教育局[bold]", "kind": "department",
                                      "level": 2}),
        NodeRecord("Person", "DEP", {"name": "[bold]丁副书记[/]", "title": "副书记[red]"}),
    ])
    store.flush()


def test_names_with_rich_markup_print_as_written(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in cli_home(tmp_path, monkeypatch, _with_markup_names):
        for args in (["holders", "D1-EDU", "--as-of", "2017-06-01", "--duties"],
                     ["holders", "D1", "--as-of", "2017-06-01"], ["overview", "D1"],
                     ["person", "DEP", "--as-of", "2018-03-01"], ["issue-chain", "I1"],
                     ["trace", "C1"]):
            code, out = run(*args)
            assert code == 0, (args, out)
            assert "[/]教育局[bold]" in out, (args, out)
        code, out = run("person", "DEP", "--as-of", "2018-03-01")
        assert "[bold]丁副书记[/]" in out and "副书记[red]" in out
        code, out = run("trace", "C1")
        assert "[bold]丁副书记[/]" in out
