"""Assessment (考核评议) weak links: the rotation, the use of results, the two channels of
evaluation. The rules are :mod:`graph.assessment`'s, shared with the assessment queries.

* ``V_NO_ONSITE_ASSESSMENT`` — a unit in the 述职检查测评 rotation for the whole window and
  assessed on site (实地检查, 现场述职) not once within ``onsite_window_years``.
* ``V_LOW_GRADE_NO_FOLLOW_UP`` — a result with a low grade, at least ``follow_up_days`` old,
  with no recorded use and no record concerning the assessed since (考核结果未运用).
* ``H_EVALUATION_DIVERGENT`` — a person whose evaluation by cadres and masses differs from
  the superiors' in the same round by ``divergence_points`` or more (the latest such round
  within ``divergence_window_days``).

Examples
--------
>>> import networkx as nx
>>> from graph.analytics.config import AnalyticsConfig
>>> from graph.analytics.index import GraphIndex
>>> G = nx.MultiDiGraph()
>>> G.add_node("unit:U", label="Unit", id="U", name="某院", kind="institution", level=2)
>>> for n, (day, method) in enumerate([("2016-12-10", "onsite_check"),
...                                    ("2018-12-10", "written_report"),
...                                    ("2019-12-10", "written_report")]):
...     G.add_node(f"assessmentresult:R{n}", label="AssessmentResult", id=f"R{n}",
...                title="r", method=method, assessed_on=day)
...     _ = G.add_edge(f"assessmentresult:R{n}", "unit:U", key="ASSESSES|", type="ASSESSES")
>>> ix = GraphIndex.build(G, "2020-06-30")
>>> [(f.code, f.evidence["last_onsite"]) for f in check_no_onsite(ix, AnalyticsConfig(), None)]
[('V_NO_ONSITE_ASSESSMENT', '2016-12-10')]
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator
from typing import Any

from graph.analytics.config import AnalyticsConfig
from graph.analytics.findings import Finding
from graph.analytics.index import GraphIndex
from graph.assessment import divergence, last_onsite, onsite_due, years_before
from graph.dates import dated_by
from graph.messages import Bilingual, Message
from graph.schema import SCHEMA

Scope = Collection[str] | None


def edges(adjacency: Any, uid: str, rel_type: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(other end, attributes) of the ``rel_type`` edges of ``uid`` in one direction
    (``G.succ`` or ``G.pred``)."""
    for other, keyed in adjacency[uid].items():
        for a in keyed.values():
            if a.get("type") == rel_type:
                yield other, a


def wanted(scope: Scope) -> set[str] | None:
    return None if scope is None else set(scope)


def _results(ix: GraphIndex) -> Iterator[tuple[str, dict[str, Any], str]]:
    """(result, its attributes, the assessed uid) of every result dated up to as_of."""
    for r in ix.assessment_results:
        a = ix.attrs(r)
        day = a.get("assessed_on")
        if not day or str(day) > ix.as_of:
            continue
        for subject, _ in edges(ix.G.succ, r, "ASSESSES"):
            yield r, a, subject


def _said(enum: str, code: str) -> Bilingual:
    """An enum value's name in both languages, for an explanation."""
    v = SCHEMA.enum(enum).value(code)
    return Bilingual(v.zh, v.en)


