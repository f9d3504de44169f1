"""Load problems: where they are (file, sheet, row, column), why (Chinese and English), and a
stable machine code.

Every problem found while reading, validating or resolving is collected into an
:class:`IssueLog` rather than raised, so one run reports all of them (up to a cap) and the
user fixes a spreadsheet once, not once per error. Rows are numbered as the spreadsheet shows
them: title and header rows count, and a CSV's header is row 1 (or 2 under a title row).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from graph.errors import DutyGraphError

Severity = Literal["error", "warning"]

#: code -> (Chinese template, English template). Templates use ``str.format`` fields.
MESSAGES: dict[str, tuple[str, str]] = {
    "FILE_UNREADABLE": ("无法读取文件：{detail}", "cannot read the file: {detail}"),
    "FILE_FORMAT": ("文件格式错误：{detail}", "malformed file: {detail}"),
    "FILE_TYPE": ("不支持的文件类型 {detail}（支持 CSV、XLSX、JSON、JSONL）",
                  "unsupported file type {detail} (use CSV, XLSX, JSON or JSONL)"),
    "ZIP_BOMB": ("工作簿解压后过大或压缩比异常（{detail}），已拒绝读取",
                 "workbook refused: it would expand too much ({detail})"),
    "ENCODING": ("无法识别文件编码（请另存为 UTF-8 或 GB18030）",
                 "cannot detect the file's encoding (save it as UTF-8 or GB18030)"),
    "MIXED_ENCODING": ("文件混用了两种编码：第 {utf8_row} 行是 UTF-8，"
                       "第 {gb_row} 行是 GB18030/GBK；请整体另存为 UTF-8 后再导入",
                       "the file mixes encodings: row {utf8_row} is UTF-8, row {gb_row} is "
                       "GB18030/GBK; save the whole file as UTF-8 and load it again"),
    "NO_KNOWN_SHEET": ("工作簿中没有可识别的工作表（现有：{detail}；应为 {tables}）",
                       "no sheet of this workbook is a known table (found: {detail}; "
                       "expected one of {tables})"),
    "UNKNOWN_TABLE": ("无法从名称“{detail}”判断是哪张表（应为 {tables}）",
                      "cannot tell which table {detail!r} is (expected one of {tables})"),
    "NO_HEADER": ("未找到表头行（前 {detail} 行中没有可识别的列名）",
                  "no header row found (no known column names in the first {detail} rows)"),
    "UNKNOWN_COLUMN": ("未知列“{detail}”，已忽略", "unknown column {detail!r} ignored"),
    "DUPLICATE_COLUMN": ("列“{detail}”重复出现", "column {detail!r} appears twice"),
    "MISSING_COLUMN": ("缺少必填列“{detail}”", "required column {detail!r} is missing"),
    "REQUIRED": ("必填项为空", "a value is required"),
    "BAD_DATE": ("“{value}”不是有效日期（如 2017-03-01、2017/3/1、2017年3月1日）",
                 "{value!r} is not a valid date (e.g. 2017-03-01, 2017/3/1, 2017年3月1日)"),
    "BAD_INT": ("“{value}”不是整数", "{value!r} is not a whole number"),
    "OUT_OF_RANGE": ("{value} 超出范围 {detail}", "{value} is outside the range {detail}"),
    "BAD_ENUM": ("“{value}”不是允许的取值（可填：{detail}）",
                 "{value!r} is not an allowed value (use one of: {detail_en})"),
    "TOO_LONG": ("内容过长（{detail} 字符）", "value too long ({detail} characters)"),
    "BAD_ID": ("编号“{value}”无效：{detail}", "invalid id {value!r}: {detail}"),
    "DUPLICATE_ID": ("编号“{value}”重复（首次出现于 {detail}）",
                     "duplicate id {value!r} (first seen at {detail})"),
    "BAD_PREFIX": ("“{value}”的前缀不适用于此列（可指向：{detail}）",
                   "{value!r}: this column cannot point at that kind (allowed: {detail_en})"),
    "REF_NOT_FOUND": ("找不到编号为“{value}”的{detail}（本次导入和图谱中均没有）",
                      "no {detail_en} with id {value!r} in this load or in the graph"),
    "REF_AMBIGUOUS": ("编号“{value}”同时对应{detail}，请写成 unit:{value} 或 person:{value}",
                      "id {value!r} names both a {detail_en}; "
                      "write unit:{value} or person:{value}"),
    "REF_SKIPPED": ("引用的“{value}”所在行无效已跳过，本行一并跳过",
                    "refers to {value!r}, whose row was skipped as invalid; row skipped too"),
    "FORM_ON_ORGANISATION": ("问责对象“{detail}”是党组织：“四种形态”只适用于党员个人，"
                             "党组织问责不填形态（本列应为空，而不是 {value}）",
                             "the target {detail!r} is a Party organisation: the four forms "
                             "apply to individual Party members only, so an organisation's "
                             "accountability takes no form (leave this cell empty, not {value})"),
    "ROW_SKIPPED": ("本行无效，已跳过", "invalid row skipped"),
    "SHEET_IGNORED": ("工作表“{detail}”不是已知的表，已忽略",
                      "sheet {detail!r} is not a known table; ignored"),
    "FILE_IGNORED": ("文件名不是已知的表，已忽略", "file name is not a known table; ignored"),
    "BAD_JSON": ("JSON 内容无效：{detail}", "invalid JSON: {detail}"),
}


class LoadIssue(BaseModel):
    """One problem with the input, located as precisely as the input allows."""

    code: str
    severity: Severity = "error"
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    reason_zh: str
    reason_en: str

    def where(self) -> str:
        """``file › sheet › row 3 › column 名称`` as far as known."""
        parts = [p for p in (self.file, self.sheet) if p]
        if self.row is not None:
            parts.append(f"第{self.row}行/row {self.row}")
        if self.column:
            parts.append(f"列/column {self.column}")
        return " › ".join(parts) or "-"


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
    """A :class:`LoadIssue` with both reasons rendered from :data:`MESSAGES`."""
    zh, en = MESSAGES[code]
    text = None if value is None else _short(str(value))
    fmt = {"value": text, "detail": "", "tables": "", **fields}
    fmt.setdefault("detail_en", fmt["detail"])
    return LoadIssue(
        code=code, severity=severity, file=file, sheet=sheet, row=row, column=column,
        value=text, reason_zh=zh.format(**fmt), reason_en=en.format(**fmt),
    )


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
