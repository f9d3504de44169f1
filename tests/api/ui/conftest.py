"""Fixtures of the browser tests: the app over the sample data served by uvicorn on a free
loopback port (one per session), and Debian's Chromium driven by Playwright (one browser
per session, a fresh context per test). Logins are on, as in production: the tests sign in
through the login page as an inspector (read-only role) whose scope is the whole graph.

Chromium comes from ``scripts/system-deps`` (``/usr/bin/chromium``); Playwright never
downloads a browser. Without Chromium the browser tests are skipped in a developer's quick
run but fail under CI (``CI=true``) or ``DUTYGRAPH_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from graph.store import GraphStore

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 800}


INSPECTOR = ("ui-inspector", "correct horse battery staple 7")
#: An analyst (weak links, downloads) whose scope is the whole graph.
ANALYST = ("ui-analyst", "correct horse battery staple 8")


@dataclass
class UiServer:
    """The running app: its base URL and the store it serves."""

    url: str
    store: object


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_sample(tmp: Path) -> Iterator[UiServer]:
    """Serve the app over the sample data in a thread until the generator is closed."""
    from graph.store.embedded import EmbeddedStore
    from loaders.pipeline import load_sample

    store = EmbeddedStore(None)
    report = load_sample(store, progress=False)
    assert report.ok, report.errors[:3]
    yield from serve_store(store, tmp)


def serve_store(store: GraphStore, tmp: Path) -> Iterator[UiServer]:
    """Serve the app over ``store`` (home ``tmp``, with the INSPECTOR account) in a thread
    until the generator is closed."""
    import uvicorn

    from api.app import create_app
    from api.security.users import Role, UserStore
    from graph.settings import Settings

    UserStore(tmp).add(INSPECTOR[0], Role.inspector, INSPECTOR[1], ["*"])
    UserStore(tmp).add(ANALYST[0], Role.analyst, ANALYST[1], ["*"])
    app = create_app(Settings(DUTYGRAPH_HOME=tmp, NEO4J_URI=None), store=store)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="ui-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield UiServer(f"http://127.0.0.1:{port}", store)
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UiServer]:
    yield from serve_sample(tmp_path_factory.mktemp("ui-home"))


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true" or os.environ.get("DUTYGRAPH_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps")
    pytest.skip(f"{CHROMIUM} is missing (run scripts/system-deps)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _sign_in(browser: Any, ui_server: UiServer, account: tuple[str, str]) -> Any:
    """Cookies of ``account`` signed in through the login page: a page asked for first sends
    to the login form, which sends back to it."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", base_url=ui_server.url)
    try:
        page = context.new_page()
        page.goto("/units/JD")
        page.wait_for_url("**/login?next=*")
        page.fill("#username", account[0])
        page.fill("#password", account[1])
        page.click("[data-testid=login-submit]")
        page.wait_for_url("**/units/JD")
        return context.storage_state()
    finally:
        context.close()


@pytest.fixture(scope="session")
def login_state(browser: Any, ui_server: UiServer) -> Any:
    """Cookies of the inspector, signed in once per session."""
    return _sign_in(browser, ui_server, INSPECTOR)


@pytest.fixture(scope="session")
def analyst_state(browser: Any, ui_server: UiServer) -> Any:
    """Cookies of the analyst, signed in once per session."""
    return _sign_in(browser, ui_server, ANALYST)


def _page(browser: Any, ui_server: UiServer, state: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", base_url=ui_server.url,
                                  storage_state=state, accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def ui_page(browser: Any, ui_server: UiServer, login_state: Any) -> Iterator[Any]:
    """A fresh page of the signed-in inspector (own context), Chinese locale, 1280×800."""
    yield from _page(browser, ui_server, login_state)


@pytest.fixture
def analyst_page(browser: Any, ui_server: UiServer, analyst_state: Any) -> Iterator[Any]:
    """A fresh page of the signed-in analyst (weak links and downloads), as ``ui_page``."""
    yield from _page(browser, ui_server, analyst_state)
