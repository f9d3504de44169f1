"""Cells for CSV downloads that a spreadsheet will never run as formulas.

Text starting with ``=`` ``+`` ``-`` ``@`` (or a tab or carriage return, which some
spreadsheets skip before looking for one) gets a leading ``'``. One rule for every CSV the
API and the reports write. (``loaders.export`` uses its own reversible escape, because the
loader reads those files back.)

>>> csv_cell("=SUM(A1)"), csv_cell("甲"), csv_cell(3), csv_cell(None)
("'=SUM(A1)", '甲', '3', '')
"""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """The cell's text, prefixed with ``'`` when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
