"""The shipped sample loads in both forms, on both stores, to the same graph, idempotently."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from api.cli import app
from graph.settings import get_settings
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from loaders.pipeline import load_sample
from tests.loaders.files import snapshot


def test_both_forms_give_the_same_graph_and_reloading_changes_nothing(store: GraphStore) -> None:
    csv_report = load_sample(store, "csv", progress=False)
    assert csv_report.ok and csv_report.written and csv_report.error_count == 0
    assert csv_report.warning_count == 0, csv_report.warnings[:3]
    from_csv = snapshot(store, provenance=False)
    counts = store.counts()
    assert counts.nodes == csv_report.nodes

    xlsx_report = load_sample(store, "xlsx", progress=False)  # on top: must change nothing
    assert xlsx_report.ok and xlsx_report.error_count == 0 and xlsx_report.warning_count == 0
    assert xlsx_report.rows_read == csv_report.rows_read
    assert snapshot(store, provenance=False) == from_csv
    # The content stayed; the history says so: every fact asserted again, none changed.
    counts_again = store.history.finish(xlsx_report.change or 0).counts
    assert set(counts_again) == {"reasserted"}
    assert sum(counts_again["reasserted"].values()) == counts.total_nodes + \
        counts.total_relationships

    fresh = EmbeddedStore(None)
    assert load_sample(fresh, "xlsx", progress=False).ok
    assert fresh.counts() == counts
    assert snapshot(fresh, provenance=False) == from_csv


def test_sample_store_fixture_holds_the_sample(sample_store: GraphStore) -> None:
    assert sample_store.get_node("unit:JD") is not None
    assert sample_store.counts().nodes["Unit"] > 500


def test_cli_sample_forms(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    mp: pytest.MonkeyPatch = monkeypatch  # type: ignore[assignment]
    mp.delenv("NEO4J_URI", raising=False)
    mp.setenv("DUTYGRAPH_HOME", str(tmp_path / "home"))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        assert runner.invoke(app, ["load", "--sample", "xlsx", "--dry-run"]).exit_code == 0
        result = runner.invoke(app, ["load", "--sample"])
        assert result.exit_code == 0, result.output
        assert EmbeddedStore(tmp_path / "home").get_node("unit:SIPG-JW") is not None
        assert runner.invoke(app, ["load", "--sample", "pdf"]).exit_code == 2
    finally:
        get_settings.cache_clear()
