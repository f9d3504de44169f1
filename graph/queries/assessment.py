"""Assessment (考核评议): a unit's or a person's history, the rotation of a subtree and its
check, and score trends per subtree.

* :func:`assessment_history` — every result assessing a unit or person up to a date, newest
  first, with round, assessor, method, overall and indicator scores, grade and the use made
  of it; for a unit also its place in the on-site rotation.
* :func:`rotation` — the units below a unit assessed in the 述职检查测评 rotation: the form
  each had each year, the share of each form per year (教卫: a third each), and which are
  due — not assessed on site within ``onsite_window_years`` (the rule of
  ``V_NO_ONSITE_ASSESSMENT``, :mod:`graph.assessment`).
* :func:`score_trends` — per year, the count, mean, lowest and highest overall score and
  the grades of the results assessing the subtree.

A result's year is its round's year (the period assessed), else the year it was assessed.

The windows and methods come from the analytics configuration (:class:`AnalyticsConfig`),
so a query and the finding it explains read the same rule.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from graph.analytics.config import AnalyticsConfig
from graph.assessment import last_onsite, onsite_due, years_before
from graph.dates import as_of_or_today
from graph.errors import InvalidArgument, NotFound
from graph.messages import Message
from graph.queries.assessment_models import (
    AssessmentHistory,
    MethodShare,
    Rotation,
    RotationState,
    ScoreTrends,
    TrendYear,
)
from graph.queries.common import ref_of, resolve, uid_for
from graph.queries.models import NodeRef
from graph.schema import SCHEMA, split_uid
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore


def period_year(fact: Mapping[str, Any]) -> int:
    """The year a result assesses: its round's year, else the year it was assessed (上港's
    2017 results, given in January 2018, are 2017's)."""
    year = fact.get("year")
    return int(year) if year is not None else int(str(fact["assessed_on"])[:4])


def years_after(day: str, years: int) -> str:
    """The same calendar day ``years`` later.

    >>> years_after("2016-12-10", 3)
    '2019-12-10'
    """
    return years_before(day, -years)


def _state(rotation_days: list[str], onsite_days: list[str], as_of: str,
           cfg: AnalyticsConfig) -> RotationState:
    years = cfg.onsite_window_years
    seen = [d for d in rotation_days if d <= as_of]
    last = last_onsite(onsite_days, as_of)
    start = last or (min(seen) if seen else None)
    return RotationState(in_rotation=bool(seen), last_onsite=last,
                         onsite_by=years_after(start, years) if start else None,
                         due=onsite_due(rotation_days, onsite_days, as_of, years))


def _item(row: Mapping[str, Any], subject: dict[str, str], onsite: set[str]) -> dict[str, Any]:
    r = row["result"]
    scores = sorted(row["scores"], key=lambda s: str(s["duty"]["uid"]))
    return {
        "result": ref_of(r), "assessment": ref_of(row["round"]) if row["round"] else None,
        "subject": subject, "assessed_by": ref_of(row["by"]) if row["by"] else None,
        "method": r.get("method") or "", "onsite": r.get("method") in onsite,
        "assessed_on": r.get("assessed_on") or "", "score": r.get("score"),
        "grade": r.get("grade"), "use": r.get("use"), "comment": r.get("comment"),
        "indicators": [{"duty": ref_of(s["duty"]), "indicator": s["duty"].get("indicator"),
                        "score": s["score"]} for s in scores],
    }


def assessment_history(store: GraphStore, subject: str, *, as_of: str | None = None,
                       config: AnalyticsConfig | None = None,
                       scope: Scope = EVERYTHING_SCOPE) -> AssessmentHistory:
    """Every result assessing ``subject`` (a unit or person: uid or bare id) dated up to
    ``as_of`` (default today), newest first.

    Raises NotFound for an unknown subject or one outside ``scope``, AmbiguousId when a bare
    id names both a unit and a person, InvalidArgument for a malformed date.
    """
    cfg = config or AnalyticsConfig()
    day = as_of_or_today(as_of)
    node = resolve(store, subject, ("Unit", "Person"), scope=scope)
    row = store.reads.assessment_history(node.uid, scope)
    if row is None:
        raise NotFound(node.label, node.id)
    onsite = set(cfg.onsite_methods)
    me = ref_of(row["subject"])
    kept = [r for r in row["results"] if (r["result"].get("assessed_on") or "") <= day]
    items = sorted((_item(r, me, onsite) for r in kept),
                   key=lambda i: (i["assessed_on"], i["result"]["uid"]), reverse=True)
    state = None
    if node.label == "Unit":
        rotation_days = [i["assessed_on"] for i in items if i["method"] in cfg.rotation_methods]
        onsite_days = [i["assessed_on"] for i in items if i["onsite"]]
        state = _state(rotation_days, onsite_days, day, cfg)
    return AssessmentHistory.model_validate(
        {"subject": me, "as_of": day, "items": items,
         "rotation": state.model_dump() if state else None})


