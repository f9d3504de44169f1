"""The inspectors' pages in a real browser (Debian's Chromium, headless) over the sample
data: a new inspector's journey, no request leaving the server, and the keyboard."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest

from graph.queries.cases import cases_in_subtree
from graph.queries.chain import case_trace
from graph.queries.holders import unit_holders

pytestmark = pytest.mark.browser

STABLE = "body[data-stabilized=true]"


def graph_count(page: Any) -> int:
    return int(page.evaluate("window.dutygraph.nodes.length"))


def test_new_inspector_journey(ui_page: Any, ui_server: Any) -> None:
    page = ui_page
    store: Any = ui_server.store
    holders = unit_holders(store, "unit:JD")

    # 1. Search "嘉定" from the home page: instant suggestions, then the ranked results.
    page.goto("/")
    box = page.locator("#home-q")
    box.fill("嘉定")
    page.locator("#home-suggest li[role=option]").first.wait_for()
    assert "嘉定区委" in page.locator("#home-suggest").inner_text()
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    results = page.get_by_test_id("results")
    assert "嘉定区委" in results.inner_text()

    # 2. Open 嘉定区委: its secretary and the body supervising it.
    results.get_by_role("link", name="嘉定区委", exact=True).click()
    page.wait_for_url(re.compile(r"/units/JD$"))
    assert page.locator("h1").inner_text().startswith("嘉定区委")
    secretary = page.get_by_test_id("secretary").inner_text()
    assert holders.secretaries and all(s.person.caption in secretary
                                       for s in holders.secretaries)
    assert "嘉定区纪委监委" in page.get_by_test_id("supervisors").inner_text()

    # 3. Open a case of the district whose trace-back has gaps: the gaps are badged.
    listed = cases_in_subtree(store, "unit:JD", limit=10).items
    target = next(c for c in listed if case_trace(store, c.case.uid).summary.gaps > 0)
    trace = case_trace(store, target.case.uid)
    page.get_by_test_id("unit-cases").get_by_role("link", name=target.case.caption).click()
    page.wait_for_url(re.compile(r"/cases/"))
    gaps = page.locator('[data-testid=trace-table] tr[data-status="gap"]')
    assert gaps.count() == trace.summary.gaps
    assert all("缺口" in t for t in gaps.all_inner_texts())
    assert f"{trace.summary.gaps} 个问责缺口" in page.get_by_test_id("trace-summary").inner_text()

    # 4. Open the graph around the case: a click selects a node (its details beside the
    # canvas, nothing fetched), its "expand" action adds its neighbours.
    page.get_by_role("link", name="在关系图中查看").click()
    page.wait_for_url(re.compile(r"/graph\?node=case"))
    page.wait_for_selector(STABLE)
    before = graph_count(page)
    assert before >= 2
    unit_uid = trace.unit.unit.uid if trace.unit else None
    assert unit_uid is not None
    point = page.evaluate(
        """(uid) => { const n = window.dutygraph.network;
             const p = n.canvasToDOM(n.getPositions([uid])[uid]);
             const r = document.getElementById('network').getBoundingClientRect();
             return {x: r.left + p.x, y: r.top + p.y}; }""", unit_uid)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function("(u) => window.dutygraph.selected === u", arg=unit_uid)
    assert graph_count(page) == before
    assert trace.unit is not None
    assert trace.unit.unit.caption in page.get_by_test_id("selection").inner_text()
    page.get_by_test_id("expand-node").click()
    page.wait_for_function("(n) => window.dutygraph.nodes.length > n", arg=before)
    assert page.locator("#node-list button").count() == graph_count(page)

    # 5. Switch to English; the choice is kept on the next page.
    page.get_by_test_id("lang-switch").click()
    page.wait_for_selector("html[lang=en]")
    assert "Relationship graph" in page.title()
    page.wait_for_selector(STABLE)
    page.goto("/units/JD")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Secretary" in page.get_by_test_id("secretary").inner_text()
    assert "嘉定区纪委监委" in page.get_by_test_id("supervisors").inner_text()


MAIN_PAGES = [
    "/", "/search?q=嘉定", "/units/JD", "/cases/C-JD-001", "/issues/I-JD-001", "/loops",
    "/loops?unit=JD", "/graph?node=unit:JD", "/units/NOPE",
]


def test_no_request_leaves_the_server(ui_page: Any, ui_server: Any) -> None:
    page = ui_page
    seen: list[str] = []
    page.on("request", lambda req: seen.append(req.url))
    origin = urlparse(ui_server.url).netloc
    person = unit_holders(ui_server.store, "unit:JD").secretaries[0].person
    for path in [*MAIN_PAGES, f"/people/{person.id}"]:
        page.goto(path)
        if path.startswith("/graph"):
            page.wait_for_selector(STABLE)
        page.wait_for_load_state("networkidle")
    outside = [u for u in seen if not u.startswith(("data:", "blob:"))
               and urlparse(u).netloc != origin]
    assert outside == []
    # The pages did load their own assets (CSS, scripts, vis-network, the graph API).
    assert any(u.endswith("/static/ui/ui.css") for u in seen)
    assert any("/static/vendor/vis-network/vis-network.min.js" in u for u in seen)
    assert any("/api/graph/neighbourhood/" in u for u in seen)


def test_keyboard_navigation(ui_page: Any) -> None:
    page = ui_page
    page.goto("/")
    # The first Tab reaches the skip link; Enter moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # a visible focus ring
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    # Tab on to the search box, type, pick a suggestion with the arrow key, open it.
    page.locator("#q").focus()
    page.keyboard.type("嘉定区纪委")
    page.locator("#suggest li[role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    selected = page.locator('#suggest li[aria-selected="true"]')
    assert selected.count() == 1
    assert page.locator("#q").get_attribute("aria-activedescendant") == selected.get_attribute("id")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/(units|people|nodes)/"))
    # Table headings sort with the keyboard.
    page.goto("/loops")
    heading = page.locator("table.sortable thead th").last
    heading.locator("button").focus()
    page.keyboard.press("Enter")
    assert heading.get_attribute("aria-sort") in ("ascending", "descending")
    days = [int(x) for x in page.locator("table.sortable tbody td.num").all_inner_texts()]
    assert days == sorted(days) or days == sorted(days, reverse=True)
    # The graph's node list is reachable: Enter selects a node, and its "expand" action
    # (reached with Tab) adds its neighbours.
    page.goto("/graph?node=unit:JD-JW")
    page.wait_for_selector(STABLE)
    before = graph_count(page)
    first = page.locator("#node-list button").nth(1)
    uid = first.get_attribute("data-uid")
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(u) => window.dutygraph.selected === u", arg=uid)
    page.get_by_test_id("expand-node").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(n) => window.dutygraph.nodes.length > n", arg=before)


def test_graph_filters_path_more_and_exports(ui_page: Any, tmp_path: Any) -> None:
    page = ui_page
    page.goto("/graph?node=unit:JD&limit=20")
    page.wait_for_selector(STABLE)
    # The cap cut the neighbourhood: the view says how many more there are.
    assert "另有" in page.locator("#graph-status").inner_text()
    # Nodes with neighbours left out carry "(+N)" in the node list.
    assert re.search(r"\(\+\d+\)", page.locator("#node-list").inner_text())
    # Filtering a node kind hides those nodes (and the list follows).
    page.goto("/graph?node=unit:JD")
    page.wait_for_selector(STABLE)
    people = int(page.evaluate("window.dutygraph.nodes.get().filter(n => n.kind === 'Person')"
                               ".length"))
    assert people > 0
    page.locator('#filter-kinds input[value="Person"]').uncheck()
    assert page.evaluate(
        "window.dutygraph.nodes.get().filter(n => n.kind === 'Person' && !n.hidden).length") == 0
    visible = int(page.evaluate("window.dutygraph.nodes.get().filter(n => !n.hidden).length"))
    assert page.locator("#node-list button").count() == visible
    page.locator('#filter-kinds input[value="Person"]').check()
    # Exports: a CSV of the relationships and a PNG of the picture, made in the browser.
    with page.expect_download() as dl:
        page.get_by_test_id("export-csv").click()
    csv_path = tmp_path / "graph.csv"
    dl.value.save_as(csv_path)
    text = csv_path.read_text(encoding="utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("起点编号,")  # headers in the page's language
    assert len(lines) - 1 >= int(page.evaluate("window.dutygraph.edges.length"))
    assert "嘉定区委" in text
    with page.expect_download() as dl:
        page.get_by_test_id("export-png").click()
    png_path = tmp_path / "graph.png"
    dl.value.save_as(png_path)
    png = png_path.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # A4 landscape at 300 dpi (IHDR: width, height), not the size of the screen.
    assert int.from_bytes(png[16:20], "big") == 3508 and int.from_bytes(png[20:24], "big") == 2480
    # The path from the district up to the city (by id here; names in test_workflows),
    # drawn into the view and named in the status line.
    page.fill("#path-from", "unit:JD")
    page.fill("#path-to", "unit:SH")
    page.keyboard.press("Escape")
    page.get_by_test_id("path-find").click()
    page.wait_for_function(
        "() => window.dutygraph.edges.get().some(e => e.width === 6)")
    page.wait_for_function("() => document.getElementById('graph-status')"
                           ".textContent.includes('上海市委')")
