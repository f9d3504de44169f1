"""The read operations on Neo4j, one module of Cypher per topic, composed into
:class:`CypherReads` (the ``reads`` of a :class:`graph.store.neo4j.Neo4jStore`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.store.cypher.analytics import AnalyticsCypher
from graph.store.cypher.assessment import AssessmentCypher
from graph.store.cypher.cases import CasesCypher
from graph.store.cypher.casework import CaseworkCypher
from graph.store.cypher.chain import ChainCypher
from graph.store.cypher.coverage import CoverageCypher
from graph.store.cypher.holders import HoldersCypher
from graph.store.cypher.loop import LoopCypher
from graph.store.cypher.loops import LoopsCypher
from graph.store.cypher.person import PersonCypher
from graph.store.cypher.prevention import PreventionCypher
from graph.store.cypher.scope import ScopeCypher
from graph.store.cypher.search import SearchCypher
from graph.store.cypher.stats import StatsCypher
from graph.store.cypher.subgraph import SubgraphCypher

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore


class CypherReads(ScopeCypher, HoldersCypher, CasesCypher, PersonCypher, ChainCypher,
                  LoopsCypher, LoopCypher, AnalyticsCypher, SearchCypher, SubgraphCypher,
                  StatsCypher, CaseworkCypher, AssessmentCypher, CoverageCypher,
                  PreventionCypher):
    """:class:`graph.store.ops.ReadOps` for Neo4j."""

    def __init__(self, db: Neo4jStore) -> None:
        self.db = db
