"""Inline graph views: what they draw (weak links red), and that they draw in Chromium
offline, once per page, even where require.js defines ``define`` (classic Jupyter)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import explore as ex
from api.views.style import WEAK_COLOR
from explore import DutyGraph
from explore.views import ASSETS_END, ASSETS_START, View
from tests.notebooks.browser import in_chromium


def test_a_subgraph_view_draws_the_subgraph_and_the_weak_pairs_given(dg: DutyGraph) -> None:
    sub = dg.neighbourhood("referral:RF-MH-05")
    recipient = next(e.dst for e in sub.edges if e.type == "SENT_TO")
    view = ex.show(sub, weak=[(recipient, "referral:RF-MH-05")], title="抄告")
    assert view.node_count == len(sub.nodes) and view.edge_count == len(sub.edges)
    weak = [e for e in view.edges if e["weak"]]
    assert [(e["from"], e["to"]) for e in weak] == [("referral:RF-MH-05", recipient)]
    assert weak[0]["color"] == WEAK_COLOR and weak[0]["dashes"] and weak[0]["width"] > 1.5
    assert all(e["color"] != WEAK_COLOR for e in view.edges if not e["weak"])
    assert view.title == "抄告" and "1 条薄弱环节" in view.html()


def test_a_trace_back_view_draws_the_gaps_red(dg: DutyGraph) -> None:
    trace = dg.case_trace("C-JD-005")
    view = ex.show(trace)
    assert view.weak_count == trace.summary.gaps == 4
    assert view.node_count == ex.to_networkx(trace).number_of_nodes()
    assert trace.case.caption in view.title
    assert ex.show(dg.case_trace("C-JD-100")).weak_count == 0


def test_the_network_view_is_capped_and_centred(dg: DutyGraph) -> None:
    analysis = dg.analyze()
    around = dg.subtree("MH")
    view = ex.show(analysis, around=around)
    ids = {n["id"] for n in view.nodes}
    assert set(around) <= ids
    assert view.weak_count >= 2  # the two open referral loops of 闵行区纪委监委
    assert ex.show(analysis, limit=30).node_count == 30
    spof = ex.show(analysis, around=analysis.single_points)
    marked = [n for n in spof.nodes if n["label"].startswith("⚠")]
    assert {n["id"] for n in marked} == set(analysis.single_points)


def test_a_view_has_a_stable_key_and_text_form() -> None:
    g = nx.Graph()
    g.add_node("unit:A", label="Unit", caption="甲区委")
    g.add_node("unit:B", label="Unit", caption="乙镇")
    g.add_edge("unit:A", "unit:B", type="SUBORDINATE_TO")
    a, b = ex.show(g, title="图"), ex.show(g, title="图")
    assert a.key() == b.key() and a.html() == b.html()
    assert ex.show(g, title="另一张图").key() != a.key()
    bundle = a._repr_mimebundle_()
    assert bundle["text/plain"] == "<图: 2 nodes, 1 edges>"
    assert bundle["text/html"].count(ASSETS_START) == 1 and ASSETS_END in bundle["text/html"]
    with pytest.raises(TypeError, match="show"):
        ex.show([1, 2])


# -- in Chromium -------------------------------------------------------------------------
def _page_of(views: list[View], prelude: str = "") -> str:
    body = "".join(v.html() for v in views)
    return f"<!DOCTYPE html><html><head>{prelude}</head><body>{body}</body></html>"


#: A stand-in for classic Jupyter's require.js (an AMD ``define``), and a counter of how
#: often ``window.vis`` is assigned.
AMD_AND_COUNTER = (
    "<script>window.define = function () { window.amdUsed = true; };"
    "window.define.amd = {}; window.loads = 0;"
    "Object.defineProperty(window, 'vis', {configurable: true,"
    " set: function (v) { window.loads += 1; Object.defineProperty(window, 'vis',"
    " {value: v, writable: true}); }});</script>")


@pytest.mark.browser
def test_views_draw_offline_and_the_library_runs_once(dg: DutyGraph, tmp_path: Path) -> None:
    views = [ex.show(dg.case_trace("C-JD-005")), ex.show(dg.neighbourhood("unit:SIPG", limit=30))]
    # The library must land on window.vis although an AMD loader is defined, and be
    # evaluated once although both outputs carry it.
    page_file = tmp_path / "views.html"
    page_file.write_text(_page_of(views, AMD_AND_COUNTER), encoding="utf-8")

    def check(browser: Any) -> None:
        page = browser.new_page()
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_file.as_uri())
        page.wait_for_function(
            "document.querySelectorAll('[data-dutygraph-view][data-stabilized]').length == 2",
            timeout=30_000)
        assert errors == []
        assert requests == [page_file.as_uri()]
        assert page.locator("[data-dutygraph-view] canvas").count() == 2
        assert page.evaluate("window.loads") == 1
        assert not page.evaluate("window.amdUsed === true")

    in_chromium(check)


@pytest.mark.browser
def test_a_saved_view_is_a_standalone_offline_page(dg: DutyGraph, tmp_path: Path) -> None:
    saved = ex.show(dg.case_trace("C-JD-100")).save(tmp_path / "trace.html")

    def check(browser: Any) -> None:
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(saved.as_uri())
        page.wait_for_selector("body[data-stabilized]", timeout=30_000)
        assert requests == [saved.as_uri()]

    in_chromium(check)
