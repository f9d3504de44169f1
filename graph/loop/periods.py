"""Calendar periods of a target (a year, its halves, quarters or months), and how far into
one a date is, counted in months so that "mid-year" is 1 July in every year.

>>> [w.label for w in windows(2026, "quarter")]
['2026Q1', '2026Q2', '2026Q3', '2026Q4']
>>> months_into(dt.date(2026, 1, 1), dt.date(2026, 7, 1))
6.0
>>> add_months(dt.date(2026, 1, 1), 6.0), add_months(dt.date(2026, 1, 1), 1.5)
(datetime.date(2026, 7, 1), datetime.date(2026, 2, 15))
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from graph.loop.indicators import PERIOD_MONTHS


@dataclass(frozen=True)
class Window:
    """One period: its first and last day and its label (``2026``, ``2026H2``, ``2026Q3``,
    ``2026-09``)."""

    start: dt.date
    end: dt.date
    label: str

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


def _end_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def windows(year: int, period: str) -> list[Window]:
    """The periods of ``period`` kind that make up ``year``, in order."""
    size = PERIOD_MONTHS[period]
    out = []
    for k, first in enumerate(range(1, 13, size), start=1):
        last = first + size - 1
        label = {"year": f"{year}", "half": f"{year}H{k}", "quarter": f"{year}Q{k}",
                 "month": f"{year}-{first:02d}"}[period]
        out.append(Window(dt.date(year, first, 1), _end_of_month(year, last), label))
    return out


def months_into(start: dt.date, day: dt.date) -> float:
    """Months from ``start`` (a first of a month) to ``day``: whole months, and the days
    of ``day``'s month before it as a fraction of that month."""
    whole = (day.year - start.year) * 12 + day.month - start.month
    days = calendar.monthrange(day.year, day.month)[1]
    return whole + (day.day - 1) / days


def add_months(start: dt.date, months: float) -> dt.date:
    """The day ``months`` after ``start`` (a first of a month); a fraction is taken of the
    days of the month it falls in."""
    whole = int(months)
    year, month = divmod(start.month - 1 + whole, 12)
    first = dt.date(start.year + year, month + 1, 1)
    days = calendar.monthrange(first.year, first.month)[1]
    return first + dt.timedelta(days=int((months - whole) * days))
