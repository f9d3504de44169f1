"""Cell values to graph values: text, whole numbers, dates, enum codes, multi-valued cells
and references.

Cells arrive as whatever a reader produced: ``str`` (CSV, most XLSX cells), ``int``/``float``
(numeric XLSX cells, JSON numbers), ``datetime`` (XLSX date cells), lists (JSON arrays) or
formula objects. Formulas are never evaluated: a formula cell is its formula text, and
text starting with ``=``, ``+``, ``-`` or ``@`` is kept verbatim as plain text.

``dutygraph export`` writes such text with a leading ``'`` (so a spreadsheet program opening
the export does not run it as a formula); :func:`unescape` removes exactly one leading ``'``
before ``'*[=+-@]``, so an exported value reads back as itself.

A converter returns the graph value or raises :class:`BadValue` with a machine code; the
validator turns that into a located :class:`loaders.errors.LoadIssue`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from graph.messages import Bilingual, Message
from graph.schema import SCHEMA, Property

#: Longest text kept in a short (``str``) or long (``text``) property.
MAX_STR = 2000
MAX_TEXT = 100_000
MAX_ID = 200

#: Separators of multi-valued cells (ASCII and full-width).
MULTI_SEP = re.compile(r"[;；、,，]")

_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE8 = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_INT = re.compile(r"^第?\s*([+-]?\d+|[一二三四五六七八九十])\s*(?:种形态|形态|年|级)?$")
_ZH_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
_PREFIX = re.compile(r"^([A-Za-z\u4e00-\u9fff]+)\s*[:：]\s*(\S.*)$")
#: Excel's serial day numbers that make sense as dates (1900-01-01 .. 9999-12-31).
_SERIAL_MAX = 2958465

Converter = Callable[[Any], Any]


class BadValue(Exception):  # a signal inside the validator, not a user-facing error
    """A cell value that cannot be converted; ``code`` is a :data:`loaders.errors.CODES` key,
    ``detail`` its entry's ``detail`` (a text, or a message / bilingual value)."""

    def __init__(self, code: str, value: Any = None, detail: Any = "") -> None:
        super().__init__(code)
        self.code = code
        self.value = value
        self.detail = detail


#: Text that :func:`escape` quotes: optional quotes, then a formula-leading character.
_FORMULA_LEAD = re.compile(r"'*[=+\-@]")  # used with .match: anchored at pos


def escape(text: str) -> str:
    """``'`` + text when text (after any quotes) starts with ``=`` ``+`` ``-`` ``@``.

    >>> escape("=HYPERLINK(1)"), escape("'=x"), escape("plain")
    ("'=HYPERLINK(1)", "''=x", 'plain')
    """
    return "'" + text if _FORMULA_LEAD.match(text) else text


def unescape(text: str) -> str:
    """The inverse of :func:`escape`: ``'=x`` -> ``=x``, ``''=x`` -> ``'=x``, others unchanged.

    >>> unescape("'=HYPERLINK(1)"), unescape("''=x"), unescape("'plain")
    ('=HYPERLINK(1)', "'=x", "'plain")
    """
    if text.startswith("'") and _FORMULA_LEAD.match(text, 1):
        return text[1:]
    return text


def is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple):
        return all(is_blank(x) for x in raw)
    return False


def to_text(raw: Any) -> str:
    """The text of a cell: integral floats lose their ``.0``, date cells become ISO dates.

    >>> to_text(1001.0), to_text(" =SUM(A1:A3) "), to_text(dt.datetime(2017, 3, 1))
    ('1001', '=SUM(A1:A3)', '2017-03-01')
    """
    if isinstance(raw, str):
        stripped = raw.strip()
        return unescape(stripped) if stripped.startswith("'") else stripped
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    # openpyxl's ArrayFormula / DataTableFormula: keep the formula's text, never evaluate.
    text = getattr(raw, "text", None)
    if isinstance(text, str):
        return text.strip()
    return str(raw).strip()


_date_cache: dict[Any, str] = {}


