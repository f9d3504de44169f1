"""Chinese in matplotlib figures: the CJK font draws every title without a warning; with
no CJK font, one notice instead of a warning per glyph. Figures are drawn on their own Agg
canvas: the global backend is never touched."""

from __future__ import annotations

import logging
import os
import warnings
from io import BytesIO

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from explore.fonts import CJK_FONTS, NO_CJK_FONT, configure_fonts, installed_fonts


def _draw_chinese() -> None:
    fig = Figure(figsize=(3, 2))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.plot([-1, 0, 1], [1, -2, 3])
    ax.set_title("嘉定区问责人次", fontweight="bold")
    ax.set_xlabel("年度")
    fig.savefig(BytesIO(), format="png")


def _require_cjk_font() -> None:
    if set(CJK_FONTS) & installed_fonts():
        return
    if os.environ.get("CI") == "true" or os.environ.get("DUTYGRAPH_REQUIRE_BROWSER") == "1":
        pytest.fail("no CJK font: run scripts/system-deps (fonts-wqy-zenhei)")
    pytest.skip("no CJK font installed (run scripts/system-deps)")


def test_the_installed_cjk_font_draws_chinese_without_warnings(
        caplog: pytest.LogCaptureFixture) -> None:
    _require_cjk_font()
    with matplotlib.rc_context(), warnings.catch_warnings(record=True) as caught, \
            caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("always")
        font = configure_fonts()
        assert font in installed_fonts() and font in CJK_FONTS
        assert matplotlib.rcParams["font.sans-serif"][0] == font
        assert configure_fonts() == font  # idempotent
        _draw_chinese()
    assert [str(w.message) for w in caught] == []
    assert [r.getMessage() for r in caplog.records] == []


def test_without_a_cjk_font_one_notice_instead_of_a_warning_per_glyph() -> None:
    with matplotlib.rc_context(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        matplotlib.rcParams["font.family"] = ["sans-serif"]
        matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans"]
        _draw_chinese()
        flood = len(caught)
        assert flood >= 5  # DejaVu Sans has none of these glyphs: one warning each
        caught.clear()
        assert configure_fonts(candidates=("No Such Font",)) is None
        _draw_chinese()
    assert [str(w.message) for w in caught] == [NO_CJK_FONT]
