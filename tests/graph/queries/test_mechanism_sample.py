"""The article's mechanism as the shipped sample tells it (docs/sample-data.md), read through
the product's queries on both stores: 教卫's rotation of thirds, 嘉定's two-channel
evaluation, 上港's 73 indicators, its three-level prevention network and its 10万 rule, and
the coverage of 教卫's units by all three channels."""

from __future__ import annotations

from collections import Counter

import pytest

from graph.errors import NotFound
from graph.queries.assessment import assessment_history, rotation, score_trends
from graph.queries.coverage import coverage
from graph.queries.prevention import decision_register, owned_controls, risk_register
from graph.queries.warnings import warnings
from graph.store.base import GraphStore

ARTICLE = "2018-06-30"
PRESENT = "2026-12-01"


def test_jwdw_rotates_its_units_by_thirds(sample_store: GraphStore) -> None:
    r = rotation(sample_store, "JWDW", as_of="2018-12-31")
    assert [y.year for y in r.years] == [2016, 2017, 2018]
    for y in r.years:
        assert y.units == 9
        assert {(m.method, m.count) for m in y.methods} == {
            ("onsite_check", 3), ("onsite_report", 3), ("written_report", 3)}
        assert all(abs(m.share - 1 / 3) < 1e-3 for m in y.methods)
    assert r.window_years == 3 and r.due == 0 and len(r.units) == 9
    # Each unit takes each form once in three years.
    for u in r.units:
        assert sorted(f for forms in u.forms.values() for f in forms) == [
            "onsite_check", "onsite_report", "written_report"], u.unit.uid
    # The break planted after 2022: H04 wrote three reports running and is due by 2026.
    late = rotation(sample_store, "JWDW", as_of=PRESENT)
    assert [u.unit.uid for u in late.units if u.due] == ["unit:JWDW-H04"]
    h04 = assessment_history(sample_store, "JWDW-H04", as_of=PRESENT)
    assert h04.rotation is not None and h04.rotation.due
    assert h04.rotation.last_onsite == "2022-12-10"
    assert [i.method for i in h04.items[:3]] == ["written_report"] * 3


def test_jwdw_institution_list_is_refined_from_inspection_findings(
        sample_store: GraphStore) -> None:
    g = sample_store.to_networkx()
    derived = [(u, v) for u, v, k in g.edges(keys=True)
               if g.edges[u, v, k]["type"] == "DERIVED_FROM"]
    assert len(derived) == 9
    for duty, issue in derived:
        assert g.nodes[duty]["label"] == "Duty" and g.nodes[issue]["label"] == "Issue"
        found_by = [g.nodes[i] for i, _, k in g.in_edges(issue, keys=True)
                    if g.edges[i, issue, k]["type"] == "FOUND"]
        assert found_by and all(f["label"] == "Inspection" for f in found_by)
        assert any(g.nodes[h]["id"] == "JWDW" for h, _, k in g.in_edges(duty, keys=True)
                   if g.edges[h, duty, k]["type"] == "HOLDS"), duty


def test_jiading_superiors_and_masses_evaluate_the_town_secretary(
        sample_store: GraphStore) -> None:
    h = assessment_history(sample_store, "P-JD-T05-01", as_of=PRESENT)
    rounds = Counter((i.assessment.uid if i.assessment else None, i.method) for i in h.items)
    assert set(m for _, m in rounds) == {"superior", "mass"}
    assert len({a for a, _ in rounds}) == 2  # the 2017 and 2025 rounds
    by = {(i.method, i.assessed_on[:4]): (i.score, i.assessed_by.uid if i.assessed_by else None)
          for i in h.items}
    assert by[("superior", "2026")] == (93.0, "unit:JD")
    assert by[("mass", "2026")] == (71.0, "unit:JD-T05")
    # Every town's organisation is evaluated by the district in both rounds.
    trends = score_trends(sample_store, "JD", subjects="unit")
    assert [(y.year, y.results) for y in trends.years] == [(2017, 12), (2025, 12)]


def test_sipg_assesses_73_indicators_and_uses_the_result(sample_store: GraphStore) -> None:
    h = assessment_history(sample_store, "SIPG-C01", as_of=ARTICLE)
    [item] = h.items
    assert len(item.indicators) == 73 and item.score is not None and item.grade
    assert item.use in ("pay", "reward", "appointment")
    assert all(s.duty.uid.startswith("duty:D-SIPG") for s in item.indicators)