def _facts(store: GraphStore, unit: str, scope: Scope) -> tuple[NodeRef, list[Mapping[str, Any]]]:
    uid = uid_for(unit, "Unit")
    row = store.reads.assessment_facts(uid, scope)
    if row is None:
        raise NotFound("Unit", split_uid(uid)[1])
    return NodeRef.model_validate(ref_of(row["unit"])), list(row["results"])


def rotation(store: GraphStore, unit: str, *, as_of: str | None = None,
             config: AnalyticsConfig | None = None,
             scope: Scope = EVERYTHING_SCOPE) -> Rotation:
    """The rotation of the units below ``unit`` (and the unit itself) up to ``as_of``: every
    unit assessed by a rotation form, the forms per year and the check (see the module
    docstring). Raises NotFound for an unknown unit or one outside ``scope``."""
    cfg = config or AnalyticsConfig()
    day = as_of_or_today(as_of)
    root, facts = _facts(store, unit, scope)
    forms = set(cfg.rotation_methods)
    onsite = set(cfg.onsite_methods)
    per_unit: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    refs: dict[str, dict[str, str]] = {}
    for f in facts:
        on, method = f["assessed_on"], f["method"]
        if f["label"] != "Unit" or method not in forms or not on or on > day:
            continue
        uid = str(f["subject"]["uid"])
        refs[uid] = ref_of(f["subject"])
        per_unit[uid].append((on, method, period_year(f)))
    units = []
    by_year: dict[int, Counter[str]] = defaultdict(Counter)
    for uid in sorted(per_unit):
        seen = sorted(per_unit[uid])
        year_forms: dict[int, list[str]] = defaultdict(list)
        for _, method, year in seen:
            year_forms[year].append(method)
            by_year[year][method] += 1
        state = _state([on for on, _, _ in seen], [on for on, m, _ in seen if m in onsite],
                       day, cfg)
        units.append({"unit": refs[uid], "forms": dict(sorted(year_forms.items())),
                      "last_onsite": state.last_onsite, "onsite_by": state.onsite_by,
                      "due": state.due})
    codes = SCHEMA.enum("assessment_method").codes
    years = []
    for year in sorted(by_year):
        counts = by_year[year]
        total = sum(counts.values())
        years.append({"year": year, "units": total,
                      "methods": [MethodShare(method=m, count=counts[m],
                                              share=round(counts[m] / total, 3))
                                  for m in codes if counts.get(m)]})
    return Rotation.model_validate({
        "unit": root, "as_of": day, "window_years": cfg.onsite_window_years,
        "onsite_methods": sorted(onsite), "years": years, "units": units,
        "due": sum(1 for u in units if u["due"])})


SUBJECT_KINDS = {"unit": "Unit", "person": "Person"}


def score_trends(store: GraphStore, unit: str, *, as_of: str | None = None,
                 method: str | None = None, subjects: str | None = None,
                 scope: Scope = EVERYTHING_SCOPE) -> ScoreTrends:
    """Per year, the overall scores of the results assessing ``unit``'s subtree (units, and
    persons serving in it) up to ``as_of``; only of ``method`` (a method code) and of
    ``subjects`` (``unit`` or ``person``) when given.

    Raises NotFound for an unknown unit or one outside ``scope``, InvalidArgument for an
    unknown method or kind of subject.
    """
    methods = SCHEMA.enum("assessment_method").codes
    if method is not None and method not in methods:
        raise InvalidArgument("method", Message("reason.one_of", expected=", ".join(methods)))
    if subjects is not None and subjects not in SUBJECT_KINDS:
        raise InvalidArgument("subjects", Message("reason.one_of",
                                                  expected=", ".join(SUBJECT_KINDS)))
    day = as_of_or_today(as_of)
    root, facts = _facts(store, unit, scope)
    label = SUBJECT_KINDS.get(subjects or "")
    per_year: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for f in facts:
        on = f["assessed_on"]
        if not on or on > day or (method and f["method"] != method):
            continue
        if label and f["label"] != label:
            continue
        per_year[period_year(f)].append(f)
    grade_codes = SCHEMA.enum("assessment_grade").codes
    years = []
    for year in sorted(per_year):
        rows = per_year[year]
        scores = [float(f["score"]) for f in rows if f["score"] is not None]
        grades = Counter(f["grade"] for f in rows if f["grade"])
        years.append(TrendYear(
            year=year, results=len(rows), scored=len(scores),
            mean=round(sum(scores) / len(scores), 2) if scores else None,
            min=min(scores) if scores else None, max=max(scores) if scores else None,
            grades={g: grades[g] for g in grade_codes if grades.get(g)}))
    return ScoreTrends(unit=root, as_of=day, method=method, subjects=subjects, years=years)
