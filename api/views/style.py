"""Visual style of nodes and relationships, derived from the schema (one place).

Colour is never the only signal: every node kind also has its own shape, weak links are
drawn dashed and thick as well as red, and the legend names every kind in words.
"""

from __future__ import annotations

from typing import Any, Literal

from graph.schema import SCHEMA

Lang = Literal["zh", "en"]
WEAK_COLOR = "#d00000"


def node_style(label: str, lang: Lang = "zh") -> dict[str, Any]:
    """vis-network options for a node of this kind.

    >>> node_style("Unit")["shape"]
    'box'
    """
    kind = SCHEMA.node(label)
    return {
        "shape": kind.shape,
        "color": kind.color,
        "group": kind.label,
        "kind_label": kind.zh if lang == "zh" else kind.en,
    }


def edge_style(rel_type: str, lang: Lang = "zh", *, weak: bool = False) -> dict[str, Any]:
    """vis-network options for a relationship of this type (weak links: red, thick, dashed)."""
    rel = SCHEMA.rel(rel_type)
    return {
        "color": WEAK_COLOR if weak else rel.color,
        "dashes": True if weak else rel.dashes,
        "width": 4 if weak else 1.5,
        "arrows": "to",
        "label": rel.zh if lang == "zh" else rel.en,
    }


def legend(lang: Lang = "zh") -> dict[str, list[dict[str, Any]]]:
    """Every node kind and relationship type with its label, colour and shape."""
    return {
        "nodes": [
            {"label": n.label, "name": n.zh if lang == "zh" else n.en, "color": n.color,
             "shape": n.shape}
            for n in SCHEMA.nodes
        ],
        "relationships": [
            {"type": r.type, "name": r.zh if lang == "zh" else r.en, "color": r.color,
             "dashes": r.dashes, "axis": r.axis}
            for r in SCHEMA.relationships
        ],
    }
