"""The early-warning workbench and the loop's forms in a real browser (Chromium): an
inspector of 闵行 sees the red and yellow items of the district, issues a 督办 from an item's
button (a missing deadline is refused with the field named, nothing written), a unit officer
replies to a 廉情抄告 and records a fulfilment with an evidence file, the inspector verifies
the reply — every form through the session's CSRF token, and none of it trips the CSP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.security.users import Role, UserStore
from graph.store.base import GraphStore
from tests.api.ui.conftest import UiServer, serve_store

PASSWORD = "a-long-browser-password"  # a throwaway test account


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UiServer]:
    """The app over a writable copy of the sample, with an inspector and a unit officer
    (谭某静's account) of 闵行."""
    from graph.store.embedded import EmbeddedStore
    from loaders.pipeline import load_sample

    home = tmp_path_factory.mktemp("workbench")
    store = EmbeddedStore(None)
    assert load_sample(store, progress=False).ok
    users = UserStore(home)
    users.add("mh-inspector", Role.inspector, PASSWORD, ["MH"])
    users.add("mh-officer", Role.unit_officer, PASSWORD, ["MH"], person="person:P-MH-08")
    yield from serve_store(store, home)


def _signed_in(browser: Any, server: UiServer, username: str,
               problems: list[str]) -> tuple[Any, Any]:
    context = browser.new_context(base_url=server.url, locale="zh-CN")
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto("/login?next=/warnings")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("[data-testid=login-submit]")
    assert page.url.endswith("/warnings")
    return context, page


def _node(server: UiServer, uid: str) -> dict[str, Any]:
    store = server.store
    assert isinstance(store, GraphStore)
    node = store.get_node(uid)
    assert node is not None, uid
    return dict(node.props)


def _orders(server: UiServer) -> int:
    store = server.store
    assert isinstance(store, GraphStore)
    return int(store.counts().nodes.get("SupervisionOrder", 0))


def test_the_loop_closed_in_the_browser(browser: Any, server: UiServer,
                                        tmp_path: Path) -> None:
    problems: list[str] = []
    context, page = _signed_in(browser, server, "mh-inspector", problems)
    try:
        table = page.locator("[data-testid=warnings-table]")
        assert table.is_visible()
        red = page.locator("tr[data-uid='referral:RF-MH-05']")
        assert red.get_attribute("data-colour") == "red"
        assert "逾期" in red.inner_text()
        assert "嘉定" not in table.inner_text()  # the scope: 闵行 only
        # 督办 from the red item's button: the form comes prefilled.
        with page.expect_navigation():
            red.locator("[data-testid=order-button]").click()
        assert page.input_value("#f-about") == "referral:RF-MH-05"
        assert page.input_value("#f-issued_by") == "unit:MH-JW"
        before = _orders(server)
        page.fill("#f-request", "限期整改并回告")
        with page.expect_navigation():
            page.click("[data-testid=act-submit]")
        # No deadline: the field is named, nothing written, the typed text kept.
        assert page.locator(".field-error[data-field=due_on]").is_visible()
        assert "办理期限" in page.locator("[data-testid=form-errors]").inner_text()
        assert page.input_value("#f-request") == "限期整改并回告"
        assert _orders(server) == before
        page.fill("#f-due_on", "2099-12-31")
        with page.expect_navigation():
            page.click("[data-testid=act-submit]")
        assert page.url.split("?")[0].endswith("/warnings")
        assert page.locator("[data-testid=act-done]").is_visible()
        assert _orders(server) == before + 1
        # A form posted without the session's token is refused by the security layer.
        r = context.request.post(server.url + "/warnings/order", multipart={
            "issued_by": "unit:MH-JW", "sent_to": "unit:MH-D04", "due_on": "2099-12-31"})
        assert r.status == 403 and _orders(server) == before + 1
    finally:
        context.close()

    context, page = _signed_in(browser, server, "mh-officer", problems)
    try:
        # The leader replies to the referral sent to them.
        page.goto("/warnings/reply?item=referral:RF-MH-05")
        page.fill("#f-reply", "已约谈并完成整改")
        with page.expect_navigation():
            page.click("[data-testid=act-submit]")
        assert page.locator("[data-testid=act-done]").is_visible()
        assert _node(server, "referral:RF-MH-05")["status"] == "replied"
        # A fulfilment with its evidence file.
        evidence = tmp_path / "会议纪要.txt"
        evidence.write_text("区委常委会专题研究党风廉政建设会议纪要", encoding="utf-8")
        page.goto("/warnings/record?duty=duty:D-MH-01")
        page.select_option("#f-action", "meeting")
        page.fill("#f-on", "2018-03-01")
        page.fill("#f-summary", "区委常委会专题研究党风廉政建设")
        page.set_input_files("#f-evidence", str(evidence))
        with page.expect_navigation():
            page.click("[data-testid=act-submit]")
        uid = page.locator("[data-testid=act-done]").get_attribute("data-uid")
        assert uid and uid.startswith("record:")
        record = _node(server, uid)
        assert record["evidence"] == "会议纪要.txt" and len(record["evidence_sha256"]) == 64
        got = context.request.get(server.url + f"/api/records/{uid}/evidence")
        assert got.status == 200 and got.body() == evidence.read_bytes()
        # The officer has no 督办 button and cannot open the issuing form.
        page.goto("/warnings")
        assert page.locator("[data-testid=order-button]").count() == 0
        assert page.goto("/warnings/order").status == 403  # type: ignore[union-attr]
    finally:
        context.close()

    context, page = _signed_in(browser, server, "mh-inspector", problems)
    try:
        page.goto("/warnings?status=green&type=referral")
        row = page.locator("tr[data-uid='referral:RF-MH-05']")
        with page.expect_navigation():
            row.locator("a[href^='/warnings/verify']").click()
        page.select_option("#f-accept", "yes")
        page.fill("#f-verification", "经核实已整改到位")
        with page.expect_navigation():
            page.click("[data-testid=act-submit]")
        assert page.locator("[data-testid=act-done]").is_visible()
        assert _node(server, "referral:RF-MH-05")["status"] == "verified"
    finally:
        context.close()
    assert not problems, problems
