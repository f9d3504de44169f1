"""The rules of assessment (考核评议) that the queries and the analytics share.

* **Rotation.** 市教育卫生工作党委 reviews its units in rotation: a third by 实地检查, a third
  by 现场述职, a third by 书面述职. A unit is *in the rotation* once a result of one of
  the rotation forms (``rotation_methods``) assesses it; it is *due* when it has been in
  the rotation for the whole window of ``onsite_window_years`` and no on-site form
  (``onsite_methods``: 实地检查, 现场述职) assessed it within that window.
* **Follow-up.** A result with a low grade (``low_grades``) is followed up when its use is
  recorded (任免, 薪酬, 奖惩, 约谈; 未运用 is none) or a record concerns the assessed unit or
  person (or someone serving in the unit) after it.
* **Divergence.** A person evaluated in one round (else one year) by superiors
  (``superior_methods``) and by cadres and the masses (``mass_methods``) diverges when the
  means of the two differ by ``divergence_points`` or more.

>>> onsite_due(["2016-12-10", "2017-12-10"], ["2016-12-10"], "2020-06-30", 3)
True
>>> onsite_due(["2016-12-10", "2019-12-10"], ["2019-12-10"], "2020-06-30", 3)
False
>>> onsite_due(["2019-12-10"], [], "2020-06-30", 3)  # not yet a whole window in rotation
False
>>> divergence([93.0], [71.0])
22.0
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence


def years_before(day: str, years: int) -> str:
    """The same calendar day ``years`` earlier (29 Feb becomes 28 Feb).

    >>> years_before("2024-02-29", 3)
    '2021-02-28'
    """
    d = dt.date.fromisoformat(day[:10])
    try:
        return d.replace(year=d.year - years).isoformat()
    except ValueError:
        return d.replace(year=d.year - years, day=28).isoformat()


def onsite_due(rotation_days: Sequence[str], onsite_days: Sequence[str], as_of: str,
               years: int) -> bool:
    """Whether a unit assessed in the rotation on ``rotation_days`` (every form) and on site
    on ``onsite_days`` (dates up to ``as_of``) went ``years`` without an on-site form."""
    start = years_before(as_of, years)
    seen = [d for d in rotation_days if d <= as_of]
    if not seen or min(seen) > start:
        return False
    return not any(start <= d <= as_of for d in onsite_days)


def last_onsite(onsite_days: Sequence[str], as_of: str) -> str | None:
    """The latest on-site assessment on or before ``as_of``."""
    return max((d for d in onsite_days if d <= as_of), default=None)


def divergence(superior: Sequence[float], masses: Sequence[float]) -> float | None:
    """Mean superiors' score minus mean cadres' and masses' score (None without both)."""
    if not superior or not masses:
        return None
    return round(sum(superior) / len(superior) - sum(masses) / len(masses), 1)
