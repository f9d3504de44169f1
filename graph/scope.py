"""What a user may see: a :class:`Scope`, passed to every read operation.

A user's scope is a list of unit ids (``JD``) or ``*``. The units it covers are the
subtrees below its *roots*: each unit named, and each discipline body supervising such a
unit at the same level (嘉定区纪委监委 for 嘉定区委: it sits under the city's discipline body in
the unit tree, yet its work is the district's). A unit is in scope when it lies in one of
those subtrees; any other node when one of its anchors leads to a node in scope, as the
schema declares per kind (:attr:`graph.schema.NodeKind.scope`).

Units *above* the roots (the chain up to the city) are seen in outline: their names and
their holders in the chain, not their duties, cases or pages (kinds declared
``above="outline"``).

The stores apply a scope where they select data (a Cypher predicate built from the schema,
a memoised walk on the embedded store), so limits, counts, rankings and paths are computed
on what the user may see. This module holds the value only; it knows no store and no HTTP.

>>> EVERYTHING_SCOPE.everything, Scope.of_roots(["unit:JD"], home="unit:JD").key
(True, ('unit:JD', 'home=unit:JD'))
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: A user scope entry that covers the whole graph.
EVERYTHING = "*"


@dataclass(frozen=True, slots=True)
class Scope:
    """The unit subtrees a user may see, by their roots (unit uids); ``None``: everything.

    An empty set of roots sees nothing (a user whose scope names no existing unit).
    """

    roots: frozenset[str] | None = None
    #: Units above the roots (their ancestors up to the city), seen in outline.
    above: frozenset[str] = frozenset()
    #: The first existing unit the user's scope names: what a statistic or dashboard
    #: without an explicit unit is computed for (never the union of several districts).
    home: str | None = None

    @classmethod
    def of_roots(cls, roots: Iterable[str], above: Iterable[str] = (),
                 home: str | None = None) -> Scope:
        return cls(frozenset(roots), frozenset(above) - frozenset(roots), home)

    @property
    def everything(self) -> bool:
        return self.roots is None

    @property
    def key(self) -> tuple[str, ...]:
        """A hashable, ordered form for cache keys (``("*",)`` for everything)."""
        if self.roots is None:
            return (EVERYTHING,)
        # Two users with the same roots but different home units see different defaults.
        return (*sorted(self.roots), f"home={self.home or ''}")

    def params(self) -> dict[str, object]:
        """The Cypher parameters of a scope predicate (see ``graph.store.cypher.scope``)."""
        return {"scope_all": self.roots is None, "scope_roots": sorted(self.roots or ()),
                "scope_above": sorted(self.above)}


#: The scope of a user who sees everything (and of the CLI, notebooks and loaders).
EVERYTHING_SCOPE = Scope(None)


def unit_uids(entries: Iterable[str]) -> list[str] | None:
    """Unit uids named by user scope entries (``JD`` or ``unit:JD``); ``None`` for ``*``.

    >>> unit_uids(["JD", "unit:MH"]), unit_uids(["*"])
    (['unit:JD', 'unit:MH'], None)
    """
    out: list[str] = []
    for entry in entries:
        entry = entry.strip()
        if entry == EVERYTHING:
            return None
        if entry:
            out.append(entry if entry.startswith("unit:") else f"unit:{entry}")
    return out
