"""Hostile or broken workbooks are refused with a located error; nothing is written."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph.settings import get_settings
from graph.store import GraphStore
from loaders.readers.xlsx import MAX_ENTRIES, MAX_RATIO, RATIO_FLOOR, check_zip
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


SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _with_shared_strings(good: Path, path: Path, n: int) -> Path:
    """``good`` plus a shared-strings part of ``n`` distinct strings that compress about
    2:1 (hex text): large, yet far below the ratio limit, as in the crafted 364 MB one."""
    import hashlib

    strings = "".join(f"<si><t>{hashlib.sha256(str(i).encode()).hexdigest()}</t></si>"
                      for i in range(n))
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://'
           f'schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" '
           f'uniqueCount="{n}">{strings}</sst>').encode()
    with zipfile.ZipFile(good) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" '
                                                 f'ContentType="{SST}"/></Types>'.encode())
            dst.writestr(item, data)
        dst.writestr("xl/sharedStrings.xml", sst)
    return path


@pytest.fixture
def max_part_mb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Set DUTYGRAPH_XLSX_MAX_PART_MB for the loads of one test."""
    def set_cap(mb: str) -> None:
        monkeypatch.setenv("DUTYGRAPH_XLSX_MAX_PART_MB", mb)
        get_settings.cache_clear()

    yield set_cap
    monkeypatch.delenv("DUTYGRAPH_XLSX_MAX_PART_MB", raising=False)
    get_settings.cache_clear()


def test_a_part_larger_than_the_cap_is_refused_naming_file_and_part(
        store: GraphStore, tmp_path: Path, max_part_mb: Callable[[str], None]) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", {"people": PEOPLE})
    path = _with_shared_strings(good, tmp_path / "people.xlsx", 25_000)  # ~1.8 MiB of XML
    info = zipfile.ZipFile(path).getinfo("xl/sharedStrings.xml")
    assert 1 << 20 < info.file_size < MAX_RATIO * info.compress_size  # passes the ratio check
    assert check_zip(path) is None
    max_part_mb("1")
    before = snapshot(store)
    report = load(store, path)
    assert where(report, "XLSX_PART_TOO_LARGE") == [("people.xlsx", None, None, None)]
    (err,) = report.errors
    size = f"{info.file_size / (1 << 20):.1f}"
    assert err.reason_en == (f"workbook {path}: part xl/sharedStrings.xml expands to {size} "
                             "MiB, more than the limit of 1.0 MiB (DUTYGRAPH_XLSX_MAX_PART_MB); "
                             "refused")
    assert err.reason_zh == (f"工作簿 {path} 中的部件 xl/sharedStrings.xml 解压后为 {size} MiB，"
                             "超过上限 1.0 MiB（DUTYGRAPH_XLSX_MAX_PART_MB），已拒绝读取")
    assert not report.written and snapshot(store) == before
    # Under the default cap the same workbook is an ordinary one and loads.
    max_part_mb("256")
    report = load(store, path)
    assert report.ok and report.written, report.errors


def test_a_part_whose_header_understates_its_size_is_refused(
        store: GraphStore, tmp_path: Path, max_part_mb: Callable[[str], None]) -> None:
    """The header says 1 KiB, the data inflates to ~1.8 MiB: the streaming pass reads no
    more than declared and refuses the part (its data does not match its header) before
    anything parses it."""
    import struct

    good = write_xlsx(tmp_path / "good.xlsx", {"people": PEOPLE})
    path = _with_shared_strings(good, tmp_path / "people.xlsx", 25_000)
    raw = bytearray(path.read_bytes())
    name = b"xl/sharedStrings.xml"
    info = zipfile.ZipFile(path).getinfo(name.decode())
    # Uncompressed size: offset 22 in the local header, 24 in the central directory entry.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = raw.find(signature, info.header_offset if signature == b"PK\x03\x04" else 0)
        while raw[at + (30 if signature == b"PK\x03\x04" else 46):][:len(name)] != name:
            at = raw.find(signature, at + 4)
        struct.pack_into("<I", raw, at + offset, 1024)
    path.write_bytes(bytes(raw))
    assert zipfile.ZipFile(path).getinfo(name.decode()).file_size == 1024
    max_part_mb("1")
    before = snapshot(store)
    report = load(store, path)
    assert where(report, "FILE_FORMAT") == [("people.xlsx", None, None, None)]
    assert "xl/sharedStrings.xml" in report.errors[0].reason_en
    assert not report.written and snapshot(store) == before
