"""Three-colour status (三色预警) as of a date, and the rule that gave it.

Pure functions over plain values, so that the workbench (:mod:`graph.queries.warnings`),
the analytics (:mod:`graph.analytics.loop`) and the reminders judge every item by the same
rules. Colours: ``green`` on track, ``yellow`` behind or due soon, ``red`` overdue or failed.

A duty's target (:mod:`graph.loop.indicators`) is judged over its year (the duty's
``year``, else the year of the date asked about):

========================  ======  =========================================================
rule                      colour  when
========================  ======  =========================================================
``not_started``           green   the duty's year has not begun
``met``                   green   every period so far reached its count / the rate is met
``on_track``              green   the current period is under way and not yet late
``no_items``              green   a rate with nothing to count yet
``done`` / ``done_late``  green   the deadline's work is recorded (late: after the date)
``behind``                yellow  fewer records than an even pace (``floor(n × share of
                                  the period gone)``), or a rate's item past its deadline
``due_soon``              yellow  not yet met and past the warning point of the period
                                  (``warn_share`` of it, in months: 1 July for a year), or a
                                  deadline within ``warn_days``
``failed``                red     a period ended (its last day included) short of its count,
                                  or the year ended below the rate
``overdue``               red     a deadline passed with the work not recorded
========================  ======  =========================================================

Loops with a reply (廉情抄告, 督办) and rectification deadlines (issues, projects) use the
deadline rules: ``overdue`` red, ``due_soon`` yellow, ``on_track`` green, ``no_deadline``
yellow (nobody knows when it is late); a reply turns it ``awaiting_verification`` (green:
the issuing body acts next) and a verification ``verified``; sent back, it is open again.

>>> from graph.loop.indicators import parse
>>> t = Target.of({"target_kind": "count", "target": 2, "period": "year", "year": 2026})
>>> [count_status(t, ["2026-03-02"], day, LoopRules()).colour
...  for day in ("2026-07-01", "2026-12-31")]
['yellow', 'red']
>>> count_status(t, ["2026-03-02", "2026-06-10"], "2026-07-01", LoopRules()).rule
'met'
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from graph.loop.periods import Window, add_months, months_into, windows

Colour = Literal["green", "yellow", "red"]
#: Urgency order of colours (the workbench sorts by it).
COLOUR_RANK: dict[str, int] = {"red": 0, "yellow": 1, "green": 2}
#: Every rule code, in the order the workbench explains them (catalogue ``loop.rule.*``).
RULES = ("overdue", "failed", "behind", "due_soon", "no_deadline", "awaiting_verification",
         "on_track", "met", "done", "done_late", "no_items", "not_started", "verified")


@dataclass(frozen=True)
class LoopRules:
    """The thresholds of the rules (``DUTYGRAPH_WARN_DAYS``, ``DUTYGRAPH_WARN_SHARE``)."""

    #: A deadline this many days away or nearer, with the work not done, is yellow.
    warn_days: int = 30
    #: A count not yet reached is yellow once this share of its period has gone.
    warn_share: float = 0.5

    @classmethod
    def from_settings(cls) -> LoopRules:
        from graph.settings import get_settings

        s = get_settings()
        return cls(warn_days=s.warn_days, warn_share=s.warn_share)


@dataclass(frozen=True)
class Status:
    """A colour, the rule that gave it and the progress behind it."""

    colour: Colour
    rule: str
    #: Records (or items) done by the date, expected by then on an even pace, required in
    #: all (for the year); ``None`` where the rule counts nothing.
    done: int | None = None
    expected: int | None = None
    target: int | None = None
    #: The date that decides: the end of the period at stake, or the deadline.
    due_on: str | None = None
    #: Days past ``due_on`` (red), else days left until it (0 when due today or undated).
    days_overdue: int = 0
    days_left: int = 0
    #: The period the rule speaks of (``2026``, ``2026Q2``), when there is one.
    period: str | None = None

    @property
    def rank(self) -> tuple[int, int, int]:
        """Urgency: red before yellow before green, then most overdue, then soonest due."""
        return (COLOUR_RANK[self.colour], -self.days_overdue, self.days_left)


@dataclass(frozen=True)
class Target:
    """A duty's structured target (the schema's properties, see :mod:`.indicators`)."""

    kind: str
    target: int | None
    period: str | None
    due_on: str | None
    actions: frozenset[str] = field(default_factory=frozenset)
    year: int | None = None

    @classmethod
    def of(cls, props: Mapping[str, Any]) -> Target | None:
        """The target of a duty's properties, or None when it has none (or an incomplete
        one: a count needs a number and a period, a deadline a date)."""
        kind = props.get("target_kind")
        target = props.get("target")
        if kind == "count" and (not target or not props.get("period")):
            return None
        if kind == "rate" and target is None:
            return None
        if kind == "deadline" and not props.get("due_on"):
            return None
        if kind not in ("count", "rate", "deadline"):
            return None
        actions = frozenset(a for a in str(props.get("counted_actions") or "").split(";") if a)
        year = props.get("year")
        return cls(kind, None if target is None else int(target), props.get("period"),
                   props.get("due_on"), actions, None if year is None else int(year))

    def counts(self, action: str | None, kind: str | None) -> bool:
        """Whether a record of this action and kind counts toward the target."""
        if kind not in (None, "fulfilment"):
            return False
        return not self.actions or action in self.actions


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def _days(a: dt.date, b: dt.date) -> int:
    return (b - a).days


def evaluation_year(target: Target, as_of: str) -> int:
    """The year a target is judged over: the duty's, else the year of ``as_of``."""
    return target.year if target.year is not None else int(as_of[:4])


