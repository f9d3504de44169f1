"""The home page: an inspector's workbench. What needs attention in the user's scope (open
loops, recent cases; for the roles that see the analysis, the weak links and the health of
the units), each count a link to the list it counts, and two small charts (accountability
by year and form, the distribution of health scores) drawn as SVG on the server.

The weak-link analysis reads the whole scope and may take seconds when cold: that part
arrives as a fragment after the page, as on a unit's page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.i18n import Translator
from api.security.policy import AnalyticsScope, ReadScope
from api.ui.charts import Series, stacked_bars
from api.ui.pages import pilot_units
from api.ui.render import environment, get_store, page, render, request_lang
from api.ui.weak import scoped_report
from graph.messages import N_
from graph.queries.cases import cases_in_subtree
from graph.queries.holders import unit_holders
from graph.queries.loops import LOOP_KINDS, open_loops
from graph.queries.models import NodeRef
from graph.queries.stats import accountability_stats
from graph.scope import Scope
from graph.store.base import GraphStore

router = APIRouter(include_in_schema=False)

#: Items of each list the workbench shows (the counts cover them all).
TOP = 5
#: The forms' colours in the accountability chart (and "not given").
FORM_COLORS = {"1": "#5b8c5a", "2": "#d4a017", "3": "#c96a14", "4": "#9b1c1c",
               "unknown": "#8c96a0"}
#: Health score bands of the distribution chart: (lowest score, label code).
HEALTH_BANDS = ((100, N_("ui.health_band_full")), (90, N_("ui.health_band_90")),
                (80, N_("ui.health_band_80")), (70, N_("ui.health_band_70")),
                (0, N_("ui.health_band_low")))


def home_units(store: GraphStore, scope: Scope) -> list[NodeRef]:
    """The units the workbench counts from: the roots of the user's scope, or for a user who
    sees everything the top of the chain above the pilot units (the city)."""
    if not scope.everything:
        return sorted((NodeRef.of(n) for uid in scope.roots or ()
                       if (n := store.get_node(uid)) is not None), key=lambda r: r.uid)

    def top() -> list[NodeRef]:
        for pilot in pilot_units(store):
            chain = unit_holders(store, pilot["uid"], up=True).ancestors
            return [chain[-1].unit.unit if chain else NodeRef.model_validate(
                {k: pilot[k] for k in ("uid", "label", "id", "caption")})]
        return []

    return store.derived.get(("home-units",), top)


def recent_cases(store: GraphStore, units: list[NodeRef], scope: Scope) -> dict[str, Any]:
    """The newest cases under the home units, and how many each has."""
    items: list[Any] = []
    totals = []
    for unit in units:
        found = cases_in_subtree(store, unit.uid, limit=TOP, scope=scope)
        items.extend(found.items)
        totals.append({"unit": unit, "total": found.total})
    items.sort(key=lambda c: (c.occurred_on or "", c.case.uid), reverse=True)
    return {"items": items[:TOP], "totals": totals}


def accountability_chart(store: GraphStore, scope: Scope, t: Translator) -> Any:
    """Person-times (人次) held accountable per year, stacked by the four forms."""
    stats = accountability_stats(store, scope=scope).persons
    years = sorted({b.year for b in stats.by_year_form})
    if not years:
        return None
    counts: dict[tuple[int, str], int] = {}
    for b in stats.by_year_form:
        key = (b.year, b.code if b.code in FORM_COLORS else "unknown")
        counts[key] = counts.get(key, 0) + b.count
    series = []
    for code, color in FORM_COLORS.items():
        values = [counts.get((y, code), 0) for y in years]
        if any(values):
            name = t.text(N_("ui.form_unknown")) if code == "unknown" else \
                t.text(FORM_CODES[code])
            series.append(Series(name, color, values))
    description = t.text(N_("punct.group_sep")).join(
        f"{y}{t.text('punct.colon')}" + t.text(N_("punct.list_sep")).join(
            f"{s.name} {s.values[i]}" for s in series if s.values[i])
        for i, y in enumerate(years))
    return stacked_bars([str(y) for y in years], series, description=description,
                        title=t.text(N_("ui.chart_accountability")), testid="chart-accountability")


FORM_CODES = {"1": N_("ui.form_1"), "2": N_("ui.form_2"), "3": N_("ui.form_3"),
              "4": N_("ui.form_4")}


@router.get("/", response_class=HTMLResponse)
@page
def home(request: Request, scope: ReadScope) -> Response:
    store = get_store(request)
    t = Translator(request_lang(request))
    units = home_units(store, scope)
    loops = open_loops(store, scope=scope, limit=TOP)
    return render(request, "home.html", units=units, loops=loops, kind_names=LOOP_KINDS,
                  cases=recent_cases(store, units, scope),
                  chart=accountability_chart(store, scope, t),
                  # The size of the whole graph, for those who see all of it.
                  counts=store.counts() if scope.everything else None,
                  pilots=pilot_units(store, scope))


def health_chart(rows: list[Any], t: Translator) -> Any:
    """How many units score in each band."""
    counts = [0] * len(HEALTH_BANDS)
    for h in rows:
        score = float(h.score)
        index = next(i for i, (low, _) in enumerate(HEALTH_BANDS) if score >= low)
        counts[index] += 1
    names = [t.text(code) for _, code in HEALTH_BANDS]
    description = t.text(N_("punct.list_sep")).join(f"{n} {c}" for n, c in zip(names, counts,
                                                                          strict=True))
    return stacked_bars(names, [Series(t.text(N_("ui.units_count")), "#2471a3", counts)],
                        title=t.text(N_("ui.chart_health")), description=description,
                        testid="chart-health", height=210)


@router.get("/fragments/home-analytics", response_class=HTMLResponse)
@page
def home_analytics(request: Request, scope: AnalyticsScope) -> Response:
    """The workbench's weak links and health (fetched after the page: the analysis)."""
    store = get_store(request)
    t = Translator(request_lang(request))
    report = scoped_report(request, store, scope)
    severities = {s: sum(1 for f in report.findings if f.severity == s)
                  for s in ("high", "medium", "low")}
    deducted = sum(1 for h in report.health if any(d.points > 0 for d in h.deductions))
    weakest = sorted(report.health, key=lambda h: (h.score, h.uid))[:TOP]
    body = environment(t.lang).get_template("_home_analytics.html").render(
        request=request, t=t, lang=t.lang, severities=severities, deducted=deducted,
        units=len(report.health), weakest=weakest, chart=health_chart(report.health, t),
        link_as_of=None)
    return HTMLResponse(body)
