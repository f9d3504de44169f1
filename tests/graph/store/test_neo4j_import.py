"""Import files for neo4j-admin: headers, quoting, null vs empty string, multiline files.

That Neo4j reads them back as the graph ``CREATE`` builds is checked end to end by
``tests/loaders/test_initial.py`` (same checksum as the ordinary load).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.errors import SchemaError
from graph.store.neo4j_import import ImportFiles


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_nodes_and_relationships_with_headers_types_and_quoting(tmp_path: Path) -> None:
    files = ImportFiles(tmp_path)
    files.add_nodes("Unit", ("name", "kind", "level", "code"),
                    [["A", "unit:A", '甲,"乙"', "department", 2, None]])
    files.add_nodes("Unit", ("name", "kind", "level", "code"),
                    [["B", "unit:B", "丙", "other", 1, "C-1"]])
    files.add_relationships("SUBORDINATE_TO", (), [["unit:B", "unit:A", ""]])
    paths = files.close()
    assert [p.name for p in paths] == ["nodes-000-Unit.csv", "relationships-001-SUBORDINATE_TO.csv"]
    text = paths[0].read_text(encoding="utf-8")
    # A string is always quoted (quotes doubled); None is an empty, unquoted field.
    assert text.splitlines()[1] == '"unit:A","A","甲,""乙""","department",2,,Unit;Entity'
    assert _read(paths[0]) == [
        ["uid:ID", "id", "name", "kind", "level:long", "code", ":LABEL"],
        ["unit:A", "A", '甲,"乙"', "department", "2", "", "Unit;Entity"],
        ["unit:B", "B", "丙", "other", "1", "C-1", "Unit;Entity"],
    ]
    # The empty key is a quoted "" (kept as a property), not a missing value.
    assert paths[1].read_text(encoding="utf-8").splitlines() == [
        ":START_ID,:END_ID,key,:TYPE", '"unit:B","unit:A","",SUBORDINATE_TO']
    assert files.nodes == {"Unit": 2} and files.relationships == {"SUBORDINATE_TO": 1}


def test_a_change_sets_rows_carry_its_provenance_as_typed_columns(tmp_path: Path) -> None:
    files = ImportFiles(tmp_path)
    files.add_nodes("Unit", ("name", "level"), [["A", "unit:A", "甲", 2, "7.0.2"]], change=7)
    files.add_relationships("SUBORDINATE_TO", (), [["unit:B", "unit:A", "", "7.1.3"]],
                            change=7)
    nodes, rels = files.close()
    # _change is the change set's id (a long, as the driver sends it), _sources the token.
    assert _read(nodes) == [
        ["uid:ID", "id", "name", "level:long", "_change:long", "_sources", ":LABEL"],
        ["unit:A", "A", "甲", "2", "7", "7.0.2", "Unit;Entity"],
    ]
    assert _read(rels) == [
        [":START_ID", ":END_ID", "key", "_change:long", "_sources", ":TYPE"],
        ["unit:B", "unit:A", "", "7", "7.1.3", "SUBORDINATE_TO"],
    ]


def test_a_value_spanning_lines_names_its_file_multiline(tmp_path: Path) -> None:
    files = ImportFiles(tmp_path)
    files.add_nodes("Person", ("name",), [["P1", "person:P1", "张三"]])
    files.add_nodes("Record", ("title", "kind", "summary"),
                    [["R1", "record:R1", "记实", "talk", "第一行\r\n第二行"]])
    names = sorted(p.name for p in files.close())
    assert names == ["nodes-000-Person.csv", "nodes-001-Record.multiline.csv"]
    rows = _read(tmp_path / "nodes-001-Record.multiline.csv")
    assert rows[1][4] == "第一行\r\n第二行"


def test_properties_outside_the_schema_are_refused(tmp_path: Path) -> None:
    files = ImportFiles(tmp_path)
    with pytest.raises(SchemaError):
        files.add_nodes("Unit", ("name", "password"), [["A", "unit:A", "x", "y"]])
    with pytest.raises(SchemaError):
        files.add_relationships("SERVES_IN", ("role`, x: 1",), [])
    files.close()
