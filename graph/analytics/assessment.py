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
    for r in ix.others.get("AssessmentResult", ()):
        a = ix.attrs(r)
        day = a.get("assessed_on")
        if not day or str(day) > ix.as_of:
            continue
        for subject, _ in edges(ix.G.succ, r, "ASSESSES"):
            yield r, a, subject


def _method(code: str) -> tuple[str, str]:
    v = SCHEMA.enum("assessment_method").value(code)
    return v.zh, v.en


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
        forms_zh = "、".join(_method(m.split(":", 1)[1])[0] for m in inside) or "无"
        forms_en = ", ".join(_method(m.split(":", 1)[1])[1] for m in inside) or "none"
        name = ix.caption(unit)
        since_zh = f"最近一次为{last}" if last else "从未接受过实地检查或现场述职"
        since_en = f"last on {last}" if last else "never"
        out.append(Finding.make(
            "V_NO_ONSITE_ASSESSMENT", "medium", [unit], unit=unit,
            evidence={"window_years": years, "window_start": start, "last_onsite": last,
                      "results_in_window": inside},
            zh=f"{name}在述职检查测评轮换中，{years}年内（自{start}起）未接受实地检查或现场述职"
               f"（期间：{forms_zh}；{since_zh}）。请在下一轮安排实地检查或现场述职。",
            en=f"{name} is in the assessment rotation but was not assessed on site (on-site "
               f"check or report) within {years} years since {start} (in that time: "
               f"{forms_en}; {since_en}). Schedule an on-site form in the next round."))
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
        grade = SCHEMA.enum("assessment_grade").value(str(a["grade"]))
        method_zh, method_en = _method(str(a.get("method")))
        name, result = ix.caption(subject), ix.caption(r)
        days = (dt.date.fromisoformat(ix.as_of[:10]) - dt.date.fromisoformat(day[:10])).days
        out.append(Finding.make(
            "V_LOW_GRADE_NO_FOLLOW_UP", "medium", [r, subject], unit=unit,
            evidence={"assessed_on": day, "grade": a.get("grade"), "score": a.get("score"),
                      "method": a.get("method"), "use": a.get("use"), "days_since": days},
            zh=f"{name}于{day}的考核（{method_zh}，“{result}”）等次为“{grade.zh}”，{days}天来未记录"
               f"结果运用（任免、薪酬、奖惩、约谈），也无针对其的后续记实。请运用考核结果并督促整改。",
            en=f"{name} was graded “{grade.en}” in the assessment of {day} ({method_en}, "
               f"“{result}”); in "
               f"the {days} days since, no use of the result (appointment, pay, reward, talk) "
               f"and no record concerning it. Use the result and follow it up."))
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
        word_zh = "低于" if (gap or 0) > 0 else "高于"
        word_en = "below" if (gap or 0) > 0 else "above"
        out.append(Finding.make(
            "H_EVALUATION_DIVERGENT", "medium", [person, *sorted(ids)], unit=unit,
            evidence={"round": key, "assessed_on": day, "superior": s_mean, "masses": m_mean,
                      "gap": gap, "threshold": cfg.divergence_points},
            zh=f"{name}在“{where}”中，干部群众评议{m_mean}分，{word_zh}上级评议{s_mean}分"
               f"{abs(gap or 0)}分，评价明显背离。请核实原因，开展谈话并听取基层意见。",
            en=f"In “{where}” the cadres and masses scored {name} {m_mean}, {abs(gap or 0)} "
               f"points {word_en} the superiors' {s_mean}: the evaluations diverge sharply. "
               f"Find out why, talk with them and hear the grass roots."))
    return out


#: Registered with the vertical and horizontal checks (graph/analytics/vertical.py,
#: horizontal.py).
VERTICAL = (check_no_onsite, check_low_grade)
HORIZONTAL = (check_divergent,)