def count_status(target: Target, dates: Iterable[str], as_of: str, rules: LoopRules) -> Status:
    """A count per period (``target.target`` records per ``target.period``) given the dates
    of the records that count, as of ``as_of``."""
    n = int(target.target or 0)
    day = _day(as_of)
    year = evaluation_year(target, as_of)
    spans = windows(year, str(target.period))
    total = n * len(spans)
    when = sorted(_day(d) for d in dates if d and d[:10] <= as_of)
    if day < spans[0].start:
        return Status("green", "not_started", 0, 0, total, spans[0].end.isoformat(),
                      period=spans[0].label)

    def done_in(w: Window) -> int:
        return sum(1 for d in when if w.start <= d <= w.end)

    done_all = sum(done_in(w) for w in spans)
    closed = [w for w in spans if w.end <= day]
    current = next((w for w in spans if w.start <= day < w.end), None)
    for w in closed:
        if done_in(w) < n:
            return Status("red", "failed", done_all, n * len(closed), total, w.end.isoformat(),
                          days_overdue=_days(w.end, day), period=w.label)
    if current is None:  # every period of the year is over, each reached its count
        return Status("green", "met", done_all, total, total, spans[-1].end.isoformat(),
                      period=spans[-1].label)
    share = months_into(current.start, day) / current.months
    pace = math.floor(n * share + 1e-9)
    now = done_in(current)
    expected = n * len(closed) + pace
    left = _days(day, current.end)
    if now >= n:
        return Status("green", "met", done_all, expected, total, current.end.isoformat(),
                      days_left=left, period=current.label)
    if now < pace:
        return Status("yellow", "behind", done_all, expected, total, current.end.isoformat(),
                      days_left=left, period=current.label)
    if day >= add_months(current.start, rules.warn_share * current.months):
        return Status("yellow", "due_soon", done_all, expected, total,
                      current.end.isoformat(), days_left=left, period=current.label)
    return Status("green", "on_track", done_all, expected, total, current.end.isoformat(),
                  days_left=left, period=current.label)


def deadline_status(due_on: str | None, done_on: str | None, as_of: str, rules: LoopRules, *,
                    done: bool = False) -> Status:
    """Work due by ``due_on``, done on ``done_on`` (or ``done`` without a known date)."""
    if done or (done_on and done_on[:10] <= as_of):
        late = bool(done_on and due_on and done_on[:10] > due_on[:10])
        return Status("green", "done_late" if late else "done", due_on=due_on)
    if not due_on:
        return Status("yellow", "no_deadline")
    day, due = _day(as_of), _day(due_on)
    if day > due:
        return Status("red", "overdue", due_on=due_on, days_overdue=_days(due, day))
    left = _days(day, due)
    if left <= rules.warn_days:
        return Status("yellow", "due_soon", due_on=due_on, days_left=left)
    return Status("green", "on_track", due_on=due_on, days_left=left)


