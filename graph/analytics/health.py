"""Health score per unit (0-100, with the findings that lowered it) and roll-up per subtree.

Each finding takes ``config.weight(code, severity)`` points off the score of the unit it
belongs to (``Finding.unit``); the score never drops below 0. A subtree's roll-up gives the
minimum and mean score over the unit and every unit below it and lists its weakest units,
so a district sees its weakest units first.

Examples
--------
>>> from graph.analytics.config import AnalyticsConfig
>>> from graph.analytics.findings import Finding
>>> from graph.messages import Message
>>> f = Finding.make("H_NO_SECRETARY", "high", ["unit:B"], unit="unit:B", evidence={},
...                  explanation=Message("finding.H_NO_SECRETARY"))
>>> h = unit_health({"unit:A": ("甲", 0, "party_committee"), "unit:B": ("乙", 1, "street_town")},
...                 [f], AnalyticsConfig())
>>> [(x.uid, x.score) for x in h]
[('unit:B', 80.0), ('unit:A', 100.0)]
>>> r = rollup({"unit:B": "unit:A"}, ["unit:B", "unit:A"], {x.uid: x for x in h}, AnalyticsConfig())
>>> r[0].uid, r[0].min_score, r[0].mean_score, [w.uid for w in r[0].weakest]
('unit:A', 80.0, 90.0, ['unit:B', 'unit:A'])
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence

from pydantic import BaseModel

from graph.analytics.config import AnalyticsConfig
from graph.analytics.findings import Finding


class Deduction(BaseModel):
    """Points one finding took off a unit's score."""

    code: str
    severity: str
    points: float
    key: str


class UnitHealth(BaseModel):
    uid: str
    caption: str
    level: int | None
    kind: str | None
    score: float
    findings: int
    deductions: list[Deduction]


class UnitScore(BaseModel):
    uid: str
    caption: str
    score: float


class SubtreeHealth(BaseModel):
    """A unit and everything below it: how healthy, and where it is weakest."""

    uid: str
    caption: str
    level: int | None
    units: int
    min_score: float
    mean_score: float
    weakest: list[UnitScore]


def unit_health(
    units: Mapping[str, tuple[str, int | None, str | None]],
    findings: Sequence[Finding],
    cfg: AnalyticsConfig,
) -> list[UnitHealth]:
    """Score every unit (``uid -> (caption, level, kind)``), weakest first."""
    deductions: dict[str, list[Deduction]] = {u: [] for u in units}
    for f in findings:
        if f.unit in deductions:
            deductions[f.unit].append(Deduction(code=f.code, severity=f.severity,
                                                points=cfg.weight(f.code, f.severity), key=f.key))
    for ds in deductions.values():
        # The heaviest max_per_code findings of each code count; the rest score 0 points.
        ds.sort(key=lambda d: (d.code, -d.points, d.key))
        seen: dict[str, int] = {}
        for i, d in enumerate(ds):
            seen[d.code] = seen.get(d.code, 0) + 1
            if seen[d.code] > cfg.max_per_code:
                ds[i] = d.model_copy(update={"points": 0.0})
    out = []
    for u, (caption, level, kind) in units.items():
        ds = sorted(deductions[u], key=lambda d: (-d.points, d.code, d.key))
        score = max(0.0, 100.0 - sum(d.points for d in ds))
        out.append(UnitHealth(uid=u, caption=caption, level=level, kind=kind,
                              score=round(score, 2), findings=len(ds), deductions=ds))
    out.sort(key=lambda h: (h.score, h.level if h.level is not None else 99, h.uid))
    return out


def rollup(
    parent: Mapping[str, str],
    postorder: Sequence[str],
    health: Mapping[str, UnitHealth],
    cfg: AnalyticsConfig,
) -> list[SubtreeHealth]:
    """Roll-up for every unit with units below it, weakest subtree first (linear time).

    ``postorder`` lists the units children-first; ``parent`` maps a unit to its parent.
    """
    n_weak = cfg.rollup_weakest
    count: dict[str, int] = {}
    total: dict[str, float] = {}
    low: dict[str, float] = {}
    weakest: dict[str, list[tuple[float, str]]] = {}
    has_children: set[str] = set()
    for u in postorder:
        h = health.get(u)
        if h is None:
            continue
        count[u] = count.get(u, 0) + 1
        total[u] = total.get(u, 0.0) + h.score
        low[u] = min(low.get(u, 101.0), h.score)
        weakest[u] = heapq.nsmallest(n_weak, [*weakest.get(u, []), (h.score, u)])
        p = parent.get(u)
        if p is not None and p in health:
            has_children.add(p)
            count[p] = count.get(p, 0) + count[u]
            total[p] = total.get(p, 0.0) + total[u]
            low[p] = min(low.get(p, 101.0), low[u])
            weakest[p] = heapq.nsmallest(n_weak, [*weakest.get(p, []), *weakest[u]])
    out = [
        SubtreeHealth(
            uid=u, caption=health[u].caption, level=health[u].level, units=count[u],
            min_score=low[u], mean_score=round(total[u] / count[u], 2),
            weakest=[UnitScore(uid=w, caption=health[w].caption, score=s) for s, w in weakest[u]])
        for u in has_children
    ]
    out.sort(key=lambda s: (s.mean_score, s.min_score, s.uid))
    return out
