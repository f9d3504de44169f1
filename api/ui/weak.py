"""Weak-link findings and health scores for the pages, from :mod:`graph.analytics`."""

from __future__ import annotations

from typing import Any

from graph.store.base import GraphStore


def for_unit(
    store: GraphStore, unit_uid: str, *, limit: int, lang: str
) -> tuple[list[dict[str, Any]] | None, dict[str, Any] | None]:
    """(findings, health) of a unit's subtree; ``None`` while analytics are unavailable."""
    return None, None


def for_subtree(
    store: GraphStore, unit_uid: str | None, *, lang: str
) -> tuple[list[dict[str, Any]] | None, list[dict[str, Any]]]:
    """(findings, health rows) for a subtree or the whole graph."""
    return None, []


def weak_marks(store: GraphStore) -> dict[str, list[Any]]:
    """What the graph draws as weak: node uids, and node pairs whose link is weak."""
    return {"nodes": [], "pairs": []}
