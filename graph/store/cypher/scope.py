"""Scope in Cypher: predicates built from the schema's per-kind scope rules.

Every read query that must honour a :class:`graph.scope.Scope` places ``in_scope(var,
labels)`` in its ``WHERE`` clauses and passes ``scope.params()`` (``$scope_all``,
``$scope_roots``). The text comes from the schema only (whitelisted labels and types, fresh
variable names), never from user input, so it is safe to splice into a query.

A unit is in scope when it lies under one of ``$scope_roots`` (a short walk up its
``SUBORDINATE_TO`` chain: each unit has one parent). Any other node when one of its anchors
leads to a node in scope, as :class:`graph.schema.ScopeRule` declares; anchors are nested
``EXISTS`` subqueries, at most two levels deep for the schema as declared.

>>> in_scope("u", ("Unit",))  # doctest: +NORMALIZE_WHITESPACE
'($scope_all OR (u:`Unit` AND EXISTS { MATCH (u)-[:`SUBORDINATE_TO`*0..]->(s0:Unit)
  WHERE s0.uid IN $scope_roots }))'
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, LiteralString, cast

from graph.schema import SCHEMA, cypher_label, cypher_type
from graph.scope import EVERYTHING_SCOPE, Scope

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore


def compose(*parts: str) -> LiteralString:
    """Cypher text joined from literals and the predicates of this module, which are built
    from schema declarations only (never from input): safe to run as a query."""
    return cast(LiteralString, "".join(parts))


def _unit(var: str, names: Iterator[str]) -> str:
    s = next(names)
    return (f"EXISTS {{ MATCH ({var})-[:{cypher_type('SUBORDINATE_TO')}*0..]->({s}:Unit) "
            f"WHERE {s}.uid IN $scope_roots }}")


def _kind(var: str, label: str, names: Iterator[str], depth: int) -> str:
    """``var`` (known to be a ``label``) is in scope."""
    if label == "Unit":
        return _unit(var, names)
    if depth > len(SCHEMA.nodes):  # the schema test forbids cycles; never loop on one
        return "false"
    parts = []
    for rel_type, direction in SCHEMA.node(label).scope.anchors:
        rel = SCHEMA.rel(rel_type)
        ends = rel.targets if direction == "out" else rel.sources
        x = next(names)
        arrow = (f"({var})-[:{cypher_type(rel_type)}]->({x})" if direction == "out"
                 else f"({var})<-[:{cypher_type(rel_type)}]-({x})")
        inner = _any(x, ends, names, depth + 1)
        parts.append(f"EXISTS {{ MATCH {arrow} WHERE {inner} }}")
    return " OR ".join(parts) if parts else "false"


def _any(var: str, labels: Iterable[str], names: Iterator[str], depth: int) -> str:
    alts = [f"({var}:{cypher_label(lb)} AND {_kind(var, lb, names, depth)})"
            for lb in labels]
    return alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"


def in_scope(var: str, labels: Iterable[str] | None = None) -> str:
    """A Cypher predicate: node ``var`` (one of ``labels``; default any kind) is visible
    under ``$scope_all`` / ``$scope_roots``."""
    names = (f"s{i}" for i in itertools.count())
    kinds = tuple(labels) if labels is not None else SCHEMA.labels
    return f"($scope_all OR {_any(var, kinds, names, 0)})"


def above_scope(var: str, labels: Iterable[str] | None = None) -> str:
    """A Cypher predicate: node ``var`` lies above the scope and its kind is seen there in
    outline (a unit in ``$scope_above``; a person anchored to one). False for a user who
    sees everything, who has nothing above."""
    names = (f"a{i}" for i in itertools.count())
    alts: list[str] = []
    for label in labels if labels is not None else SCHEMA.labels:
        kind = SCHEMA.node(label)
        if kind.scope.above != "outline":
            continue
        if label == "Unit":
            alts.append(f"({var}:{cypher_label(label)} AND {var}.uid IN $scope_above)")
            continue
        anchors = []
        for rel_type, direction in kind.scope.anchors:
            rel = SCHEMA.rel(rel_type)
            if "Unit" not in (rel.targets if direction == "out" else rel.sources):
                continue
            x = next(names)
            arrow = (f"({var})-[:{cypher_type(rel_type)}]->({x}:Unit)" if direction == "out"
                     else f"({var})<-[:{cypher_type(rel_type)}]-({x}:Unit)")
            anchors.append(f"EXISTS {{ MATCH {arrow} WHERE {x}.uid IN $scope_above }}")
        if anchors:
            alts.append(f"({var}:{cypher_label(label)} AND ({' OR '.join(anchors)}))")
    return f"(NOT $scope_all AND ({' OR '.join(alts) or 'false'}))"


# -- one text per kind of user -------------------------------------------------------------
#: Builds a predicate on a variable of some kinds: :func:`in_scope`, :func:`above_scope`,
#: or a constant for a user who sees everything.
Predicate = Callable[[str, Iterable[str]], str]


def _always(var: str, labels: Iterable[str]) -> str:
    return "true"


def _never(var: str, labels: Iterable[str]) -> str:
    return "false"


@dataclass(frozen=True)
class ScopedQuery:
    """A query in two texts: for a user who sees everything its scope predicates are the
    constants ``true``/``false``, which the planner folds away; for a scoped user they are
    :func:`in_scope`/:func:`above_scope`. (Short-circuited on ``$scope_all``, the
    predicates still cost the server time on every row they guard.)"""

    everything: LiteralString
    scoped: LiteralString

    def text(self, scope: Scope) -> LiteralString:
        return self.everything if scope.everything else self.scoped


def scoped_query(build: Callable[[Predicate, Predicate], LiteralString]) -> ScopedQuery:
    """Both texts of the query ``build(in_scope, above_scope)`` makes."""
    return ScopedQuery(build(_always, _never), build(in_scope, above_scope))


# -- the scope operations ------------------------------------------------------------------
_SUBTREE: LiteralString = """
MATCH (root:Unit:Entity {uid: $uid})
MATCH (u:Unit)-[:SUBORDINATE_TO*0..]->(root)
RETURN DISTINCT u.uid AS uid
"""

_SCOPE_OF: LiteralString = """
UNWIND $uids AS uid
MATCH (u:Entity {uid: uid}) WHERE u:Unit
RETURN u.uid AS uid,
  COLLECT { MATCH (d:Unit)-[s:SUPERVISES]->(u) WHERE s.mode = 'same_level'
            RETURN d.uid } AS bodies
