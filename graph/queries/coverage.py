"""Coverage by channel (巡察, 派驻, 监察 "三个全覆盖") of a subtree, as of a date and per term.

:func:`coverage` counts, for the units of a subtree (level ≥ ``coverage_min_level``, not of
an exempt kind: the units ``V_COVERAGE_GAP`` checks), how many each channel applies to and
covers — within the rolling window of ``coverage_window_years`` before the date, and within
each term (届) up to it — as percentages, and lists the units a channel leaves out and
those outside every channel (``V_OUTSIDE_ALL_CHANNELS``). The rule is
:mod:`graph.coverage`'s, read with the analytics configuration.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from graph.analytics.config import AnalyticsConfig
from graph.assessment import years_before
from graph.coverage import Visit, channels_of, terms_until
from graph.dates import as_of_or_today
from graph.errors import NotFound
from graph.queries.common import ref_of, uid_for
from graph.queries.models import NodeRef
from graph.schema import split_uid
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore

#: Units listed as left out (the counts cover all).
UNCOVERED_CAP = 500


class ChannelCoverage(BaseModel):
    """One channel over the units it applies to."""

    channel: str
    applicable: int
    covered: int
    #: ``covered / applicable`` in percent (``None`` when it applies to no unit).
    percent: float | None


class TermCoverage(BaseModel):
    """The channels over one term (届): covered by an inspection within the term (up to the
    date for the current one), or by standing supervision."""

    start: str
    end: str
    channels: list[ChannelCoverage]


class UncoveredUnit(BaseModel):
    unit: NodeRef
    kind: str | None
    level: int | None
    #: Channel -> covered (True), not covered (False), not applicable (None).
    channels: dict[str, bool | None]
    #: No applicable channel covers it (``V_OUTSIDE_ALL_CHANNELS``).
    outside_all: bool


class Coverage(BaseModel):
    unit: NodeRef | None
    as_of: str
    window_years: int
    window_start: str
    #: Units counted (the others are exempt or above the checked levels).
    units: int
    channels: list[ChannelCoverage]
    terms: list[TermCoverage]
    outside_all: int
    #: Units some applicable channel leaves out, outside every channel first (at most
    #: :data:`UNCOVERED_CAP`; ``truncated`` says when there were more).
    uncovered: list[UncoveredUnit]
    truncated: bool


def _percent(covered: int, applicable: int) -> float | None:
    return round(100 * covered / applicable, 1) if applicable else None


def _tally(names: Sequence[str], states: list[dict[str, bool | None]]) -> list[ChannelCoverage]:
    out = []
    for name in names:
        applicable = sum(1 for s in states if s[name] is not None)
        covered = sum(1 for s in states if s[name])
        out.append(ChannelCoverage(channel=name, applicable=applicable, covered=covered,
                                   percent=_percent(covered, applicable)))
    return out


def coverage(store: GraphStore, unit: str | None = None, *, as_of: str | None = None,
             config: AnalyticsConfig | None = None,
             scope: Scope = EVERYTHING_SCOPE) -> Coverage:
    """Coverage by channel of ``unit``'s subtree (default: every unit in ``scope``) as of
    ``as_of`` (default today) and per term from the earliest inspection on.

    Raises NotFound for an unknown unit or one outside ``scope``, InvalidArgument for a
    malformed date.
    """
    cfg = config or AnalyticsConfig()
    day = as_of_or_today(as_of)
    uid = uid_for(unit, "Unit") if unit else None
    row = store.reads.coverage_facts(uid, scope)
    if row is None:
        raise NotFound("Unit", split_uid(uid)[1] if uid else "")
    rules = cfg.coverage_channels
    names = list(rules)
    exempt = set(cfg.coverage_exempt_kinds)
    start = years_before(day, cfg.coverage_window_years)
    counted: list[tuple[Mapping[str, Any], list[Visit], list[str | None]]] = []
    first_year = int(day[:4])
    for u in row["units"]:
        props = u["unit"]
        if props.get("kind") in exempt or int(props.get("level") or 0) < cfg.coverage_min_level:
            continue
        visits: list[Visit] = [(v[0], v[1], v[2]) for v in u["visits"]]
        for _, started, ended in visits:
            if started or ended:
                first_year = min(first_year, int(str(started or ended)[:4]))
        counted.append((props, visits, list(u["modes"])))
    states = [channels_of(rules, p.get("kind"), v, m, start, day) for p, v, m in counted]
    terms = []
    for first, last in terms_until(day, first_year, cfg.term_years, cfg.term_anchor_year):
        until = min(last, day)
        term_states = [channels_of(rules, p.get("kind"), v, m, first, until)
                       for p, v, m in counted]
        terms.append(TermCoverage(start=first, end=last, channels=_tally(names, term_states)))
    left_out: list[dict[str, Any]] = []
    for (unit_props, _, _), state in zip(counted, states, strict=True):
        applicable = [c for c, v in state.items() if v is not None]
        if all(state[c] for c in applicable):
            continue
        left_out.append({"unit": ref_of(unit_props), "kind": unit_props.get("kind"),
                         "level": unit_props.get("level"), "channels": state,
                         "outside_all": bool(applicable) and not any(state[c]
                                                                     for c in applicable)})
    left_out.sort(key=lambda x: (not x["outside_all"], x["level"] if x["level"] is not None
                                 else 99, x["unit"]["uid"]))
    return Coverage.model_validate({
        "unit": ref_of(row["unit"]) if row["unit"] else None, "as_of": day,
        "window_years": cfg.coverage_window_years, "window_start": start,
        "units": len(counted), "channels": _tally(names, states), "terms": terms,
        "outside_all": sum(1 for x in left_out if x["outside_all"]),
        "uncovered": left_out[:UNCOVERED_CAP], "truncated": len(left_out) > UNCOVERED_CAP})
