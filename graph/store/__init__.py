"""Storage backends behind one protocol, and the factory that picks one from settings."""

from __future__ import annotations

from graph.settings import Settings
from graph.store.base import Counts, GraphStore, Neighbour, NodeRecord, RelRecord

__all__ = ["Counts", "GraphStore", "Neighbour", "NodeRecord", "RelRecord", "open_store"]


def open_store(settings: Settings) -> GraphStore:
    """The Neo4j store when ``NEO4J_URI`` is set, else the embedded store under ``home``."""
    if settings.neo4j_uri:
        from graph.store.neo4j import Neo4jStore

        return Neo4jStore.from_settings(settings)
    from graph.store.embedded import EmbeddedStore

    return EmbeddedStore(settings.home)
