"""Search nodes by name or title, Chinese or English, ranked.

Neo4j: only through the full-text index :data:`graph.schema.FULLTEXT_INDEX` (``cjk``
analyzer: Chinese text is indexed as overlapping bigrams, Latin text as lower-cased words),
via ``db.index.fulltext.queryNodes`` -- never a label or all-nodes scan -- and, in the same
query, the nodes whose id is the text (the ``Entity.id`` index), with the context facts of
each candidate: one round trip. The user's text is escaped for Lucene (it is a value, but
the procedure parses it as Lucene syntax).

Embedded: an in-memory index of the same fields, built lazily and rebuilt when the store's
``version`` changes (every write bumps it): bigram (and single character) postings give the
candidates, a substring check confirms them, so any Chinese substring is found.

Ranking, both stores: an exact id or caption first, then captions starting with the text,
then captions containing it, then other searchable fields (a person's job title) containing
it; within a tier shorter captions first, then uid. Neo4j also returns what only Lucene
matched (some of the words or bigrams), after those tiers, by Lucene score.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from graph.errors import InvalidArgument
from graph.queries.common import active, embedded, neo4j
from graph.queries.models import NodeRef
from graph.schema import FULLTEXT_INDEX, SCHEMA, cypher_type, split_uid
from graph.store.base import GraphStore, NodeRecord

MAX_LIMIT = 500
#: Match tiers, best first.
TIERS = ("exact", "prefix", "substring", "field", "related")
#: Searchable property names (``name``, ``title``), from the schema.
FIELDS: tuple[str, ...] = tuple(sorted({
    p.name for n in SCHEMA.nodes for p in n.properties if p.searchable
}))
#: Lucene query syntax characters, escaped with a backslash in user text.
_LUCENE_SPECIAL = frozenset('+-&|!(){}[]^"~*?:\\/')
#: The relationship that gives each kind's context line, and its direction from the node.
_CONTEXT: dict[str, tuple[str, str]] = {
    "Unit": ("SUBORDINATE_TO", "out"),
    "Person": ("SERVES_IN", "out"),
    "Duty": ("HOLDS", "in"),
    "Issue": ("FOUND_IN", "out"),
    "Project": ("ADDRESSES", "out"),
    "Inspection": ("CONDUCTED_BY", "out"),
    "Case": ("OCCURRED_IN", "out"),
    "Accountability": ("TARGETS", "out"),
    "Referral": ("SENT_TO", "out"),
    "Record": ("BY", "out"),
}


class SearchHit(BaseModel):
    node: NodeRef
    #: Embedded: 1.0 exact … 0.2 field; Neo4j: the Lucene score (not comparable across stores).
    score: float
    #: One of :data:`TIERS`.
    match: str
    kind_zh: str
    kind_en: str
    #: A line that tells equal names apart, e.g. the unit a person serves in.
    context: str | None = None
    context_en: str | None = None


class SearchResults(BaseModel):
    query: str
    labels: list[str] | None
    hits: list[SearchHit]


def search(
    store: GraphStore, text: str, *, labels: Iterable[str] | None = None, limit: int = 20
) -> SearchResults:
    """Nodes whose name or title matches ``text``, best first.

    Parameters
    ----------
    store
        Either backend.
    text
        Any text; Lucene syntax in it is taken literally.
    labels
        Only nodes of these kinds (``Unit``, ``Person`` …).
    limit
        At most this many hits (1..500).

    Raises
    ------
    InvalidArgument
        Empty text, unknown label or bad limit.
    """
    query = " ".join(text.split())
    if not query:
        raise InvalidArgument("text", "empty search / 搜索内容为空")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidArgument("limit", f"must be between 1 and {MAX_LIMIT}")
    wanted = None if labels is None else sorted({SCHEMA.node(lbl).label for lbl in labels})
    db = neo4j(store)
    if db is not None:  # candidates, exact ids and context facts in one round trip
        ranked = sorted(_search_neo4j(db, query, wanted, limit).values(),
                        key=_Candidate.order)[:limit]
        for c in ranked:  # facts only for the hits shown
            c.context = _facts(c.raw or {})
    else:
        found = _search_embedded(store, query, wanted, limit)
        for node in store.find_ids(query, wanted):  # an exact id is the best match there is
            found[node.uid] = _Candidate(node, 0, 1.0)
        ranked = sorted(found.values(), key=_Candidate.order)[:limit]
        for c in ranked:
            c.context = _context_facts_of(store, c.node)
    return SearchResults(query=query, labels=wanted, hits=[c.hit() for c in ranked])


def lucene_escape(text: str) -> str:
    r"""``text`` with every Lucene syntax character escaped.

    >>> lucene_escape('a+b (c) "d"')
    'a\\+b \\(c\\) \\"d\\"'
    """
    return "".join("\\" + c if c in _LUCENE_SPECIAL else c for c in text)


def lucene_query(text: str) -> str:
    """The Lucene query for user text: the phrase (boosted), each word, each word as prefix.

    Lower-cased first, so that AND/OR/NOT in the text are words, not operators.
    """
    folded = text.casefold()
    words = folded.split()
    parts = [f'"{lucene_escape(folded)}"^4']
    for w in words:
        parts.append(lucene_escape(w))
        parts.append(lucene_escape(w) + "*")
    return " OR ".join(parts)


# -- ranking, shared ----------------------------------------------------------------------
@dataclass
class _Candidate:
    node: NodeRecord
    tier: int
    score: float
    #: (rel type, direction, other node, rel props) of the context relationship.
    context: list[tuple[str, NodeRecord, Mapping[str, Any]]] = field(default_factory=list)
    #: Neo4j: the query's row, whose context lists become ``context`` if the hit is shown.
    raw: Mapping[str, Any] | None = None

    def order(self) -> tuple[Any, ...]:
        if self.tier < len(TIERS) - 1:
            return (self.tier, len(self.node.caption), 0.0, self.node.uid)
        return (self.tier, 0, -self.score, self.node.uid)

    def hit(self) -> SearchHit:
        kind = SCHEMA.node(self.node.label)
        zh, en = _context_line(self.node.label, self.context)
        return SearchHit(node=NodeRef.of(self.node), score=round(self.score, 4),
                         match=TIERS[self.tier], kind_zh=kind.zh, kind_en=kind.en,
                         context=zh, context_en=en)


def _tier(query: str, node: NodeRecord) -> int:
    """The match tier of ``node`` for the (casefolded) query; ``related`` if none."""
    fields = [str(v).casefold() for k in FIELDS if (v := node.props.get(k))]
    return _tier_of(query, node.caption.casefold(), fields)


def _tier_of(query: str, caption: str, fields: Sequence[str]) -> int:
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
    return 4


def _context_line(
    label: str, facts: Sequence[tuple[str, NodeRecord, Mapping[str, Any]]]
) -> tuple[str | None, str | None]:
    if not facts:
        return None, None
    rel_type, other, props = _pick_context(facts)
    rel = SCHEMA.rel(rel_type)
    zh, en = f"{rel.zh}：{other.caption}", f"{rel.en}: {other.caption}"
    role = props.get("role")
    if role:
        enum = SCHEMA.enum("post_role")
        zh += f"（{enum.label(role, 'zh')}）"
        en += f" ({enum.label(role, 'en')})"
    return zh, en


def _pick_context(
    facts: Sequence[tuple[str, NodeRecord, Mapping[str, Any]]],
) -> tuple[str, NodeRecord, Mapping[str, Any]]:
    """The most telling context relationship: a post held today before a past one (latest
    start first), then by the other node's uid -- deterministic on both stores."""
    today = dt.date.today().isoformat()
    return min(facts, key=lambda f: (
        not active(f[2], today), _neg(f[2].get("start")), f[1].uid, str(f[2].get("role") or ""),
    ))


