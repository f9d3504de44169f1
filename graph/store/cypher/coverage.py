"""Coverage facts in Cypher: every unit of a subtree (or of the scope) with the inspections
that covered it and the modes it is supervised in. One round trip.

Scope: the root must be in scope, and then so is its whole subtree; without a root, the
units in scope. Inspections covering a unit in scope are in scope (``COVERS`` anchors
them); supervision is read as its mode only (the bodies are seen in outline anyway).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, LiteralString, cast

from graph.scope import Scope
from graph.store.cypher.scope import Predicate, ScopedQuery, compose, scoped_query
from graph.store.ops.coverage import CoverageFactsRow

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore

_UNIT: LiteralString = """
  collect({unit: u {.uid, .name, .kind, .level},
           visits: COLLECT { MATCH (i:Inspection)-[:COVERS]->(u)
                             RETURN [i.kind, i.started_on, i.ended_on] },
           modes: COLLECT { MATCH (:Unit)-[s:SUPERVISES]->(u) RETURN s.mode }}) AS units
"""


def _subtree(ins: Predicate, above: Predicate) -> LiteralString:
    return compose("""
MATCH (root:Entity {uid: $uid}) WHERE root:Unit AND """, ins("root", ("Unit",)), """
MATCH (u:Unit)-[:SUBORDINATE_TO*0..]->(root)
WITH DISTINCT root, u
RETURN properties(root) AS unit,""", _UNIT)


def _everything(ins: Predicate, above: Predicate) -> LiteralString:
    return compose("""
MATCH (u:Unit) WHERE """, ins("u", ("Unit",)), """
RETURN null AS unit,""", _UNIT)


_SUBTREE: ScopedQuery = scoped_query(_subtree)
_EVERYTHING: ScopedQuery = scoped_query(_everything)


class CoverageCypher:
    """The coverage operation of :class:`graph.store.ops.ReadOps` in Cypher."""

    db: Neo4jStore

    def coverage_facts(self, unit_uid: str | None, scope: Scope) -> CoverageFactsRow | None:
        query = _EVERYTHING if unit_uid is None else _SUBTREE
        rows = self.db.read_plain(query.text(scope), {"uid": unit_uid, **scope.params()})
        return cast(CoverageFactsRow, rows[0]) if rows else None
