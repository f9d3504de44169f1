"""A stored name cannot break a page's own script: the graph view pages (``/views/*``)
embed their data with every ``<`` escaped, so a name like ``</script><script>…<!--<script>``
stays text. In real Chromium, on both stores: the page's script runs, the name is shown as
it is stored, and the name's own script never runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.store import GraphStore
from graph.store.base import NodeRecord, RelRecord
from tests.api.ui.conftest import (
    CHROMIUM_ARGS,
    INSPECTOR,
    UiServer,
    _require_chromium,
    serve_store,
)

#: Ends the script element, opens one of its own, and hides the rest of the page's script
#: in a comment that ``<!--<script>`` turns into the "double-escaped" script state.
HOSTILE = "</script><script>window.pwned = 1</script><!--<script>"


@pytest.fixture
def server(store: GraphStore, tmp_path: Path) -> Iterator[UiServer]:
    store.upsert_nodes([
        NodeRecord("Unit", "XSS-1", {"name": HOSTILE, "kind": "other", "level": 1}),
        NodeRecord("Unit", "XSS-2", {"name": "上级单位", "kind": "party_committee",
                                     "level": 0}),
        NodeRecord("Person", "XSS-P", {"name": HOSTILE, "title": "<!--<script>"}),
    ])
    store.upsert_relationships([
        RelRecord.make("SUBORDINATE_TO", "unit:XSS-1", "unit:XSS-2"),
        RelRecord.make("SERVES_IN", "person:XSS-P", "unit:XSS-1", {"role": "secretary"}),
    ])
    store.flush()
    yield from serve_store(store, tmp_path / "home")


@pytest.fixture
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


@pytest.mark.parametrize("path", ["/views/neighbourhood/unit:XSS-1",
                                  "/views/neighbourhood/person:XSS-P",
                                  "/views/path?from=person:XSS-P&to=unit:XSS-2"])
def test_a_stored_name_cannot_break_the_view_pages(chromium: Any, server: UiServer,
                                                   path: str) -> None:
    context = chromium.new_context(base_url=server.url)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto("/login")
        page.fill("#username", INSPECTOR[0])
        page.fill("#password", INSPECTOR[1])
        with page.expect_navigation():
            page.click("[data-testid=login-submit]")
        response = page.goto(path)
        assert response is not None and response.status == 200
        # The page's own script ran to its end: the network exists and settled.
        page.wait_for_function("() => document.body.getAttribute('data-stabilized') === "
                               "'true'", timeout=20_000)
        labels = page.evaluate(
            "() => window.dutygraphNetwork.body.data.nodes.get().map(n => n.label)")
        assert HOSTILE in labels  # shown as stored, as text
        assert page.evaluate("() => window.pwned") is None
        assert errors == []
    finally:
        context.close()