def _neg(day: Any) -> str:
    # Latest start first with a plain ascending sort: map each digit d to 9 - d.
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in str(day or ""))


def _context_facts_of(
    store: GraphStore, node: NodeRecord
) -> list[tuple[str, NodeRecord, Mapping[str, Any]]]:
    rel_type, direction = _CONTEXT[node.label]
    return [(n.type, n.node, n.props) for n in store.neighbours(
        node.uid, rel_types=[rel_type], direction=direction, limit=20)]  # type: ignore[arg-type]


# -- Neo4j --------------------------------------------------------------------------------
_OUT_TYPES = "|".join(cypher_type(t) for t, d in _CONTEXT.values() if d == "out")
# One round trip: Lucene's candidates and the nodes whose id is the text exactly (the best
# match there is, found through the Entity.id index), each with its context facts. The
# ranking needs Python's casefold, so the facts come for every candidate, not only the
# hits shown -- a few small lists each, cheaper than a second round trip for them.
_SEARCH = (
    """
CALL () {
  CALL db.index.fulltext.queryNodes($index, $query, {limit: $limit}) YIELD node, score
  WHERE $labels IS NULL OR any(l IN labels(node) WHERE l IN $labels)
  RETURN node, score, false AS exact
  UNION ALL
  MATCH (node:Entity {id: $id})
  WHERE $labels IS NULL OR any(l IN labels(node) WHERE l IN $labels)
  RETURN node, 1.0 AS score, true AS exact
}
WITH node, score, exact,
     COLLECT { MATCH (node)-[r:"""
    + _OUT_TYPES
    + """]->(c:Entity)
               RETURN [type(r), c.uid, coalesce(c.name, c.title), r.role, r.start, r.end]
               LIMIT 20 } AS ctx_out,
     COLLECT { MATCH (node)<-[r:"""
    + cypher_type("HOLDS")
    + """]-(c:Entity)
               RETURN [type(r), c.uid, coalesce(c.name, c.title), null, null, null]
               LIMIT 20 } AS ctx_in
// One record of candidates, not a hundred: the driver's cost is per record.
RETURN collect([node.uid, node.name, node.title, score, exact, ctx_out, ctx_in]) AS hits
"""
)


