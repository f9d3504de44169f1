"""``dutygraph loads list|show|diff|undo``, ``provenance``, ``set``/``delete`` and
``load --sync`` end to end, on the CLI's configured (embedded) store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.checksum import graph_checksum
from graph.settings import get_settings
from graph.store.embedded import EmbeddedStore
from tests.loaders.files import PEOPLE, UNITS, write_csv, write_xlsx


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("DUTYGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DUTYGRAPH_USER", "tester")
    get_settings.cache_clear()
    yield tmp_path / "home"
    get_settings.cache_clear()


def run(*args: str, lang: str = "zh") -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--lang", lang, *args], env={"COLUMNS": "200"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def _checksum(home: Path) -> str:
    return graph_checksum(EmbeddedStore(home), provenance=True)


def test_loads_list_show_diff_and_undo(home: Path, tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "1" / "名单.xlsx", {"units": UNITS, "people": PEOPLE})
    assert run("load", str(book))[0] == 0
    before = _checksum(home)
    second = write_csv(tmp_path / "2" / "people.csv", [PEOPLE[0], ["P1", "张某某", "区长"]])
    code, out, _ = run("load", str(second))
    assert code == 0 and "#2" in out
    code, out, _ = run("loads", "list", "--json")
    listed = json.loads(out)
    assert [(h["id"], h["kind"], h["status"]) for h in listed] == [(2, "load", "done"),
                                                                  (1, "load", "done")]
    assert listed[1]["sources"][0]["name"] == "名单.xlsx"
    code, out, _ = run("loads", "show", "2", lang="en")
    assert code == 0 and "people.csv" in out and "person:P1" in out
    code, out, _ = run("loads", "diff", "2", "--json")
    changed = json.loads(out)["facts"]
    assert [(f["fact"], f["outcome"], f["fields"]) for f in changed] == [
        ("person:P1", "changed", {"title": ["区委书记", "区长"]})]
    # Changed values: only the row that asserts them now (the workbook's is in the history).
    code, out, _ = run("provenance", "person:P1", lang="en")
    assert code == 0 and "people.csv › row 2 (#2)" in out and "名单.xlsx" not in out
    code, out, _ = run("provenance", "person:P2", lang="en")
    assert code == 0 and "名单.xlsx › people › row 3 (#1)" in out
    code, out, _ = run("loads", "undo", "2", "--yes")
    assert code == 0, out
    assert _checksum(home) == before
    # Undone twice: refused, nothing written.
    code, _, err = run("loads", "undo", "2", "--yes")
    assert code != 0 and "#2" in err


def test_undo_refused_names_the_later_change_set(home: Path, tmp_path: Path) -> None:
    assert run("load", str(write_csv(tmp_path / "1" / "units.csv", UNITS)))[0] == 0
    assert run("load", str(write_csv(tmp_path / "1" / "people.csv", PEOPLE)))[0] == 0
    assert run("set", "person:P1", "title=区长", "--reason", "录入错误")[0] == 0
    before = _checksum(home)
    code, _, err = run("loads", "undo", "2", "--yes")
    assert code != 0 and "#3" in err and "person:P1" in err
    code, _, err = run("loads", "undo", "2", "--yes", lang="en")
    assert code != 0 and "#3" in err
    assert _checksum(home) == before


def test_a_refused_set_names_the_property_and_writes_nothing(home: Path,
                                                            tmp_path: Path) -> None:
    assert run("load", str(write_csv(tmp_path / "units.csv", UNITS)))[0] == 0
    before = _checksum(home)
    code, _, err = run("set", "unit:JD", "level=很高", "--reason", "x", lang="en")
    assert code != 0 and "level" in err
    code, _, err = run("delete", "unit:NOPE", "--reason", "x")
    assert code != 0 and "unit:NOPE" in err
    assert _checksum(home) == before
    code, out, _ = run("loads", "list", "--json")
    assert [h["id"] for h in json.loads(out)] == [1]


def test_sync_dry_run_prints_the_retraction_then_writes_it(home: Path, tmp_path: Path) -> None:
    posts = [["person_id", "unit_id", "role", "start"], ["P1", "JD", "secretary", "2016-01-01"],
             ["P2", "JD", "member", "2016-03-01"]]
    sheets = {"units": UNITS, "people": PEOPLE, "posts": posts}
    assert run("load", str(write_xlsx(tmp_path / "1" / "干部.xlsx", sheets)))[0] == 0
    newer = write_xlsx(tmp_path / "2" / "干部.xlsx", {**sheets, "posts": posts[:2]})
    before = _checksum(home)
    code, out, _ = run("load", str(newer), "--sync", "--unit", "JD", "--tables", "posts",
                       "--dry-run")
    assert code == 0 and "person:P2-SERVES_IN->unit:JD[member|2016-03-01]" in out
    assert _checksum(home) == before
    assert run("load", str(newer), "--unit", "JD")[0] != 0  # --unit needs --sync
    code, out, _ = run("load", str(newer), "--sync", "--unit", "JD", "--tables", "posts")
    assert code == 0
    edges = EmbeddedStore(home).to_networkx().edges(keys=True)
    assert [(u, v) for u, v, _ in edges if u == "person:P2"] == []
