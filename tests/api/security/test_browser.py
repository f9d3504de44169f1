"""In a real browser (Chromium): log in through the form, land on the page asked for, and
use the pages — none of them trips the Content-Security-Policy (no inline script without
the nonce, nothing from another origin)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.ui.conftest import CHROMIUM_ARGS, UiServer, _require_chromium, serve_sample
from tests.conftest import TEST_ADMIN, TEST_ADMIN_PASSWORD, admin_headers

PAGES = ["/", "/units/JD", "/people/P-JD-01", "/cases/C-JD-001", "/loops", "/weak-links",
         "/graph?node=unit:JD", "/views/neighbourhood/unit:JD", "/docs", "/redoc",
         "/admin/audit?uid=person:P-JD-01"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UiServer]:
    home = tmp_path_factory.mktemp("sec-browser")
    for running in serve_sample(home):
        admin_headers(home)  # an admin: the admin pages are visited too
        yield running


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS,
                              headless=True)
        try:
            yield b
        finally:
            b.close()


def test_login_then_every_page_works_under_the_csp(chromium: Any, server: UiServer,
                                                   tmp_path: Path) -> None:
    context = chromium.new_context(base_url=server.url)
    problems: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text)
                if m.type == "error" and "Content Security Policy" in m.text else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto("/units/JD")
        assert "/login" in page.url  # not logged in: sent to the login page
        page.fill("#username", TEST_ADMIN)
        page.fill("#password", "wrong password")
        with page.expect_navigation():
            page.click("[data-testid=login-submit]")
        assert page.locator("[data-testid=login-error]").is_visible()
        page.fill("#password", TEST_ADMIN_PASSWORD)
        with page.expect_navigation():
            page.click("[data-testid=login-submit]")
        assert page.url.endswith("/units/JD")  # back where the user wanted to go
        cookie = next(c for c in context.cookies() if c["name"] == "dg_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        assert page.evaluate("document.cookie").find("dg_session") < 0  # not readable by JS
        for path in PAGES:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            page.wait_for_load_state("networkidle")
        page.goto("/graph?node=unit:JD")
        page.wait_for_function("() => window.dutygraph && window.dutygraph.nodes.length > 1")
        page.goto("/docs")
        page.wait_for_selector(".swagger-ui .info")  # the nonced init script ran
        assert not problems, problems
    finally:
        context.close()
