"""The dashboards for a unit subtree: open loops (with a page per item saying why it is
open) and weak links (findings, health scores)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.i18n import Translator, translate
from api.security.policy import AnalyticsScope, ReadScope
from api.ui import weak
from api.ui.names import FieldInput, read_field, resolve_input
from api.ui.pages import pilot_units
from api.ui.render import get_store, page, render, request_lang
from graph.errors import InvalidArgument
from graph.messages import Message
from graph.queries.common import as_of_or_today, parse_date
from graph.queries.loops import LOOP_KINDS, MAX_LIMIT, OpenLoop, OpenLoops, open_loops
from graph.queries.models import NodeRef
from graph.scope import Scope
from graph.store.base import GraphStore

router = APIRouter(include_in_schema=False)

UnitParam = Annotated[str, Query(max_length=100)]
DateParam = Annotated[str, Query(max_length=10)]
KindParam = Annotated[str, Query(max_length=40)]
SeverityParam = Annotated[str, Query(max_length=10)]
#: The severities of the weak-link findings, most severe first.
SEVERITIES = ("high", "medium", "low")
#: Rows a dashboard lists (the rest are counted, not shown).
DASHBOARD_ROWS = 1000


def loop_kind(kind: str) -> str:
    """A loop kind from a form, validated (empty: every kind)."""
    kind = kind.strip()
    if kind and kind not in LOOP_KINDS:
        raise InvalidArgument("kind", Message("reason.one_of", expected=", ".join(LOOP_KINDS)))
    return kind


def finding_severity(severity: str) -> str:
    """A findings' severity from a link or form, validated (empty: every severity)."""
    severity = severity.strip()
    if severity and severity not in SEVERITIES:
        raise InvalidArgument("severity", Message("reason.one_of", expected=", ".join(SEVERITIES)))
    return severity


def loops_data(store: GraphStore, scope: Scope, field: FieldInput, as_of: str,
               kind: str, limit: int = DASHBOARD_ROWS) -> OpenLoops:
    """The open loops a loops page (and its export) shows."""
    kind = loop_kind(kind)
    return open_loops(store, unit=field.ref.uid if field.ref else None,
                      as_of=parse_date(as_of), kinds=[kind] if kind else None,
                      limit=limit, scope=scope)


@router.get("/loops", response_class=HTMLResponse)
@page
def loops_page(request: Request, user_scope: ReadScope, unit: UnitParam = "",
               as_of: DateParam = "", kind: KindParam = "") -> Response:
    store = get_store(request)
    lang = request_lang(request)
    field = read_field(store, unit, ("Unit",), scope=user_scope, lang=lang)
    loops = None if field.failed else loops_data(store, user_scope, field, as_of, kind)
    title = translate("ui.loops_title", lang) + (f" · {field.ref.caption}" if field.ref else "")
    return render(request, "loops.html", status=field.status, title=title, loops=loops,
                  scope=field.ref, field=field, kind_names=LOOP_KINDS, kind_param=kind.strip(),
                  as_of_param=parse_date(as_of) or "", show_as_of=True,
                  pilots=pilot_units(store, user_scope))



def _safe_back(back: str) -> str:
    """A link back within this server (a path, never another site)."""
    return back if back.startswith("/") and not back.startswith("//") else ""


def loop_item(store: GraphStore, scope: Scope, uid: str, kind: str, unit: str,
              as_of: str) -> tuple[NodeRef, OpenLoop | None, str]:
    """(the node, its open loop of ``kind`` as of the date or None when closed, the date)."""
    kind = loop_kind(kind)
    if not kind:
        raise InvalidArgument("kind", Message("reason.required"))
    node = resolve_input(store, uid, scope=scope)
    day = as_of_or_today(as_of)
    loops = open_loops(store, unit=unit or None, as_of=day, kinds=[kind], limit=MAX_LIMIT,
                       scope=scope)
    item = next((it for it in loops.items if it.node.uid == node.uid), None)
    return node, item, day


@router.get("/loops/item", response_class=HTMLResponse)
@page
def loop_item_page(request: Request, user_scope: ReadScope,
                   node: Annotated[str, Query(max_length=200)],
                   kind: KindParam, unit: UnitParam = "", as_of: DateParam = "",
                   back: Annotated[str, Query(max_length=500)] = "") -> Response:
    """One open loop: why it is open, since when, how late, who must act; a way back."""
    store = get_store(request)
    t = Translator(request_lang(request))
    ref, item, day = loop_item(store, user_scope, node.strip(), kind, unit.strip(), as_of)
    props = dict(store.get_node(ref.uid).props)  # type: ignore[union-attr]
    since = props.get("found_on") if ref.label == "Issue" else (item.due_on if item else None)
    open_days = _days_between(since, day)
    back_url = _safe_back(back) or _loops_url(unit.strip(), parse_date(as_of))
    kind_name = t.text(LOOP_KINDS[kind.strip()])
    title = f"{kind_name} · {ref.caption}"
    return render(request, "loop_item.html", title=title, ref=ref, item=item,
                  kind=kind.strip(), kind_name=kind_name, as_of_day=day, since=since,
                  open_days=open_days, props=props, back_url=back_url)


def _loops_url(unit: str, as_of: str | None) -> str:
    from api.ui.links import with_params

    return with_params("/loops", {"unit": unit, "as_of": as_of})


def _days_between(start: Any, end: str) -> int | None:
    """Whole days from ``start`` to ``end`` (ISO dates), None when ``start`` is not dated."""
    try:
        return (dt.date.fromisoformat(end) - dt.date.fromisoformat(str(start))).days
    except (TypeError, ValueError):
        return None


def weak_data(request: Request, store: GraphStore, scope: Scope, field: FieldInput,
              deducted: bool, t: Translator, severity: str = ""
              ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(findings, health rows) of a weak-links page, as ``scope`` sees them; ``deducted``:
    only units that lost points; ``severity``: only the findings of that severity."""
    severity = finding_severity(severity)
    findings, health_rows = weak.for_subtree(
        request, store, field.ref.uid if field.ref else None, t, scope)
    if severity:
        findings = [f for f in findings if f["severity"] == severity]
    if deducted:
        health_rows = [h for h in health_rows if h["reasons"]]
    return findings, health_rows


@router.get("/weak-links", response_class=HTMLResponse)
@page
def weak_page(request: Request, user_scope: AnalyticsScope, unit: UnitParam = "",
              deducted: bool = False, severity: SeverityParam = "") -> Response:
    store = get_store(request)
    t = Translator(request_lang(request))
    field = read_field(store, unit, ("Unit",), scope=user_scope, lang=t.lang)
    findings: list[dict[str, Any]] = []
    health_rows: list[dict[str, Any]] = []
    if not field.failed:
        findings, health_rows = weak_data(request, store, user_scope, field, deducted, t,
                                          severity)
    title = translate("ui.weak_title", t.lang) + (f" · {field.ref.caption}" if field.ref else "")
    return render(request, "weak.html", status=field.status, title=title, findings=findings,
                  health_rows=health_rows, scope=field.ref, field=field, deducted=deducted,
                  severity=severity.strip(),
                  show_as_of=False, pilots=pilot_units(store, user_scope))

