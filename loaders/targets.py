"""Duties' measurable targets: the columns that state one, or the indicator text parsed.

A row of the duties table may give its target in columns (``target_kind``, ``target``,
``period``, ``due_on``, ``counted_actions``) or only as written text (``indicator``,
量化指标). After validation, for each valid row:

* with target columns, they must make a whole target (a count needs ``target`` ≥ 1 and a
  ``period``; a rate ``target`` 1–100; a deadline ``due_on``); the kind may be left out
  when the other columns say it (``target`` + ``period``: a count; ``due_on``: a deadline).
  Otherwise ``TARGET_INCOMPLETE``, located at the missing column;
* ``counted_actions`` lists record actions (``约谈;专题会议`` or codes), each checked like any
  enum cell (``BAD_ENUM``) and kept as codes;
* without target columns, the indicator text is parsed (:mod:`graph.loop.indicators`); a
  text that states no measurable target stays text and is reported as the warning
  ``INDICATOR_UNPARSED`` (never an error: the duty loads as before).

The same rules check a target typed into the API (:func:`check_target`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.loop.indicators import parse
from graph.messages import Bilingual, Message
from graph.schema import SCHEMA
from loaders.errors import IssueLog
from loaders.tables import table
from loaders.validate import FIRST_VALUE, Collected
from loaders.values import MULTI_SEP, enum_choices

_TARGET_COLUMNS = ("target_kind", "target", "period", "due_on", "counted_actions")
#: Why an indicator text states no target (graph.loop.indicators.Indicator.reason).
_UNPARSED = {
    "no_number": Message("load.indicator_no_number"),
    "needs_year": Message("load.indicator_needs_year"),
    "empty": Message("load.indicator_no_number"),
}


class TargetProblem(Exception):  # a signal between the checks and their callers
    """A target that is not whole: the column at fault and the reason's code."""

    def __init__(self, column: str, code: str, detail: Any = "") -> None:
        super().__init__(column, code)
        self.column = column
        self.code = code
        self.detail = detail


def actions_of(text: str) -> str:
    """``counted_actions`` as codes joined by ``;`` (each a record action's code or label).

    >>> actions_of("约谈；meeting")
    'talk;meeting'
    """
    enum = SCHEMA.enum("record_action")
    codes = []
    for part in (p.strip() for p in MULTI_SEP.split(text)):
        if not part:
            continue
        code = enum.parse(part)
        if code is None:
            raise TargetProblem("counted_actions", "BAD_ENUM", Bilingual(
                enum_choices("record_action"), ", ".join(enum.codes)))
        if code not in codes:
            codes.append(code)
    return ";".join(codes)


def check_target(values: Mapping[str, Any]) -> dict[str, Any]:
    """The target columns of one duty made whole, or :class:`TargetProblem`.

    ``values`` holds the duty's validated properties (``year``, ``indicator`` and any of
    the target columns); the result holds the five target properties (``None`` where
    unset). Without target columns the indicator is parsed; an unparsed text gives an
    empty target (the caller reports it).
    """
    out: dict[str, Any] = {c: values.get(c) for c in _TARGET_COLUMNS}
    if out["counted_actions"]:
        out["counted_actions"] = actions_of(str(out["counted_actions"])) or None
    kind = out["target_kind"]
    given = any(out[c] is not None for c in ("target_kind", "target", "period", "due_on"))
    if not given:
        parsed = parse(values.get("indicator"), year=values.get("year"))
        if parsed.ok:
            found = parsed.props()
            if out["counted_actions"]:
                found["counted_actions"] = out["counted_actions"]
            return found
        return out
    if kind is None:
        if out["target"] is not None and out["period"] is not None:
            kind = "count"
        elif out["due_on"] is not None:
            kind = "deadline"
        else:
            raise TargetProblem("target_kind", "TARGET_INCOMPLETE",
                                Message("load.target_needs_kind"))
        out["target_kind"] = kind
    if kind == "count":
        if not out["target"]:
            raise TargetProblem("target", "TARGET_INCOMPLETE", Message("load.target_needs_count"))
        if out["period"] is None:
            raise TargetProblem("period", "TARGET_INCOMPLETE", Message("load.target_needs_period"))
    elif kind == "rate":
        if out["target"] is None or not 1 <= int(out["target"]) <= 100:
            raise TargetProblem("target", "TARGET_INCOMPLETE", Message("load.target_needs_rate"))
        out["period"] = out["period"] or "year"
    elif kind == "deadline" and out["due_on"] is None:
        parsed = parse(values.get("indicator"), year=values.get("year"))
        if parsed.kind != "deadline":
            raise TargetProblem("due_on", "TARGET_INCOMPLETE", Message("load.target_needs_due"))
        out["due_on"] = parsed.due_on
    return out


def fill_targets(collected: Collected, log: IssueLog, *, skip_invalid: bool) -> int:
    """Check or derive the target of every valid duty row (see the module docstring);
    returns the number of rows refused. With ``skip_invalid`` a refused row is dropped."""
    t = table("duties")
    at = {c.name: FIRST_VALUE + i for i, c in enumerate(t.value_columns)}
    rows = collected.rows[t.name]
    kept = []
    bad = 0
    for row in rows:
        values = {name: row[i] for name, i in at.items()}
        src = collected.sources[row[0]]
        try:
            found = check_target(values)
        except TargetProblem as problem:
            bad += 1
            log.error(problem.code, file=src.file, sheet=src.sheet, row=row[1],
                      column=src.header(problem.column), value=values.get(problem.column),
                      detail=problem.detail)
            if skip_invalid:
                collected.ids["Duty"].discard(row[2])
                collected.invalid["Duty"].add(row[2])
                continue
            kept.append(row)
            continue
        if found["target_kind"] is None and values.get("indicator"):
            reason = parse(values["indicator"], year=values.get("year")).reason
            log.warning("INDICATOR_UNPARSED", file=src.file, sheet=src.sheet, row=row[1],
                        column=src.header("indicator"), value=values["indicator"],
                        detail=_UNPARSED[reason or "no_number"])
        if any(found[c] != values.get(c) for c in _TARGET_COLUMNS):
            new = list(row)
            for c in _TARGET_COLUMNS:
                new[at[c]] = found[c]
            row = tuple(new)
        kept.append(row)
    rows[:] = kept
    return bad
