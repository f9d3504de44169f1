"""An inspector's work in a real browser (headless Chromium): units and nodes typed by name,
the as-of date carried by every link, an open loop's own page and the way back, the pages at
tablet and phone widths, and the readability of a 1,000-node graph at fit."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from graph.queries.holders import unit_holders
from graph.queries.loops import open_loops

pytestmark = pytest.mark.browser

STABLE = "body[data-stabilized=true]"


def test_a_unit_is_typed_by_name_and_a_miss_keeps_the_form(ui_page: Any) -> None:
    page = ui_page
    page.goto("/loops")
    page.fill("#unit", "嘉定区委")
    page.locator("[data-testid=scope-form] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/loops\?"))
    assert "嘉定区委" in page.locator("h1").inner_text()
    assert page.locator("#unit").input_value() == "嘉定区委"
    # A name that matches nothing: a 404 page that keeps the form and what was typed.
    response = page.goto("/loops?unit=火星区委")
    assert response is not None and response.status == 404
    assert page.locator("#unit").input_value() == "火星区委"
    assert "火星区委" in page.get_by_test_id("name-error").inner_text()
    assert page.get_by_test_id("scope-form").is_visible()


def test_an_ambiguous_name_lists_its_choices(ui_page: Any) -> None:
    page = ui_page
    page.goto("/loops?unit=纪委")
    choices = page.get_by_test_id("name-choices")
    links = choices.locator("a")
    assert links.count() >= 2
    first = links.first.inner_text()
    links.first.click()
    page.wait_for_url(re.compile(r"/loops\?unit="))
    assert first in page.locator("h1").inner_text()


def test_the_graph_path_takes_names_and_zooms_to_the_path(ui_page: Any) -> None:
    page = ui_page
    page.goto("/graph?node=unit:JD&depth=2&limit=300")
    page.wait_for_selector(STABLE)
    before = float(page.evaluate("window.dutygraph.network.getScale()"))
    page.fill("#path-from", "嘉定区委")
    page.fill("#path-to", "上海市委")
    page.keyboard.press("Escape")  # close the suggestions
    page.get_by_test_id("path-find").click()
    page.wait_for_function(
        "() => window.dutygraph.edges.get().some(e => e.width === 6)", timeout=30_000)
    page.wait_for_function("() => document.getElementById('graph-status')"
                           ".textContent.includes('上海市委')")
    status = page.locator("#graph-status").inner_text()
    assert "嘉定区委" in status and "unit:" not in status
    # The view is fitted to the path, closer than the whole neighbourhood.
    assert float(page.evaluate("window.dutygraph.network.getScale()")) > before


def test_the_as_of_date_travels_with_every_link(ui_page: Any, ui_server: Any) -> None:
    page = ui_page
    as_of = "2018-06-30"
    page.goto(f"/units/JD?as_of={as_of}")
    page.wait_for_load_state("networkidle")
    assert as_of in page.get_by_test_id("as-of-chip").inner_text()
    hrefs = page.eval_on_selector_all(
        "main a[href^='/units/'], main a[href^='/people/'], main a[href^='/graph']",
        "els => els.map(a => a.getAttribute('href'))")
    assert hrefs
    for href in hrefs:
        assert parse_qs(urlparse(href).query).get("as_of") == [as_of], href
    # Following a holder keeps the date, on the page and in its chip.
    person = unit_holders(ui_server.store, "unit:JD", as_of=as_of).secretaries[0].person
    page.get_by_test_id("secretary").get_by_role("link", name=person.caption).first.click()
    page.wait_for_url(re.compile(rf"/people/{person.id}\?.*as_of={as_of}"))
    assert as_of in page.get_by_test_id("as-of-chip").inner_text()
    # "Back to today" drops it.
    page.get_by_test_id("as-of-clear").click()
    page.wait_for_load_state()
    assert "as_of" not in page.url


def test_an_open_loop_says_why_and_leads_back(ui_page: Any, ui_server: Any) -> None:
    page = ui_page
    item = open_loops(ui_server.store, unit="unit:JD", limit=1).items[0]
    page.goto("/loops?unit=JD")
    page.get_by_test_id("loop-item-link").filter(has_text=item.node.caption).first.click()
    page.wait_for_url(re.compile(r"/loops/item\?"))
    why = page.get_by_test_id("loop-why").inner_text()
    assert item.node.caption in page.locator("h1").inner_text()
    # The reason names the date it is judged at (today: no as-of date given).
    assert f"截至 {item_as_of(page)}" in why
    late = page.get_by_test_id("loop-late").inner_text()
    if item.days_overdue > 0:
        assert f"逾期 {item.days_overdue} 天" in late
    page.get_by_test_id("back-to-list").click()
    page.wait_for_url(re.compile(r"/loops\?.*unit=JD"))


def item_as_of(page: Any) -> str:
    return str(page.get_by_test_id("as-of-chip").locator("strong").inner_text())


def _scroll_width(page: Any) -> tuple[int, int]:
    return tuple(page.evaluate(  # type: ignore[return-value]
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"))


@pytest.mark.parametrize("path", ["/", "/units/JD", "/cases/C-JD-001", "/loops?unit=JD",
                                  "/issues/I-JD-001", "/graph?node=unit:JD-JW"])
def test_no_sideways_scroll_at_768(ui_page: Any, path: str) -> None:
    page = ui_page
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(path)
    page.wait_for_load_state("networkidle")
    scroll, client = _scroll_width(page)
    assert scroll <= client, (path, scroll, client)
    assert page.get_by_test_id("lang-switch").is_visible()
    box = page.get_by_test_id("lang-switch").bounding_box()
    assert box is not None and box["x"] + box["width"] <= client


def test_holders_reflow_and_the_graph_sidebar_folds(ui_page: Any) -> None:
    page = ui_page
    columns = "getComputedStyle(document.querySelector('.holders')).gridTemplateColumns" \
              ".split(' ').length"
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto("/units/JD")
    assert page.evaluate(columns) == 2
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate(columns) == 1
    for path in ("/units/JD", "/cases/C-JD-001"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        scroll, client = _scroll_width(page)
        assert scroll <= client, (path, scroll, client)


def test_a_1000_node_view_is_readable_at_fit(analyst_page: Any) -> None:
    """The goal of issue #19 for the 嘉定 view (depth 2, 1,000 nodes): at most 5 % of drawn
    node boxes overlap and every hub (≥ 10 neighbours) is labelled at ≥ 10 px. (Its time is
    the UI benchmark's business: this machine is shared.) The analyst's view, whose weak-link
    marks lengthen labels."""
    page = analyst_page
    page.goto("/graph?node=unit:JD&depth=2&limit=1000")
    page.wait_for_selector(STABLE, timeout=120_000)
    page.wait_for_function("() => window.dutygraph.weakLoaded === true", timeout=60_000)
    page.wait_for_selector(STABLE, timeout=60_000)
    m = page.evaluate("window.dutygraph.measure()")
    assert m["nodes"] >= 900 and m["groups"] > 0
    assert m["overlap_pct"] <= 5.0, m
    assert m["hubs"] > 0 and m["hubs_labelled"] == m["hubs"], m


def test_the_graph_links_its_downloads_for_those_who_may_export(analyst_page: Any,
                                                                ui_page: Any) -> None:
    page = analyst_page
    page.goto("/graph?node=unit:JD-JW")
    page.wait_for_selector(STABLE)
    for name, head in (("graphml", b"<graphml"), ("gexf", b"<gexf"), ("csvzip", b"PK")):
        href = page.get_by_test_id(f"download-{name}").get_attribute("href")
        assert href is not None
        r = page.request.get(href)
        assert r.status == 200 and head in r.body()[:300], (name, r.status)
    # The inspector may not export: no links to follow.
    ui_page.goto("/graph?node=unit:JD-JW")
    ui_page.wait_for_selector(STABLE)
    assert ui_page.get_by_test_id("download-graphml").count() == 0
