"""The graph page in a real browser (Chromium): how fast its first view comes (fetched while
the scripts load, drawn fitted in one frame), its tooltips in the page's language, the
"+N more" hints of its lists, and its sidebar folding away at tablet width."""

from __future__ import annotations

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