@dataclass(frozen=True)
class Item:
    """One of a rate's items (an issue the duty's breach produced): when it was found, its
    rectification deadline, and when (or whether) it was rectified."""

    found_on: str | None
    deadline: str | None
    done_on: str | None
    done: bool


def rate_status(target: Target, items: Sequence[Item], as_of: str, rules: LoopRules) -> Status:
    """A rate (``target.target`` percent of the items done) over the duty's year."""
    year = evaluation_year(target, as_of)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    day = _day(as_of)
    if day < start:
        return Status("green", "not_started", period=str(year), due_on=end.isoformat())
    cut = min(day, end).isoformat()

    def done_by(i: Item, when: str) -> bool:
        return i.done if not i.done_on else i.done_on[:10] <= when

    counted = [i for i in items if (not i.found_on or i.found_on[:10] <= cut)
               and not (i.done_on and i.done_on[:10] < start.isoformat())]
    total = len(counted)
    done = sum(1 for i in counted if done_by(i, cut))
    need = math.ceil(total * int(target.target or 0) / 100)
    left = max(_days(day, end), 0)
    base = {"done": done, "target": need, "due_on": end.isoformat(), "period": str(year)}
    if total == 0:
        return Status("green", "no_items", **base)  # type: ignore[arg-type]
    if done >= need:
        return Status("green", "met", **base)  # type: ignore[arg-type]
    if day >= end:
        return Status("red", "failed", days_overdue=_days(end, day), **base)  # type: ignore[arg-type]
    if any(i.deadline and i.deadline[:10] < as_of and not done_by(i, as_of) for i in counted):
        return Status("yellow", "behind", days_left=left, **base)  # type: ignore[arg-type]
    if day >= add_months(start, rules.warn_share * 12):
        return Status("yellow", "due_soon", days_left=left, **base)  # type: ignore[arg-type]
    return Status("green", "on_track", days_left=left, **base)  # type: ignore[arg-type]


def duty_status(target: Target, records: Iterable[tuple[str | None, str | None, str | None]],
                items: Sequence[Item], as_of: str, rules: LoopRules) -> Status:
    """The status of a duty's target, from its records ``(on, action, kind)`` and, for a
    rate, its items."""
    if target.kind == "rate":
        return rate_status(target, items, as_of, rules)
    dates = sorted(on for on, action, kind in records if on and target.counts(action, kind))
    if target.kind == "deadline":
        year = evaluation_year(target, as_of)
        if as_of < f"{year}-01-01":
            return Status("green", "not_started", due_on=target.due_on, period=str(year))
        first = next((d for d in dates if d[:4] >= str(year)), None)
        return deadline_status(target.due_on, first, as_of, rules)
    return count_status(target, dates, as_of, rules)


def reply_status(props: Mapping[str, Any], as_of: str, rules: LoopRules, *,
                 settled: tuple[str, ...] = ("replied", "verified")) -> Status:
    """A loop closed by a reply (a 廉情抄告 or a 督办), from its dates and status.

    Replied by ``as_of`` (``replied_on``, or a settled status without a date): green,
    ``awaiting_verification`` until ``verified_on``, then ``verified``. Sent back
    (``returned_on``/``reopened_on`` after the reply): open again against ``due_on``.
    """
    replied = props.get("replied_on")
    back = props.get("returned_on") or props.get("reopened_on")
    verified = props.get("verified_on")
    status = props.get("status")
    if verified and verified[:10] <= as_of:
        return Status("green", "verified", due_on=props.get("due_on"))
    sent_back = bool(back and back[:10] <= as_of and (not replied or replied[:10] <= back[:10]))
    answered = (bool(replied and replied[:10] <= as_of)
                or (not replied and status in settled and not back))
    if answered and not sent_back:
        return Status("green", "awaiting_verification", due_on=props.get("due_on"))
    return deadline_status(props.get("due_on"), None, as_of, rules)