def test_sipg_prevention_network_by_layer(sample_store: GraphStore) -> None:
    r = risk_register(sample_store, "SIPG", subtree=True, as_of=ARTICLE)
    layers = {lay.layer: lay for lay in r.by_layer}
    assert list(layers) == ["decision", "management", "operation"]
    assert layers["decision"].levels == {"high": 27}
    assert layers["management"].levels == {"high": 27, "medium": 27}
    assert layers["operation"].levels == {"medium": 27, "low": 27}
    assert (r.total_points, r.total_controls) == (135, 234)
    assert sum(lay.uncontrolled for lay in r.by_layer) == 0
    only = risk_register(sample_store, "SIPG", subtree=True, layer="decision", as_of=ARTICLE)
    assert {p.layer for p in only.points} == {"decision"} and len(only.points) == 27
    # By 2026 two high-level points have lost their control (H_RISK_UNCONTROLLED).
    now = risk_register(sample_store, "SIPG", subtree=True, as_of=PRESENT)
    assert sorted(p.point.uid for p in now.points if p.uncontrolled) == [
        "riskpoint:RP-SIPG-C02-90", "riskpoint:RP-SIPG-C08-90"]
    owned = owned_controls(sample_store, "P-SIPG-C02-01", as_of=ARTICLE)
    assert owned.items and all(o.unit and o.unit.uid == "unit:SIPG-C02" for o in owned.items)


def test_sipg_ten_wan_rule(sample_store: GraphStore) -> None:
    d = decision_register(sample_store, "SIPG", subtree=True, as_of=ARTICLE)
    assert d.default_threshold == 100_000
    needing = [i for i in d.items if i.needs_collective]
    assert len(needing) == 28 and all(i.amount and i.amount > 100_000 for i in needing)
    assert all((i.amount or 0) <= 100_000 for i in d.items
               if i.kind in d.rule_kinds and not i.needs_collective)
    breaks = sorted(i.decision.uid for i in d.items if i.breaks_rule)
    assert breaks == ["decision:DC-SIPG-C01-2016-01", "decision:DC-SIPG-C03-2016-02",
                      "decision:DC-SIPG-C05-2016-03", "decision:DC-SIPG-C07-2016-04"]
    # Each was found by the 2017 special checks: an issue is about it.
    assert all(i.issues for i in d.items if i.breaks_rule)
    now = decision_register(sample_store, "SIPG", subtree=True, as_of=PRESENT)
    assert "decision:DC-SIPG-C06-2026-01" in {i.decision.uid for i in now.items
                                               if i.breaks_rule}


def test_jwdw_is_covered_by_every_channel(sample_store: GraphStore) -> None:
    c = coverage(sample_store, "JWDW", as_of=ARTICLE)
    assert {(x.channel, x.percent) for x in c.channels} == {
        ("inspection", 100.0), ("stationed", 100.0), ("supervision", 100.0)}
    assert c.outside_all == 0 and not c.uncovered


@pytest.mark.parametrize("call", [
    lambda s: rotation(s, "NO-SUCH-UNIT"),
    lambda s: assessment_history(s, "NO-SUCH-PERSON"),
    lambda s: risk_register(s, "NO-SUCH-UNIT"),
    lambda s: decision_register(s, "NO-SUCH-UNIT"),
    lambda s: coverage(s, "NO-SUCH-UNIT"),
    lambda s: owned_controls(s, "NO-SUCH-PERSON"),
])
def test_unknown_subjects_are_not_found(sample_store: GraphStore, call: object) -> None:
    with pytest.raises(NotFound):
        call(sample_store)  # type: ignore[operator]


@pytest.mark.parametrize(("unit", "expected"), [
    ("MH", {"referral": (2, 1, 5), "order": (1, 1, 3), "issue": (2, 1, 1),
            "project": (2, 1, 1), "duty": (0, 0, 0)}),
    ("SIPG", {"referral": (0, 0, 0), "order": (1, 1, 3), "issue": (0, 0, 0),
              "project": (0, 0, 0), "duty": (0, 0, 0)}),
])
def test_pilots_workbench_shows_every_state_of_their_orders(
        sample_store: GraphStore, unit: str, expected: dict[str, tuple[int, int, int]]) -> None:
    """闵行's and 上港's 督办 as docs/sample-data.md lists them: red, yellow and green on the
    warning list the workbench reads, each green state of the loop present."""
    w = warnings(sample_store, as_of=PRESENT, unit=unit, colours=["red", "yellow", "green"],
                 limit=1000)
    assert {t: (c.red, c.yellow, c.green) for t, c in w.counts.items()} == expected
    orders = {(i.colour, i.rule, i.node.uid) for i in w.items if i.type == "order"}
    assert orders == {
        ("red", "overdue", f"supervisionorder:OD-{unit}-01"),
        ("yellow", "due_soon", f"supervisionorder:OD-{unit}-02"),
        ("green", "verified", f"supervisionorder:OD-{unit}-03"),
        ("green", "awaiting_verification", f"supervisionorder:OD-{unit}-04"),
        ("green", "on_track", f"supervisionorder:OD-{unit}-05"),
    }
