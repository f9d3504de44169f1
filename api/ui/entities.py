"""Pages of single nodes: a unit (its four holders), a person, an issue (its responsibility
chain), a case (trace-back with the accountability gaps) and any other node."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.ui import weak
from api.ui.i18n import Translator
from api.ui.render import get_store, page, render, request_lang
from graph.errors import NotFound
from graph.queries.common import parse_date, resolve
from graph.queries.holders import unit_holders, unit_overview
from graph.queries.loops import open_loops
from graph.schema import SCHEMA, split_uid, uid_of

router = APIRouter(include_in_schema=False)

AsOf = Annotated[str, Query(max_length=10, description="YYYY-MM-DD")]
#: Loops and findings shown on a unit page; the dashboards list them all.
UNIT_PAGE_ITEMS = 10


@router.get("/units/{unit_id}", response_class=HTMLResponse)
@page
def unit_page(request: Request, unit_id: str, as_of: AsOf = "") -> Response:
    store = get_store(request)
    day = parse_date(as_of)
    holders = unit_holders(store, uid_of("Unit", unit_id), as_of=day, up=True)
    uid = holders.unit.unit.uid
    overview = unit_overview(store, uid)
    loops = open_loops(store, unit=uid, as_of=day, limit=UNIT_PAGE_ITEMS)
    t = Translator(request_lang(request))
    findings, health = weak.for_unit(store, uid, limit=UNIT_PAGE_ITEMS, lang=t.lang)
    return render(request, "unit.html", title=holders.unit.unit.caption, holders=holders,
                  overview=overview, loops=loops, findings=findings, health=health,
                  as_of_param=day or "")


@router.get("/nodes/{uid}", response_class=HTMLResponse)
@page
def node_page(request: Request, uid: str) -> Response:
    """Any node: its properties and relationships (duties, projects, records, ...)."""
    store = get_store(request)
    node = resolve(store, uid)
    kind = SCHEMA.node(node.label)
    t = Translator(request_lang(request))
    props = [
        (t.prop(node.label, p.name), t.prop_value(node.label, p.name, node.props.get(p.name)))
        for p in kind.properties if node.props.get(p.name) not in (None, "")
    ]
    rels = _relationships(store, node.uid)
    return render(request, "node.html", title=node.caption, node=node, props=props, rels=rels)


def _relationships(store: Any, uid: str, limit: int = 300) -> list[dict[str, Any]]:
    rows = []
    for n in store.neighbours(uid, limit=limit):
        rows.append({"type": n.type, "direction": n.direction, "props": dict(n.props),
                     "node": {"uid": n.node.uid, "label": n.node.label, "id": n.node.id,
                              "caption": n.node.caption}})
    return rows


def check_kind(uid: str, label: str) -> None:
    """NotFound unless ``uid`` is a node of kind ``label`` (for the typed page routes)."""
    if split_uid(uid)[0] != label:
        raise NotFound(label, uid)
