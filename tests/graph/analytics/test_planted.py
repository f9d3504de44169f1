"""The generator's planted weak links (docs/generator.md): every one is found (recall 100%);
precision per code is computed and reported (the district scale is in bench/analytics.py).
Matching rules: :mod:`graph.analytics.evaluate`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.analytics import CODES, Finding, analyze
from graph.analytics.evaluate import score
from graph.messages import Message
from graph.store.embedded import EmbeddedStore
from loaders import load_paths
from loaders.synthetic import generate
from tests.graph.analytics.mechanism_world import MECHANISM_BREAKS


@pytest.fixture(scope="module", params=[3, 4])
def tiny(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> tuple[EmbeddedStore, list[dict[str, Any]], str]:
    """A tiny generated city (two seeds: the planted picks differ) in an embedded store."""
    out: Path = tmp_path_factory.mktemp("tiny")
    manifest = generate(out, "tiny", seed=request.param)
    store = EmbeddedStore(None)
    report = load_paths(store, [out], progress=False)
    assert report.ok
    planted = json.loads((out / "planted.json").read_text(encoding="utf-8"))
    return store, planted, manifest["as_of"]


NOT_PLANTED = {"H_DUTY_RED"}


def test_every_planted_weak_link_is_found(
    tiny: tuple[EmbeddedStore, list[dict[str, Any]], str], record_property: Any
) -> None:
    store, planted, as_of = tiny
    # The generator plants every kind but the red duty of the working loop (it writes no duty
    # targets yet; that one has its fixtures in tests/graph/analytics/world.py).
    assert {p["code"] for p in planted} == set(CODES) - NOT_PLANTED
    report = analyze(store.to_networkx(), as_of=as_of).report
    scores = score(planted, report.findings)
    record_property("precision", {c: s["precision"] for c, s in scores.items()})
    print("\ncode                            planted found precision")
    for code, s in scores.items():
        print(f"{code:32s} {s['planted']:5d} {s['found']:5d} {s['precision']}")
    assert {c: s["missed"] for c, s in scores.items() if s["missed"]} == {}
    # The vertical and horizontal rules name the planted weak links and little else.
    exact = [c for c, s in scores.items() if c.startswith(("V_REFERRAL", "V_ISSUE", "V_PRESSURE",
                                                            "V_ACCOUNTABILITY", "V_COVERAGE",
                                                            "H_NO_", "H_DISCIPLINE"))]
    assert {c: scores[c]["precision"] for c in exact if scores[c]["precision"] < 0.3} == {}
    # The mechanism's rules (assessment, coverage channels, listed findings, risk points,
    # 三重一大) name exactly the planted weak links: the rest of those generated kinds is
    # healthy.
    assert {c: (scores[c]["planted"], scores[c]["found"], scores[c]["precision"])
            for c in MECHANISM_BREAKS if scores[c]["precision"] != 1.0
            or scores[c]["found"] != scores[c]["planted"]} == {}


def test_mechanism_plants_name_generated_nodes(
    tiny: tuple[EmbeddedStore, list[dict[str, Any]], str]
) -> None:
    store, planted, _ = tiny
    graph = store.to_networkx()
    plants = [p for p in planted if p["code"] in MECHANISM_BREAKS]
    assert {p["code"] for p in plants} == set(MECHANISM_BREAKS)
    assert [uid for p in plants for uid in p["ids"] if uid not in graph] == []


def test_scoring_counts_a_miss() -> None:
    f = Finding.make("S_BRIDGE", "medium", ["person:A", "unit:B"], unit="unit:B", evidence={},
                     explanation=Message("finding.S_BRIDGE"))
    planted = [{"code": "S_BRIDGE", "ids": ["person:A", "unit:B"]},
               {"code": "S_BRIDGE", "ids": ["person:Z", "unit:B"]}]
    s = score(planted, [f])["S_BRIDGE"]
    assert s["recalled"] == 1 and s["missed"] == [planted[1]] and s["precision"] == 1.0
