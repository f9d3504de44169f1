"""Helpers of the reliability tests: running the CLI against a chosen store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from graph.settings import get_settings


class Cli:
    """``dutygraph`` in-process with its settings from the given environment."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.mp = monkeypatch

    def __call__(self, args: list[str], *, home: Path, neo4j: dict[str, str] | None = None
                 ) -> Result:
        from api.cli import app

        self.mp.setenv("DUTYGRAPH_HOME", str(home))
        for k in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
            self.mp.delenv(k, raising=False)
        for k, v in (neo4j or {}).items():
            self.mp.setenv(k, v)
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(app, args)
        finally:
            get_settings.cache_clear()


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    yield Cli(monkeypatch)
    get_settings.cache_clear()
