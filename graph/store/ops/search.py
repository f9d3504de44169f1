"""Read operations of search by name or id.

The rows both backends return and the protocol they implement: Cypher in
:mod:`graph.store.cypher.search`, a walk of the embedded graph in
:mod:`graph.store.walks.search`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypedDict

from graph.scope import Scope
from graph.store.ops.common import Props

#: Context relationships a search row keeps per hit (a person's posts, a duty's holders).
CONTEXT_CAP = 20


class ContextRow(TypedDict):
    """A relationship of a search hit's kind's context (:attr:`NodeKind.context`)."""

    type: str
    #: The node at the other end, and its caption (``None``: not set; shown by id).
    uid: str
    caption: str | None
    #: The relationship's schema properties that are set (a post's role, start, end).
    props: Props


class SearchRow(TypedDict):
    """One search hit, ranked by the rule of :mod:`graph.matching`."""

    uid: str
    #: The node's searchable properties that are set (:func:`graph.matching.fields_of`).
    fields: dict[str, str]
    #: Index into :data:`graph.matching.TIERS`.
    tier: int
    #: Neo4j: the full-text (Lucene) score; the embedded store has none.
    score: float | None
    #: At most CONTEXT_CAP context relationships to nodes the scope shows, by other uid.
    context: list[ContextRow]


class SearchOps(Protocol):
    """The read operations of search by name or id."""

    def search(self, text: str, labels: Sequence[str] | None, limit: int, *,
               scope: Scope) -> list[SearchRow]:
        """Nodes in ``scope`` (of ``labels``, all kinds when ``None``) whose searchable
        properties match ``text`` (folded, :func:`graph.matching.fold`) or whose id is
        ``text``, ranked by :mod:`graph.matching`, at most ``limit``. Neo4j ranks the best
        candidates of its full-text index (in scope) and may add ``related`` matches."""
        ...
