"""``dutygraph analyze`` in each format, on the embedded store."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.reports.analysis import csv_cell, findings_csv
from api.views.vis import vis_asset_dir
from graph.analytics import analyze
from graph.settings import get_settings
from graph.store.embedded import EmbeddedStore
from tests.graph.analytics.world import AS_OF, BREAKS, World


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An embedded store under DUTYGRAPH_HOME holding a world with two weak links."""
    w = World.healthy()
    BREAKS["V_REFERRAL_OPEN"][0](w)
    BREAKS["S_BRIDGE"][0](w)
    w.set_node("unit:V", name="=HYPERLINK(\"x\")村")  # a formula-looking caption
    store = EmbeddedStore(tmp_path / "home")
    w.write(store)
    store.close()
    monkeypatch.setenv("DUTYGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    get_settings.cache_clear()
    yield tmp_path / "home"
    get_settings.cache_clear()


def invoke(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, ["analyze", "--as-of", AS_OF, *args])
    return r.exit_code, r.stdout, r.stderr


def test_json(home: Path) -> None:
    code, out, _ = invoke("--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == AS_OF and data["counts"]["V_REFERRAL_OPEN"] == 1
    assert data["metrics"]["coordination_network"]["betweenness"]["method"] == "exact"
    assert data["health"][0]["score"] < 100


def test_csv_escapes_formulas(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "f.csv"
    code, _, err = invoke("--format", "csv", "--out", str(target))
    assert code == 0 and "f.csv" in err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert {r["code"] for r in rows} >= {"V_REFERRAL_OPEN", "S_BRIDGE"}
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@")), cell
    assert any(r["explanation_zh"].startswith("'=HYPERLINK") for r in rows)


def test_csv_cell() -> None:
    assert [csv_cell(v) for v in ("=1+1", "+1", "-1", "@A", "甲", None)] == [
        "'=1+1", "'+1", "'-1", "'@A", "甲", ""]


def test_html_is_self_contained(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    code, _, _ = invoke("--format", "html", "--out", str(target))
    assert code == 0
    page = target.read_text(encoding="utf-8")
    assert "协同分析报告" in page and "vis.Network" in page and "廉情抄告未闭环" in page
    # Nothing loaded from anywhere: no src/href, and no URL at all outside the inlined
    # vis-network library (whose licence comments name their homepages).
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page, re.I)
    for asset in ("vis-network.min.js", "vis-network.css"):
        page = page.replace((vis_asset_dir() / asset).read_text(encoding="utf-8"), "")
    assert not re.search(r"https?://", page)
    # Weak link red, dashed and thick; single point of failure marked by border and label.
    assert '"dashes": true' in page and '"#d00000"' in page and '"width": 4' in page
    assert "⚠ 辛委员" in page and '"borderWidth": 5' in page


def test_unit_scope_and_errors(home: Path, tmp_path: Path) -> None:
    code, out, _ = invoke("--unit", "T")
    assert code == 0 and json.loads(out)["scope"] == "unit:T"
    code, _, err = invoke("--unit", "NOPE")
    assert code == 1 and "NOPE" in err
    bad = tmp_path / "bad.json"
    bad.write_text('{"coverage_window_years": 0}', encoding="utf-8")
    code, _, err = invoke("--config", str(bad))
    assert code == 2 and "coverage_window_years" in err
    good = tmp_path / "good.json"
    good.write_text('{"referral_due_soon_is_finding": false, "cut_min_units": 5}',
                    encoding="utf-8")
    code, out, _ = invoke("--config", str(good))
    assert code == 0 and json.loads(out)["counts"]["S_BRIDGE"] == 0
    code, _, err = invoke("--as-of", "2024-13-01")
    assert code == 1 and "as_of" in err


def test_findings_csv_header() -> None:
    store = EmbeddedStore(None)
    World.healthy().write(store)
    text = findings_csv(analyze(store.to_networkx(), as_of=AS_OF).report)
    assert text.splitlines() == ["code,name_zh,name_en,severity,axis,unit,ids,evidence,"
                                 "explanation_zh,explanation_en"]


def test_workers_give_the_one_process_report(home: Path) -> None:
    code, out, _ = invoke("--format", "json")
    code2, out2, _ = invoke("--format", "json", "--workers", "2")
    assert code == code2 == 0
    one, split = json.loads(out), json.loads(out2)
    assert len(split["metrics"].pop("partitions")) > 1
    for r in (one, split):
        r["metrics"].pop("timings_s")
        r["metrics"]["coordination_network"].pop("timings_s")
    assert one == split


def test_workers_refuse_a_unit(home: Path) -> None:
    code, _, err = invoke("--workers", "2", "--unit", "V")
    assert code != 0 and "--unit" in err
