"""The mechanism's pages in a real browser (headless Chromium) over the sample: a unit's
assessment, risk and decision sections and its subtree fragment, a person's evaluations and
controls, the coverage page; each against the product's own query, nothing fetched from
outside the server."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest

from graph.queries.assessment import rotation
from graph.queries.coverage import coverage
from graph.queries.prevention import decision_register, risk_register

pytestmark = pytest.mark.browser

FRAGMENT = "[data-testid=unit-mechanism-subtree] [data-testid=rotation]"


def test_unit_pages_show_rotation_risk_network_and_the_ten_wan_rule(
        ui_page: Any, ui_server: Any) -> None:
    page, store = ui_page, ui_server.store
    seen: list[str] = []
    page.on("request", lambda req: seen.append(req.url))

    # 教卫: the subtree fragment's rotation, a third of the units by each form each year.
    page.goto("/units/JWDW?as_of=2018-12-31")
    page.locator(FRAGMENT).wait_for()
    table = page.locator(FRAGMENT + " table").inner_text()
    for year in rotation(store, "unit:JWDW", as_of="2018-12-31").years:
        assert str(year.year) in table
    assert len(re.findall(r"\b3\s*（33%）", table)) == 9
    assert "实地检查" in table and "现场述职" in table and "书面述职" in table
    assert page.locator(FRAGMENT + " .badge-held").count() == 1
    # By 2026 the one unit out of rotation is listed, and its own page says so.
    page.goto("/units/JWDW?as_of=2026-12-01")
    due = page.get_by_test_id("rotation-due")
    due.wait_for()
    assert due.inner_text().startswith("市临港肿瘤医院党委")
    page.goto("/units/JWDW-H04?as_of=2026-12-01")
    assert "超期未实地考核" in page.get_by_test_id("onsite-due").inner_text()
    assert page.get_by_test_id("assessment-table").locator("tbody tr").count() == 10

    # 上港: the three-level network by layer and the 10万 rule with its breaks.
    page.goto("/units/SIPG?as_of=2018-06-30")
    net = page.locator("[data-testid=risk-network] [data-testid=risk-layers]")
    net.wait_for()
    register = risk_register(store, "unit:SIPG", subtree=True, as_of="2018-06-30")
    rows = net.locator("tbody tr").all_inner_texts()
    assert [r.split("\t")[0].strip() for r in rows][:3] == ["决策层", "管理层", "操作层"]
    for lay, row in zip(register.by_layer, rows, strict=False):
        cells = row.split("\t")
        assert str(lay.points) in cells and str(lay.controls) in cells, row
    sub = page.locator("[data-testid=subtree-decisions]")
    assert "100,000" in sub.get_by_test_id("decision-rule").inner_text()
    decisions = decision_register(store, "unit:SIPG", subtree=True, as_of="2018-06-30")
    broken = [d for d in decisions.items if d.breaks_rule]
    rows = sub.locator("tr:has([data-testid=breaks-rule])").all_inner_texts()
    assert len(rows) == len(broken) == 4
    assert {d.unit.caption for d in broken} == {
        next(c for c in (d.unit.caption for d in broken) if c in r) for r in rows}

    origin = urlparse(ui_server.url).netloc
    assert [u for u in seen if not u.startswith(("data:", "blob:"))
            and urlparse(u).netloc != origin] == []
    assert any("/fragments/unit-mechanism?unit=" in u for u in seen)


def test_person_page_shows_both_evaluations_and_owned_controls(ui_page: Any) -> None:
    page = ui_page
    page.goto("/people/P-JD-T05-01?as_of=2026-12-01")
    table = page.get_by_test_id("person-assessments").inner_text()
    assert "上级评议" in table and "群众评议" in table and "71" in table and "93" in table
    page.goto("/people/P-SIPG-C02-01?as_of=2018-06-30")
    controls = page.get_by_test_id("person-controls")
    assert controls.locator("tbody tr").count() > 0
    assert "决策层" in controls.inner_text() and "按期检查" in controls.inner_text()


def test_coverage_page_per_channel_and_term(ui_page: Any, ui_server: Any) -> None:
    page = ui_page
    result = coverage(ui_server.store, None, as_of="2026-12-01")
    page.goto("/coverage?as_of=2026-12-01")
    cells = page.get_by_test_id("channels").get_by_test_id("percent").all_inner_texts()
    assert cells == [f"{c.percent:.1f}%" for c in result.channels]
    channels = page.get_by_test_id("channels").inner_text()
    assert "巡察" in channels and "派驻监督" in channels and "监察" in channels
    terms = page.get_by_test_id("terms").inner_text()
    assert all(t.start[:4] in terms for t in result.terms)
    # English with the switch.
    page.goto("/coverage?unit=JWDW&as_of=2018-06-30&lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("channels").get_by_test_id("percent").all_inner_texts() == [
        "100.0%"] * 3
