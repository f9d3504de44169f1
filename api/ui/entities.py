"""Pages of single nodes: a unit (its four holders), a person, an issue (its responsibility
chain), a case (trace-back with the accountability gaps) and any other node."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.i18n import Translator
from api.routes.analytics import get_config
from api.security.policy import ReadScope
from api.ui import mechanism
from api.ui.render import get_store, page, render, request_lang
from graph.analytics.config import AnalyticsConfig
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


def unit_page_data(store: GraphStore, unit_id: str, day: str | None, scope: Scope,
                   cfg: AnalyticsConfig) -> dict[str, Any]:
    """Everything the unit page shows of the unit ``unit_id`` (id or uid): its holders (with
    the units above), overview, open loops, cases, and its assessment, risk and decision
    sections (bench/queries.py times this as ``unit_page``)."""
    holders = unit_holders(store, uid_of("Unit", unit_id), as_of=day, up=True, scope=scope)
    uid = holders.unit.unit.uid
    return {"holders": holders, "overview": unit_overview(store, uid, scope=scope),
            "loops": open_loops(store, unit=uid, as_of=day, limit=UNIT_PAGE_ITEMS, scope=scope),
            "cases": cases_in_subtree(store, uid, limit=UNIT_PAGE_ITEMS, scope=scope),
            **mechanism.unit_sections(store, uid, day, scope, cfg)}


def person_page_data(store: GraphStore, person_id: str, day: str | None, scope: Scope,
                     cfg: AnalyticsConfig) -> dict[str, Any]:
    """Everything the person page shows: the profile, assessments and controls owned
    (bench/queries.py times this as ``person_page``)."""
    profile = person_profile(store, uid_of("Person", person_id), as_of=day, scope=scope)
    return {"profile": profile,
            **mechanism.person_sections(store, profile.person.uid, day, scope, cfg)}


@router.get("/units/{unit_id}", response_class=HTMLResponse)
@page
def unit_page(request: Request, scope: ReadScope, unit_id: str, as_of: AsOf = "") -> Response:
    day = parse_date(as_of)
    data = unit_page_data(get_store(request), unit_id, day, scope, get_config(request))
    return render(request, "unit.html", title=data["holders"].unit.unit.caption,
                  as_of_param=day or "", **data)


@router.get("/people/{person_id}", response_class=HTMLResponse)
@page
def person_page(request: Request, scope: ReadScope, person_id: str, as_of: AsOf = "") -> Response:
    day = parse_date(as_of)
    data = person_page_data(get_store(request), person_id, day, scope, get_config(request))
    return render(request, "person.html", title=data["profile"].person.caption,
                  as_of_param=day or "", **data)


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
