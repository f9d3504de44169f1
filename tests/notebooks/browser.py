"""Debian's Chromium for the notebook and view tests, launched as the UI tests launch it
(never downloaded), in a thread of its own.

Playwright's sync API refuses to start while another sync Playwright runs in the same
thread, and the UI tests keep one open for the whole session; a fresh thread has no running
event loop, so each check gets its own Playwright and browser there, whatever ran before.
Without Chromium the browser tests are skipped in a developer's quick run but fail under CI
(``CI=true``) or ``DUTYGRAPH_REQUIRE_BROWSER=1``, as in ``tests/api/ui``.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from tests.api.ui.conftest import CHROMIUM, CHROMIUM_ARGS, _require_chromium

T = TypeVar("T")


def in_chromium(check: Callable[[Any], T]) -> T:
    """``check(browser)`` with a headless Chromium of its own; its exceptions (failed
    assertions included) are raised here."""
    _require_chromium()

    def run() -> T:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                        headless=True)
            try:
                return check(browser)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium") as pool:
        return pool.submit(run).result()
