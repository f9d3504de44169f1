"""The warning list for people: the rule behind each colour in words, and the list as a
table (CSV, XLSX) with Chinese headers (English with ``lang=en``), for the workbench, the
API downloads and ``dutygraph query warnings``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from api.i18n import Lang, translate
from graph.messages import N_, Message
from graph.queries.warnings import WarningItem, WarningList

#: Item type -> its name in the catalogue.
TYPE_TEXT = {
    "duty": N_("loop.type.duty"), "referral": N_("loop.type.referral"),
    "order": N_("loop.type.order"), "issue": N_("loop.type.issue"),
    "project": N_("loop.type.project"),
}
COLOUR_TEXT = {"red": N_("loop.colour.red"), "yellow": N_("loop.colour.yellow"),
               "green": N_("loop.colour.green")}
#: Rule code -> its explanation (placeholders: done, expected, target, period, due, days,
#: left; see :mod:`graph.loop.status`).
RULE_TEXT = {
    "overdue": N_("loop.rule.overdue"), "failed": N_("loop.rule.failed"),
    "behind": N_("loop.rule.behind"), "due_soon": N_("loop.rule.due_soon"),
    "no_deadline": N_("loop.rule.no_deadline"),
    "awaiting_verification": N_("loop.rule.awaiting_verification"),
    "on_track": N_("loop.rule.on_track"), "met": N_("loop.rule.met"),
    "done": N_("loop.rule.done"), "done_late": N_("loop.rule.done_late"),
    "no_items": N_("loop.rule.no_items"), "not_started": N_("loop.rule.not_started"),
    "verified": N_("loop.rule.verified"),
}
#: The columns of the table, in order: (catalogue code of the header, value of an item).
COLUMNS = (
    N_("loop.col.colour"), N_("loop.col.type"), N_("loop.col.item"), N_("loop.col.id"),
    N_("loop.col.unit"), N_("loop.col.holder"), N_("loop.col.rule"), N_("loop.col.due"),
    N_("loop.col.days_overdue"), N_("loop.col.days_left"), N_("loop.col.done"),
    N_("loop.col.expected"), N_("loop.col.target"), N_("loop.col.period"),
    N_("loop.col.indicator"),
)
_FILL = {"red": "F8D7DA", "yellow": "FFF3CD", "green": "D4EDDA"}


def _n(value: int | None) -> str:
    return "-" if value is None else str(value)


def rule_text(item: WarningItem, lang: Lang) -> str:
    """What the item's rule says about it, in ``lang``."""
    expected = item.expected if item.expected is not None else item.target
    return translate(Message(RULE_TEXT[item.rule], done=_n(item.done), expected=_n(expected),
                             target=_n(item.target), period=item.period or "-",
                             due=item.due_on or "-", days=item.days_overdue,
                             left=item.days_left), lang)


def row_of(item: WarningItem, lang: Lang) -> list[str | int | None]:
    """One item as a table row (:data:`COLUMNS`)."""
    return [
        translate(COLOUR_TEXT[item.colour], lang), translate(TYPE_TEXT[item.type], lang),
        item.node.caption, item.node.uid, item.unit.caption if item.unit else None,
        item.holder.caption if item.holder else None, rule_text(item, lang), item.due_on,
        item.days_overdue or None, item.days_left if item.colour != "red" else None,
        item.done, item.expected, item.target, item.period, item.indicator,
    ]


def headers(lang: Lang) -> list[str]:
    return [translate(code, lang) for code in COLUMNS]


def to_csv(items: Sequence[WarningItem], lang: Lang) -> bytes:
    """The items as CSV, UTF-8 with a BOM (so that Excel reads the Chinese right)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers(lang))
    for item in items:
        writer.writerow(["" if v is None else _safe(v) for v in row_of(item, lang)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _safe(value: str | int) -> str | int:
    """Text a spreadsheet would run as a formula starts with ``'`` (as ``dutygraph export``
    writes it)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_xlsx(result: WarningList, lang: Lang, scope_caption: str) -> bytes:
    """The list as a workbook: a title row (as-of date and scope), the header, one row per
    item coloured by its status."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = translate("loop.sheet", lang)
    ws.append([translate(Message("loop.sheet_title", as_of=result.as_of, scope=scope_caption),
                         lang)])
    ws["A1"].font = Font(bold=True)
    ws.append(headers(lang))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for item in result.items:
        ws.append([_safe(v) if v is not None else None for v in row_of(item, lang)])
        fill = PatternFill("solid", fgColor=_FILL[item.colour])
        ws.cell(row=ws.max_row, column=1).fill = fill
    for col, width in zip("ABCDEFGHIJKLMNO", (6, 10, 36, 30, 22, 14, 40, 12, 8, 8, 8, 8, 8,
                                              10, 30), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
