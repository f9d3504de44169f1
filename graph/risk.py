"""The rules of risk prevention (廉政风险防控) that the queries and the analytics share.

* A control is **active** on a date when it was established by then (or no date is given)
  and its status is 运行中 (``active``) or not given. Statuses are taken as recorded.
* A control was **checked in the window** when its last check falls within the
  ``control_check_days`` before the date. A last check *after* the date also counts: the
  graph keeps the latest check only, so a control checked since is not known to have been
  unchecked then.
* A risk point is **uncontrolled** on a date when it has no active control, or (at a level
  the analytics check) none of its active controls was checked in the window.

>>> control_active({"status": "active", "established_on": "2016-12-31"}, "2018-06-30")
True
>>> control_checked({"last_checked": "2024-05-20"}, "2026-12-01", 365)
False
>>> control_checked({"last_checked": "2026-09-28"}, "2018-06-30", 365)
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

#: Statuses of a control that count as in force (``None``: not recorded).
ACTIVE_STATUSES = ("active", None)


def control_active(control: Mapping[str, Any], as_of: str) -> bool:
    established = control.get("established_on")
    return control.get("status") in ACTIVE_STATUSES and (not established
                                                         or str(established) <= as_of)


def control_checked(control: Mapping[str, Any], as_of: str, window_days: int) -> bool:
    last = control.get("last_checked")
    if not last:
        return False
    start = (dt.date.fromisoformat(as_of[:10]) - dt.timedelta(days=window_days)).isoformat()
    return str(last) >= start
