"""Weak-link findings and health scores for the pages, from :mod:`graph.analytics`.

An analysis reads the whole graph and takes seconds, so the pages share the API's reports
(:func:`graph.analytics.report.cached_report`): the whole graph is analysed once per date
and data version, and a unit's page lists the findings that belong to its subtree. The unit
page and the graph load them after the page itself (fragment and JSON endpoints below), so
they never wait for a cold analysis.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.i18n import Translator, translate
from api.routes.analytics import get_config
from api.security.policy import AnalyticsScope
from api.ui.render import environment, get_store, page, request_lang
from graph.analytics import CODES
from graph.analytics.report import Report, cached_report
from graph.queries.common import as_of_or_today, resolve
from graph.queries.subtree import subtree_uids
from graph.schema import split_uid
from graph.scope import Scope
from graph.store.base import GraphStore

router = APIRouter(include_in_schema=False)

#: Findings a unit page shows; the weak-links dashboard lists them all.
UNIT_PAGE_FINDINGS = 10


def scoped_report(request: Request, store: GraphStore, scope: Scope) -> Report:
    """The analysis of what ``scope`` shows as of today (cached per data version and scope,
    shared with the JSON API)."""
    return cached_report(store, as_of=as_of_or_today(None), config=get_config(request),
                         scope=scope)


def _ref(store: GraphStore, uid: str, captions: dict[str, str]) -> dict[str, Any]:
    label, node_id = split_uid(uid)
    if uid not in captions:
        node = store.get_node(uid)
        captions[uid] = node.caption if node is not None else node_id
    return {"uid": uid, "label": label, "id": node_id, "caption": captions[uid]}


def finding_rows(store: GraphStore, report: Report, units: frozenset[str] | None,
                 limit: int | None = None) -> list[dict[str, Any]]:
    """Findings of the units in ``units`` (all when None), most severe first, for tables."""
    captions: dict[str, str] = {}
    rows = []
    for f in report.findings:
        if units is not None and f.unit not in units:
            continue
        rows.append({
            "code": f.code, "name": CODES[f.code].message, "severity": f.severity,
            "axis": f.axis, "explanation": f.explanation,
            "refs": [_ref(store, uid, captions) for uid in f.ids[:4]],
        })
        if limit is not None and len(rows) >= limit:
            break
    return rows


def _points(value: float) -> str:
    return f"{value:g}"


def health_rows(report: Report, units: frozenset[str] | None, t: Translator
                ) -> list[dict[str, Any]]:
    """Units of the scope, weakest first, with the reasons their score was lowered."""
    out = []
    for h in report.health:
        if units is not None and h.uid not in units:
            continue
        label, node_id = split_uid(h.uid)
        # One reason per code, with how often and how many points in all.
        points: dict[str, float] = {}
        times: dict[str, int] = {}
        for d in h.deductions:
            if d.points > 0:
                points[d.code] = points.get(d.code, 0.0) + d.points
                times[d.code] = times.get(d.code, 0) + 1
        reasons = [
            t.said(CODES[c].message)
            + (translate("ui.times", t.lang, n=times[c]) if times[c] > 1 else "")
            + translate("ui.points_lost", t.lang, n=_points(points[c]))
            for c in sorted(points, key=lambda c: -points[c])
        ]
        out.append({"unit": {"uid": h.uid, "label": label, "id": node_id,
                             "caption": h.caption},
                    "score": f"{h.score:g}", "reasons": reasons})
    return out


def for_subtree(request: Request, store: GraphStore, unit_uid: str | None, t: Translator,
                scope: Scope) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(findings, health rows) for a subtree, or all the scope shows (waits for the
    analysis)."""
    report = scoped_report(request, store, scope)
    units = subtree_uids(store, unit_uid) if unit_uid else None
    return finding_rows(store, report, units), health_rows(report, units, t)


def weak_marks(report: Report | None) -> dict[str, list[Any]]:
    """What the graph draws as weak: each finding's main node, and its links to the other
    nodes the finding concerns (a bridge's two ends, a referral's sender and recipient)."""
    if report is None:
        return {"nodes": [], "pairs": []}
    nodes: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for f in report.findings:
        if not f.ids:
            continue
        main = f.ids[0]
        nodes.add(main)
        for other in f.ids[1:]:
            pairs.add((min(main, other), max(main, other)))
    return {"nodes": sorted(nodes), "pairs": [list(p) for p in sorted(pairs)]}


@router.get("/fragments/unit-findings", response_class=HTMLResponse)
@page
def unit_findings_fragment(
    request: Request, scope: AnalyticsScope, unit: Annotated[str, Query(max_length=100)]
) -> Response:
    """The findings and health score of a unit page (fetched after the page loads)."""
    store = get_store(request)
    root = resolve(store, unit, ("Unit",), scope=scope)
    report = scoped_report(request, store, scope)
    units = subtree_uids(store, root.uid)
    t = Translator(request_lang(request))
    findings = finding_rows(store, report, units, limit=UNIT_PAGE_FINDINGS)
    total = sum(1 for f in report.findings if f.unit in units)
    mine = health_rows(report, frozenset({root.uid}), t)
    body = environment(t.lang).get_template("_unit_findings.html").render(
        request=request, t=t, lang=t.lang, findings=findings, total=total,
        health=mine[0] if mine else None, unit=root)
    return HTMLResponse(body)


@router.get("/fragments/weak-marks")
@page
def weak_marks_json(request: Request, scope: AnalyticsScope) -> Response:
    """Weak nodes and links for the graph (waits for the analysis once, then cached)."""
    store = get_store(request)
    return JSONResponse(weak_marks(scoped_report(request, store, scope)))

