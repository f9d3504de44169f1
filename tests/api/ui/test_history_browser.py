"""In Chromium: the 来源 line of a page opens onto its source rows, and an admin undoes a
load on 数据来源与导入记录 after ticking the confirmation box (issue #16)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.store.embedded import EmbeddedStore
from tests.api.ui.conftest import VIEWPORT, UiServer, serve_store
from tests.loaders.files import PEOPLE, UNITS, load, write_csv, write_xlsx

ADMIN = ("ui-admin", "correct horse battery staple 8")


@pytest.fixture
def history_server(tmp_path: Path) -> Iterator[UiServer]:
    from api.security.users import Role, UserStore

    store = EmbeddedStore(None)
    assert load(store, write_xlsx(tmp_path / "in" / "名单.xlsx",
                                  {"units": UNITS, "people": PEOPLE})).ok
    assert load(store, write_csv(tmp_path / "in2" / "people.csv",
                                 [PEOPLE[0], ["P5", "孙某某", "科员"]])).ok
    home = tmp_path / "home"
    UserStore(home).add(ADMIN[0], Role.admin, ADMIN[1], ["*"])
    yield from serve_store(store, home)


def test_provenance_line_and_undo_with_confirmation(browser: Any,
                                                    history_server: UiServer) -> None:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", base_url=history_server.url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        page.goto("/people/P2")
        page.wait_for_url("**/login?next=*")
        page.fill("#username", ADMIN[0])
        page.fill("#password", ADMIN[1])
        page.click("[data-testid=login-submit]")
        page.wait_for_url("**/people/P2")
        line = page.locator("[data-testid=provenance]").first
        assert "名单.xlsx › people › 第3行" in line.inner_text()
        line.locator("summary").click()
        sources = page.locator("[data-testid=provenance-sources]")
        assert sources.is_visible() and "#1" in sources.inner_text()

        page.goto("/admin/history/2")
        assert "person:P5" in page.content()
        # The browser will not send the form before the box is ticked.
        page.click("[data-testid=undo-submit]")
        assert page.url.endswith("/admin/history/2")
        assert history_server.store.get_node("person:P5") is not None  # type: ignore[attr-defined]
        page.check("[data-testid=undo-confirm]")
        page.click("[data-testid=undo-submit]")
        page.wait_for_url("**/admin/history/3?undone=2")
        assert history_server.store.get_node("person:P5") is None  # type: ignore[attr-defined]
        assert "person:P5" in page.content()  # the undo's own diff: P5 deleted
    finally:
        context.close()
