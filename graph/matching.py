"""How a search text matches a node, and how matches rank: the one rule both stores' search
operations apply (``graph.store.cypher.search``, ``graph.store.walks.search``).

The text and the node's searchable properties (:data:`FIELDS`, from the schema) are
compared casefolded. Tiers, best first: the caption (or id) equals the text, starts with
it, contains it; another searchable field contains it, or every word of a several-word text
is in some field; ``related`` -- only the full-text index matched it (some words, bigrams).
Within a tier shorter captions first, then uid; ``related`` matches by their index score.

>>> tier_of("嘉定", "嘉定区委", ["嘉定区委"]), TIERS[1]
(1, 'prefix')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph.schema import SCHEMA

#: Match tiers, best first.
TIERS = ("exact", "prefix", "substring", "field", "related")
EXACT, RELATED = 0, len(TIERS) - 1
#: Searchable property names (``name``, ``title``), from the schema.
FIELDS: tuple[str, ...] = tuple(sorted({
    p.name for n in SCHEMA.nodes for p in n.properties if p.searchable
}))


def fold(text: str) -> str:
    """The form texts are compared in: casefolded, runs of whitespace as one space.

    >>> fold("  Li   WEI ")
    'li wei'
    """
    return " ".join(text.split()).casefold()


def fields_of(props: Mapping[str, Any]) -> dict[str, str]:
    """The searchable properties a node has set, as strings."""
    return {k: str(v) for k in FIELDS if (v := props.get(k)) not in (None, "")}


def tier_of(query: str, caption: str, fields: Sequence[str]) -> int:
    """The tier of a node for the folded ``query``, given its folded caption and folded
    searchable fields; :data:`RELATED` when the text matches none of them."""
    if caption == query:
        return 0
    if caption.startswith(query):
        return 1
    if query in caption:
        return 2
    words = query.split()
    if any(query in f for f in fields) or (
        len(words) > 1 and all(any(w in f for f in [caption, *fields]) for w in words)
    ):
        return 3
    return RELATED


def caption_of(uid: str, fields: Mapping[str, str]) -> str:
    """A node's caption from its uid and searchable fields (every caption is searchable)."""
    prefix, _, node_id = uid.partition(":")
    return fields.get(SCHEMA.node_by_prefix(prefix).caption) or node_id


def rank_key(uid: str, tier: int, caption: str, score: float | None) -> tuple[Any, ...]:
    """The sort key of a match: tier, then shorter caption and uid (``related``: higher
    index score, then uid)."""
    if tier < RELATED:
        return (tier, len(caption), 0.0, uid)
    return (tier, 0, -(score or 0.0), uid)
