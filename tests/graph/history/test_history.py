"""Provenance, change sets, undo, sync and corrections on both stores (issue #16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.checksum import graph_checksum
from graph.history.diff import diff
from graph.history.provenance import provenance_of
from graph.history.undo import UndoRefused, undo
from graph.queries.holders import unit_holders
from graph.store import GraphStore
from loaders.corrections import Correction, CorrectionRequest, apply
from tests.loaders.files import PEOPLE, UNITS, load, snapshot, write_csv, write_xlsx

POSTS = [["person_id", "unit_id", "role", "start", "end"],
         ["P1", "JD", "secretary", "2016-01-01", ""],
         ["P2", "JD", "member", "2016-03-01", ""]]
POST_P2 = ("SERVES_IN", "person:P2", "unit:JD")


def _checksum(store: GraphStore) -> str:
    return graph_checksum(store, provenance=True)


def test_provenance_of_an_xlsx_fact_names_its_sheet_and_row(store: GraphStore,
                                                            tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "名单.xlsx", {"units": UNITS, "people": PEOPLE})
    report = load(store, book)
    assert report.ok and report.change is not None
    p = provenance_of(store, ["person:P2"])["person:P2"]
    assert p.change == report.change and p.kind == "load"
    (row,) = p.sources
    assert (row.file, row.sheet, row.row, row.table) == ("名单.xlsx", "people", 3, "people")
    assert row.sha256 and len(row.sha256) == 64


def test_a_fact_asserted_by_two_files_lists_both(store: GraphStore, tmp_path: Path) -> None:
    assert load(store, write_csv(tmp_path / "a" / "units.csv", UNITS),
                write_csv(tmp_path / "a" / "people.csv", PEOPLE)).ok
    second = load(store, write_csv(tmp_path / "b" / "人员.csv",
                                   [["编号", "姓名", "职务"], ["P9", "钱某某", "科员"],
                                    ["P1", "张某某", "区委书记"]]))
    assert second.ok
    p = provenance_of(store, ["person:P1"])["person:P1"]
    assert p.change == second.change
    assert [(s.file, s.row) for s in p.sources] == [("人员.csv", 3), ("people.csv", 2)]


def test_undo_of_the_second_of_three_loads(store: GraphStore, tmp_path: Path) -> None:
    assert load(store, write_csv(tmp_path / "1" / "units.csv", UNITS),
                write_csv(tmp_path / "1" / "people.csv", PEOPLE)).ok
    before_second = _checksum(store)
    second = load(store, write_csv(tmp_path / "2" / "people.csv",
                                   [PEOPLE[0], ["P1", "张某某", "区长"], ["P5", "孙某某", "科员"]]))
    assert second.ok and second.change is not None
    # The third load touches neither P1 nor P5: the second can be undone.
    third = load(store, write_csv(tmp_path / "3" / "people.csv",
                                  [PEOPLE[0], ["P7", "周某某", "科员"]]))
    assert third.ok and third.change is not None
    after_third = _checksum(store)
    header = undo(store, second.change, "tester")
    assert header.kind == "undo" and header.undoes == second.change
    assert store.get_node("person:P5") is None
    node = store.get_node("person:P1")
    assert node is not None and node.props["title"] == "区委书记"
    assert store.get_node("person:P7") is not None
    assert store.history.header(second.change).undone_by == header.id  # type: ignore[union-attr]
    # Undoing the third as well gives exactly the graph before the second, provenance too.
    undo(store, third.change, "tester")
    assert _checksum(store) == before_second
    assert after_third != before_second


def test_undo_is_refused_when_a_later_load_depends_on_it(store: GraphStore,
                                                         tmp_path: Path) -> None:
    assert load(store, write_csv(tmp_path / "1" / "units.csv", UNITS),
                write_csv(tmp_path / "1" / "people.csv", PEOPLE)).ok
    second = load(store, write_csv(tmp_path / "2" / "people.csv",
                                   [PEOPLE[0], ["P1", "张某某", "区长"]]))
    third = load(store, write_csv(tmp_path / "3" / "people.csv",
                                  [PEOPLE[0], ["P1", "张某某", "市长"]]))
    assert second.change is not None and third.change is not None
    before = snapshot(store)
    with pytest.raises(UndoRefused) as err:
        undo(store, second.change, "tester")
    assert f"#{third.change}" in err.value.message.render("zh")
    assert "person:P1" in err.value.message.render("en")
    assert snapshot(store) == before
    # Undo the third first, then the second: back to the first load's title.
    undo(store, third.change, "tester")
    undo(store, second.change, "tester")
    node = store.get_node("person:P1")
    assert node is not None and node.props["title"] == "区委书记"


def test_sync_retracts_exactly_the_removed_tenure(store: GraphStore, tmp_path: Path) -> None:
    sheets = {"units": UNITS, "people": PEOPLE, "posts": POSTS}
    assert load(store, write_xlsx(tmp_path / "1" / "干部.xlsx", sheets)).ok
    assert _team(store) == ["person:P2"]
    before = snapshot(store, provenance=False)
    dry = load(store, write_xlsx(tmp_path / "2" / "干部.xlsx", {**sheets, "posts": POSTS[:2]}),
               sync_units=["JD"], sync_tables=["posts"], dry_run=True)
    assert dry.ok and not dry.written and dry.plan is not None
    assert [f.fact for f in dry.plan.retracted] == [
        "person:P2-SERVES_IN->unit:JD[member|2016-03-01]"]
    assert dry.plan.retracted[0].sources[0].row == 3
    assert snapshot(store, provenance=False) == before
    synced = load(store, tmp_path / "2" / "干部.xlsx", sync_units=["JD"],
                  sync_tables=["posts"])
    assert synced.ok and synced.change is not None
    after = snapshot(store, provenance=False)
    gone = [e for e in before[1] if e not in after[1]]
    assert [(u, v, k.split("|")[0]) for u, v, k, _ in gone] == [
        ("person:P2", "unit:JD", POST_P2[0])]
    assert before[0] == after[0]
    assert _team(store) == []
    # The retracted tenure stays in the history; undo brings it back.
    changes = diff(store, synced.change)
    assert changes.counts.get("deleted") == 1
    undo(store, synced.change, "tester")
    assert snapshot(store, provenance=False) == before


def _team(store: GraphStore) -> list[str]:
    """The leading team of JD on a day after both tenures began (``holders --as-of``)."""
    return [m.person.uid for m in unit_holders(store, "JD", as_of="2020-01-01").team]


def test_a_correction_is_recorded_and_undone(store: GraphStore, tmp_path: Path) -> None:
    assert load(store, write_csv(tmp_path / "units.csv", UNITS),
                write_csv(tmp_path / "people.csv", PEOPLE)).ok
    before = _checksum(store)
    request = CorrectionRequest(reason="职务录入错误", changes=[
        Correction(op="set", fact="person:P1", values={"title": "区长"})])
    report = apply(store, request, "admin")
    assert report.ok and report.written and report.change is not None
    header = store.history.header(report.change)
    assert header is not None and (header.kind, header.user, header.reason) == (
        "correction", "admin", "职务录入错误")
    p = provenance_of(store, ["person:P1"])["person:P1"]
    assert p.change == report.change and p.sources[0].reason == "职务录入错误"
    assert [s.file for s in p.sources] == [None, "people.csv"]
    undo(store, report.change, "admin")
    assert _checksum(store) == before


def test_a_refused_correction_writes_nothing(store: GraphStore, tmp_path: Path) -> None:
    assert load(store, write_csv(tmp_path / "units.csv", UNITS),
                write_csv(tmp_path / "people.csv", PEOPLE)).ok
    before = snapshot(store)
    changes_before = store.history.headers()
    request = CorrectionRequest(reason="x", changes=[
        Correction(op="set", fact="person:P1", values={"title": "区长"}),
        Correction(op="set", fact="unit:JD", values={"level": "很高"}),
        Correction(op="delete", fact="person:NOPE")])
    report = apply(store, request, "admin")
    assert not report.ok and not report.written
    located = [(e.row, e.column) for e in report.errors]
    assert located == [(2, "level"), (3, "fact")]
    assert all(e.reason_zh and e.reason_en for e in report.errors)
    assert snapshot(store) == before
    assert store.history.headers() == changes_before
