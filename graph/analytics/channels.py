"""Coverage weak links beyond ``V_COVERAGE_GAP``: units outside every supervision channel
(巡察, 派驻, 监察: the rule of :mod:`graph.coverage`, shared with the coverage query), and
inspection findings whose rectification never reached the lists.

* ``V_OUTSIDE_ALL_CHANNELS`` — a unit (level ≥ ``coverage_min_level``, not of an exempt
  kind) that no channel applying to it covers as of the date: no inspection of a channel's
  kinds within ``coverage_window_years`` and no supervision in a channel's modes.
* ``V_FINDING_NOT_LISTED`` — an issue an inspection found (``FOUND``), at least
  ``finding_list_days`` old and no longer open, that no project ``ADDRESSES`` and no duty
  is ``DERIVED_FROM``: its rectification never became a list item or a project. Open ones
  without a project are ``V_ISSUE_NO_PROJECT``.

Examples
--------
>>> import networkx as nx
>>> from graph.analytics.config import AnalyticsConfig
>>> from graph.analytics.index import GraphIndex
>>> G = nx.MultiDiGraph()
>>> G.add_node("unit:U", label="Unit", id="U", name="某局", kind="department", level=2)
>>> ix = GraphIndex.build(G, "2024-06-30")
>>> [f.code for f in check_outside_channels(ix, AnalyticsConfig(), None)]
['V_OUTSIDE_ALL_CHANNELS']
"""

from __future__ import annotations

import datetime as dt

from graph.analytics.assessment import Scope, edges, wanted
from graph.analytics.config import AnalyticsConfig
from graph.analytics.findings import Finding
from graph.analytics.index import GraphIndex
from graph.assessment import years_before
from graph.coverage import Visit, channels_of
from graph.messages import N_, Bilingual, Message
from graph.schema import SCHEMA

#: Issue statuses that are still open (``V_ISSUE_NO_PROJECT`` reports those).
OPEN = {None, "", "open", "rectifying", "overdue"}
#: Channel names as the explanations say them (catalogue codes).
CHANNEL_NAMES = {"inspection": N_("channel.inspection"), "stationed": N_("channel.stationed"),
                 "supervision": N_("channel.supervision")}


def unit_channels(ix: GraphIndex, cfg: AnalyticsConfig, unit: str) -> dict[str, bool | None]:
    """Per configured channel: does it cover ``unit`` as of the index's date (None: it does
    not apply to the unit's kind)."""
    visits: list[Visit] = []
    for ins in ix.coverage.get(unit, ()):
        a = ix.attrs(ins)
        visits.append((a.get("kind"), a.get("started_on"), a.get("ended_on")))
    modes = [a.get("mode") for _, a in edges(ix.G.pred, unit, "SUPERVISES")]
    start = years_before(ix.as_of, cfg.coverage_window_years)
    return channels_of(cfg.coverage_channels, ix.kind(unit), visits, modes, start, ix.as_of)


def _names(channels: list[str]) -> list[object]:
    return [Message(CHANNEL_NAMES[c]) if c in CHANNEL_NAMES else c for c in channels]


def check_outside_channels(ix: GraphIndex, cfg: AnalyticsConfig,
                           scope: Scope) -> list[Finding]:
    """V_OUTSIDE_ALL_CHANNELS (see the module docstring)."""
    exempt = set(cfg.coverage_exempt_kinds)
    ok = wanted(scope)
    out = []
    for u in ix.units:
        if ok is not None and u not in ok:
            continue
        if ix.kind(u) in exempt or int(ix.attrs(u).get("level") or 0) < cfg.coverage_min_level:
            continue
        status = unit_channels(ix, cfg, u)
        applicable = [c for c, v in status.items() if v is not None]
        if not applicable or any(status[c] for c in applicable):
            continue
        years = cfg.coverage_window_years
        out.append(Finding.make(
            "V_OUTSIDE_ALL_CHANNELS", "high", [u], unit=u,
            evidence={"channels": status, "window_years": years,
                      "window_start": years_before(ix.as_of, years)},
            explanation=Message("explain.V_OUTSIDE_ALL_CHANNELS", unit=ix.caption(u),
                                years=years, channels=_names(applicable))))
    return out


def check_finding_not_listed(ix: GraphIndex, cfg: AnalyticsConfig,
                             scope: Scope) -> list[Finding]:
    """V_FINDING_NOT_LISTED (see the module docstring)."""
    latest = (dt.date.fromisoformat(ix.as_of[:10])
              - dt.timedelta(days=cfg.finding_list_days)).isoformat()
    ok = wanted(scope)
    out = []
    for i in ix.issues:
        a = ix.attrs(i)
        found = a.get("found_on")
        if a.get("status") in OPEN or (found and str(found) > latest):
            continue
        inspections = sorted(x for x, _ in edges(ix.G.pred, i, "FOUND"))
        if not inspections or ix.issue_projects.get(i):
            continue
        if any(True for _ in edges(ix.G.pred, i, "DERIVED_FROM")):
            continue
        unit = ix.issue_unit.get(i)
        if ok is not None and (unit is None or unit not in ok):
            continue
        name: object = ix.caption(unit) if unit else Message("explain.unknown_unit")
        title, by = ix.caption(i), ix.caption(inspections[0])
        status = SCHEMA.enum("issue_status").value(str(a.get("status")))
        out.append(Finding.make(
            "V_FINDING_NOT_LISTED", "medium", [i, *inspections] + ([unit] if unit else []),
            unit=unit,
            evidence={"found_on": found, "status": a.get("status"), "inspections": inspections,
                      "window_days": cfg.finding_list_days},
            explanation=Message("explain.V_FINDING_NOT_LISTED", by=by, unit=name, title=title,
                                found=found or Message("explain.unknown_date"),
                                status=Bilingual(status.zh, status.en))))
    return out


#: Registered with the vertical checks (graph/analytics/vertical.py).
CHECKS = (check_outside_channels, check_finding_not_listed)
