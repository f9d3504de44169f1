"""No sentence for people is written inline in ``graph/`` or ``loaders/``: a Chinese
character in a string literal there fails this test, outside the places that hold data
rather than text.

The domain returns codes and parameters (:class:`graph.messages.Message`) and the texts are
in the catalogues (``api/i18n/locale``); a Chinese literal in code is a text that bypassed
them (and has, at best, an English twin beside it). What may hold Chinese, and why:

* docstrings and comments — documentation, not output;
* ``description=`` keyword arguments — documentation of a setting (pydantic ``Field``);
* ``graph/schema.py`` — the schema declares every kind's, relationship's, property's and
  enum value's Chinese name (data: :class:`graph.messages.Bilingual`) and their aliases;
* ``loaders/sample/``, ``loaders/synthetic.py`` and ``loaders/synthetic_mechanism.py`` — the
  sample and synthetic data sets;
* named declarations that read Chinese *input* (:data:`ALLOWED_NAMES`): the tables' headers
  and their aliases, and the spellings of dates, numbers and yes/no in spreadsheet cells.

A string escape (``"\\u4e00"``, a code point bound) is not a Chinese literal: only the
characters as written in the source count.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

#: Files (or folders, ending in "/") that are data, whole.
ALLOWED_FILES = ("graph/schema.py", "loaders/sample/", "loaders/synthetic.py",
                 "loaders/synthetic_mechanism.py")
#: (file, top-level name) whose literals read Chinese input.
ALLOWED_NAMES = {
    ("loaders/tables.py", "TABLES"),  # the tables' Chinese names and header aliases
    ("loaders/tables.py", "_id"),  # the id column's header and aliases
    ("loaders/values.py", "_DATE"),  # 2017年3月1日
    ("loaders/values.py", "_INT"),  # 第一种形态, 2017年, 3级
    ("loaders/values.py", "_ZH_DIGITS"),  # 一 … 十
    ("loaders/values.py", "to_text"),  # a TRUE/FALSE cell as 是/否, which enums accept
    # Amounts written with their unit in a cell (12万元, ￥3,000元) or a header (金额（万元）).
    ("loaders/values.py", "_NUMBER"),
    ("loaders/values.py", "parse_number"),
    ("loaders/validate.py", "_IN_WAN"),
    # The written forms of duty indicators (每季度1次, ≥2次/年, 年底前, 整改率100%) and the
    # record actions they name, read from the input.
    *(("graph/loop/indicators.py", name) for name in (
        "_PERIOD_WORDS", "_ZH_NUM", "_NUM", "_SLASH", "_EACH_N", "_EACH", "_YEAR_N", "_RATE",
        "_FULL_DATE", "_MONTH_DAY", "_MONTH_END", "_YEAR_END", "_HALF_END", "_QUARTER_END",
        "_ACTIONS", "_count")),
}


def chinese_literals(source: str) -> Iterator[tuple[int, str, str | None]]:
    """(line, literal as written, enclosing top-level name) of every string literal with a
    Chinese character in ``source``, docstrings and ``description=`` arguments excepted."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)):
            skip.add(id(body[0].value))
        if isinstance(node, ast.keyword) and node.arg == "description":
            skip.update(id(n) for n in ast.walk(node.value))
        if isinstance(node, ast.JoinedStr):  # judged whole, by its own source
            skip.update(id(n) for n in ast.walk(node) if n is not node)
    for top in tree.body:
        name = _name(top)
        for node in ast.walk(top):
            if id(node) in skip or not (isinstance(node, ast.JoinedStr) or (
                    isinstance(node, ast.Constant) and isinstance(node.value, str))):
                continue
            written = ast.get_source_segment(source, node) or ""
            if CJK.search(written):
                yield node.lineno, written, name


def _name(stmt: ast.stmt) -> str | None:
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return stmt.name
    if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
        return stmt.targets[0].id
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return stmt.target.id
    return None


def _files() -> list[str]:
    return sorted(str(p.relative_to(REPO)) for package in ("graph", "loaders")
                  for p in (REPO / package).rglob("*.py"))


def _allowed_file(path: str) -> bool:
    return any(path == a or (a.endswith("/") and path.startswith(a)) for a in ALLOWED_FILES)


def test_no_chinese_text_inline_in_graph_or_loaders() -> None:
    found, used = [], set()
    for path in _files():
        if _allowed_file(path):
            continue
        for line, written, name in chinese_literals((REPO / path).read_text("utf-8")):
            if (path, name) in ALLOWED_NAMES:
                used.add((path, name))
            else:
                found.append(f"{path}:{line} ({name}): {written[:60]}")
    assert found == [], "texts for people belong in the catalogues (graph.messages.Message)"
    # An allowance nothing needs any more is removed, so the list stays as narrow as it is.
    assert sorted(ALLOWED_NAMES - used) == []
    assert all(any(p == a or p.startswith(a) for p in _files()) for a in ALLOWED_FILES)


@pytest.mark.parametrize(("source", "expected"), [
    ('X = "未知单位"\n', [(1, '"未知单位"', "X")]),
    ('def f(n):\n    return f"{n}个单位"\n', [(2, 'f"{n}个单位"', "f")]),
    ('raise ValueError("bad / 错误")\n', [(1, '"bad / 错误"', None)]),
    ('"""模块说明。"""\ndef f():\n    """函数说明。"""\n    # 注释\n', []),
    ('F = Field(1, description="Edge weight (任职).")\n', []),
    ('OK = "\\u4e00" <= c\n', []),
])
def test_the_scan_finds_chinese_literals(source: str, expected: list[tuple[int, str, str | None]]
                                         ) -> None:
    assert list(chinese_literals(source)) == expected
