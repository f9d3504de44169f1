"""Input files for Neo4j's offline bulk import (``neo4j-admin database import full``).

The same rows the bulk load sends over Bolt (:mod:`graph.store.neo4j_load`) -- nodes as
``[id, uid, *values]``, relationships as ``[src uid, dst uid, key, *values]`` -- written as
the import tool's CSV so that the imported graph is the one ``CREATE`` would build:

* every node gets its label and ``Entity`` (``:LABEL`` column), ``uid`` (the import id,
  ``uid:ID``, kept as a property) and ``id``; every relationship its ``key``;
* strings are always quoted (``"`` doubled inside), so an empty string stays ``""``
  (relationship keys are often empty) while ``None`` is an empty unquoted field, which the
  import tool leaves out -- as ``CREATE`` leaves out a ``null`` in a property map;
* ``int`` properties are typed ``long`` (what the driver sends for a Python ``int``), and
  ``number`` ones ``double`` (the loaders parse them to a Python ``float``: scores, amounts);
* rows of a change set (``change``) end with their source token: the fact's provenance is
  written as a change set's load writes it (:mod:`graph.store.neo4j_change`), ``_change``
  the change set's id (``long``) and ``_sources`` the token (:mod:`graph.history.facts`).

A file with a value spanning lines is named ``*.multiline.csv``: ``neo4jctl import`` parses
only those files the slow, line-spanning way. Property names come from the schema only.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from graph.errors import SchemaError
from graph.history.facts import CHANGE, SOURCES
from graph.schema import ENTITY_LABEL, SCHEMA, Property

#: Bytes buffered per file before a write.
_BUFFER = 1 << 20


def _field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    if isinstance(value, bool):  # not an int here: the schema has no boolean properties
        raise SchemaError(f"no boolean properties in the schema: {value!r}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    raise SchemaError(f"cannot write {type(value).__name__} value {value!r} for import")


def _column(p: Property) -> str:
    if p.type == "int":
        return f"{p.name}:long"
    return f"{p.name}:double" if p.type == "number" else p.name


def _provenance(change: int | None) -> list[str]:
    """The provenance columns of a change set's file (none outside one)."""
    return [] if change is None else [f"{CHANGE}:long", SOURCES]


def _checked(names: Sequence[str], allowed: Sequence[Property], owner: str) -> list[Property]:
    by_name = {p.name: p for p in allowed}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise SchemaError(f"{owner} has no properties {sorted(unknown)}")
    return [by_name[n] for n in names]


class _File:
    """One CSV file with its header; renamed to ``*.multiline.csv`` on close if needed."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        # Open across many add_* calls; ImportFiles.close closes it.
        self.out: IO[str] = open(path, "w", encoding="utf-8", newline="",  # noqa: SIM115
                                 buffering=_BUFFER)
        self.out.write(",".join(header) + "\n")
        self.multiline = False
        self.rows = 0

    def write_lines(self, lines: list[str]) -> None:
        if not lines:
            return
        if not self.multiline and _spans_lines(lines):
            self.multiline = True
        self.out.write("\n".join(lines) + "\n")
        self.rows += len(lines)

    def close(self) -> Path:
        self.out.close()
        if self.multiline:
            final = self.path.with_suffix(".multiline.csv")
            os.replace(self.path, final)
            self.path = final
        return self.path


def _spans_lines(lines: list[str]) -> bool:
    return any("\n" in line or "\r" in line for line in lines)


class ImportFiles:
    """Import CSV files being written into ``folder`` (which must exist and be empty).

    ``add_nodes`` / ``add_relationships`` may be called many times per label or type, in
    any order; rows of one (label or type, property names) go to one file. ``close``
    finishes every file; ``nodes`` / ``relationships`` count what was written.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[tuple[str, str, tuple[str, ...]], _File] = {}
        self.nodes: Counter[str] = Counter()
        self.relationships: Counter[str] = Counter()

    def _file(self, kind: str, name: str, props: tuple[str, ...],
              header: list[str]) -> _File:
        key = (kind, name, props)
        f = self._files.get(key)
        if f is None:
            stem = "nodes" if kind == "n" else "relationships"
            f = _File(self.folder / f"{stem}-{len(self._files):03d}-{name}.csv", header)
            self._files[key] = f
        return f

    def add_nodes(self, label: str, props: Sequence[str],
                  rows: Iterable[Sequence[Any]], change: int | None = None) -> None:
        """Rows ``[id, uid, *values]`` of ``label``, values in ``props`` order; with
        ``change``, each row ends with its source token (``[..., token]``)."""
        kind = SCHEMA.node(label)
        columns = _checked(props, kind.properties, kind.label)
        header = ["uid:ID", "id", *(_column(p) for p in columns), *_provenance(change),
                  ":LABEL"]
        f = self._file("n", kind.label, (*props, *_provenance(change)), header)
        labels = f"{kind.label};{ENTITY_LABEL}"
        end = 2 + len(columns)
        tail = [] if change is None else [str(change)]
        lines = [",".join([_field(r[1]), _field(r[0]), *map(_field, r[2:end]),
                           *tail, *map(_field, r[end:]), labels])
                 for r in rows]
        f.write_lines(lines)
        self.nodes[kind.label] += len(lines)

    def add_relationships(self, rel_type: str, props: Sequence[str],
                          rows: Iterable[Sequence[Any]], change: int | None = None) -> None:
        """Rows ``[src uid, dst uid, key, *values]`` of ``rel_type``; with ``change``, each
        row ends with its source token."""
        kind = SCHEMA.rel(rel_type)
        columns = _checked(props, kind.properties, kind.type)
        header = [":START_ID", ":END_ID", "key", *(_column(p) for p in columns),
                  *_provenance(change), ":TYPE"]
        f = self._file("r", kind.type, (*props, *_provenance(change)), header)
        end = 3 + len(columns)
        tail = [] if change is None else [str(change)]
        lines = [",".join([*map(_field, r[:end]), *tail, *map(_field, r[end:]), kind.type])
                 for r in rows]
        f.write_lines(lines)
        self.relationships[kind.type] += len(lines)

    def close(self) -> list[Path]:
        """Finish every file; their final paths."""
        return [f.close() for f in self._files.values()]
