"""``dutygraph query warnings`` over the sample saved under a fresh DUTYGRAPH_HOME: the JSON
is the model of ``GET /api/warnings`` (the same query), the table names the rule behind
each colour, the downloads carry every item with Chinese headers, bad input exits 1."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from graph.queries.warnings import warnings
from graph.store.embedded import EmbeddedStore
from loaders.pipeline import load_sample
from tests.api.cli_support import cli_home, run

AS_OF = "2026-01-01"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[EmbeddedStore]:
    yield from cli_home(tmp_path, monkeypatch, lambda s: load_sample(s, progress=False))


def test_json_table_and_downloads(home: EmbeddedStore, tmp_path: Path) -> None:
    code, text = run("warnings", "--unit", "闵行区委", "--as-of", AS_OF, "--json")
    assert code == 0, text
    expected = warnings(home, unit="闵行区委", as_of=AS_OF)
    assert json.loads(text) == json.loads(expected.model_dump_json())
    assert expected.items and expected.items[0].colour == "red"
    code, text = run("warnings", "--unit", "MH", "--as-of", AS_OF, "--type", "referral")
    assert code == 0 and "RF-MH-05" in text and "已逾期" in text and "廉情抄告" in text, text
    code, text = run("warnings", "--unit", "MH", "--as-of", AS_OF, "--type", "referral",
                     lang="en")
    assert code == 0 and "overdue by" in text, text
    target = tmp_path / "warnings.csv"
    code, text = run("warnings", "--unit", "MH", "--as-of", AS_OF, "--output", str(target))
    assert code == 0, text
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert rows[0][:3] == ["状态", "类型", "事项"]
    assert len(rows) - 1 == expected.total
    book = tmp_path / "warnings.xlsx"
    assert run("warnings", "--unit", "MH", "--as-of", AS_OF, "--output", str(book))[0] == 0
    sheet = load_workbook(book).active
    assert sheet is not None and sheet.max_row - 2 == expected.total


def test_bad_input_exits_1(home: EmbeddedStore, tmp_path: Path) -> None:
    for args in (["--unit", "NOPE"], ["--as-of", "2026-13-01"], ["--type", "nonsense"],
                 ["--output", str(tmp_path / "w.pdf")]):
        code, text = run("warnings", *args)
        assert code == 1, (args, text)
