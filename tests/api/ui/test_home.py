"""The workbench (home page) in a real browser (Chromium): each count is a link to the list
it counts, and that list, filtered accordingly, has as many rows."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _count_links(page: Any, section: str) -> list[tuple[str, int]]:
    """(href, count) of each tally entry of a workbench card."""
    return [(str(href), int(n)) for href, n in page.evaluate(
        "(s) => Array.from(document.querySelectorAll(`[data-testid=${s}] .tally li`))"
        ".map(li => [li.querySelector('a').getAttribute('href'), "
        "li.querySelector('strong').textContent])", section)]


def test_the_workbench_counts_lead_to_their_lists(ui_page: Any) -> None:
    page = ui_page
    page.goto("/")
    total = int(page.get_by_test_id("home-loops-total").inner_text())
    kinds = _count_links(page, "home-loops")
    assert total > 0 and kinds and sum(n for _, n in kinds) == total
    cases = _count_links(page, "home-cases")
    assert cases and any(n > 0 for _, n in cases)

    # The total, clicked: every open loop of the scope, one row each.
    page.get_by_test_id("home-loops-total").click()
    page.wait_for_url(re.compile(r"/loops$"))
    assert page.locator("[data-testid=loops-table] tbody tr").count() == total
    # Each kind's count: the list filtered to that kind, as many rows.
    for href, n in kinds:
        page.goto("/")
        page.locator(f"[data-testid=home-loops] .tally a[href='{href}']").click()
        page.wait_for_url(re.compile(r"/loops\?kind="))
        kind = re.search(r"kind=(\w+)", href)
        assert kind is not None
        rows = page.locator("[data-testid=loops-table] tbody tr")
        assert rows.count() == n, (href, rows.count(), n)
        current = page.locator("[data-testid=loop-totals] a[aria-current=true]")
        assert current.count() == 1
        assert f"kind={kind.group(1)}" in str(current.get_attribute("href"))
    # Each unit's cases: the unit's case list, as many rows, the same total in its title.
    for href, n in cases:
        page.goto("/")
        page.locator(f"[data-testid=home-cases] .tally a[href='{href}']").click()
        page.wait_for_url(re.compile(r"/cases\?unit="))
        assert page.locator("h1 .count").inner_text() == str(n)
        assert page.locator("[data-testid=cases-table] tbody tr").count() == n


def test_the_weak_links_counts_lead_to_them(analyst_page: Any) -> None:
    page = analyst_page
    page.goto("/")
    link = page.get_by_test_id("home-deducted")
    link.wait_for(timeout=120_000)  # the analysis arrives after the page
    severities = _count_links(page, "home-weak")
    assert [re.search(r"severity=(\w+)", h).group(1) for h, _ in severities  # type: ignore[union-attr]
            ] == ["high", "medium", "low"]
    deducted = int(re.findall(r"\d+", link.inner_text())[-1])
    assert deducted > 0
    link.click()
    page.wait_for_url(re.compile(r"/weak-links\?deducted=true"))
    assert page.get_by_test_id("health-count").inner_text() == str(deducted)
    assert page.locator("[data-testid=health-table] tbody tr").count() == deducted
    # Each severity's count: the findings of that severity, as many rows.
    for href, n in severities:
        page.goto("/")
        page.locator(f"[data-testid=home-severities] a[href='{href}']").click()
        page.wait_for_url(re.compile(r"/weak-links\?severity="))
        rows = page.locator("[data-testid=findings-table] tbody tr")
        assert rows.count() == n, (href, rows.count(), n)
        if n:
            assert page.get_by_test_id("findings-count").inner_text() == str(n)
    # A severity that is none of the three: the page says which field and why, in Chinese.
    response = page.goto("/weak-links?severity=urgent")
    assert response is not None and response.status == 400
    assert "严重程度" in page.locator("main").inner_text()
