"""The whole graph written back as input tables (DESIGN.md §3), readable by ``dutygraph load``.

One file per table (``units.csv`` … or ``units.json`` …) with the tables' English column
names. Node tables get one row per node, their reference columns filled from the node's
relationships; the relationship tables (posts, portfolios, supervision) one row per
relationship. References that may name more than one kind (``holder_id``: a unit or a
person) are written with their kind prefix (``unit:JD``), so a load never has to guess.

Every row ends with the provenance of its fact (:data:`graph.history.provenance.EXPORT_COLUMNS`:
the change set that last wrote it -- id, kind, by whom, when -- and the source rows asserting
it, ``file › sheet › row (#change)``), which a load of the export reads past.

Text starting with ``=`` ``+`` ``-`` ``@`` is written with a leading ``'``
(:func:`loaders.values.escape`): a spreadsheet program opening the export shows it as text
instead of running a formula, and the loader reads it back as the original value.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import networkx as nx
import orjson

from graph.history.facts import FactKey
from graph.history.provenance import EXPORT_COLUMNS, export_cells, provenance_in
from graph.schema import SCHEMA
from graph.store.base import GraphStore
from loaders.tables import TABLES, Column, Table
from loaders.values import escape

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")


@dataclass
class ExportReport:
    """What an export wrote: rows per table, and relationships no table can express."""

    out: Path
    format: Format
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    #: Relationship types present in the graph that no input table carries (not written).
    unexported: dict[str, int] = field(default_factory=dict)
    #: Single-valued reference cells that had more than one relationship (first one kept).
    collapsed: int = 0


def _ref_text(label: str, node_id: str, col: Column) -> str:
    assert col.ref is not None
    # A prefix whenever the column could name several kinds, or the id itself contains a
    # colon (which the loader would otherwise read as a kind prefix).
    if len(col.ref.labels) > 1 or ":" in node_id or "：" in node_id:
        return f"{SCHEMA.node(label).prefix}:{node_id}"
    return node_id


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list | tuple):
        return ";".join(escape(str(v)) for v in value)
    return value


class _Exporter:
    def __init__(self, store: GraphStore, g: nx.MultiDiGraph) -> None:
        self.store = store
        self.g = g
        self.by_label: dict[str, list[str]] = defaultdict(list)
        for uid, a in g.nodes(data=True):
            self.by_label[a["label"]].append(uid)
        for uids in self.by_label.values():
            uids.sort(key=lambda u: g.nodes[u]["id"])
        self.used: Counter[str] = Counter()
        self.collapsed = 0

    def _refs(self, uid: str, col: Column) -> list[str]:
        assert col.ref is not None
        ref = col.ref
        g = self.g
        # The row's node is the other end of ``ref.rel`` from the referenced node.
        if ref.end == "dst":
            edges = ((v, a) for _, v, a in g.out_edges(uid, data=True))
        else:
            edges = ((u, a) for u, _, a in g.in_edges(uid, data=True))
        out = []
        for other, a in edges:
            if a["type"] != ref.rel or g.nodes[other]["label"] not in ref.labels:
                continue
            node = g.nodes[other]
            out.append(_ref_text(node["label"], node["id"], col))
        return sorted(set(out))

    def node_rows(self, t: Table) -> Iterator[dict[str, Any]]:
        assert t.node is not None
        for uid in self.by_label.get(t.node, []):
            a = self.g.nodes[uid]
            row: dict[str, Any] = {}
            for col in t.columns:
                if col.is_id:
                    row[col.name] = _cell(a["id"])
                elif col.prop is not None:
                    row[col.name] = _cell(a.get(col.name))
                else:
                    refs = self._refs(uid, col)
                    assert col.ref is not None
                    self.used[col.ref.rel] += len(refs[:None if col.multi else 1])
                    if len(refs) > 1 and not col.multi:
                        self.collapsed += 1
                        refs = refs[:1]
                    row[col.name] = ";".join(escape(r) for r in refs) if refs else None
            yield self._provenance(uid, a, row)

    def _provenance(self, key: FactKey, attrs: dict[str, Any], row: dict[str, Any]
                    ) -> dict[str, Any]:
        cells = export_cells(provenance_in(self.store, key, attrs))
        row.update({k: _cell(v) for k, v in cells.items()})
        return row

    def rel_rows(self, t: Table) -> Iterator[dict[str, Any]]:
        assert t.rel is not None
        src_col = next(c for c in t.ref_columns if c.ref is not None and c.ref.end == "src")
        dst_col = next(c for c in t.ref_columns if c.ref is not None and c.ref.end == "dst")
        g = self.g
        rows = []
        for u, v, k, a in g.edges(keys=True, data=True):
            if a["type"] != t.rel:
                continue
            su, sv = g.nodes[u], g.nodes[v]
            row: dict[str, Any] = {
                src_col.name: escape(_ref_text(su["label"], su["id"], src_col)),
                dst_col.name: escape(_ref_text(sv["label"], sv["id"], dst_col)),
            }
            for col in t.value_columns:
                row[col.name] = _cell(a.get(col.name))
            rows.append(self._provenance((t.rel, u, v, k.partition("|")[2]), a, row))
            self.used[t.rel] += 1
        rows.sort(key=lambda r: orjson.dumps(r, option=orjson.OPT_SORT_KEYS))
        yield from rows


def export_graph(store: GraphStore, out: Path, fmt: Format = "csv") -> ExportReport:
    """Write every node and relationship of ``store`` under ``out`` as input tables.

    Parameters
    ----------
    store
        Either backend.
    out
        The folder to write to (created if needed; existing table files are replaced).
    fmt
        ``csv`` (UTF-8, comma separated) or ``json`` (one array of objects per table).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (csv, json)")
    g = store.to_networkx()
    out.mkdir(parents=True, exist_ok=True)
    ex = _Exporter(store, g)
    report = ExportReport(out=out, format=fmt)
    for t in TABLES:
        rows = list(ex.node_rows(t) if t.node is not None else ex.rel_rows(t))
        path = out / f"{t.name}.{fmt}"
        names = [*(c.name for c in t.columns), *EXPORT_COLUMNS]
        tmp = path.with_name(f".{path.name}.tmp")
        if fmt == "csv":
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(names)
                for r in rows:
                    w.writerow(["" if r.get(n) is None else r[n] for n in names])
        else:
            tmp.write_bytes(orjson.dumps(
                [{n: r[n] for n in names if r.get(n) is not None} for r in rows],
                option=orjson.OPT_INDENT_2))
        tmp.replace(path)  # a reader never sees half a table
        report.files.append(path)
        report.rows[t.name] = len(rows)
    total = Counter(a["type"] for _, _, a in g.edges(data=True))
    report.unexported = {k: n - ex.used[k] for k, n in sorted(total.items()) if n > ex.used[k]}
    report.collapsed = ex.collapsed
    return report
