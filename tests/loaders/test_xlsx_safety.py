"""Hostile or broken workbooks are refused with a located error; nothing is written."""

from __future__ import annotations

import zipfile
from pathlib import Path

from graph.store import GraphStore
from loaders.readers.xlsx import MAX_ENTRIES, MAX_RATIO, RATIO_FLOOR
from tests.loaders.files import BILLION_LAUGHS_SHEET, PEOPLE, load, snapshot, where, write_xlsx


def test_not_a_zip(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "units.xlsx"
    path.write_bytes(b"id,name\nthis is a CSV renamed to .xlsx\n")
    before = snapshot(store)
    report = load(store, path)
    assert where(report, "FILE_FORMAT") == [("units.xlsx", None, None, None)]
    assert snapshot(store) == before


def test_truncated_workbook(store: GraphStore, tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", {"people": PEOPLE})
    path = tmp_path / "people.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    before = snapshot(store)
    report = load(store, path)
    assert where(report, "FILE_FORMAT") == [("people.xlsx", None, None, None)]
    assert snapshot(store) == before


def test_corrupt_sheet_xml_is_located(store: GraphStore, tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", {"people": PEOPLE})
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut mid-row: the XML is broken
            dst.writestr(item, data)
    before = snapshot(store)
    report = load(store, path)
    assert report.error_count >= 1 and not report.written
    (err,) = [e for e in report.errors if e.code == "FILE_FORMAT"]
    assert (err.file, err.sheet) == (str(path), "people") and err.row is not None
    assert snapshot(store) == before


def test_zip_bomb_is_refused_before_parsing(store: GraphStore, tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", {"people": PEOPLE})
    path = tmp_path / "people.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        # 64 MiB of zeros deflate to ~64 KiB: a ratio of ~1000:1.
        dst.writestr("xl/media/padding.bin", bytes(64 << 20))
    info = next(i for i in zipfile.ZipFile(path).infolist() if i.filename.endswith("padding.bin"))
    assert info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * info.compress_size
    before = snapshot(store)
    report = load(store, path)
    assert where(report, "ZIP_BOMB") == [("people.xlsx", None, None, None)]
    assert "ratio" in report.errors[0].reason_en
    assert snapshot(store) == before


def test_too_many_entries(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "people.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(MAX_ENTRIES + 1):
            zf.writestr(f"x/{i}", b"")
    report = load(store, path)
    assert where(report, "ZIP_BOMB") == [("people.xlsx", None, None, None)]


def test_xml_entity_bomb_is_rejected(store: GraphStore, tmp_path: Path) -> None:
    """Billion laughs in a sheet part: defusedxml refuses the entity declarations."""
    good = write_xlsx(tmp_path / "good.xlsx", {"people": PEOPLE})
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = BILLION_LAUGHS_SHEET
            dst.writestr(item, data)
    before = snapshot(store)
    report = load(store, path)
    assert not report.written
    assert [e.code for e in report.errors] == ["FILE_FORMAT"]
    assert "EntitiesForbidden" in report.errors[0].reason_en
    assert snapshot(store) == before
