"""Readable titles for nodes whose tables have no title column (see :mod:`loaders.tables`).

Runs after resolution, on the rows about to be written. Names of referenced people and
units come from this load's rows first, then the graph (one ``get_node`` per distinct uid).
"""

from __future__ import annotations

import re
from typing import Any

from graph.schema import SCHEMA, uid_of
from graph.store.base import GraphStore
from loaders.resolve import caption_of, ref_slots
from loaders.tables import TABLES, Table
from loaders.validate import FIRST_VALUE, Collected, Row

#: Longest derived title taken from a record's summary.
SUMMARY_TITLE = 30
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")


def _first(value: Any) -> str | None:
    if isinstance(value, tuple):
        return value[0] if value else None
    return value if isinstance(value, str) else None


def summary_title(summary: str) -> str:
    """The summary's first sentence, cut to :data:`SUMMARY_TITLE` characters.

    >>> summary_title("约谈区财政局班子成员，提醒其落实一岗双责。并部署下一步工作")
    '约谈区财政局班子成员，提醒其落实一岗双责'
    """
    head = _SENTENCE_END.split(summary.strip(), maxsplit=1)[0].strip()
    return head if len(head) <= SUMMARY_TITLE else head[: SUMMARY_TITLE - 1] + "…"


def _enum_zh(enum: str, code: str | None) -> str | None:
    return SCHEMA.enum(enum).label(code) if code else None


def fill_titles(collected: Collected, store: GraphStore) -> None:
    """Set the derived title of every row of a derived-title table that has none."""
    tables = [t for t in TABLES if t.derived_title and collected.rows[t.name]]
    if not tables:
        return
    captions = _input_captions(collected)
    for t in tables:
        value_at = {c.name: FIRST_VALUE + i for i, c in enumerate(t.value_columns)}
        ref_at = {c.name: i for i, c in ref_slots(t)}
        title_at = value_at["title"]
        rows = collected.rows[t.name]
        for idx, row in enumerate(rows):
            if row[title_at]:
                continue
            values = list(row)
            values[title_at] = _derive(t, row, value_at, ref_at, captions, store)
            rows[idx] = tuple(values)


def _derive(t: Table, row: Row, value_at: dict[str, int], ref_at: dict[str, int],
            captions: dict[str, str], store: GraphStore) -> str:
    def name(ref_col: str) -> str | None:
        uid = _first(row[ref_at[ref_col]])
        return caption_of(uid, captions, store) if uid else None

    node_id = str(row[2])
    if t.node == "Accountability":
        measure = (_enum_zh("accountability_measure", row[value_at["measure"]])
                   or SCHEMA.node("Accountability").zh)
        return f"{measure} · {name('target_id') or node_id}"
    if t.node in ("Referral", "SupervisionOrder"):
        parts = [SCHEMA.node(t.node).zh, name("sent_to") or node_id]
        if row[value_at["issued_on"]]:
            parts.append(row[value_at["issued_on"]])
        return " · ".join(parts)
    if t.node == "AssessmentResult":
        method = (_enum_zh("assessment_method", row[value_at["method"]])
                  or SCHEMA.node("Assessment").zh)
        parts = [name("assessed_id") or node_id, method]
        if row[value_at["assessed_on"]]:
            parts.append(str(row[value_at["assessed_on"]])[:4])
        return " · ".join(parts)
    # Record
    summary = row[value_at["summary"]]
    if summary:
        return summary_title(summary)
    what = (_enum_zh("record_action", row[value_at["action"]])
            or _enum_zh("record_kind", row[value_at["kind"]]) or SCHEMA.node("Record").zh)
    who = name("target_id") or name("actor_id") or node_id
    return f"{what} · {who}"


def _input_captions(collected: Collected) -> dict[str, str]:
    """uid -> name of the units and people in this load (the kinds titles refer to)."""
    out: dict[str, str] = {}
    for t in TABLES:
        if t.node in ("Unit", "Person"):
            at = FIRST_VALUE + t.prop_names.index("name")
            for row in collected.rows[t.name]:
                out[uid_of(t.node, row[2])] = row[at]
    return out
