"""The rendered copies (docs/notebooks/*.html) open offline in Chromium from a file:// URL:
no request leaves the file (every other request is observed, and aborted), no script
fails, every figure decodes and every graph view draws."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from explore.render import OUT
from tests.notebooks.browser import in_chromium
from tests.notebooks.expected import EXPECTED

COPIES = sorted(OUT.glob("*.html"))


def test_there_is_a_copy_per_notebook() -> None:
    assert [p.stem for p in COPIES] == list(EXPECTED)


@pytest.mark.browser
@pytest.mark.parametrize("copy", COPIES, ids=lambda p: p.stem)
def test_rendered_copy_opens_offline(copy: Path) -> None:
    in_chromium(lambda browser: _open_offline(browser, copy))


def _open_offline(browser: Any, copy: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    url = copy.resolve().as_uri()
    requests: list[str] = []
    errors: list[str] = []

    def only_the_file(route: Any) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_the_file)
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(url, wait_until="load")
        want_images, want_views = EXPECTED[copy.stem]
        page.wait_for_function(
            "n => document.querySelectorAll('[data-dutygraph-view][data-stabilized]').length"
            " >= n", arg=want_views, timeout=60_000)
        assert errors == []
        # data: URLs (the embedded figures) are not requests; anything else would be.
        assert [r for r in requests if not r.startswith("data:")] == [url]
        images = page.eval_on_selector_all(
            ".jp-OutputArea-output img", "els => els.map(e => e.complete && e.naturalWidth)")
        assert len(images) >= want_images and all(images), images
        views = page.locator("[data-dutygraph-view]")
        assert views.count() >= want_views
        assert page.locator("[data-dutygraph-view] canvas").count() == views.count()
        # One copy of vis-network per page, however many views.
        assert page.content().count("<!--dutygraph-vis-assets-->") == (1 if want_views else 0)
    finally:
        context.close()
