"""Chinese text in matplotlib figures: a CJK font configured once, a clean fallback.

Matplotlib's default font (DejaVu Sans) has no Chinese glyphs: every title would show boxes
and every missing glyph would raise its own warning. :func:`configure_fonts` puts the first
installed CJK font in front of the sans-serif list (the machine's ``fonts-wqy-zenhei`` from
``scripts/system-deps``, or Noto/Source Han, or the usual Windows/macOS fonts). With none
installed it warns once and silences matplotlib's per-glyph warnings, so a notebook shows
one clear notice instead of hundreds. It never selects a backend: figures stay inline.

Examples
--------
>>> import matplotlib
>>> font = configure_fonts()
>>> font is None or matplotlib.rcParams["font.sans-serif"][0] == font
True
>>> matplotlib.rcParams["axes.unicode_minus"]
False
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import replace

import matplotlib
from matplotlib import font_manager

from api.i18n import bilingual
from graph.messages import Message

#: CJK fonts in order of preference (family names as matplotlib reports them).
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC",
    "Arial Unicode MS",
)
#: The message of matplotlib's warning for each glyph a font lacks.
MISSING_GLYPH = r"Glyph \d+ .*missing from"
NO_CJK_FONT = bilingual(Message("explore.no_cjk_font"))


def installed_fonts() -> set[str]:
    """Family names of every font matplotlib can use on this machine."""
    return {f.name for f in font_manager.fontManager.ttflist}


def _serve_every_weight(name: str) -> None:
    """Let the font ``name`` answer for regular and bold text when it has neither.

    CJK fonts often come in one weight (WenQuanYi Zen Hei reports Medium, 500); matplotlib
    then logs "Failed to find font weight normal" for every text it lays out. The font's
    single weight is what would be drawn anyway, so it is registered (in memory) under the
    weights matplotlib asks for.
    """
    entries = [f for f in font_manager.fontManager.ttflist if f.name == name]
    weights = {_weight(f.weight) for f in entries}
    for wanted in ("normal", "bold"):
        if entries and _weight(wanted) not in weights:
            font_manager.fontManager.ttflist.append(replace(entries[0], weight=_weight(wanted)))


def _weight(value: str | int) -> int:
    return value if isinstance(value, int) else font_manager.weight_dict[value]


def configure_fonts(candidates: Sequence[str] = CJK_FONTS) -> str | None:
    """Make the first installed font of ``candidates`` matplotlib's sans-serif font.

    Returns the font chosen, or ``None`` when none is installed: then a single
    ``UserWarning`` says so and matplotlib's missing-glyph warnings are ignored from now on
    (they would repeat for every character drawn). Idempotent; touches only rcParams.
    """
    available = installed_fonts()
    chosen = next((name for name in candidates if name in available), None)
    # The minus sign (U+2212) is missing from most CJK fonts: use the ASCII hyphen.
    matplotlib.rcParams["axes.unicode_minus"] = False
    if chosen is None:
        warnings.warn(NO_CJK_FONT, UserWarning, stacklevel=2)
        warnings.filterwarnings("ignore", message=MISSING_GLYPH, category=UserWarning)
        return None
    _serve_every_weight(chosen)
    rest = [f for f in matplotlib.rcParams["font.sans-serif"] if f != chosen]
    matplotlib.rcParams["font.sans-serif"] = [chosen, *rest]
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    return chosen
