"""Every malformed input of the corpus: the exact first error, and the graph unchanged.

All cases run on the embedded store; the cases marked ``neo4j=True`` (one of each kind of
failure: encoding, shape, ids, references, values, JSON, workbooks) also on Neo4j.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.checksum import graph_checksum
from graph.store import GraphStore
from loaders.pipeline import load_paths
from tests.conftest import make_store
from tests.reliability.corpus import (
    BASE_PEOPLE,
    BASE_UNITS,
    BINARY,
    CORPUS,
    Case,
    build,
    cases,
    csv_bytes,
)

CASES = cases()
PARAMS = [pytest.param(c, "embedded", id=f"embedded-{c.name}") for c in CASES] + [
    pytest.param(c, "neo4j", id=f"neo4j-{c.name}", marks=pytest.mark.integration)
    for c in CASES if c.neo4j
]


def _base(store: GraphStore, tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    (base / "units.csv").write_bytes(csv_bytes(BASE_UNITS))
    (base / "people.csv").write_bytes(csv_bytes(BASE_PEOPLE))
    report = load_paths(store, [base], progress=False)
    assert report.ok and report.written, report.errors[:3]


def _write(case: Case, where: Path) -> list[Path]:
    paths = []
    for rel, data in case.files.items():
        path = where / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_corpus_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    assert sum(c.expect is not None for c in CASES) >= 40


@pytest.mark.parametrize(("case", "backend_name"), PARAMS)
def test_bad_input(case: Case, backend_name: str, tmp_path: Path) -> None:
    store = make_store(backend_name, tmp_path)
    try:
        _base(store, tmp_path)
        before = graph_checksum(store)
        paths = _write(case, tmp_path / "in")
        # Files are given explicitly, except several files at once: their folder.
        targets = paths if len(paths) == 1 else [tmp_path / "in"]
        report = load_paths(store, targets, progress=False)
        got = [(e.code, Path(e.file).name if e.file else None, e.sheet, e.row, e.column)
               for e in report.errors]
        if case.expect is None:
            assert report.ok and got == [], got
        else:
            assert not report.ok and not report.written
            assert got[0] == case.expect, got
            first = report.errors[0]
            assert first.reason_zh and first.reason_en and first.reason_zh != first.reason_en
            if case.reason:
                assert case.reason in first.reason_en or case.reason in (first.value or "")
        assert {w.code for w in report.warnings} >= set(case.warnings)
        assert graph_checksum(store) == before
    finally:
        store.close()


def test_committed_fixtures_are_current(tmp_path: Path) -> None:
    """The binary fixtures are what corpus.build writes (rebuild: python -m ...corpus)."""
    for path in build(tmp_path):
        assert path.read_bytes() == (CORPUS / path.name).read_bytes(), path.name
    assert set(BINARY) <= {p.name for p in CORPUS.iterdir()}


def test_formula_cells_are_stored_as_text_never_evaluated(tmp_path: Path) -> None:
    """A workbook whose formula cells are otherwise valid: their formula text is the value."""
    from graph.store.embedded import EmbeddedStore
    from tests.reliability.corpus import UNITS_HEADER, xlsx_bytes

    store = EmbeddedStore(None)
    _base(store, tmp_path)
    book = tmp_path / "book.xlsx"
    book.write_bytes(xlsx_bytes({"单位": [
        UNITS_HEADER,
        ["F1", '=HYPERLINK("http://evil.example","点击")', "party_committee", 2, "JD"],
        ["F2", "=cmd|' /C calc'!A0", "party_committee", 2, "JD"],
        ["F3", "@SUM(1+1)*cmd|' /C calc'!A0", "party_committee", 2, "JD"]]}))
    report = load_paths(store, [book], progress=False)
    assert report.ok and report.written, report.errors[:3]
    assert store.graph.nodes["unit:F1"]["name"] == '=HYPERLINK("http://evil.example","点击")'
    assert store.graph.nodes["unit:F2"]["name"] == "=cmd|' /C calc'!A0"
    assert store.graph.nodes["unit:F3"]["name"] == "@SUM(1+1)*cmd|' /C calc'!A0"
