"""Debian's Chromium for the notebook tests, as the UI tests launch it (never downloaded).

Without Chromium the browser tests are skipped in a developer's quick run but fail under CI
(``CI=true``) or ``DUTYGRAPH_REQUIRE_BROWSER=1``, as in ``tests/api/ui``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.api.ui.conftest import CHROMIUM, CHROMIUM_ARGS, _require_chromium


def launch() -> Iterator[Any]:
    """A headless Chromium browser, closed when the generator is."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                    headless=True)
        try:
            yield browser
        finally:
            browser.close()
