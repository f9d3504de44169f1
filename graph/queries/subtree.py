"""The units of a unit's subtree: the unit itself and every unit below it.

"Below" follows ``SUBORDINATE_TO`` edges backwards (child → parent), transitively. Several
queries filter by a subtree (open loops, accountability statistics, overviews); they share
this helper so that "嘉定区" means the same set of units everywhere.
"""

from __future__ import annotations

from graph.store.base import GraphStore


def subtree_uids(store: GraphStore, unit_uid: str) -> frozenset[str]:
    """Uids of ``unit_uid`` and all units transitively ``SUBORDINATE_TO`` it.

    Parameters
    ----------
    store
        Either backend.
    unit_uid
        The root unit's uid (``unit:JD``). A uid that names no unit gives an empty set; the
        caller resolves user input first (:func:`graph.queries.common.resolve`).

    Returns
    -------
    frozenset of str
        The root included. Cycles in bad data do not loop forever (each unit is visited once).
    """
    return store.reads.subtree(unit_uid)
