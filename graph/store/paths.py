"""All shortest paths between two nodes by bidirectional breadth-first search, over a
function that gives the neighbours of a whole frontier at once.

Shared by the embedded walk (neighbours from the ``MultiDiGraph``) and by Neo4j for a
scoped user (one Cypher query per level: a path predicate that checks a scope makes
``allShortestPaths`` fall back to an exhaustive search).

>>> links = {"a": {"b", "c"}, "b": {"a", "d"}, "c": {"a", "d"}, "d": {"b", "c"}}
>>> shortest_sequences("a", "d", 4, lambda frontier, seen: {u: links[u] for u in frontier})
[['a', 'b', 'd'], ['a', 'c', 'd']]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping

#: At most this many shortest paths are looked at before the first ``limit`` are chosen.
PATH_CAP = 1000

#: Neighbours of each node of a frontier; ``seen`` holds the nodes the side reached before
#: (a backend may leave them out of its answer).
Around = Callable[[list[str], Collection[str]], Mapping[str, Iterable[str]]]


class _Side:
    """One end of the search: distances and every predecessor on a shortest path."""

    def __init__(self, root: str) -> None:
        self.dist: dict[str, int] = {root: 0}
        self.preds: dict[str, list[str]] = {root: []}
        self.frontier = [root]

    def expand(self, around: Around) -> None:
        level = self.dist[self.frontier[0]] + 1
        nxt: list[str] = []
        found = around(self.frontier, self.dist.keys())
        for u in self.frontier:
            for v in found.get(u, ()):
                if v not in self.dist:
                    self.dist[v], self.preds[v] = level, [u]
                    nxt.append(v)
                elif self.dist[v] == level:
                    self.preds[v].append(u)
        self.frontier = nxt

    def paths(self, node: str) -> Iterator[list[str]]:
        """Every shortest path from ``node`` back to the root (node first)."""
        stack = [[node]]
        while stack:
            path = stack.pop()
            preds = self.preds[path[-1]]
            if not preds:
                yield path
            stack.extend([*path, p] for p in sorted(set(preds), reverse=True))


def shortest_sequences(a: str, b: str, max_depth: int, around: Around) -> list[list[str]]:
    """Shortest paths from ``a`` to ``b`` of at most ``max_depth`` hops as node sequences
    (at most :data:`PATH_CAP`), sorted; ``[]`` when there is none."""
    if a == b:
        return [[a]]
    # One whole level of the smaller frontier at a time; the level where the sides meet
    # holds the middle nodes of every shortest path (both sides' levels were complete).
    sides = [_Side(a), _Side(b)]
    middle: list[str] = []
    hops = 0
    while not middle and hops < max_depth:
        side, other = sorted(sides, key=lambda sd: len(sd.frontier))
        if not side.frontier:
            break
        side.expand(around)
        hops += 1
        middle = sorted(u for u in side.frontier if u in other.dist)
    joined = (left[::-1] + right[1:] for m in middle
              for left in sides[0].paths(m) for right in sides[1].paths(m))
    return sorted(itertools.islice(joined, PATH_CAP))