def parse_date(raw: Any) -> str:
    """An ISO date from any accepted form; impossible dates (2017-02-30) are rejected.

    >>> [parse_date(x) for x in ("2017-03-01", "2017/3/1", "2017年3月1日", "2017.3.1", 42795)]
    ['2017-03-01', '2017-03-01', '2017-03-01', '2017-03-01', '2017-03-01']
    """
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, bool):
        raise BadValue("BAD_DATE", raw)
    key = raw if isinstance(raw, str | int | float) else None
    if key is not None:
        hit = _date_cache.get(key)
        if hit is not None:
            return hit
    iso = _serial_date(raw) if isinstance(raw, int | float) else _text_date(to_text(raw), raw)
    if key is not None and len(_date_cache) < 100_000:
        _date_cache[key] = iso
    return iso


def _serial_date(n: float) -> str:
    if 19000101 <= n <= 21001231 and float(n).is_integer():
        return _text_date(str(int(n)), n)  # 20170301 typed as a number
    if not 1 <= n <= _SERIAL_MAX:
        raise BadValue("BAD_DATE", n)
    from openpyxl.utils.datetime import from_excel

    value = from_excel(n)
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def _text_date(text: str, raw: Any) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)  # full-width digits
    m = _DATE.match(text) or _DATE8.match(text)
    if not m:
        raise BadValue("BAD_DATE", raw)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        raise BadValue("BAD_DATE", raw) from None


def parse_int(raw: Any, prop: Property | None = None) -> int:
    """A whole number; ``2017年``, ``第一种形态`` and integral floats are accepted.

    >>> parse_int("2017年"), parse_int("第一种形态"), parse_int(3.0)
    (2017, 1, 3)
    """
    if isinstance(raw, bool):
        raise BadValue("BAD_INT", raw)
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise BadValue("BAD_INT", raw)
        value = int(raw)
    else:
        text = to_text(raw)
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text)
        m = _INT.match(text)
        if m is None:
            try:
                f = float(text)
            except ValueError:
                raise BadValue("BAD_INT", raw) from None
            if not f.is_integer():
                raise BadValue("BAD_INT", raw)
            value = int(f)
        else:
            g = m[1]
            value = _ZH_DIGITS[g] if g in _ZH_DIGITS else int(g)
    if prop is not None:
        lo, hi = prop.minimum, prop.maximum
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise BadValue("OUT_OF_RANGE", value, f"{lo}–{hi}")
    return value


_NUMBER = re.compile(r"^[¥￥]?\s*([+-]?(?:\d[\d,]*)?(?:\.\d+)?)\s*(万元|万|元|分)?$")


def parse_number(raw: Any, prop: Property | None = None, scale: float = 1.0) -> float:
    """A number (scores, amounts): ``92.5``, ``92.5分``, ``120,000元``, ``¥120000``, and
    ``12万`` / ``12.5万元`` (times 10,000); numeric cells as they are. ``scale`` multiplies
    a value written without ``万`` or ``元`` (a column headed in 万元 gives 10,000). Integral values
    come back as ``float`` too, so both stores keep one type per property.

    >>> parse_number("92.5分"), parse_number("12.5万元"), parse_number("120,000"), parse_number(8)
    (92.5, 125000.0, 120000.0, 8.0)
    >>> parse_number("12", scale=10_000), parse_number("150,000元", scale=10_000)
    (120000.0, 150000.0)
    """
    if isinstance(raw, bool):
        raise BadValue("BAD_NUMBER", raw)
    if isinstance(raw, int | float):
        value = float(raw) * scale
    else:
        text = to_text(raw)
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text)
        m = _NUMBER.match(text.replace(" ", ""))
        if m is None or not m[1] or m[1] in "+-" or m[1].startswith(","):
            raise BadValue("BAD_NUMBER", raw)
        try:
            value = float(m[1].replace(",", ""))
        except ValueError:
            raise BadValue("BAD_NUMBER", raw) from None
        # An explicit unit wins over the column's: 元 in a column headed in 万元 is yuan.
        value *= 10_000 if m[2] in ("万", "万元") else 1.0 if m[2] == "元" else scale
    if value != value or value in (float("inf"), float("-inf")):
        raise BadValue("BAD_NUMBER", raw)
    value = round(value, 6)  # 12.3万 is 123000, not 122999.99999999999
    if prop is not None:
        lo, hi = prop.minimum, prop.maximum
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise BadValue("OUT_OF_RANGE", raw, f"{lo}–{hi if hi is not None else ''}")
    return value


