"""Search in Cypher: the full-text index, the scope, the context facts -- one round trip.

Candidates come only from the full-text index :data:`graph.schema.FULLTEXT_INDEX` (``cjk``
analyzer: Chinese text indexed as overlapping bigrams, Latin text as lower-cased words) via
``db.index.fulltext.queryNodes`` -- never a label or all-nodes scan -- plus the nodes whose
id is the text (the ``Entity.id`` index). The user's text is escaped for Lucene (it is a
value, but the procedure parses it as Lucene syntax).

Labels and scope filter the index's answer *before* it is cut to the candidates ranked
(Lucene's best :func:`fetch_size`), so a scoped user gets as many hits as one who sees
everything would among what they may see. Each candidate comes with its context facts
(the relationship its kind declares, :attr:`graph.schema.NodeKind.context`, to nodes the
scope shows whole or in outline); the ranking (:mod:`graph.matching`) needs Python's
casefold, so it runs here on the candidates, after the query.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, LiteralString

from graph.matching import EXACT, FIELDS, caption_of, fold, rank_key, tier_of
from graph.schema import FULLTEXT_INDEX, SCHEMA, cypher_type, split_uid
from graph.scope import Scope
from graph.store.cypher.scope import above_scope, compose, in_scope
from graph.store.ops.search import CONTEXT_CAP, ContextRow, SearchRow

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore

#: Lucene query syntax characters, escaped with a backslash in user text.
_LUCENE_SPECIAL = frozenset('+-&|!(){}[]^"~*?:\\/')


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
    parts = [f'"{lucene_escape(folded)}"^4']
    for w in folded.split():
        parts.append(lucene_escape(w))
        parts.append(lucene_escape(w) + "*")
    return " OR ".join(parts)


def fetch_size(limit: int) -> int:
    """How many of Lucene's best candidates (after labels and scope) are ranked: Lucene
    orders by its score, the ranking by tier, so more than are shown."""
    return min(limit * 4 + 20, 5000)


def _caption(var: str) -> str:
    """The caption property of ``var`` by its kind (read off the uid), from the schema."""
    cases = "".join(f" WHEN '{n.prefix}' THEN {var}.`{n.caption}`" for n in SCHEMA.nodes)
    return f"CASE split({var}.uid, ':')[0]{cases} END"


def _shown(var: str, scoped: bool) -> str:
    """``var`` is in scope or above it in outline; ``true`` for a user who sees everything
    (query text without the predicates: the plan of an unscoped search is unchanged)."""
    return f"({in_scope(var)} OR {above_scope(var)})" if scoped else "true"


def _context(direction: str, scoped: bool) -> str:
    types = sorted({t for n in SCHEMA.nodes for t, d in [n.context] if d == direction})
    rel = "|".join(cypher_type(t) for t in types)
    arrow = f"-[r:{rel}]->" if direction == "out" else f"<-[r:{rel}]-"
    return ("COLLECT { MATCH (node)" + arrow + "(c:Entity) WHERE " + _shown("c", scoped)
            + " RETURN [type(r), c.uid, " + _caption("c") + ", properties(r)]"
            " ORDER BY c.uid, r.key LIMIT " + str(CONTEXT_CAP) + " }")


_LABELS = "($labels IS NULL OR any(l IN labels(node) WHERE l IN $labels))"
_FIELDS = "[" + ", ".join(f"node.`{f}`" for f in FIELDS) + "]"


@functools.cache
def search_query(scoped: bool) -> LiteralString:
    """Candidates and context facts in one round trip, returned as one record (the
    driver's cost is per record). Lucene's answer (``$options``: its limit, if any) is
    filtered by labels and scope, then cut to ``$fetch``: a filter that drops most of
    Lucene's best still leaves ``$fetch``."""
    where = _LABELS + (" AND " + in_scope("node") if scoped else "")
    return compose("""
CALL () {
  CALL db.index.fulltext.queryNodes($index, $query, $options) YIELD node, score
  WHERE """, where, """
  RETURN node, score, false AS exact
  LIMIT $fetch
  UNION ALL
  MATCH (node:Entity {id: $id})
  WHERE """, where, """
  RETURN node, 1.0 AS score, true AS exact
}
WITH node, score, exact, """, _context("out", scoped), """ AS ctx_out,
     """, _context("in", scoped), """ AS ctx_in
RETURN collect([node.uid, """, _FIELDS, """, score, exact, ctx_out, ctx_in]) AS hits
""")


def _facts(label: str, out: list[Any], inward: list[Any]) -> list[ContextRow]:
    """The context facts of a hit of ``label``: the relationships of its kind's context."""
    rel_type, direction = SCHEMA.node(label).context
    names = SCHEMA.rel(rel_type).prop_names
    facts: list[ContextRow] = []
    for t, uid, caption, props in out if direction == "out" else inward:
        if t == rel_type:
            facts.append({"type": t, "uid": uid, "caption": caption,
                          "props": {k: v for k in names if (v := props.get(k)) is not None}})
    return facts


class SearchCypher:
    """The search operation of :class:`graph.store.ops.ReadOps` in Cypher."""

    db: Neo4jStore

    def search(self, text: str, labels: Sequence[str] | None, limit: int, *,
               scope: Scope) -> list[SearchRow]:
        query = fold(text)
        fetch = fetch_size(limit)
        # Unfiltered, Lucene's best ``fetch`` are the candidates; a label or scope filter
        # may drop any number of them, so then Lucene's answer is only cut after it.
        filtered = labels is not None or not scope.everything
        result = self.db.read_plain(search_query(not scope.everything), {
            "index": FULLTEXT_INDEX, "query": lucene_query(query), "id": " ".join(text.split()),
            "options": {} if filtered else {"limit": fetch}, "fetch": fetch,
            "labels": None if labels is None else list(labels), **scope.params()})
        found: dict[str, SearchRow] = {}
        # An exact id replaces Lucene's hit of the same node (exact rows sort last).
        for uid, values, score, exact, out, inward in sorted(
                result[0]["hits"] if result else [], key=lambda h: h[3]):
            fields = {k: str(v) for k, v in zip(FIELDS, values, strict=True)
                      if v not in (None, "")}
            caption = caption_of(uid, fields)
            tier = EXACT if exact else tier_of(query, caption.casefold(),
                                               [v.casefold() for v in fields.values()])
            found[uid] = {"uid": uid, "fields": fields, "tier": tier, "score": float(score),
                          "context": _facts(split_uid(uid)[0], out, inward)}
        ranked = sorted(found.values(), key=lambda r: rank_key(
            r["uid"], r["tier"], caption_of(r["uid"], r["fields"]), r["score"]))
        return ranked[:limit]
