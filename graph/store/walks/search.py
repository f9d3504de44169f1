"""Search on the embedded store: an in-memory index of the searchable properties.

The index is a value derived from the graph (``store.derived``, rebuilt after a write):
single-character and bigram postings give the candidates, a substring check confirms them,
so any Chinese substring is found. Candidates outside the scope or of other kinds are
dropped before the ranking (:mod:`graph.matching`) and the limit; only the hits kept get
their context facts, the rows of :mod:`graph.store.cypher.search`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph.matching import EXACT, FIELDS, fold, rank_key, tier_of
from graph.projection import in_edges, out_edges
from graph.schema import SCHEMA, split_uid
from graph.scope import Scope
from graph.store.ops.search import CONTEXT_CAP, ContextRow, SearchRow
from graph.store.walks.scope import Visibility, visibility

if TYPE_CHECKING:
    import networkx as nx

    from graph.store.embedded import EmbeddedStore


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """The searchable properties of every node, by position, with gram postings."""

    uids: list[str]
    #: Per node: its searchable properties that are set, and their folded forms.
    fields: list[dict[str, str]]
    folded: list[tuple[str, ...]]
    #: Each node's caption, and its folded form.
    captions: list[str]
    folded_captions: list[str]
    postings: dict[str, set[int]]

    @classmethod
    def build(cls, g: nx.MultiDiGraph) -> SearchIndex:
        idx = cls([], [], [], [], [], {})
        for uid, attrs in g.nodes(data=True):
            fields = {k: str(v) for k in FIELDS if (v := attrs.get(k)) not in (None, "")}
            if not fields:
                continue
            pos = len(idx.uids)
            folded = tuple(v.casefold() for v in fields.values())
            idx.uids.append(uid)
            idx.fields.append(fields)
            idx.folded.append(folded)
            caption = fields.get(SCHEMA.node(attrs["label"]).caption) or str(attrs["id"])
            idx.captions.append(caption)
            idx.folded_captions.append(caption.casefold())
            for f in folded:
                for gram in _grams(f):
                    idx.postings.setdefault(gram, set()).add(pos)
        return idx


def _grams(text: str) -> set[str]:
    """Single characters and bigrams of ``text`` (both, so one-character queries work)."""
    return set(text) | {text[i:i + 2] for i in range(len(text) - 1)}


def search_index(store: EmbeddedStore) -> SearchIndex:
    """The store's search index at its current data version."""
    g = store.graph
    return store.derived.get(("search-index",), lambda: SearchIndex.build(g))


def _context(g: nx.MultiDiGraph, uid: str, vis: Visibility) -> list[ContextRow]:
    rel_type, direction = SCHEMA.node(g.nodes[uid]["label"]).context
    ends = (out_edges if direction == "out" else in_edges)(g, uid, rel_type)
    shown = [(other, a) for other, a in ends if vis(other) or vis.above(other)]
    shown.sort(key=lambda t: (t[0], "|".join(str(t[1].get(k) or "")
                                              for k in SCHEMA.rel(rel_type).key)))
    names = SCHEMA.rel(rel_type).prop_names
    rows: list[ContextRow] = []
    for other, a in shown[:CONTEXT_CAP]:
        attrs = g.nodes[other]
        rows.append({"type": rel_type, "uid": other,
                     "caption": attrs.get(SCHEMA.node(attrs["label"]).caption),
                     "props": {k: v for k in names if (v := a.get(k)) is not None}})
    return rows


class SearchWalks:
    """The search operation of :class:`graph.store.ops.ReadOps` on the embedded store."""

    store: EmbeddedStore

    def search(self, text: str, labels: Sequence[str] | None, limit: int, *,
               scope: Scope) -> list[SearchRow]:
        g = self.store.graph
        idx = search_index(self.store)
        vis = visibility(self.store, scope)
        wanted = None if labels is None else set(labels)
        query = fold(text)
        words = query.split()
        # Candidates hold every gram of the longest word; the substring check is exact.
        longest = max(words, key=len)
        grams = [longest[i:i + 2] for i in range(len(longest) - 1)] or [longest]
        postings = sorted((idx.postings.get(gm, set()) for gm in grams), key=len)
        cands = set.intersection(*postings) if postings else set()
        exact = {n.uid: n for n in self.store.find_ids(" ".join(text.split()), labels)
                 if vis(n.uid)}  # an exact id is the best match there is
        # Flat tuples of atomic values: the collector stops tracking them, which matters
        # with tens of thousands of candidates beside a graph of millions of objects.
        ranked: list[tuple[Any, ...]] = []
        scoped = not scope.everything  # every node in the index is in the graph
        for pos in cands:
            uid = idx.uids[pos]
            texts = idx.folded[pos]
            if not (any(query in t for t in texts) or all(any(w in t for t in texts)
                                                          for w in words)):
                continue
            if (wanted is not None and split_uid(uid)[0] not in wanted) or uid in exact \
                    or (scoped and not vis(uid)):
                continue
            tier = tier_of(query, idx.folded_captions[pos], texts)
            ranked.append((*rank_key(uid, tier, idx.captions[pos], None), tier, pos))
        for uid, node in exact.items():
            ranked.append((*rank_key(uid, EXACT, node.caption, None), EXACT, -1))
        best = sorted(ranked)[:limit]
        rows: list[SearchRow] = []
        for *key, tier, pos in best:
            uid = str(key[-1])
            fields = idx.fields[pos] if pos >= 0 else {
                k: str(v) for k in FIELDS if (v := exact[uid].props.get(k)) not in (None, "")}
            rows.append({"uid": uid, "fields": fields, "tier": tier, "score": None,
                         "context": _context(g, uid, vis)})
        return rows