def enum_choices(enum_name: str) -> str:
    """The allowed values of an enum as users write them: ``主体责任(primary)、…``."""
    return "、".join(f"{v.zh}({v.code})" for v in SCHEMA.enum(enum_name).values)


def converter(prop: Property) -> Converter:
    """The converter for one schema property (``str``, ``text``, ``int``, ``number``,
    ``date``, ``enum``)."""
    if prop.type == "date":
        return parse_date
    if prop.type == "int":
        return lambda raw: parse_int(raw, prop)
    if prop.type == "number":
        return lambda raw: parse_number(raw, prop)
    if prop.type == "enum":
        assert prop.enum is not None
        enum = SCHEMA.enum(prop.enum)
        name = prop.enum

        seen: dict[Any, str] = {}  # few distinct spellings per column: remember them

        def parse_enum(raw: Any) -> str:
            code = seen.get(raw) if raw.__class__ is str else None
            if code is not None:
                return code
            code = enum.parse(to_text(raw))
            if code is None:
                raise BadValue("BAD_ENUM", raw,
                               Bilingual(enum_choices(name), ", ".join(enum.codes)))
            if raw.__class__ is str and len(seen) < 1000:
                seen[raw] = code
            return code

        return parse_enum
    limit = MAX_TEXT if prop.type == "text" else MAX_STR

    def parse_text(raw: Any) -> str:
        text = to_text(raw)
        if prop.type == "text" and "\r" in text:
            text = text.replace("\r\n", "\n")
        if len(text) > limit:
            raise BadValue("TOO_LONG", raw, str(len(text)))
        return text

    return parse_text


def parse_id(raw: Any) -> str:
    """A node id: non-empty text without line breaks, at most :data:`MAX_ID` characters."""
    text = raw.strip() if raw.__class__ is str else to_text(raw)
    if text.startswith("'"):
        text = unescape(text)
    if "\n" in text or "\r" in text:
        raise BadValue("BAD_ID", text, Message("load.id_line_break"))
    if len(text) > MAX_ID:
        raise BadValue("BAD_ID", text, Message("load.id_too_long", max=MAX_ID))
    return text


def split_multi(raw: Any) -> tuple[str, ...]:
    """The values of a multi-valued cell, split on ``;`` ``；`` ``、`` ``,`` ``，``.

    >>> split_multi("JD；MH、SIPG, JWDW")
    ('JD', 'MH', 'SIPG', 'JWDW')
    """
    if isinstance(raw, list | tuple):
        parts: list[str] = []
        for item in raw:
            parts.extend(split_multi(item))
        return tuple(parts)
    return tuple(p for p in (x.strip() for x in MULTI_SEP.split(to_text(raw))) if p)


_PREFIXES: dict[str, str] = {}
for _n in SCHEMA.nodes:
    _PREFIXES[_n.prefix] = _n.label
    _PREFIXES[_n.zh] = _n.label


def parse_ref(text: str, labels: tuple[str, ...]) -> tuple[str | None, str]:
    """(label, id) of a reference; label is None for a bare id.

    A known kind prefix (``unit:``, ``person:``, or ``单位：``, ``人员：``) fixes the kind; a
    prefix naming a kind this column cannot point at raises ``BAD_PREFIX``.

    >>> parse_ref("unit:JD", ("Unit", "Person")), parse_ref("JD", ("Unit", "Person"))
    (('Unit', 'JD'), (None, 'JD'))
    """
    if ":" not in text and "：" not in text:
        return None, text
    m = _PREFIX.match(text)
    if m is None:
        return None, text
    label = _PREFIXES.get(m[1].lower()) or _PREFIXES.get(m[1])
    if label is None:
        return None, text  # an id that merely contains a colon
    if label not in labels:
        raise BadValue("BAD_PREFIX", text, Bilingual(
            "、".join(SCHEMA.node(lb).zh for lb in labels),
            ", ".join(SCHEMA.node(lb).prefix for lb in labels)))
    return label, parse_id(m[2])
