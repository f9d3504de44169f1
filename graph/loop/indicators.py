"""Quantified indicators (量化指标): the written forms of a duty's target, parsed.

A duty's ``indicator`` is free text as the lists write it. Three measurable forms are
recognised and turned into the duty's structured target (the schema's ``target_kind``,
``target``, ``period``, ``due_on`` and ``counted_actions``); the text is always kept:

``count``
    records per period: ``≥2次/年``, ``2次/年``, ``每年不少于2次``, ``每年至少专题研究2次``,
    ``每季度1次``, ``每季度通报一次``, ``每半年约谈…`` (no number: once), ``按季度报送进展``.
``deadline``
    done by a date: ``年底前``, ``年内完成``, ``6月底前``, ``9月30日前``, ``上半年完成``,
    ``2026年6月30日前``; a date without a year takes the duty's year.
``rate``
    a share of the duty's items done (its issues rectified): ``整改率100%``, ``完成率≥95%``.

When a text holds several, a count wins, then a deadline, then a rate (``每年不少于2次，完成率
100%`` asks for two records a year; the rate qualifies them). Forms such as ``全覆盖``
(everyone talked to) name no number a record can count and stay text: :func:`parse` says
why (``None`` with a reason), and ``dutygraph load --dry-run`` lists them.

The record actions that count toward a count are read from the verb of the text
(专题研究 → ``meeting``, 约谈 → ``talk``, 督导/检查 → ``check``, 报告/通报 → ``report``, …);
without one, every fulfilment record against the duty counts.

>>> parse("专题研究党风廉政建设不少于2次/年").describe()
'count 2/year [meeting]'
>>> parse("每季度1次").describe(), parse("整改率100%").describe()
('count 1/quarter', 'rate 100%')
>>> parse("年底前完成", year=2026).describe(), parse("每年约谈班子成员全覆盖").reason
('deadline 2026-12-31', 'no_number')
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Kind = Literal["count", "rate", "deadline"]
Period = Literal["year", "half", "quarter", "month"]

#: Periods in months, and how a period is written after 每/按 or after a slash.
PERIOD_MONTHS: dict[str, int] = {"year": 12, "half": 6, "quarter": 3, "month": 1}
_PERIOD_WORDS: tuple[tuple[str, Period], ...] = (
    ("半年度", "half"), ("半年", "half"), ("季度", "quarter"), ("季", "quarter"),
    ("年度", "year"), ("年", "year"), ("月度", "month"), ("月", "month"))
_PERIOD_RE = "|".join(w for w, _ in _PERIOD_WORDS)
_PERIOD_OF = dict(_PERIOD_WORDS)

_ZH_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9, "十": 10, "十二": 12}
_NUM = r"(\d+|十二|[一二两三四五六七八九十])"

# ≥2次/年, 2次/季度, 不少于2次/年
_SLASH = re.compile(rf"{_NUM}\s*次\s*/\s*({_PERIOD_RE})")
# 每年不少于2次, 每年至少专题研究2次, 每季度1次, 每季度通报一次 (the count after 每<period>)
_EACH_N = re.compile(rf"(?:每|按)\s*({_PERIOD_RE})[^，,。；;]*?{_NUM}\s*次")
# 每半年约谈…, 按季度报送进展 (no count: once per period)
_EACH = re.compile(rf"(?:每|按)\s*({_PERIOD_RE})(?!内|底|末)")
# 年度2次 / 全年2次
_YEAR_N = re.compile(rf"(?:全年|年度|一年)[^，,。；;]*?{_NUM}\s*次")
_RATE = re.compile(r"率\s*(?:达到|达|不低于|不少于|≥|>=|为)?\s*(\d{1,3}(?:\.\d+)?)\s*%")
_PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*%")
_FULL_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:前|以前|之前)")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:前|以前|之前)")
_MONTH_END = re.compile(rf"{_NUM}\s*月\s*(?:底|末)\s*(?:前|以前|之前)?")
_YEAR_END = re.compile(r"(?:年底|年末|年终)\s*(?:前|以前|之前)?|年内|年度内|当年完成")
_HALF_END = re.compile(r"上半年")
_QUARTER_END = re.compile(r"(?:第)?([一二三四1-4])\s*季度\s*(?:末|底)?\s*(?:前|以前|之前)")

#: Verbs of the text -> the record action that counts (the first group found wins; 听取 is
#: looked for before 汇报 so that 听取汇报 is a meeting, not a report).
_ACTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("meeting", ("专题研究", "研究部署", "专题会", "常委会", "听取", "会议", "研究")),
    ("talk", ("约谈", "谈话", "面对面")),
    ("lecture", ("党课", "授课", "讲课")),
    ("reminder", ("提醒", "函询")),
    ("check", ("督导", "督查", "检查", "调研", "巡察", "考核")),
    ("report", ("报告", "述职", "述责", "汇报", "报送", "通报")),
)


@dataclass(frozen=True)
class Indicator:
    """A measurable target; ``reason`` is set instead when the text holds none."""

    kind: Kind | None
    target: int | None = None
    period: Period | None = None
    due_on: str | None = None
    actions: tuple[str, ...] = ()
    #: Why the text could not be read as a target (``no_number``, ``needs_year``, ``empty``).
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.kind is not None

    def describe(self) -> str:
        """A short English description (logs, doctests)."""
        if self.kind == "count":
            acts = f" [{';'.join(self.actions)}]" if self.actions else ""
            return f"count {self.target}/{self.period}{acts}"
        if self.kind == "rate":
            return f"rate {self.target}%"
        if self.kind == "deadline":
            return f"deadline {self.due_on}"
        return f"text ({self.reason})"

    def props(self) -> dict[str, object]:
        """The duty properties this target sets (the schema's names)."""
        return {"target_kind": self.kind, "target": self.target, "period": self.period,
                "due_on": self.due_on,
                "counted_actions": ";".join(self.actions) if self.actions else None}


def _num(text: str) -> int:
    return int(text) if text.isdigit() else _ZH_NUM[text]


def _norm(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    return t.replace("＞＝", "≥").replace(">=", "≥").replace(" ", "").replace("\u3000", "")


def action_of(text: str) -> tuple[str, ...]:
    """The record action a text's verb names, if any.

    >>> action_of("每年听取汇报不少于2次"), action_of("每年到联系单位督导2次"), action_of("2次/年")
    (('meeting',), ('check',), ())
    """
    for action, words in _ACTIONS:
        if any(w in text for w in words):
            return (action,)
    return ()


def _count(t: str) -> tuple[int, Period] | None:
    m = _SLASH.search(t)
    if m:
        return _num(m[1]), _PERIOD_OF[m[2]]
    m = _EACH_N.search(t)
    if m:
        return _num(m[2]), _PERIOD_OF[m[1]]
    m = _YEAR_N.search(t)
    if m:
        return _num(m[1]), "year"
    m = _EACH.search(t)
    # "每年约谈…全覆盖" asks for everyone, not for a number of records: no count.
    if m and "全覆盖" not in t:
        return 1, _PERIOD_OF[m[1]]
    return None


def _last_day(year: int, month: int) -> str:
    return dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def _deadline(t: str, year: int | None) -> str | Literal[False] | None:
    """The due date, ``None`` when the text names none, ``False`` when it needs a year."""
    m = _FULL_DATE.search(t)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    found: tuple[int, int] | None = None  # (month, day; 0 = the month's last day)
    m = _MONTH_DAY.search(t)
    if m:
        found = (int(m[1]), int(m[2]))
    elif (m := _MONTH_END.search(t)) and _num(m[1]) <= 12:
        found = (_num(m[1]), 0)
    elif m := _QUARTER_END.search(t):
        q = _num(m[1]) if not m[1].isdigit() else int(m[1])
        found = (3 * q, 0)
    elif _HALF_END.search(t) and not _count(t):
        found = (6, 0)
    elif _YEAR_END.search(t):
        found = (12, 0)
    if found is None:
        return None
    if year is None:
        return False
    month, day = found
    if not 1 <= month <= 12:
        return None
    if day == 0:
        return _last_day(year, month)
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)  # lists repeat a few dozen texts thousands of times
def parse(text: str | None, *, year: int | None = None) -> Indicator:
    """The target a written indicator states (see the module docstring).

    Parameters
    ----------
    text
        The indicator as written.
    year
        The duty's year: a deadline without a year (``年底前``) falls in it.
    """
    if not text or not text.strip():
        return Indicator(None, reason="empty")
    t = _norm(text)
    count = _count(t)
    if count is not None:
        n, period = count
        return Indicator("count", target=n, period=period, actions=action_of(t))
    due = _deadline(t, year)
    if due:
        return Indicator("deadline", due_on=due, actions=action_of(t))
    m = _RATE.search(t) or _PERCENT.search(t)
    if m:
        pct = float(m[1])
        if 0 < pct <= 100:
            return Indicator("rate", target=round(pct), period="year")
    if due is False:
        return Indicator(None, reason="needs_year")
    return Indicator(None, reason="no_number")
