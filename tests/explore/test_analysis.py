"""The analysis as DataFrames, and which links of the coordination network are weak."""

from __future__ import annotations

import networkx as nx

import explore as ex
from explore import DutyGraph
from graph.analytics.findings import CODES, Finding
from graph.analytics.report import analyze
from graph.messages import Message


def test_the_frames_hold_the_report(dg: DutyGraph) -> None:
    a = dg.analyze()
    report = a.report
    assert list(a.findings["code"]) == [f.code for f in report.findings]
    assert list(a.findings.columns[:4]) == ["code", "name", "name_zh", "name_en"]
    first = report.findings[0]
    assert a.findings.loc[0, "name_zh"] == CODES[first.code].zh
    assert a.findings.loc[0, "name"] == CODES[first.code].zh
    assert dg.in_lang("en").analyze().findings.loc[0, "name"] == CODES[first.code].en
    assert a.findings.loc[0, "evidence"] == first.evidence
    assert a.counts["count"].sum() == len(report.findings)
    assert set(a.counts["code"]) == set(report.counts)
    assert list(a.health["uid"]) == [h.uid for h in report.health]
    weakest = report.health[0]
    assert a.health.loc[0, "reasons"] == ", ".join(d.code for d in weakest.deductions)
    assert list(a.rollup["uid"]) == [r.uid for r in report.rollup]
    mutated = a.findings  # a copy: the cached analysis stays intact
    mutated["code"] = "changed"
    assert dg.analyze().findings.loc[0, "code"] == first.code


def test_weak_links_are_named_by_findings_or_bridges() -> None:
    G = nx.MultiDiGraph()
    for uid, label, kind in (("unit:A", "Unit", "party_committee"),
                             ("unit:B", "Unit", "discipline_body")):
        G.add_node(uid, label=label, id=uid[5:], name=uid, kind=kind, level=1)
    G.add_node("person:P", label="Person", id="P", name="王某明")
    G.add_edge("person:P", "unit:A", key="SERVES_IN|secretary|", type="SERVES_IN",
               role="secretary", start="2020-01-01")
    G.add_edge("unit:B", "unit:A", key="SUPERVISES|", type="SUPERVISES", mode="same_level")
    base = analyze(G, as_of="2024-01-01")
    assert base.network.has_edge("unit:A", "unit:B")
    # A finding naming both ends of an edge makes it weak; one naming a single node does not.
    both = Finding.make("H_DISCIPLINE_TEAM_DISCONNECTED", "medium", ["unit:A", "unit:B"],
                        unit="unit:A", evidence={},
                        explanation=Message("finding.S_BRIDGE"))
    single = Finding.make("S_ARTICULATION_POINT", "medium", ["unit:B"], unit="unit:B",
                          evidence={},
                          explanation=Message("finding.S_BRIDGE"))
    base.report.findings[:] = [both, single]
    base.weak_edges[:] = [("unit:A", "person:P")]
    assert ex.weak_pairs(base) == {("unit:A", "unit:B"): {"H_DISCIPLINE_TEAM_DISCONNECTED"},
                                   ("person:P", "unit:A"): {"S_BRIDGE"}}
    frame = ex.analysis_frames(base).weak_links
    assert list(frame["codes"]) == ["S_BRIDGE", "H_DISCIPLINE_TEAM_DISCONNECTED"]


def test_analyze_graph_answers_a_what_if(dg: DutyGraph) -> None:
    before = dg.analyze()
    target = before.findings[before.findings["code"] == "H_UNIT_UNASSIGNED"].iloc[0]
    G = dg.projection()
    member = next(p for p, _, d in G.in_edges("unit:JD", data=True)
                  if d["type"] == "SERVES_IN" and d.get("role") == "member" and not d.get("end"))
    G.add_edge(member, target["unit"], key="IN_CHARGE_OF|what-if|2026-01-01",
               type="IN_CHARGE_OF", portfolio="what-if", start="2026-01-01")
    after = ex.analyze_graph(G, as_of=before.as_of)
    score = {r.uid: r.score for r in after.report.health}
    old = {r.uid: r.score for r in before.report.health}
    assert score[target["unit"]] > old[target["unit"]]
