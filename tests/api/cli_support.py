"""Running ``dutygraph query ...`` end to end against a small world saved under a fresh
DUTYGRAPH_HOME (shared by the CLI tests of both query groups)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.settings import get_settings
from graph.store.embedded import EmbeddedStore


def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             build: Callable[[EmbeddedStore], object]) -> Iterator[EmbeddedStore]:
    """The world ``build`` makes, saved under a fresh DUTYGRAPH_HOME the CLI points at."""
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("DUTYGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)  # no stray .env from the working directory
    store = EmbeddedStore(tmp_path / "home")
    build(store)
    store.close()
    get_settings.cache_clear()
    try:
        yield EmbeddedStore(tmp_path / "home")
    finally:
        get_settings.cache_clear()


def run(*args: str, lang: str | None = None, env: dict[str, str] | None = None
        ) -> tuple[int, str]:
    """``dutygraph [--lang LANG] query ARGS``: (exit code, output)."""
    options = ["--lang", lang] if lang else []
    result = CliRunner().invoke(app, [*options, "query", *args],
                                env={"COLUMNS": "200", "DUTYGRAPH_LANG": "", **(env or {})})
    # An exception that escaped the command (rather than a deliberate exit) is a failure.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output
