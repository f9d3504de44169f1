"""Query results as DataFrames and NetworkX graphs, on both stores."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

import explore as ex
from explore import DutyGraph
from graph.queries.chain_models import ROLES


def test_frames_of_models_lists_counts_and_mappings(dg: DutyGraph) -> None:
    counts = ex.frame(dg.counts())
    assert list(counts.columns) == ["kind", "name", "name_zh", "count"]
    units = counts[(counts["kind"] == "node") & (counts["name"] == "Unit")].iloc[0]
    assert units["name_zh"] == "单位" and units["count"] == dg.counts().nodes["Unit"]
    holders = dg.holders("SIPG")
    by_resp = ex.frame(holders.duty_counts_by_responsibility)
    assert dict(zip(by_resp["key"], by_resp["count"], strict=True)) == {
        "primary": 40, "supervisory": 33, "first": 24, "dual": 12}
    one = ex.frame(holders.unit)  # a single model: one row, nested fields dotted
    assert len(one) == 1 and one.loc[0, "unit.uid"] == "unit:SIPG"
    nested = ex.frame(holders.team, flatten=False)
    assert isinstance(nested.loc[0, "person"], dict)
    assert ex.frame({"a": 1}).to_dict("list") == {"key": ["a"], "value": [1]}
    with pytest.raises(TypeError):
        ex.frame(3)


def test_a_subgraph_as_frame_and_graph(dg: DutyGraph) -> None:
    sub = dg.neighbourhood("unit:SIPG", limit=40)
    nodes = ex.frame(sub)
    assert len(nodes) == len(sub.nodes) and set(nodes["uid"]) == {n.uid for n in sub.nodes}
    G = ex.to_networkx(sub)
    assert isinstance(G, nx.MultiDiGraph)
    assert set(G.nodes) == {n.uid for n in sub.nodes}
    assert G.number_of_edges() == len(sub.edges)
    assert G.nodes["unit:SIPG"]["caption"] == "上港集团党委"
    paths = dg.shortest_paths("unit:SIPG", "unit:SH")
    assert nx.has_path(ex.to_networkx(paths).to_undirected(), "unit:SIPG", "unit:SH")


def test_a_trace_back_as_graph_marks_the_gaps_weak(dg: DutyGraph) -> None:
    direct_only = dg.case_trace("C-JD-005")
    G = ex.to_networkx(direct_only)
    edges = list(G.edges(keys=True, data=True))
    assert len(edges) == len(direct_only.links)
    assert {k for _, _, k, _ in edges} <= set(ROLES)
    statuses = {d["status"] for *_, d in edges}
    assert statuses == {t.status for t in direct_only.links}
    weak = [d for *_, d in edges if d["weak"]]
    assert len(weak) == direct_only.summary.gaps + direct_only.summary.missing == 4
    assert all(u == "case:C-JD-005" for u, *_ in edges)
    whole = ex.to_networkx(dg.case_trace("C-JD-100"))
    assert not [d for *_, d in whole.edges(data=True) if d["weak"]]
    # The owner of the issue C-JD-100 came from is the unit's secretary: one person, one
    # link (the rectification he leads is not a link of the trace-back).
    assert whole.number_of_edges() == 5 and whole.number_of_nodes() == 6
    chain = ex.to_networkx(dg.issue_chain("I-JD-900"))
    assert "issue:I-JD-900" in chain
    assert {d["status"] for *_, d in chain.edges(data=True)} <= {"present", "missing"}


def test_an_analysis_as_graph_knows_its_weak_links(dg: DutyGraph) -> None:
    analysis = dg.analyze()
    H = ex.to_networkx(analysis)
    assert H is not analysis.network and H.number_of_nodes() == analysis.network.number_of_nodes()
    weak = {tuple(sorted((u, v))) for u, v, d in H.edges(data=True) if d["weak"]}
    assert weak == set(ex.weak_pairs(analysis.analysis))
    assert ("person:P-MH-08", "unit:MH-JW") in weak  # the overdue referral RF-MH-05


def test_tables_are_not_graphs(dg: DutyGraph) -> None:
    with pytest.raises(TypeError, match="frame"):
        ex.to_networkx(dg.accountability(unit="JD"))
    g = nx.Graph()
    assert ex.to_networkx(g) is g


def test_chinese_labels_come_from_the_schema() -> None:
    assert ex.zh("accountability_category", "important_leadership") == "重要领导责任"
    assert ex.zh("node", "Referral") == "廉情抄告"
    assert ex.zh("duty_list", None) == ""
    assert ex.zh("duty_list", "no-such-code") == "no-such-code"
    assert isinstance(ex.frame([]), pd.DataFrame)
