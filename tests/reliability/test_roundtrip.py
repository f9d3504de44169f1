"""Content checksum, ``dutygraph export`` and the round trip embedded → Neo4j → embedded."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.checksum import graph_checksum
from graph.store.base import NodeRecord, RelRecord
from graph.store.embedded import EmbeddedStore
from loaders.export import export_graph
from loaders.pipeline import load_paths, load_sample
from loaders.values import escape, parse_id, to_text, unescape
from tests.conftest import make_store
from tests.reliability.conftest import Cli


def test_checksum_is_content_only(tmp_path: Path) -> None:
    a, b = EmbeddedStore(None), EmbeddedStore(None)
    nodes = [NodeRecord("Unit", "JD", {"name": "嘉定区委", "kind": "party_committee"}),
             NodeRecord("Unit", "SH", {"name": "上海市委", "kind": "party_committee"})]
    a.upsert_nodes(nodes)
    b.upsert_nodes(list(reversed(nodes)))  # insertion order does not matter
    rel = RelRecord("SUBORDINATE_TO", "unit:JD", "unit:SH")
    a.upsert_relationships([rel])
    b.upsert_relationships([rel])
    assert graph_checksum(a) == graph_checksum(b)
    b.upsert_nodes([NodeRecord("Unit", "JD", {"name": "嘉定区委 ", "kind": "party_committee"})])
    assert graph_checksum(a) != graph_checksum(b)  # one character of one property counts
    c = EmbeddedStore(None)
    c.upsert_nodes(nodes)
    assert graph_checksum(a) != graph_checksum(c)  # so does a relationship
    assert graph_checksum(EmbeddedStore(None)) != graph_checksum(c)


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "=cmd|' /C calc'!A0", "+1",
                                  "-x", "@SUM(A1)", "'=x", "''+y", "'plain", "plain", "'"])
def test_escape_round_trips(text: str) -> None:
    assert unescape(escape(text)) == text
    assert to_text(escape(text)) == text.strip()
    assert parse_id(escape(text)) == text.strip()
    if text[:1] in "=+-@":
        assert escape(text).startswith("'")


def test_checksum_same_on_both_stores(backend: str, tmp_path: Path) -> None:
    store = make_store(backend, tmp_path)
    try:
        load_sample(store, progress=False)
        ref = EmbeddedStore(None)
        load_sample(ref, progress=False)
        assert graph_checksum(store) == graph_checksum(ref)
    finally:
        store.close()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_reloads_identically(fmt: str, tmp_path: Path) -> None:
    src = EmbeddedStore(None)
    load_sample(src, progress=False)
    # Formula-like text must survive the trip and be escaped on disk.
    src.upsert_nodes([NodeRecord("Person", "P-FORMULA", {"name": "=cmd|' /C calc'!A0",
                                                         "title": "@SUM(A1)"})])
    report = export_graph(src, tmp_path / "out", fmt)  # type: ignore[arg-type]
    assert report.unexported == {} and report.collapsed == 0
    assert report.rows["people"] == src.counts().nodes["Person"]
    dst = EmbeddedStore(None)
    loaded = load_paths(dst, [tmp_path / "out"], progress=False)
    assert loaded.ok and loaded.error_count == 0, loaded.errors[:3]
    assert graph_checksum(dst) == graph_checksum(src)
    if fmt == "csv":
        with open(tmp_path / "out" / "people.csv", encoding="utf-8") as fh:
            cells = [c for row in csv.reader(fh) for c in row]
        assert "'=cmd|' /C calc'!A0" in cells and "=cmd|' /C calc'!A0" not in cells


@pytest.mark.integration
def test_round_trip_embedded_neo4j_embedded(tmp_path: Path, cli: Cli) -> None:
    """sample → embedded → export → Neo4j → export → fresh embedded: one checksum."""
    first = EmbeddedStore(tmp_path / "first")
    load_sample(first, progress=False)
    first.flush()
    expected = graph_checksum(first)
    res = cli(["export", "--out", str(tmp_path / "e1")], home=tmp_path / "first")
    assert res.exit_code == 0, res.output
    neo = make_store("neo4j", tmp_path)
    try:
        report = load_paths(neo, [tmp_path / "e1"], progress=False)
        assert report.ok and report.written
        assert graph_checksum(neo) == expected
        export_graph(neo, tmp_path / "e2", "csv")
    finally:
        neo.close()
    res = cli(["load", str(tmp_path / "e2")], home=tmp_path / "third")
    assert res.exit_code == 0, res.output
    assert graph_checksum(EmbeddedStore(tmp_path / "third")) == expected


def test_export_cli_rejects_unknown_format(tmp_path: Path, cli: Cli) -> None:
    res = cli(["export", "--out", str(tmp_path), "--format", "xml"], home=tmp_path / "h")
    assert res.exit_code == 2