def check_no_onsite(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """V_NO_ONSITE_ASSESSMENT (see the module docstring)."""
    rotation, onsite = set(cfg.rotation_methods), set(cfg.onsite_methods)
    days: dict[str, list[str]] = defaultdict(list)
    onsite_days: dict[str, list[str]] = defaultdict(list)
    methods: dict[str, list[str]] = defaultdict(list)
    ok = wanted(scope)
    for _, a, unit in _results(ix):
        if ix.attrs(unit).get("label") != "Unit" or a.get("method") not in rotation:
            continue
        if ok is not None and unit not in ok:
            continue
        day = str(a["assessed_on"])
        days[unit].append(day)
        methods[unit].append(f"{day}:{a['method']}")
        if a.get("method") in onsite:
            onsite_days[unit].append(day)
    out = []
    years = cfg.onsite_window_years
    start = years_before(ix.as_of, years)
    for unit in sorted(days):
        if not onsite_due(days[unit], onsite_days[unit], ix.as_of, years):
            continue
        last = last_onsite(onsite_days[unit], ix.as_of)
        inside = sorted(m for m in methods[unit] if m >= start)
        forms: object = ([_said("assessment_method", m.split(":", 1)[1]) for m in inside]
                         or Message("explain.no_results"))
        since = (Message("explain.onsite_last", date=last) if last
                 else Message("explain.onsite_never"))
        out.append(Finding.make(
            "V_NO_ONSITE_ASSESSMENT", "medium", [unit], unit=unit,
            evidence={"window_years": years, "window_start": start, "last_onsite": last,
                      "results_in_window": inside},
            explanation=Message("explain.V_NO_ONSITE_ASSESSMENT", unit=ix.caption(unit),
                                years=years, start=start, forms=forms, since=since)))
    return out


def _followed_up(ix: GraphIndex, subject: str, day: str) -> bool:
    """A record concerning the assessed (or, for a unit, someone serving in it) after ``day``
    and by as_of."""
    people = {subject}
    if ix.attrs(subject).get("label") == "Unit":
        people.update(p for p, _ in edges(ix.G.pred, subject, "SERVES_IN"))
    for who in people:
        for rec, _ in edges(ix.G.pred, who, "CONCERNS"):
            on = ix.attrs(rec).get("on")
            if on and day <= str(on) <= ix.as_of:
                return True
    return False


def subject_unit(ix: GraphIndex, subject: str) -> str | None:
    """The unit a finding about ``subject`` (a unit or a person) counts against."""
    if ix.attrs(subject).get("label") == "Unit":
        return subject
    return ix.home_unit(subject)


def check_low_grade(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """V_LOW_GRADE_NO_FOLLOW_UP (see the module docstring)."""
    low = set(cfg.low_grades)
    latest = (dt.date.fromisoformat(ix.as_of[:10])
              - dt.timedelta(days=cfg.follow_up_days)).isoformat()
    ok = wanted(scope)
    out = []
    for r, a, subject in _results(ix):
        day = str(a["assessed_on"])
        if a.get("grade") not in low or day > latest:
            continue
        if a.get("use") not in (None, "none") or _followed_up(ix, subject, day):
            continue
        unit = subject_unit(ix, subject)
        if ok is not None and (unit is None or unit not in ok):
            continue
        name, result = ix.caption(subject), ix.caption(r)
        days = (dt.date.fromisoformat(ix.as_of[:10]) - dt.date.fromisoformat(day[:10])).days
        out.append(Finding.make(
            "V_LOW_GRADE_NO_FOLLOW_UP", "medium", [r, subject], unit=unit,
            evidence={"assessed_on": day, "grade": a.get("grade"), "score": a.get("score"),
                      "method": a.get("method"), "use": a.get("use"), "days_since": days},
            explanation=Message("explain.V_LOW_GRADE_NO_FOLLOW_UP", who=name, day=day,
                                method=_said("assessment_method", str(a.get("method"))),
                                result=result,
                                grade=_said("assessment_grade", str(a["grade"])),
                                days=days)))
    return out


def check_divergent(ix: GraphIndex, cfg: AnalyticsConfig, scope: Scope) -> list[Finding]:
    """H_EVALUATION_DIVERGENT (see the module docstring)."""
    superior, masses = set(cfg.superior_methods), set(cfg.mass_methods)
    since = (dt.date.fromisoformat(ix.as_of[:10])
             - dt.timedelta(days=cfg.divergence_window_days)).isoformat()
    # person -> round key -> (superior scores, mass scores, last day, results)
    groups: dict[str, dict[str, tuple[list[float], list[float], list[str], list[str]]]] = \
        defaultdict(dict)
    for r, a, subject in _results(ix):
        method, score = a.get("method"), a.get("score")
        if ix.attrs(subject).get("label") != "Person" or score is None:
            continue
        if method not in superior and method not in masses:
            continue
        rounds = [x for x, _ in edges(ix.G.succ, r, "RESULT_OF")]
        key = rounds[0] if rounds else str(a["assessed_on"])[:4]
        sup, mass, seen, ids = groups[subject].setdefault(key, ([], [], [], []))
        (sup if method in superior else mass).append(float(score))
        seen.append(str(a["assessed_on"]))
        ids.append(r)
    ok = wanted(scope)
    out = []
    for person in sorted(groups):
        recent = [(max(v[2]), k, v) for k, v in groups[person].items()
                  if max(v[2]) >= since and dated_by(max(v[2]), ix.as_of)]
        gaps = [(day, k, v, divergence(v[0], v[1])) for day, k, v in sorted(recent)]
        gaps = [g for g in gaps if g[3] is not None and abs(g[3]) >= cfg.divergence_points]
        if not gaps:
            continue
        day, key, (sup, mass, _, ids), gap = gaps[-1]
        unit = ix.home_unit(person)
        if ok is not None and (unit is None or unit not in ok):
            continue
        name = ix.caption(person)
        where = ix.caption(key) if key in ix.G else key
        s_mean, m_mean = round(sum(sup) / len(sup), 1), round(sum(mass) / len(mass), 1)
        said: dict[str, Any] = dict(who=name, where=where, masses=m_mean, superior=s_mean,
                                    gap=abs(gap or 0))
        explanation = (Message("explain.H_EVALUATION_DIVERGENT_below", **said) if (gap or 0) > 0
                       else Message("explain.H_EVALUATION_DIVERGENT_above", **said))
        out.append(Finding.make(
            "H_EVALUATION_DIVERGENT", "medium", [person, *sorted(ids)], unit=unit,
            evidence={"round": key, "assessed_on": day, "superior": s_mean, "masses": m_mean,
                      "gap": gap, "threshold": cfg.divergence_points},
            explanation=explanation))
    return out


#: Registered with the vertical and horizontal checks (graph/analytics/vertical.py,
#: horizontal.py).
VERTICAL = (check_no_onsite, check_low_grade)
HORIZONTAL = (check_divergent,)
