"""``dutygraph load``: exit codes, JSON report, human output (embedded store via settings)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.settings import get_settings
from graph.store.embedded import EmbeddedStore
from tests.loaders.files import UNITS, write_csv
from tests.loaders.fixture_world import write_world


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The CLI's configured store: embedded, under a fresh home."""
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("DUTYGRAPH_HOME", str(tmp_path / "home"))
    get_settings.cache_clear()
    yield tmp_path / "home"
    get_settings.cache_clear()


def run(*args: str, lang: str = "zh") -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--lang", lang, "load", *args])
    return result.exit_code, result.stdout, result.stderr


def test_loaded_exit_0_and_persisted(home: Path, tmp_path: Path) -> None:
    code, out, _ = run(str(write_world(tmp_path / "w")))
    assert code == 0, out
    assert "已导入" in out and "SERVES_IN" in out
    assert EmbeddedStore(home).counts().nodes["Unit"] == 5


def test_invalid_exit_1_nothing_written_errors_as_table(home: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [*UNITS, ["X", "x", "不存在的类型", "1", ""]])
    code, _, err = run(str(path))
    assert code == 1
    assert "BAD_ENUM" in err and "units.csv" in err and "未写入任何数据" in err
    assert "“不存在的类型”不是允许的取值" in err
    code, _, err = run(str(path), lang="en")
    assert code == 1 and "nothing written: 1 error in " in err
    assert "'不存在的类型' is not an allowed value" in err and "不是允许的取值" not in err
    assert EmbeddedStore(home).counts().total_nodes == 0


def test_json_report(home: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [*UNITS, ["X", "x", "other", "1", "NOPE"]])
    code, out, _ = run(str(path), "--json")
    assert code == 1
    doc = json.loads(out)
    assert doc["ok"] is False and doc["written"] is False and doc["error_count"] == 1
    (err,) = doc["errors"]
    assert {k: err[k] for k in ("file", "sheet", "row", "column", "code")} == {
        "file": str(path), "sheet": None, "row": 5, "column": "parent_id",
        "code": "REF_NOT_FOUND"}
    assert err["reason_zh"] and err["reason_en"]


def test_json_report_of_a_load(home: Path, tmp_path: Path) -> None:
    code, out, _ = run(str(write_world(tmp_path / "w")), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["written"] and doc["nodes"]["Unit"] == 5 and doc["relationships"]["COVERS"] == 1
    assert doc["total_rows"] == doc["rows_valid"] > 0


def test_skip_invalid_exit_0(home: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [*UNITS, ["X", "x", "other", "1", "NOPE"]])
    code, out, err = run(str(path), "--skip-invalid")
    assert code == 0
    assert "REF_NOT_FOUND" in err and "跳过 1 行" in out
    assert EmbeddedStore(home).counts().nodes == {"Unit": 3}


def test_dry_run(home: Path, tmp_path: Path) -> None:
    code, out, _ = run(str(write_world(tmp_path / "w")), "--dry-run", lang="en")
    assert code == 0 and "dry run" in out
    assert EmbeddedStore(home).counts().total_nodes == 0


@pytest.mark.parametrize("args", [["/no/such/path.csv"], [], ["--no-such-option", "x.csv"]])
def test_usage_errors_exit_2(home: Path, args: list[str]) -> None:
    code, _, _ = run(*args)
    assert code == 2
