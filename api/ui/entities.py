"""Pages of single nodes: a unit (its four holders), a person, an issue (its responsibility
chain), a case (trace-back with the accountability gaps) and any other node."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.i18n import Translator
from api.security.policy import ReadScope
from api.ui import mechanism
from api.ui.render import get_store, page, render, request_lang
from graph.history.facts import FactKey
from graph.history.provenance import Provenance, provenance_of
from graph.queries.cases import cases_in_subtree
from graph.queries.chain import case_trace, issue_chain
from graph.queries.common import parse_date, resolve
from graph.queries.holders import unit_holders, unit_overview
from graph.queries.loops import open_loops
from graph.queries.person import person_profile
from graph.schema import SCHEMA, uid_of
from graph.scope import Scope
from graph.store.base import GraphStore

router = APIRouter(include_in_schema=False)

AsOf = Annotated[str, Query(max_length=10, description="YYYY-MM-DD")]
#: Loops and findings shown on a unit page; the dashboards list them all.
UNIT_PAGE_ITEMS = 10


@router.get("/units/{unit_id}", response_class=HTMLResponse)
@page
def unit_page(request: Request, scope: ReadScope, unit_id: str, as_of: AsOf = "") -> Response:
    store = get_store(request)
    day = parse_date(as_of)
    holders = unit_holders(store, uid_of("Unit", unit_id), as_of=day, up=True, scope=scope)
    uid = holders.unit.unit.uid
    overview = unit_overview(store, uid, scope=scope)
    loops = open_loops(store, unit=uid, as_of=day, limit=UNIT_PAGE_ITEMS, scope=scope)
    cases = cases_in_subtree(store, uid, limit=UNIT_PAGE_ITEMS, scope=scope)
    return render(request, "unit.html", title=holders.unit.unit.caption, holders=holders,
                  overview=overview, loops=loops, cases=cases, as_of_param=day or "",
                  **mechanism.unit_sections(request, store, uid, day, scope))


@router.get("/people/{person_id}", response_class=HTMLResponse)
@page
def person_page(request: Request, scope: ReadScope, person_id: str, as_of: AsOf = "") -> Response:
    store = get_store(request)
    day = parse_date(as_of)
    profile = person_profile(store, uid_of("Person", person_id), as_of=day, scope=scope)
    return render(request, "person.html", title=profile.person.caption, profile=profile,
                  as_of_param=day or "",
                  **mechanism.person_sections(request, store, profile.person.uid, day, scope))


@router.get("/issues/{issue_id}", response_class=HTMLResponse)
@page
def issue_page(request: Request, scope: ReadScope, issue_id: str) -> Response:
    store = get_store(request)
    chain = issue_chain(store, uid_of("Issue", issue_id), scope=scope)
    shown = {chain.issue.uid} | {link.holder.uid for link in chain.links if link.holder}
    related = [r for r in _relationships(store, chain.issue.uid, scope)[0]
               if r["node"]["uid"] not in shown]
    return render(request, "issue.html", title=chain.issue.caption, chain=chain,
                  related=related)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
@page
def case_page(request: Request, scope: ReadScope, case_id: str) -> Response:
    store = get_store(request)
    trace = case_trace(store, uid_of("Case", case_id), scope=scope)
    return render(request, "case.html", title=trace.case.caption, trace=trace)


@router.get("/nodes/{uid}", response_class=HTMLResponse)
@page
def node_page(request: Request, scope: ReadScope, uid: str) -> Response:
    """Any node: its properties and relationships (duties, projects, records, ...)."""
    store = get_store(request)
    node = resolve(store, uid, scope=scope)
    kind = SCHEMA.node(node.label)
    t = Translator(request_lang(request))
    props = [
        (t.prop(node.label, p.name), t.prop_value(node.label, p.name, node.props.get(p.name)))
        for p in kind.properties if node.props.get(p.name) not in (None, "")
    ]
    rels, provenance = _relationships(store, node.uid, scope)
    # An inspection run by several units (a 巡察组's committee with the discipline body).
    organisers = [r["node"] for r in rels
                  if r["type"] == "CONDUCTED_BY" and r["direction"] == "out"]
    return render(request, "node.html", title=node.caption, node=node, props=props, rels=rels,
                  organisers=organisers,
                  provenance=provenance)


def _relationships(store: GraphStore, uid: str, scope: Scope, limit: int = 300,
                   ) -> tuple[list[dict[str, Any]], Provenance | None]:
    """The node's relationships to what the user may see (in outline above the scope),
    the first ``limit`` of them, and the node's own provenance (read with theirs, in one
    round trip)."""
    neighbours = store.neighbours(uid, limit=limit if scope.everything else None)
    if not scope.everything:
        others = {n.node.uid for n in neighbours}
        shown = store.reads.visible(others, scope) | store.reads.outline(others, scope)
        neighbours = [n for n in neighbours if n.node.uid in shown][:limit]
    keys: list[FactKey] = [(n.type, uid, n.node.uid, n.key) if n.direction == "out"
                           else (n.type, n.node.uid, uid, n.key) for n in neighbours]
    found = provenance_of(store, [uid, *keys])
    rows = []
    for n, key in zip(neighbours, keys, strict=True):
        rows.append({"type": n.type, "direction": n.direction, "props": dict(n.props),
                     "node": {"uid": n.node.uid, "label": n.node.label, "id": n.node.id,
                              "caption": n.node.caption},
                     "provenance": found.get(key)})
    return rows, found.get(uid)
