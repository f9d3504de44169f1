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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

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


def score_unit(
    uid: str, info: tuple[str, int | None, str | None], findings: Sequence[Finding],
    cfg: AnalyticsConfig,
) -> UnitHealth:
    """The health of one unit (``info`` = caption, level, kind) from its findings."""
    ds = [Deduction(code=f.code, severity=f.severity, points=cfg.weight(f.code, f.severity),
                    key=f.key) for f in findings]
    # The heaviest max_per_code findings of each code count; the rest score 0 points.
    ds.sort(key=lambda d: (d.code, -d.points, d.key))
    seen: dict[str, int] = {}
    for i, d in enumerate(ds):
        seen[d.code] = seen.get(d.code, 0) + 1
        if seen[d.code] > cfg.max_per_code:
            ds[i] = d.model_copy(update={"points": 0.0})
    ds.sort(key=lambda d: (-d.points, d.code, d.key))
    score = max(0.0, 100.0 - sum(d.points for d in ds))
    caption, level, kind = info
    return UnitHealth(uid=uid, caption=caption, level=level, kind=kind,
                      score=round(score, 2), findings=len(ds), deductions=ds)


def by_unit(findings: Sequence[Finding]) -> dict[str | None, list[Finding]]:
    """Findings grouped by the unit they belong to, each group in ``findings`` order."""
    out: dict[str | None, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.unit, []).append(f)
    return out


def weakest_first(health: Iterable[UnitHealth]) -> list[UnitHealth]:
    """Units weakest first (then by level, top first, and uid)."""
    return sorted(health, key=lambda h: (h.score, h.level if h.level is not None else 99, h.uid))


def unit_health(
    units: Mapping[str, tuple[str, int | None, str | None]],
    findings: Sequence[Finding],
    cfg: AnalyticsConfig,
) -> list[UnitHealth]:
    """Score every unit (``uid -> (caption, level, kind)``), weakest first."""
    grouped = by_unit(findings)
    return weakest_first(score_unit(u, info, grouped.get(u, ()), cfg) for u, info in units.items())


@dataclass
class Aggregate:
    """A subtree's figures: units, sum and minimum of their scores, the weakest ones."""

    count: int
    total: float
    low: float
    weakest: list[tuple[float, str]]
    #: Whether any unit below it counts (only such subtrees are reported).
    has_children: bool


def combine(
    uid: str, h: UnitHealth, below: Sequence[Aggregate], cfg: AnalyticsConfig
) -> Aggregate:
    """A unit's subtree figures from its own health and its children's subtrees (in the
    order given: the same floating-point sums whenever they are combined in that order)."""
    count, total, low = 1, 0.0, h.score
    weak: list[tuple[float, str]] = [(h.score, uid)]
    for a in below:
        count += a.count
        total += a.total
        low = min(low, a.low)
        weak.extend(a.weakest)
    return Aggregate(count, total + h.score, low, heapq.nsmallest(cfg.rollup_weakest, weak),
                     bool(below))


def subtree_health(
    uid: str, a: Aggregate, health: Mapping[str, UnitHealth]
) -> SubtreeHealth:
    """The reported roll-up of one subtree."""
    h = health[uid]
    return SubtreeHealth(
        uid=uid, caption=h.caption, level=h.level, units=a.count, min_score=a.low,
        mean_score=round(a.total / a.count, 2),
        weakest=[UnitScore(uid=w, caption=health[w].caption, score=s) for s, w in a.weakest])


def weakest_subtrees(items: Iterable[SubtreeHealth]) -> list[SubtreeHealth]:
    """Subtrees weakest (lowest mean) first."""
    return sorted(items, key=lambda s: (s.mean_score, s.min_score, s.uid))


def aggregates(
    parent: Mapping[str, str],
    postorder: Sequence[str],
    health: Mapping[str, UnitHealth],
    cfg: AnalyticsConfig,
) -> dict[str, Aggregate]:
    """Every unit's subtree figures, children first (linear time). A unit's children are
    the units in ``health`` whose ``parent`` it is, combined in uid order."""
    kids: dict[str, list[str]] = {}
    for u in postorder:
        p = parent.get(u)
        if u in health and p is not None and p in health:
            kids.setdefault(p, []).append(u)
    out: dict[str, Aggregate] = {}
    for u in postorder:
        if u in health:
            below = [out[c] for c in sorted(kids.get(u, ())) if c in out]
            out[u] = combine(u, health[u], below, cfg)
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
    agg = aggregates(parent, postorder, health, cfg)
    return weakest_subtrees(subtree_health(u, a, health) for u, a in agg.items() if a.has_children)
