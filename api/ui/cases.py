"""Cases that occurred in a unit's subtree, newest first: the way from a unit's page to
its case trace-backs. One parameterised Cypher query on Neo4j, a walk of the subtree on
the embedded store; both give the same list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from api.i18n import translate
from api.security.policy import ReadScope
from api.ui.render import get_store, page, render, request_lang
from graph.queries.common import embedded, neo4j, resolve
from graph.queries.models import NodeRef
from graph.queries.stats import AccountabilityStats, accountability_stats
from graph.queries.subtree import subtree_uids
from graph.store.base import GraphStore

router = APIRouter(include_in_schema=False)

_CASES = """
MATCH (root:Unit:Entity {uid: $uid})
MATCH (c:Case)-[:OCCURRED_IN]->(u:Unit)-[:SUBORDINATE_TO*0..]->(root)
WITH DISTINCT c, u
RETURN c.uid AS uid, c.id AS id, c.title AS title, c.category AS category,
       c.occurred_on AS occurred_on, u.uid AS unit_uid, u.id AS unit_id, u.name AS unit_name
"""
#: Cases listed on the case list page.
LIST_LIMIT = 500


class CaseRow(BaseModel):
    case: NodeRef
    unit: NodeRef
    category: str | None = None
    occurred_on: str | None = None


class CaseList(BaseModel):
    total: int
    items: list[CaseRow]


def _order(row: CaseRow) -> tuple[str, str]:
    # Newest first; undated cases last; ties by uid (stable across stores).
    return (row.occurred_on or "0000-00-00", row.case.uid)


def cases_in_subtree(store: GraphStore, unit_uid: str, *, limit: int = 10) -> CaseList:
    """Cases that occurred in ``unit_uid`` or any unit below it, newest first."""
    rows: list[CaseRow] = []
    db = neo4j(store)
    if db is not None:
        for r in db.read(_CASES, {"uid": unit_uid}):
            rows.append(CaseRow(
                case=NodeRef(uid=r["uid"], label="Case", id=r["id"], caption=r["title"] or r["id"]),
                unit=NodeRef(uid=r["unit_uid"], label="Unit", id=r["unit_id"],
                             caption=r["unit_name"] or r["unit_id"]),
                category=r["category"], occurred_on=r["occurred_on"]))
    else:
        g = embedded(store).graph
        for u in subtree_uids(store, unit_uid):
            unit = _ref(g, u)
            for src, _, attrs in g.in_edges(u, data=True):
                if attrs["type"] == "OCCURRED_IN":
                    a = g.nodes[src]
                    rows.append(CaseRow(case=_ref(g, src), unit=unit,
                                        category=a.get("category"),
                                        occurred_on=a.get("occurred_on")))
    rows.sort(key=_order, reverse=True)
    return CaseList(total=len(rows), items=rows[:limit])


def _ref(g: Any, uid: str) -> NodeRef:
    a = g.nodes[uid]
    caption = a.get("title") if a["label"] == "Case" else a.get("name")
    return NodeRef(uid=uid, label=a["label"], id=a["id"], caption=caption or a["id"])


@router.get("/cases", response_class=HTMLResponse)
@page
def case_list_page(request: Request, user_scope: ReadScope,
                   unit: Annotated[str, Query(max_length=100)]) -> Response:
    store = get_store(request)
    root = NodeRef.of(resolve(store, unit.strip(), ("Unit",)))
    cases = cases_in_subtree(store, root.uid, limit=LIST_LIMIT)
    stats = accountability_stats(store, unit=root.uid, scope=user_scope)
    title = f"{translate('ui.cases_title', request_lang(request))} · {root.caption}"
    return render(request, "cases.html", title=title, scope=root, cases=cases, stats=stats,
                  stat_years=_stat_years(stats))


def _stat_years(stats: AccountabilityStats) -> list[dict[str, Any]]:
    """One row per year: persons (人次) and organisations (个) side by side, never summed."""
    persons = {y.year: y for y in stats.persons.by_year}
    orgs = {y.year: y for y in stats.organisations.by_year}
    return [{"year": year, "persons": persons.get(year), "orgs": orgs.get(year)}
            for year in sorted(persons.keys() | orgs.keys())]
