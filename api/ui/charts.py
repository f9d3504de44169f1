"""Small charts drawn as SVG on the server: nothing to load, nothing from outside, they
print as they show, and they work under the strict Content-Security-Policy (presentation
attributes only, no style attributes, no script).

Each chart is an ``<svg role="img">`` with a title and a description that reads the data
out (screen readers, and anyone who cannot tell colours apart), bars labelled with their
values, and a legend in words beside the colours.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

FONT = '"Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif'


@dataclass(frozen=True)
class Series:
    """One stack of a bar chart: its name, colour and a value per category."""

    name: str
    color: str
    values: Sequence[int]


def nice_max(value: int) -> int:
    """The axis maximum: the value rounded up to 1, 2 or 5 times a power of ten.

    >>> nice_max(0), nice_max(7), nice_max(13), nice_max(230)
    (1, 10, 20, 500)
    """
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _text(x: float, y: float, text: str, *, anchor: str = "middle", size: int = 11,
          fill: str = "#1d2329", weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'font-family=\'{FONT}\' fill="{fill}" font-weight="{weight}">{escape(text)}</text>')


def stacked_bars(categories: Sequence[str], series: Sequence[Series], *, title: str,
                 description: str, testid: str, width: int = 440, height: int = 230) -> Markup:
    """Bars per category, stacked by series, each bar topped by its total."""
    columns = 2 if len(series) > 1 else 1
    legend_h = 22 * math.ceil(len(series) / columns)
    left, right, top, bottom = 36, 8, 18, 26 + legend_h
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    top_value = nice_max(max(totals, default=0))
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-labelledby="{testid}-t {testid}-d" '
             f'data-testid="{testid}" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{testid}-t">{escape(title)}</title>',
             f'<desc id="{testid}-d">{escape(description)}</desc>']
    steps = next(n for n in (5, 4, 2, 1) if top_value % n == 0)
    for i in range(steps + 1):  # grid lines and the scale, in whole numbers
        value = top_value * i // steps
        y = top + plot_h - plot_h * i / steps
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                     f'stroke="#d8dde3" stroke-width="1"/>')
        parts.append(_text(left - 4, y + 4, str(value), anchor="end", size=11,
                           fill="#5b6570"))
    slot = plot_w / max(1, len(categories))
    bar_w = min(38.0, slot * 0.7)
    for i, category in enumerate(categories):
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h
        for s in series:
            h = plot_h * s.values[i] / top_value
            if h > 0:
                y -= h
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                             f'height="{h:.1f}" fill="{s.color}" stroke="#ffffff" '
                             f'stroke-width="0.8"><title>{escape(category)} · '
                             f'{escape(s.name)}: {s.values[i]}</title></rect>')
        if totals[i]:
            parts.append(_text(x + bar_w / 2, y - 3, str(totals[i]), size=12, weight="bold"))
        parts.append(_text(x + bar_w / 2, top + plot_h + 15, category, size=12))
    lx, ly = left, height - legend_h + 4
    for n, s in enumerate(series):
        col, row = n % columns, n // columns
        x, y = lx + col * (plot_w / columns), ly + row * 22
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="12" height="12" fill="{s.color}"/>')
        parts.append(_text(x + 16, y + 10, s.name, anchor="start", size=12))
    parts.append("</svg>")
    # Every text and title above went through html.escape; the rest is numbers and colours.
    return Markup("".join(parts))  # noqa: S704
