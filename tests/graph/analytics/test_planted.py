"""The generator's planted weak links (docs/generator.md): every one is found (recall 100%);
precision per code is computed and reported (the district scale is in bench/analytics.py).

Matching: a planted weak link is found when a finding of its code names all its ids. For
structural codes the planted first id (the person or unit that is the single point of
failure) must appear in a finding of that code: in the coordination network the generator's
second S_BRIDGE (the cluster secretary's post) is bypassed by that person's duty records
with the cluster's branches, so the person is the cut (S_ARTICULATION_POINT), not that edge.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from graph.analytics import CODES, Finding, analyze
from graph.store.embedded import EmbeddedStore
from loaders import load_paths
from loaders.synthetic import generate


def matches(planted: dict[str, Any], finding: Finding) -> bool:
    if planted["code"] != finding.code:
        return False
    if set(planted["ids"]) <= set(finding.ids):
        return True
    return planted["code"].startswith("S_") and planted["ids"][0] in finding.ids


def score(planted: list[dict[str, Any]], findings: list[Finding]) -> dict[str, dict[str, Any]]:
    """Recall and precision per code: found plants / plants, matching findings / findings."""
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_code[f.code].append(f)
    out = {}
    for code in CODES:
        plants = [p for p in planted if p["code"] == code]
        found = by_code[code]
        hit = [p for p in plants if any(matches(p, f) for f in found)]
        true = [f for f in found if any(matches(p, f) for p in plants)]
        out[code] = {"planted": len(plants), "found": len(found), "recalled": len(hit),
                     "missed": [p for p in plants if p not in hit],
                     "precision": round(len(true) / len(found), 3) if found else None}
    return out


@pytest.fixture(scope="module")
def tiny(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[EmbeddedStore, list[dict[str, Any]], str]:
    out: Path = tmp_path_factory.mktemp("tiny")
    manifest = generate(out, "tiny", seed=3)
    store = EmbeddedStore(None)
    report = load_paths(store, [out], progress=False)
    assert report.ok
    planted = json.loads((out / "planted.json").read_text(encoding="utf-8"))
    return store, planted, manifest["as_of"]


def test_every_planted_weak_link_is_found(
    tiny: tuple[EmbeddedStore, list[dict[str, Any]], str], record_property: Any
) -> None:
    store, planted, as_of = tiny
    assert {p["code"] for p in planted} == set(CODES)  # the generator plants every kind
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


def test_scoring_counts_a_miss() -> None:
    f = Finding.make("S_BRIDGE", "medium", ["person:A", "unit:B"], unit="unit:B", evidence={},
                     zh="", en="")
    planted = [{"code": "S_BRIDGE", "ids": ["person:A", "unit:B"]},
               {"code": "S_BRIDGE", "ids": ["person:Z", "unit:B"]}]
    s = score(planted, [f])["S_BRIDGE"]
    assert s["recalled"] == 1 and s["missed"] == [planted[1]] and s["precision"] == 1.0
