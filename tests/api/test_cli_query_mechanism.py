"""``dutygraph query assessments|rotation|trends|coverage|risks|controls|decisions`` end to
end on the sample saved under a temporary DUTYGRAPH_HOME (the queries are tested on both
stores in tests/graph/queries/test_mechanism_sample.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from graph.queries.assessment import assessment_history, rotation, score_trends
from graph.queries.coverage import coverage
from graph.queries.prevention import decision_register, owned_controls, risk_register
from graph.store.embedded import EmbeddedStore
from loaders.pipeline import load_sample
from tests.api.cli_support import cli_home, run


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    """The sample saved under a fresh DUTYGRAPH_HOME, the CLI pointed at it."""
    with pytest.MonkeyPatch.context() as mp:
        yield from cli_home(tmp_path_factory.mktemp("cli"), mp,
                            lambda s: load_sample(s, progress=False))


def test_json_is_the_query_model(home: EmbeddedStore) -> None:
    day = "2018-06-30"
    cases = [
        (["assessments", "JWDW-H04", "--as-of", day], assessment_history(home, "JWDW-H04",
                                                                         as_of=day)),
        (["rotation", "-u", "JWDW", "--as-of", day], rotation(home, "JWDW", as_of=day)),
        (["trends", "-u", "JD", "--as-of", day, "--subjects", "unit"],
         score_trends(home, "JD", as_of=day, subjects="unit")),
        (["coverage", "-u", "JWDW", "--as-of", day], coverage(home, "JWDW", as_of=day)),
        (["risks", "SIPG", "--subtree", "--layer", "decision", "--as-of", day],
         risk_register(home, "SIPG", subtree=True, layer="decision", as_of=day)),
        (["controls", "P-SIPG-C02-01", "--as-of", day],
         owned_controls(home, "P-SIPG-C02-01", as_of=day)),
        (["decisions", "SIPG", "--subtree", "--as-of", day],
         decision_register(home, "SIPG", subtree=True, as_of=day)),
    ]
    for args, expected in cases:
        code, out = run(*args, "--json")
        assert code == 0, (args, out)
        assert json.loads(out) == json.loads(expected.model_dump_json()), args


def test_tables_tell_the_article_in_chinese_and_english(home: EmbeddedStore) -> None:
    code, out = run("rotation", "-u", "JWDW", "--as-of", "2018-12-31")
    assert code == 0 and out.count("(33%)") == 9 and "实地检查" in out
    assert "全部单位均在规定年限内接受过实地检查或现场述职" in out
    code, out = run("rotation", "-u", "JWDW", "--as-of", "2026-12-01")
    assert code == 0 and "超期未实地考核" in out and "JWDW-H04" in out
    code, out = run("decisions", "SIPG", "--subtree", "--as-of", "2018-06-30")
    assert code == 0 and "100,000元" in out and out.count("未经集体决策") >= 4
    code, out = run("risks", "SIPG", "--subtree", "--as-of", "2018-06-30")
    assert code == 0 and "决策层" in out and "管理层" in out and "操作层" in out
    code, out = run("coverage", "-u", "JWDW", "--as-of", "2018-06-30", lang="en")
    assert code == 0 and out.count("100.0%") == 6 and "Coverage of" in out
    assert "Stationed supervision" in out and "覆盖率" not in out
    code, out = run("assessments", "P-JD-T05-01", "--as-of", "2026-12-01")
    assert code == 0 and "上级评议" in out and "群众评议" in out


def test_bad_input_is_a_clear_error(home: EmbeddedStore) -> None:
    code, out = run("risks", "NO-SUCH-UNIT")
    assert code != 0 and "NO-SUCH-UNIT" in out
    code, out = run("risks", "SIPG", "--layer", "nowhere")
    assert code != 0 and "layer" in out and "decision, management, operation" in out
