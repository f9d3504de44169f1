"""Load problems: where they are (file, sheet, row, column), why (a catalogue code and its
parameters, read in Chinese or English), and a stable machine code.

Every problem found while reading, validating or resolving is collected into an
:class:`IssueLog` rather than raised, so one run reports all of them (up to a cap) and the
user fixes a spreadsheet once, not once per error. Rows are numbered as the spreadsheet shows
them: title and header rows count, and a CSV's header is row 1 (or 2 under a title row).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, PrivateAttr, computed_field

from graph.errors import DutyGraphError
from graph.messages import N_, Message, render

Severity = Literal["error", "warning"]

#: Every problem's code → the catalogue code of its text (``load.*`` in the catalogues of
#: :mod:`api.i18n`; placeholders ``value``, ``detail`` and the ones named there).
CODES: dict[str, str] = {
    "FILE_UNREADABLE": N_("load.FILE_UNREADABLE"),
    "FILE_FORMAT": N_("load.FILE_FORMAT"),
    "FILE_TYPE": N_("load.FILE_TYPE"),
    "ZIP_BOMB": N_("load.ZIP_BOMB"),
    "XLSX_PART_TOO_LARGE": N_("load.XLSX_PART_TOO_LARGE"),
    "ENCODING": N_("load.ENCODING"),
    "MIXED_ENCODING": N_("load.MIXED_ENCODING"),
    "NO_KNOWN_SHEET": N_("load.NO_KNOWN_SHEET"),
    "UNKNOWN_TABLE": N_("load.UNKNOWN_TABLE"),
    "AMBIGUOUS_TABLE": N_("load.AMBIGUOUS_TABLE"),
    "NO_HEADER": N_("load.NO_HEADER"),
    "UNKNOWN_COLUMN": N_("load.UNKNOWN_COLUMN"),
    "DUPLICATE_COLUMN": N_("load.DUPLICATE_COLUMN"),
    "MISSING_COLUMN": N_("load.MISSING_COLUMN"),
    "REQUIRED": N_("load.REQUIRED"),
    "BAD_DATE": N_("load.BAD_DATE"),
    "BAD_INT": N_("load.BAD_INT"),
    "BAD_NUMBER": N_("load.BAD_NUMBER"),
    "OUT_OF_RANGE": N_("load.OUT_OF_RANGE"),
    "BAD_ENUM": N_("load.BAD_ENUM"),
    "TOO_LONG": N_("load.TOO_LONG"),
    "BAD_ID": N_("load.BAD_ID"),
    "DUPLICATE_ID": N_("load.DUPLICATE_ID"),
    "BAD_PREFIX": N_("load.BAD_PREFIX"),
    "REF_NOT_FOUND": N_("load.REF_NOT_FOUND"),
    "REF_AMBIGUOUS": N_("load.REF_AMBIGUOUS"),
    "REF_SKIPPED": N_("load.REF_SKIPPED"),
    "FORM_ON_ORGANISATION": N_("load.FORM_ON_ORGANISATION"),
    "TARGET_INCOMPLETE": N_("load.TARGET_INCOMPLETE"),
    "INDICATOR_UNPARSED": N_("load.INDICATOR_UNPARSED"),
    "ROW_SKIPPED": N_("load.ROW_SKIPPED"),
    "SHEET_IGNORED": N_("load.SHEET_IGNORED"),
    "FILE_IGNORED": N_("load.FILE_IGNORED"),
    "SYNC_KEPT": N_("load.SYNC_KEPT"),
    "BAD_JSON": N_("load.BAD_JSON"),
    "BAD_FACT": N_("load.BAD_FACT"),
    "UNKNOWN_PROPERTY": N_("load.UNKNOWN_PROPERTY"),
    "FACT_NOT_FOUND": N_("load.FACT_NOT_FOUND"),
    "FACT_EXISTS": N_("load.FACT_EXISTS"),
    "DUPLICATE_FACT": N_("load.DUPLICATE_FACT"),
}


class LoadIssue(BaseModel):
    """One problem with the input, located as precisely as the input allows.

    The reason is a :class:`~graph.messages.Message` (:attr:`message`), rendered in Chinese
    and English in ``reason_zh`` / ``reason_en`` (and in the JSON report) by the catalogues
    of :mod:`api.i18n` (which the CLI and the API import).
    """

    code: str
    severity: Severity = "error"
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    # Set by make_issue; an issue rebuilt from a JSON report has its texts only there.
    _message: Message | None = PrivateAttr(default=None)

    @property
    def message(self) -> Message | None:
        """The reason as a catalogue code and its parameters."""
        return self._message

    def reason(self, lang: str) -> str:
        """The reason in ``lang`` (``zh`` or ``en``)."""
        return "" if self._message is None else render(self._message, lang)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reason_zh(self) -> str:
        return self.reason("zh")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reason_en(self) -> str:
        return self.reason("en")

    def where(self, lang: str) -> str:
        """``file › sheet › 第3行 › 列 名称`` (``row 3``, ``column 名称`` in English), as far
        as known."""
        parts = [p for p in (self.file, self.sheet) if p]
        if self.row is not None:
            parts.append(render(Message("load.where_row", row=self.row), lang))
        if self.column:
            parts.append(render(Message("load.where_column", column=self.column), lang))
        return render(Message("load.where_sep"), lang).join(parts) or "-"


def make_issue(
    code: str,
    *,
    severity: Severity = "error",
    file: str | None = None,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: Any = None,
    **fields: Any,
) -> LoadIssue:
    """A :class:`LoadIssue` whose reason is the catalogue entry of ``code`` with ``value``
    and ``fields`` (``detail`` and the entry's other placeholders; a field may be a
    :class:`~graph.messages.Message` or a :class:`~graph.messages.Bilingual` value)."""
    text = None if value is None else _short(str(value))
    params = {"value": text, "detail": "", "tables": "", **fields}
    issue = LoadIssue(code=code, severity=severity, file=file, sheet=sheet, row=row,
                      column=column, value=text)
    issue._message = Message(CODES[code], **params)
    return issue


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class IssueLog:
    """Errors and warnings of one load; keeps the first ``cap`` of each, counts them all."""

    def __init__(self, cap: int = 1000) -> None:
        self.cap = cap
        self.errors: list[LoadIssue] = []
        self.warnings: list[LoadIssue] = []
        self.error_count = 0
        self.warning_count = 0

    def add(self, issue: LoadIssue) -> None:
        if issue.severity == "error":
            self.error_count += 1
            if len(self.errors) < self.cap:
                self.errors.append(issue)
        else:
            self.warning_count += 1
            if len(self.warnings) < self.cap:
                self.warnings.append(issue)

    def error(self, code: str, **kw: Any) -> None:
        if len(self.errors) >= self.cap:
            self.error_count += 1  # counted, not built: a bad file can have millions
            return
        self.add(make_issue(code, **kw))

    def warning(self, code: str, **kw: Any) -> None:
        if len(self.warnings) >= self.cap:
            self.warning_count += 1
            return
        self.add(make_issue(code, severity="warning", **kw))

    @property
    def truncated(self) -> bool:
        return self.error_count > len(self.errors) or self.warning_count > len(self.warnings)


class LoadUsageError(DutyGraphError):
    """The load was asked for something impossible (no such path, unknown sample form)."""
