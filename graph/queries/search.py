"""Search nodes by name or title, Chinese or English, ranked.

The store's ``search`` operation finds and ranks the hits (:mod:`graph.matching`: an exact
id or caption first, then captions starting with the text, then captions containing it,
then other searchable fields; within a tier shorter captions first, then uid) among the
nodes the user's scope shows: Neo4j through its full-text index
(:mod:`graph.store.cypher.search`, which may add what only Lucene matched, by its score),
the embedded store through an index it keeps (:mod:`graph.store.walks.search`). This
module checks the arguments and turns the rows into hits with a context line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, model_validator

from graph.dates import active
from graph.errors import InvalidArgument
from graph.matching import RELATED, TIERS, caption_of
from graph.messages import Bilingual, Message
from graph.queries.models import NodeRef
from graph.schema import SCHEMA, split_uid
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore
from graph.store.ops.search import ContextRow, SearchRow
from graph.texts import TextField, rendered

MAX_LIMIT = 500
#: The score of an embedded hit (which has no index score), by tier.
_TIER_SCORES = (1.0, 0.8, 0.6, 0.4, 0.2)


class SearchHit(BaseModel):
    """One hit. ``kind_zh``/``kind_en`` are its kind's names (the schema's);
    ``context_text`` is its context line (``search.context``), rendered into ``context``
    (Chinese) and ``context_en``."""

    node: NodeRef
    #: Embedded: 1.0 exact … 0.2 field; Neo4j: the Lucene score (not comparable across stores).
    score: float
    #: One of :data:`graph.matching.TIERS`.
    match: str
    kind_zh: str
    kind_en: str
    #: A line that tells equal names apart, e.g. the unit a person serves in.
    context_text: TextField = None
    context: str | None = None
    context_en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _render(cls, data: Any) -> Any:
        return rendered(data, "context_text", "context", "context_en")


class SearchResults(BaseModel):
    query: str
    labels: list[str] | None
    hits: list[SearchHit]


def search(
    store: GraphStore, text: str, *, labels: Iterable[str] | None = None, limit: int = 20,
    scope: Scope = EVERYTHING_SCOPE,
) -> SearchResults:
    """Nodes whose name or title matches ``text``, best first, among those ``scope`` shows.

    Parameters
    ----------
    store
        Either backend.
    text
        Any text; Lucene syntax in it is taken literally.
    labels
        Only nodes of these kinds (``Unit``, ``Person`` …).
    limit
        At most this many hits (1..500); a scoped user gets as many as there are matches
        in their scope, up to ``limit``.
    scope
        What the user may see: hits and their context lines name nothing else.

    Raises
    ------
    InvalidArgument
        Empty text, unknown label or bad limit.
    """
    query = " ".join(text.split())
    if not query:
        raise InvalidArgument("text", Message("reason.empty_search"))
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidArgument("limit", Message("reason.between", min=1, max=MAX_LIMIT))
    wanted = None if labels is None else sorted({SCHEMA.node(lbl).label for lbl in labels})
    rows = store.reads.search(query, wanted, limit, scope=scope)
    today = dt.date.today().isoformat()
    return SearchResults(query=query, labels=wanted, hits=[_hit(r, today) for r in rows])


def _hit(row: SearchRow, today: str) -> SearchHit:
    label, node_id = split_uid(row["uid"])
    kind = SCHEMA.node(label)
    score = row["score"] if row["score"] is not None else _TIER_SCORES[row["tier"]]
    return SearchHit(
        node=NodeRef(uid=row["uid"], label=label, id=node_id,
                     caption=caption_of(row["uid"], row["fields"])),
        score=round(score, 4), match=TIERS[min(row["tier"], RELATED)],
        kind_zh=kind.zh, kind_en=kind.en, context_text=context_line(row["context"], today))


def context_line(facts: Sequence[ContextRow], today: str) -> Message | None:
    """The context line of a hit: its most telling context relationship
    (:func:`pick_context`), e.g. ``任职：七宝镇（班子成员）`` / ``serves in: 七宝镇 (team
    member)``."""
    if not facts:
        return None
    fact = pick_context(facts, today)
    rel = SCHEMA.rel(fact["type"])
    caption = fact["caption"] or fact["uid"].partition(":")[2]
    role = fact["props"].get("role")
    if role:
        value = SCHEMA.enum("post_role").value(role)
        return Message("search.context_role", rel=Bilingual(rel.zh, rel.en), caption=caption,
                       role=Bilingual(value.zh, value.en))
    return Message("search.context", rel=Bilingual(rel.zh, rel.en), caption=caption)


def pick_context(facts: Sequence[ContextRow], today: str) -> ContextRow:
    """A post held today before a past one (latest start first), then by the other node's
    uid -- deterministic on both stores."""
    return min(facts, key=lambda f: (
        not active(f["props"], today), _neg(f["props"].get("start")), f["uid"],
        str(f["props"].get("role") or "")))


def _neg(day: Any) -> str:
    # Latest start first with a plain ascending sort: map each digit d to 9 - d.
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in str(day or ""))
