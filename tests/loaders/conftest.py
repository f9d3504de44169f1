"""Fixtures: a folder of valid base tables, and a store already holding them."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import GraphStore
from tests.loaders.files import PEOPLE, UNITS, load, write_csv


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A folder with valid units and people."""
    folder = tmp_path / "base"
    write_csv(folder / "units.csv", UNITS)
    write_csv(folder / "people.csv", PEOPLE)
    return folder


@pytest.fixture
def loaded(store: GraphStore, base: Path) -> GraphStore:
    """``store`` holding the base units and people."""
    report = load(store, base)
    assert report.ok and report.written, report.errors
    return store

