"""A small graph for the store contract tests, written the same way into any store.

Two units (SH above JD), a discipline body JD-JW supervising JD, three people, two duties
with a cascade, an issue, and parallel SERVES_IN relationships (P1 was a member of JD
from 2016, then its secretary from 2021). The id ``X1`` names both a unit and a person,
for :meth:`GraphStore.find_ids`.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.store.base import GraphStore, NodeRecord, RelRecord

NODES = [
    NodeRecord("Unit", "SH", {"name": "上海市委", "kind": "party_committee", "level": 1}),
    NodeRecord("Unit", "JD", {"name": "嘉定区委", "kind": "party_committee", "level": 2,
                              "code": "JD-001"}),
    NodeRecord("Unit", "JD-JW", {"name": "嘉定区纪委监委", "kind": "discipline_body", "level": 2}),
    NodeRecord("Unit", "X1", {"name": "某单位", "kind": "other", "level": 3}),
    NodeRecord("Person", "P1", {"name": "张三", "title": "区委书记"}),
    NodeRecord("Person", "P2", {"name": "李四"}),
    NodeRecord("Person", "X1", {"name": "王五"}),
    NodeRecord("Duty", "D1", {"title": "落实全面从严治党主体责任", "responsibility": "primary",
                              "year": 2024}),
    NodeRecord("Duty", "D2", {"title": "一岗双责", "responsibility": "dual"}),
    NodeRecord("Issue", "I1", {"title": "整改不到位", "status": "open", "deadline": "2024-06-30"}),
]

RELS = [
    RelRecord.make("SUBORDINATE_TO", "unit:JD", "unit:SH"),
    RelRecord.make("SUBORDINATE_TO", "unit:X1", "unit:JD"),
    RelRecord.make("SUPERVISES", "unit:JD-JW", "unit:JD", {"mode": "same_level"}),
    RelRecord.make("SERVES_IN", "person:P1", "unit:JD",
                   {"role": "member", "start": "2016-01-01", "end": "2020-12-31"}),
    RelRecord.make("SERVES_IN", "person:P1", "unit:JD",
                   {"role": "secretary", "start": "2021-01-01"}),
    RelRecord.make("SERVES_IN", "person:P2", "unit:JD", {"role": "member", "start": "2019-03-01"}),
    RelRecord.make("SERVES_IN", "person:X1", "unit:JD-JW",
                   {"role": "discipline_secretary", "start": "2020-01-01"}),
    RelRecord.make("IN_CHARGE_OF", "person:P2", "unit:X1",
                   {"portfolio": "教育", "start": "2019-03-01"}),
    RelRecord.make("HOLDS", "unit:JD", "duty:D1"),
    RelRecord.make("HOLDS", "person:P2", "duty:D2"),
    RelRecord.make("CASCADES_TO", "duty:D1", "duty:D2"),
    RelRecord.make("FOUND_IN", "issue:I1", "unit:JD"),
    RelRecord.make("ASSIGNED_TO", "issue:I1", "person:P1"),
    RelRecord.make("BREACHES", "issue:I1", "duty:D1"),
]


def load(store: GraphStore) -> None:
    """Write the world (nodes first, then relationships)."""
    store.upsert_nodes(NODES)
    store.upsert_relationships(RELS)


def expected_node_counts() -> dict[str, int]:
    out: dict[str, int] = {}
    for n in NODES:
        out[n.label] = out.get(n.label, 0) + 1
    return out


def expected_rel_counts() -> dict[str, int]:
    out: dict[str, int] = {}
    for r in {(r.type, r.src, r.dst, r.key): r for r in RELS}.values():
        out[r.type] = out.get(r.type, 0) + 1
    return out


Signature = tuple[dict[str, dict[str, Any]], dict[Any, dict[str, Any]]]


def graph_signature(g: nx.MultiDiGraph) -> Signature:
    """Nodes and edges with their attributes, comparable across stores."""
    nodes = {str(u): dict(a) for u, a in g.nodes(data=True)}
    edges = {(u, v, k): dict(a) for u, v, k, a in g.edges(keys=True, data=True)}
    return nodes, edges