"""

_ABOVE: LiteralString = """
UNWIND $uids AS uid
MATCH (:Entity {uid: uid})-[:SUBORDINATE_TO*1..]->(a:Unit)
RETURN collect(DISTINCT a.uid) AS above
"""


class ScopeCypher:
    """The scope operations of :class:`graph.store.ops.ReadOps` in Cypher."""

    db: Neo4jStore

    def subtree(self, unit_uid: str) -> frozenset[str]:
        return frozenset(str(r["uid"]) for r in self.db.read_plain(_SUBTREE, {"uid": unit_uid}))

    def scope_of(self, units: Sequence[str] | None) -> Scope:
        if units is None:
            return EVERYTHING_SCOPE
        roots: set[str] = set()
        found: set[str] = set()
        for row in self.db.read_plain(_SCOPE_OF, {"uids": sorted(set(units))}):
            found.add(str(row["uid"]))
            roots.update(str(b) for b in row["bodies"])
        roots |= found
        home = next((uid for uid in units if uid in found), None)
        rows = self.db.read_plain(_ABOVE, {"uids": sorted(roots)}) if roots else []
        return Scope.of_roots(roots, rows[0]["above"] if rows else (), home)

    def visible(self, uids: Iterable[str], scope: Scope) -> set[str]:
        wanted = sorted(set(uids))
        query = compose("UNWIND $uids AS uid MATCH (n:Entity {uid: uid}) WHERE ",
                        in_scope("n"), " RETURN collect(n.uid) AS uids")
        rows = self.db.read_plain(query, {"uids": wanted, **scope.params()})
        return set(rows[0]["uids"]) if rows else set()

    def outline(self, uids: Iterable[str], scope: Scope) -> set[str]:
        if scope.everything:
            return set()
        query = compose("UNWIND $uids AS uid MATCH (n:Entity {uid: uid}) WHERE ",
                        above_scope("n"), " RETURN collect(n.uid) AS uids")
        rows = self.db.read_plain(query, {"uids": sorted(set(uids)), **scope.params()})
        return set(rows[0]["uids"]) if rows else set()