def _fields_record(uid: str, fields: Mapping[str, Any]) -> NodeRecord:
    label, node_id = split_uid(uid)
    names = SCHEMA.node(label).prop_names
    return NodeRecord(label, node_id, {k: v for k, v in fields.items()
                                       if k in names and v is not None})


#: The fields of each hit of :data:`_SEARCH`, in order.
_HIT_KEYS = ("uid", "name", "title", "score", "exact", "ctx_out", "ctx_in")


def _search_neo4j(
    db: Any, query: str, labels: list[str] | None, limit: int
) -> dict[str, _Candidate]:
    # Lucene ranks; we re-rank its candidates by tier, so ask for more than we show (and
    # more still when a label filter drops some after the index answered).
    fetch = min(limit * (20 if labels else 4) + 20, 5000)
    result = db.read_plain(_SEARCH, {"index": FULLTEXT_INDEX, "query": lucene_query(query),
                                     "limit": fetch, "labels": labels, "id": query})
    rows = [dict(zip(_HIT_KEYS, hit, strict=True)) for hit in result[0]["hits"]] if result else []
    folded = query.casefold()
    found: dict[str, _Candidate] = {}
    for row in sorted(rows, key=lambda r: r["exact"]):  # an exact id replaces Lucene's hit
        node = _fields_record(row["uid"], {"name": row["name"], "title": row["title"]})
        tier = 0 if row["exact"] else _tier(folded, node)
        found[node.uid] = _Candidate(node, tier, float(row["score"]), raw=row)
    return found


def _facts(row: Mapping[str, Any]) -> list[tuple[str, NodeRecord, Mapping[str, Any]]]:
    """The context facts of a search row (its ``ctx_out`` and ``ctx_in`` lists)."""
    facts: list[tuple[str, NodeRecord, Mapping[str, Any]]] = []
    for rel_type, uid, caption, role, start, end in (*row.get("ctx_out", ()),
                                                     *row.get("ctx_in", ())):
        label, node_id = split_uid(uid)
        other = NodeRecord(label, node_id, {SCHEMA.node(label).caption: caption})
        props = {k: v for k, v in (("role", role), ("start", start), ("end", end)) if v}
        facts.append((rel_type, other, props))
    return facts


# -- embedded -----------------------------------------------------------------------------
@dataclass
class _Index:
    version: int
    uids: list[str]
    #: Casefolded searchable values of each node, and its casefolded caption.
    texts: list[tuple[str, ...]]
    captions: list[str]
    postings: dict[str, set[int]]


_indexes: weakref.WeakKeyDictionary[Any, _Index] = weakref.WeakKeyDictionary()
_build_lock = threading.Lock()


def _grams(text: str) -> set[str]:
    """Single characters and bigrams of ``text`` (both, so one-character queries work)."""
    return set(text) | {text[i : i + 2] for i in range(len(text) - 1)}


def _index_of(store: Any) -> _Index:
    version = getattr(store, "version", None)
    idx = _indexes.get(store)
    if idx is not None and version is not None and idx.version == version:
        return idx
    with _build_lock:
        g = store.graph
        uids: list[str] = []
        texts: list[tuple[str, ...]] = []
        captions: list[str] = []
        postings: dict[str, set[int]] = {}
        for uid, attrs in g.nodes(data=True):
            fields = tuple(str(v).casefold() for k in FIELDS if (v := attrs.get(k)))
            if not fields:
                continue
            pos = len(uids)
            uids.append(uid)
            texts.append(fields)
            captions.append(str(attrs.get(SCHEMA.node(attrs["label"]).caption) or attrs["id"]))
            for f in fields:
                for gram in _grams(f):
                    postings.setdefault(gram, set()).add(pos)
        idx = _Index(-1 if version is None else version, uids, texts, captions, postings)
        _indexes[store] = idx
    return idx


def _search_embedded(
    store: GraphStore, query: str, labels: list[str] | None, limit: int
) -> dict[str, _Candidate]:
    es = embedded(store)
    idx = _index_of(es)
    folded = query.casefold()
    words = folded.split()
    # Candidates contain every gram of the longest word; the substring check is exact.
    longest = max(words, key=len)
    grams = [longest[i : i + 2] for i in range(len(longest) - 1)] or [longest]
    postings = sorted((idx.postings.get(gm, set()) for gm in grams), key=len)
    cands = set.intersection(*postings) if postings else set()
    # Rank on the index alone; only the shown hits become records (with their context).
    ranked_pos = []
    for pos in cands:
        uid = idx.uids[pos]
        if labels is not None and split_uid(uid)[0] not in labels:
            continue
        texts = idx.texts[pos]
        if any(folded in t for t in texts) or all(any(w in t for t in texts) for w in words):
            caption = idx.captions[pos]
            tier = _tier_of(folded, caption.casefold(), texts)
            ranked_pos.append((tier, len(caption), uid))
    ranked = []
    for tier, _, uid in sorted(ranked_pos)[:limit]:
        node = es.get_node(uid)
        if node is not None:
            ranked.append(_Candidate(node, tier, 0.0))
    for c in ranked:
        c.score = (1.0, 0.8, 0.6, 0.4, 0.2)[c.tier]
    return {c.node.uid: c for c in ranked}
