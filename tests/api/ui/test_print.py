"""Printing (打印/导出PDF) in a real browser: Chromium renders the pages to A4 PDFs with the
print stylesheet, and we read the PDFs back — size, page numbers, the header (title, as-of
date, who printed and when), no screen chrome, every panel expanded, tables that repeat
their headers on each page, dates kept whole."""

from __future__ import annotations

import re
from typing import Any

import pytest

from graph.queries.holders import unit_holders
from tests.api.ui.conftest import ANALYST, INSPECTOR
from tests.api.ui.pdftext import Pdf

pytestmark = pytest.mark.browser

A4 = (595.28, 841.89)


def printed(page: Any, path: str) -> Pdf:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    return Pdf(page.pdf(format="A4"))


def flat(text: str) -> str:
    return re.sub(r"\s", "", text)


def check_printout(pdf: Pdf, title: str, user: str, as_of: str) -> None:
    """A4 pages numbered "n / N", the header on the first, nothing of the screen's chrome."""
    texts = pdf.texts
    count = len(texts)
    for i, text in enumerate(texts):
        width, height = pdf.size(i)
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1, (i, width, height)
        assert f"{i + 1}/{count}" in flat(text), (i, text[:80])
    header = flat(texts[0])
    assert flat(title) in header
    assert f"截至日期：{as_of}" in header and f"打印人：{user}" in header
    assert "打印时间：" in header
    whole = "".join(texts)
    for chrome in ("跳到正文", "当前用户", "English", "打印/导出PDF", "接口文档"):
        assert chrome not in whole, chrome
    # A date is never cut at a line's end ("2018-04-" / "20").
    for line in whole.split("\n"):
        assert not re.fullmatch(r"\d{4}-(\d{2}-?)?", line.strip()), line


def test_a_unit_prints_every_panel_with_its_header(ui_page: Any, ui_server: Any) -> None:
    holders = unit_holders(ui_server.store, "unit:JD", as_of="2018-06-30", up=True)
    pdf = printed(ui_page, "/units/JD?as_of=2018-06-30")
    assert len(pdf.page_refs) >= 2
    check_printout(pdf, "嘉定区委", INSPECTOR[0], "2018-06-30")
    whole = flat("".join(pdf.texts))
    # The team panel scrolls on screen; on paper every member is there, and the duty
    # lists collapsed on screen are open.
    assert holders.team
    for member in holders.team:
        assert flat(member.person.caption) in whole
    for duty in holders.committee.duties:
        assert flat(duty.duty.caption) in whole
    # The print is of the chosen date.
    assert "按2018-06-30的任职与分管情况显示" in whole


@pytest.mark.parametrize("path,title", [
    ("/cases/C-JD-001", "新成路朝港居民区违反廉洁纪律问题"),
    ("/issues/I-JD-001", "区委办公室党委主体责任清单内容空泛、指标不可量化"),
    ("/loops?unit=JD", "未闭环事项 · 嘉定区委"),
])
def test_case_issue_and_loops_pages_print(ui_page: Any, path: str, title: str) -> None:
    check_printout(printed(ui_page, path), title, INSPECTOR[0], _today(ui_page))


def _today(page: Any) -> str:
    return str(page.evaluate("document.querySelector('[data-testid=as-of-chip] strong')"
                             ".textContent"))


def test_a_long_table_repeats_its_header_on_every_page(analyst_page: Any) -> None:
    """The health table of every unit runs over many pages: each continuation page starts
    with the table's own header row, and no row is cut in two."""
    page = analyst_page
    pdf = printed(page, "/weak-links")
    check_printout(pdf, "薄弱环节", ANALYST[0], _today(page))
    texts = pdf.texts
    start = next(i for i, t in enumerate(texts) if "单位健康度" in t)
    assert len(texts) - start >= 3
    for text in texts[start + 1:]:
        # After the page number ("n / N"), the header row: 单位 健康度 扣分原因.
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        assert flat("".join(lines[3:9])).startswith("单位健康度扣分原因"), lines[:10]
    page.emulate_media(media="print")
    styles = page.evaluate("""() => {
        const t = document.querySelector('[data-testid=health-table]');
        return [getComputedStyle(t.tHead).display,
                getComputedStyle(t.tBodies[0].rows[0]).breakInside,
                getComputedStyle(t.tHead.rows[0].cells[0]).position]; }""")
    assert styles == ["table-header-group", "avoid", "static"]
