"""Supervision coverage by channel (巡察, 派驻, 监察 "三个全覆盖"): the one rule the coverage
query and the analytics share.

A unit is covered by a *channel* as of a date when either

* an inspection of one of the channel's kinds covered it (``COVERS``) within the window:
  ended (or, still running, started) on or after the window's start and started on or
  before the date — as ``V_COVERAGE_GAP`` reads coverage; or
* a discipline body supervises it (``SUPERVISES``) in one of the channel's modes: standing
  supervision, which the graph keeps without dates.

Default channels (configurable, :class:`ChannelRule` in ``AnalyticsConfig.coverage_channels``):

* ``inspection`` 巡察: inspections of kind 巡视 or 巡察;
* ``stationed`` 派驻监督: supervision by a stationed 纪检监察组, or a 派驻监督 review; it
  applies to departments and public institutions (派驻 covers the Party and state organs;
  towns, villages and enterprise groups have commissions of their own);
* ``supervision`` 监察: supervision by a discipline body at the same level or stationed
  (the 纪委监委 and its 纪检监察组 exercise 监察), or a 监察 inspection.

A term (届) is ``term_years`` long, starting from ``term_anchor_year``: with 5 and 2017 the
terms are 2012–2016, 2017–2021, 2022–2026.

>>> rule = ChannelRule(kinds=["inspection"], modes=["stationed"])
>>> covered(rule, "department", [("inspection", "2020-03-01", "2020-05-01")], [],
...         "2019-06-30", "2024-06-30")
True
>>> covered(rule, "department", [], ["same_level"], "2019-06-30", "2024-06-30")
False
>>> term_of("2018-06-30", 5, 2017)
('2017-01-01', '2021-12-31')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict

#: An inspection as the rule reads it: (kind, started_on, ended_on).
Visit = tuple[str | None, str | None, str | None]


class ChannelRule(BaseModel):
    """What covers a unit in one channel (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Inspection kinds (schema enum ``inspection_kind``) that cover in this channel.
    kinds: list[str] = []
    #: Supervision modes (schema enum ``supervision_mode``) that cover in this channel.
    modes: list[str] = []
    #: Unit kinds the channel applies to (empty: every kind).
    applies_to: list[str] = []

    def applies(self, unit_kind: str | None) -> bool:
        return not self.applies_to or (unit_kind or "other") in self.applies_to


def default_channels() -> dict[str, ChannelRule]:
    """The three channels of the module docstring, in display order."""
    return {
        "inspection": ChannelRule(kinds=["tour", "inspection"]),
        "stationed": ChannelRule(kinds=["stationed_review"], modes=["stationed"],
                                 applies_to=["department", "institution"]),
        "supervision": ChannelRule(kinds=["supervision"], modes=["same_level", "stationed"]),
    }


def visit_day(started: str | None, ended: str | None, as_of: str) -> str | None:
    """The day an inspection last covered its units as of ``as_of``: its end, or ``as_of``
    while it is still running; None when it started after ``as_of`` or has no dates."""
    if started and started > as_of:
        return None
    day = ended or started
    if day and day > as_of:
        return as_of
    return day


def covered(rule: ChannelRule, unit_kind: str | None, visits: Iterable[Visit],
            modes: Iterable[str | None], window_start: str, as_of: str) -> bool:
    """Whether ``rule`` covers a unit of ``unit_kind`` visited by ``visits`` and supervised
    in ``modes``, in the window from ``window_start`` to ``as_of``."""
    if any(m in rule.modes for m in modes):
        return True
    for kind, started, ended in visits:
        if kind in rule.kinds:
            day = visit_day(started, ended, as_of)
            if day is not None and day >= window_start:
                return True
    return False


def channels_of(rules: Mapping[str, ChannelRule], unit_kind: str | None,
                visits: Sequence[Visit], modes: Sequence[str | None], window_start: str,
                as_of: str) -> dict[str, bool | None]:
    """Per channel: covered (True), not covered (False), or not applicable (None)."""
    return {name: (covered(rule, unit_kind, visits, modes, window_start, as_of)
                   if rule.applies(unit_kind) else None)
            for name, rule in rules.items()}


def term_of(day: str, term_years: int, anchor_year: int) -> tuple[str, str]:
    """The first and last day of the term (届) holding ``day``."""
    year = int(day[:4])
    start = anchor_year + (year - anchor_year) // term_years * term_years
    return f"{start:04d}-01-01", f"{start + term_years - 1:04d}-12-31"


def terms_until(day: str, first_year: int, term_years: int,
                anchor_year: int) -> list[tuple[str, str]]:
    """Every term from the one holding ``first_year`` to the one holding ``day``."""
    out: list[tuple[str, str]] = []
    start, _ = term_of(f"{first_year:04d}-01-01", term_years, anchor_year)
    while start <= day:
        first, last = term_of(start, term_years, anchor_year)
        out.append((first, last))
        start = f"{int(last[:4]) + 1:04d}-01-01"
    return out
