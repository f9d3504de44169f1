"""``dutygraph export`` (loaders/export.py) on both stores: every row carries the provenance
of its fact -- the change set (id, kind, by, when) and its source rows, file › sheet › row
as the provenance query names them -- and a load of the export reads past those columns."""

from __future__ import annotations

import csv
from pathlib import Path

from graph.checksum import graph_checksum
from graph.history.provenance import EXPORT_COLUMNS, provenance_of
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from loaders.corrections import Correction, CorrectionRequest, apply
from loaders.export import export_graph
from tests.loaders.files import PEOPLE, UNITS, load, write_xlsx

POSTS = [["person_id", "unit_id", "role", "start", "end"],
         ["P1", "JD", "secretary", "2016-01-01", ""]]


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_export_rows_carry_provenance_and_reload(store: GraphStore, tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "名单.xlsx", {"units": UNITS, "people": PEOPLE,
                                               "posts": POSTS})
    loaded = load(store, book, user="王审核")
    assert loaded.ok and loaded.change is not None
    fixed = apply(store, CorrectionRequest(reason="职务录入错误", changes=[
        Correction(op="set", fact="person:P2", values={"title": "区监委主任"})]), "李管理")
    assert fixed.change is not None
    report = export_graph(store, tmp_path / "out", "csv")
    people = {r["id"]: r for r in _rows(tmp_path / "out" / "people.csv")}
    assert list(people["P1"])[-len(EXPORT_COLUMNS):] == list(EXPORT_COLUMNS)
    p1 = provenance_of(store, ["person:P1"])["person:P1"]
    assert (people["P1"]["prov_change"], people["P1"]["prov_kind"], people["P1"]["prov_by"],
            people["P1"]["prov_at"]) == (str(loaded.change), "load", "王审核", p1.at)
    assert people["P1"]["prov_sources"] == f"名单.xlsx › people › 2 (#{loaded.change})"
    # A corrected fact: the correction, then the row that asserted its other values.
    assert (people["P2"]["prov_change"], people["P2"]["prov_kind"], people["P2"]["prov_by"]) \
        == (str(fixed.change), "correction", "李管理")
    assert people["P2"]["prov_sources"] == (f"#{fixed.change} correction: 职务录入错误; "
                                            f"名单.xlsx › people › 3 (#{loaded.change})")
    (post,) = _rows(tmp_path / "out" / "posts.csv")
    assert post["prov_sources"] == f"名单.xlsx › posts › 2 (#{loaded.change})"
    # The export loads back as the same graph, the provenance columns read past silently.
    again = EmbeddedStore(None)
    reloaded = load(again, tmp_path / "out")
    assert reloaded.ok and not [w for w in reloaded.warnings if w.code == "UNKNOWN_COLUMN"]
    assert graph_checksum(again) == graph_checksum(store)
    assert report.rows["people"] == 2
