"""The graph page in a real browser (Chromium): how fast its first view comes (fetched while
the scripts load, drawn fitted in one frame), its tooltips in the page's language, the
"+N more" hints of its lists, and its sidebar folding away at tablet width."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser

STABLE = "body[data-stabilized=true]"


def test_the_first_view_is_fetched_once_while_the_scripts_load(ui_page: Any) -> None:
    page = ui_page
    page.goto("/graph?node=unit:JD&depth=2&limit=300&as_of=2018-06-30")
    page.wait_for_selector(STABLE)
    fetched = page.evaluate(
        "performance.getEntriesByType('resource').filter(r => r.name.includes("
        "'/api/graph/neighbourhood/')).map(r => [r.name, r.initiatorType])")
    # One request, the page's preload, which graph.js's own fetch then used.
    assert len(fetched) == 1, fetched
    url, initiator = fetched[0]
    assert initiator == "link"
    assert url.endswith("/api/graph/neighbourhood/unit%3AJD?as_of=2018-06-30&depth=2&limit=300")
    # The first frame drawn was already fitted to the whole view: fitting again moves
    # nothing (by less than a pixel).
    before = page.evaluate("[window.dutygraph.network.getScale(), "
                           "window.dutygraph.network.getViewPosition()]")
    after = page.evaluate("(() => { const n = window.dutygraph.network; "
                          "n.fit({animation: false}); "
                          "return [n.getScale(), n.getViewPosition()]; })()")
    assert after[0] == pytest.approx(before[0], rel=1e-6)
    for axis in ("x", "y"):
        assert abs(after[1][axis] - before[1][axis]) * after[0] < 1.0, (before, after)


#: A tooltip's or the details' key: the text before the colon of "key：value" lines.
KEY = re.compile(r"^([^：:]+)[：:]")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _tooltip_lines(page: Any) -> list[list[str]]:
    """Every drawn node's tooltip (vis-network's ``title`` element), line by line."""
    return list(page.evaluate(
        "window.dutygraph.nodes.get().filter(n => n.title).map(n => "
        "[n.title.firstChild.textContent, ...Array.from(n.title.children).slice(1)"
        ".map(c => c.textContent)])"))


def test_tooltips_name_their_keys_in_the_page_language(ui_page: Any) -> None:
    page = ui_page
    page.goto("/graph?node=unit:JD&depth=2&limit=300")
    page.wait_for_selector(STABLE)
    # A real hover shows the node's tooltip: 单位：嘉定区委, then its properties.
    point = page.evaluate(
        """(uid) => { const n = window.dutygraph.network;
             const p = n.canvasToDOM(n.getPositions([uid])[uid]);
             const r = document.getElementById('network').getBoundingClientRect();
             return {x: r.left + p.x, y: r.top + p.y}; }""", "unit:JD")
    page.mouse.move(point["x"], point["y"])
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible")
    shown = tip.inner_text()
    assert shown.startswith("单位：嘉定区委"), shown
    assert "编号：JD" in shown and "unit:" not in shown
    tooltips = _tooltip_lines(page)
    assert len(tooltips) > 20
    keys: set[str] = set()
    for lines in tooltips:
        text = "\n".join(lines)
        assert not re.search(r"\b(name|title|uid)\s*:", text), text
        for line in lines:
            m = KEY.match(line)
            if m:
                keys.add(m.group(1))
    # Every key is a Chinese name (编号, 类型, 层级 ...), never a raw property or a uid.
    assert keys and all(CJK.search(k) for k in keys), sorted(keys)
    assert not any(":" in k or "_" in k for k in keys), sorted(keys)
    # In English, the same keys are English words (the catalogue's), not property names
    # (``organisation code``, never ``org_code``).
    page.goto("/graph?node=unit:JD&depth=2&limit=300&lang=en")
    page.wait_for_selector(STABLE)
    en_keys = {m.group(1) for lines in _tooltip_lines(page) for line in lines
               if (m := KEY.match(line))}
    assert {"unit", "ID", "organisation code"} <= en_keys, sorted(en_keys)
    assert not any("_" in k or CJK.search(k) for k in en_keys), sorted(en_keys)


def _hint(page: Any, panel: str) -> tuple[bool, int]:
    """(shown, N) of the "+N more" hint after ``panel``."""
    hint = page.locator(f"{panel} + [data-testid=more-hint]")
    visible = hint.is_visible()  # read once: the hint updates on the next animation frame
    digits = re.search(r"\d+", hint.inner_text() if visible else "")
    return visible, int(digits.group()) if digits else 0


def _status_numbers(page: Any) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", page.locator("#graph-status").inner_text())]


def test_a_truncated_view_and_its_lists_say_how_much_more(ui_page: Any) -> None:
    page = ui_page
    page.goto("/graph?node=unit:JD&depth=2&limit=300")
    page.wait_for_selector(STABLE)
    # The view was cut at 300 nodes: the status counts what the cap left out, as the API
    # reports it (the API's counts are of what the user may see).
    view = page.request.get("/api/graph/neighbourhood/unit%3AJD?depth=2&limit=300").json()
    assert view["truncated"]
    left_out = sum(view["more"].values())
    assert f"另有 {left_out} 个未显示" in page.locator("#graph-status").inner_text()
    # The node list scrolls: its hint counts the items below the fold, some but not all.
    listed = page.locator("#node-list > li").count()
    shown, n = _hint(page, "#node-list")
    assert shown and 0 < n < listed, (n, listed)
    # Hiding a kind: its items leave the list and the counts; the hint counts again.
    kinds = page.evaluate("window.dutygraph.nodes.get().map(n => n.kind)")
    kind = "Assessment" if "Assessment" in kinds else kinds[-1]
    nodes_before = _status_numbers(page)[0]
    page.locator(f"#filter-kinds input[value={kind}]").uncheck()
    page.wait_for_selector(STABLE)
    fewer = page.locator("#node-list > li").count()
    assert fewer < listed
    assert _status_numbers(page)[0] < nodes_before
    page.wait_for_timeout(100)  # the hint is counted again at the next frame
    shown, n_after = _hint(page, "#node-list")
    assert n_after < fewer and (not shown or n_after > 0)
    # Scrolled to its end, nothing is below the fold: no hint.
    page.evaluate("(() => { const l = document.getElementById('node-list'); "
                  "l.scrollTop = l.scrollHeight; })()")
    page.wait_for_timeout(100)
    assert _hint(page, "#node-list") == (False, 0)
    # A group of more members than its list shows says how many more there are.
    group = page.evaluate("window.dutygraph.nodes.get().filter(n => n.group_of > 60)"
                          ".map(n => [n.id, n.group_of])[0]")
    assert group is not None
    page.evaluate("(id) => window.dutygraph.select(id)", group[0])
    rest = page.get_by_test_id("group-rest")
    assert rest.inner_text() == f"另有 {group[1] - 60} 个未显示"
    shown, n = _hint(page, "#selection-body .node-list")
    assert shown and 0 < n < 60


def test_the_sidebar_folds_at_tablet_width(ui_page: Any) -> None:
    page = ui_page
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto("/graph?node=unit:JD&depth=2&limit=300")
    page.wait_for_selector(STABLE)
    side, toggle = page.locator("#graph-side"), page.get_by_test_id("side-toggle")
    # Folded at first: the canvas has the width, the page does not scroll sideways.
    assert not side.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    width = page.evaluate("document.getElementById('network').getBoundingClientRect().width")
    assert width > 700
    scroll = page.evaluate("[document.documentElement.scrollWidth, "
                           "document.documentElement.clientWidth]")
    assert scroll[0] <= scroll[1], scroll
    # The toggle opens it over the canvas, and stays there to fold it again.
    toggle.click()
    assert side.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#graph-node").is_visible()
    # Counted once the opened list is drawn (on the next animation frame).
    page.locator("#node-list + [data-testid=more-hint]").wait_for(state="visible")
    shown, n = _hint(page, "#node-list")
    assert shown and n > 0
    toggle.click()
    assert not side.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    scroll = page.evaluate("[document.documentElement.scrollWidth, "
                           "document.documentElement.clientWidth]")
    assert scroll[0] <= scroll[1], scroll
    # On a wide screen it is open beside the canvas.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/graph?node=unit:JD&depth=2&limit=300")
    page.wait_for_selector(STABLE)
    assert side.is_visible() and toggle.get_attribute("aria-expanded") == "true"
