"""The cases that occurred in a unit's subtree, newest first: the way from a unit to its
case trace-backs.

The store reads the (case, unit) pairs (``store.reads.cases_in_subtree``, typed in
:mod:`graph.store.ops`) and :func:`cases_in_subtree` orders and counts them.

Scope: a unit outside the scope is NotFound, exactly like a missing id; a unit in scope has
its whole subtree in scope, and every case that occurred there with it.
"""

from __future__ import annotations

from pydantic import BaseModel

from graph.errors import NotFound
from graph.queries.common import ref_of, uid_for
from graph.queries.models import NodeRef
from graph.schema import split_uid
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore


class CaseRow(BaseModel):
    """A case and the unit of the subtree it occurred in."""

    case: NodeRef
    unit: NodeRef
    category: str | None = None
    occurred_on: str | None = None


class CaseList(BaseModel):
    """The first ``limit`` cases of ``unit``'s subtree, newest first (undated last, ties by
    uid), and how many there are in all."""

    unit: NodeRef
    total: int
    items: list[CaseRow]


def _order(row: CaseRow) -> tuple[str, str]:
    # Newest first; undated cases last; ties by uid (stable across stores).
    return (row.occurred_on or "0000-00-00", row.case.uid)


def cases_in_subtree(store: GraphStore, unit: str, *, limit: int = 10,
                     scope: Scope = EVERYTHING_SCOPE) -> CaseList:
    """Cases that occurred in ``unit`` (a uid or bare id) or any unit below it, newest first.

    A case recorded in two units of the subtree is listed once per unit. Raises NotFound for
    an unknown unit or one outside ``scope``.
    """
    uid = uid_for(unit, "Unit")
    found = store.reads.cases_in_subtree(uid, scope)
    if found is None:
        raise NotFound("Unit", split_uid(uid)[1])
    rows = [CaseRow(case=NodeRef.model_validate(ref_of(r["case"])),
                    unit=NodeRef.model_validate(ref_of(r["unit"])),
                    category=r["case"].get("category"), occurred_on=r["case"].get("occurred_on"))
            for r in found["cases"]]
    rows.sort(key=_order, reverse=True)
    return CaseList(unit=NodeRef.model_validate(ref_of(found["unit"])), total=len(rows),
                    items=rows[:limit])
