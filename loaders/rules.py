"""Rules across the columns of a row that need its references resolved.

Checked after :mod:`loaders.resolve`, before anything is written, with the same locating
errors as every other check (file, sheet, row, column, reason in Chinese and English):

* **No form on an organisation's accountability** (``FORM_ON_ORGANISATION``). The four
  forms (四种形态) grade the handling of individual Party members; accountability of a Party
  organisation takes the organisation measures (检查, 通报, 改组) and carries no form
  (DESIGN.md §8). A row of the accountability table whose target resolves to a unit and
  that gives a form is refused; statistics count organisations (个) apart from persons.

With ``skip_invalid`` the row is left out (nothing in the input refers to an
accountability decision, so nothing else drops with it); otherwise the load writes nothing.
"""

from __future__ import annotations

from graph.schema import SCHEMA
from loaders.errors import IssueLog
from loaders.resolve import ref_slots
from loaders.tables import table
from loaders.validate import FIRST_VALUE, Collected

_ORGANISATION_PREFIX = f"{SCHEMA.node('Unit').prefix}:"


def check_rules(collected: Collected, log: IssueLog, *, skip_invalid: bool) -> int:
    """Log every row that breaks a rule of the module docstring; with ``skip_invalid`` drop
    it. Returns the number of rows that broke one."""
    t = table("accountability")
    form_at = FIRST_VALUE + [c.name for c in t.value_columns].index("form")
    target_at = next(i for i, c in ref_slots(t) if c.name == "target_id")
    rows = collected.rows[t.name]
    kept = []
    bad = 0
    for row in rows:
        target = row[target_at]
        # Resolved references are uids; an unresolved one already has its own error.
        if (row[form_at] is not None and isinstance(target, str)
                and target.startswith(_ORGANISATION_PREFIX)):
            bad += 1
            src = collected.sources[row[0]]
            log.error("FORM_ON_ORGANISATION", file=src.file, sheet=src.sheet, row=row[1],
                      column=src.header("form"), value=row[form_at],
                      detail=target.removeprefix(_ORGANISATION_PREFIX))
            if skip_invalid:
                if row[2] is not None:
                    collected.ids["Accountability"].discard(row[2])
                    collected.invalid["Accountability"].add(row[2])
                continue
        kept.append(row)
    if skip_invalid and bad:
        rows[:] = kept
    return bad
