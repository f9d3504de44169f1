"""The synthetic generator: deterministic, realistic proportions, planted weak links.

``reference_findings`` is an executable statement of the planted semantics documented in
docs/generator.md: on a generated dataset it must find exactly the planted ids (recall and
precision both 1.0), which proves the rest of the data healthy for every rule.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import statistics
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.queries.warnings import warnings
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from loaders import load_paths
from loaders.synthetic import SCALES, generate
from tests.graph.analytics.mechanism_world import MECHANISM_BREAKS

AS_OF = "2026-11-26"
WINDOW_START = "2021-11-26"
CODES = {
    "V_DUTY_NOT_CASCADED", "V_COVERAGE_GAP", "V_REFERRAL_OPEN", "V_ISSUE_NO_OWNER",
    "V_ISSUE_NO_PROJECT", "V_ACCOUNTABILITY_DIRECT_ONLY", "V_PRESSURE_BREAK",
    "H_NO_SECRETARY", "H_NO_SUPERVISOR", "H_UNIT_UNASSIGNED", "H_MEMBER_NO_RECORDS",
    "H_DISCIPLINE_TEAM_DISCONNECTED", "H_MEMBER_LOAD_OUTLIER",
    "S_BRIDGE", "S_ARTICULATION_POINT", "S_HIGH_BETWEENNESS", "S_ISOLATED_COMPONENT",
    "V_SUPERVISION_NOT_TRACED", "V_NO_POST_CASE_GOVERNANCE", "V_ORDER_OVERDUE",
}
#: The mechanism's codes (assessment, coverage channels, listed findings, risk points,
#: 三重一大), planted by loaders/synthetic_mechanism.py.
MECHANISM_CODES = set(MECHANISM_BREAKS)
#: The codes ``reference_findings`` states rules for; the case, order and mechanism codes
#: added since are checked against the product's analytics
#: (tests/graph/analytics/test_planted.py), not a copy here.
REFERENCE_CODES = CODES - {"V_SUPERVISION_NOT_TRACED", "V_NO_POST_CASE_GOVERNANCE",
                           "V_ORDER_OVERDUE"}
OPEN_ISSUE = {None, "", "open", "rectifying", "overdue"}
TEAM = ("secretary", "deputy_secretary", "member")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tiny")
    generate(out, "tiny", seed=7)
    return out


@pytest.fixture(scope="module")
def tiny_graph(tiny: Path) -> nx.MultiDiGraph:
    store = EmbeddedStore(None)
    report = load_paths(store, [tiny], progress=False)
    assert report.ok and report.written, report.errors[:5]
    return store.to_networkx()


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


# -- determinism and shape ---------------------------------------------------------------
def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    generate(tmp_path / "a", "tiny", seed=3)
    generate(tmp_path / "b", "tiny", seed=3)
    generate(tmp_path / "c", "tiny", seed=4)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a")["records.csv"] != _digest(tmp_path / "c")["records.csv"]


def test_manifest_counts_match_what_loads(tiny: Path, tiny_graph: nx.MultiDiGraph) -> None:
    manifest = json.loads((tiny / ".manifest.json").read_text(encoding="utf-8"))
    assert manifest["nodes"] == tiny_graph.number_of_nodes()
    assert manifest["relationships"] == tiny_graph.number_of_edges()


def test_proportions(tiny_graph: nx.MultiDiGraph) -> None:
    g = tiny_graph
    labels = Counter(d["label"] for _, d in g.nodes(data=True))
    accountability = [(n, d) for n, d in g.nodes(data=True) if d["label"] == "Accountability"]
    forms = Counter(d.get("form") for _, d in accountability)
    # The four forms grade persons only: a decision about an organisation carries none.
    on_units = [n for n, _ in accountability
                if any(a["type"] == "TARGETS" and g.nodes[t]["label"] == "Unit"
                       for _, t, a in g.out_edges(n, data=True))]
    assert on_units and forms[None] == len(on_units)
    del forms[None]
    units = labels["Unit"]
    assert labels["Duty"] / units / 5 >= 8          # dozens of items per unit per year
    team = Counter(v for _, v, d in g.edges(data=True)
                   if d["type"] == "SERVES_IN" and d["role"] in TEAM and d.get("end") is None)
    assert 2 <= statistics.mean(team.values()) <= 6  # a handful of team members per unit
    assert forms[1] > forms[2] > 0 and forms[1] / sum(forms.values()) > 0.5
    kinds = Counter(d["kind"] for _, d in g.nodes(data=True) if d["label"] == "Unit")
    assert {"street_town", "department", "institution", "village_community",
            "enterprise", "discipline_body"} <= set(kinds)


def test_orders_show_every_state_and_only_the_planted_one_is_overdue(tiny: Path) -> None:
    """The 督办 as the workbench judges them (the product's warning list): mostly verified,
    some awaiting verification, some open, and red only the planted overdue order."""
    store = EmbeddedStore(None)
    assert load_paths(store, [tiny], progress=False).ok
    planted = json.loads((tiny / "planted.json").read_text(encoding="utf-8"))
    overdue = {p["ids"][0] for p in planted if p["code"] == "V_ORDER_OVERDUE"}
    w = warnings(store, as_of=AS_OF, types=["order"], colours=["red", "yellow", "green"],
                 limit=1000)
    assert {i.node.uid for i in w.items if i.colour == "red"} == overdue and len(overdue) == 1
    rules = Counter(i.rule for i in w.items)
    assert rules["verified"] > rules["awaiting_verification"] > 0, rules
    assert rules["on_track"] + rules["due_soon"] > 0, rules
    assert all(i.issuer is not None and i.issuer.uid == "unit:D01-JW" for i in w.items)
    # Fewer orders than referrals: a 督办 is the follow-up when a loop stays open.
    referrals = warnings(store, as_of=AS_OF, types=["referral"],
                         colours=["red", "yellow", "green"], limit=1000)
    assert 0 < w.total < referrals.total
    assert Counter(i.rule for i in referrals.items)["verified"] > 0


# -- the planted weak links ----------------------------------------------------------------
def _active(d: dict, day: str = AS_OF) -> bool:
    return (d.get("start") or "") <= day and (d.get("end") is None or day <= d["end"])


def reference_findings(g: nx.MultiDiGraph) -> dict[str, set[tuple[str, ...]]]:
    """Every weak link by the semantics of docs/generator.md, keyed like planted.json ids."""
    node = g.nodes
    by_type: dict[str, list[tuple[str, str, dict]]] = defaultdict(list)
    for u, v, d in g.edges(data=True):
        by_type[d["type"]].append((u, v, d))

    def outs(t: str) -> dict[str, list[tuple[str, dict]]]:
        m: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        for u, v, d in by_type[t]:
            m[u].append((v, d))
        return m

    def ins(t: str) -> dict[str, list[tuple[str, dict]]]:
        m: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        for u, v, d in by_type[t]:
            m[v].append((u, d))
        return m

    units = [n for n in g if node[n]["label"] == "Unit"]
    parent = {u: v for u, v, _ in by_type["SUBORDINATE_TO"]}
    children = ins("SUBORDINATE_TO")
    serves_in, holds = ins("SERVES_IN"), outs("HOLDS")
    found: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    secretary_now = {u for p, u, d in by_type["SERVES_IN"] if d["role"] == "secretary"
                     and _active(d)}
    for u in units:
        if u not in secretary_now:
            found["H_NO_SECRETARY"].add((u,))
    supervised = {v for _, v, _ in by_type["SUPERVISES"]}
    for u in units:
        if node[u]["kind"] != "discipline_body" and u not in supervised:
            found["H_NO_SUPERVISOR"].add((u,))
    in_charge_now = defaultdict(set)
    for p, u, d in by_type["IN_CHARGE_OF"]:
        if _active(d):
            in_charge_now[u].add(p)
    for u, par in parent.items():
        par_team = {p for p, d in serves_in[par] if _active(d)}
        if not in_charge_now[u] & par_team:
            found["H_UNIT_UNASSIGNED"].add((u,))
    for u in units:
        if not children[u] or u in secretary_now:
            continue
        people = {p for p, _ in serves_in[u]}
        if not holds[u] and not any(holds[p] for p in people):
            found["V_PRESSURE_BREAK"].add((u,))
    cascades, holder_of = outs("CASCADES_TO"), {d: h for h, d, _ in by_type["HOLDS"]}
    for u in units:
        kids = {c for c, _ in children[u]}
        for duty, _ in holds[u]:
            nd = node[duty]
            if nd["responsibility"] != "primary" or nd.get("list") != "responsibility" or not kids:
                continue
            if not any(holder_of.get(c) in kids for c, _ in cascades[duty]):
                found["V_DUTY_NOT_CASCADED"].add((duty, u))
    recent = {v for i, v, _ in by_type["COVERS"]
              if (node[i].get("ended_on") or node[i].get("started_on") or "") >= WINDOW_START}
    for u in units:
        if node[u]["kind"] != "discipline_body" and node[u]["level"] >= 1 and u not in recent:
            found["V_COVERAGE_GAP"].add((u,))
    for n in g:
        d = node[n]
        if d["label"] == "Referral" and not d.get("replied_on") and d["due_on"] < AS_OF:
            found["V_REFERRAL_OPEN"].add((n,))
    assigned, addressed = outs("ASSIGNED_TO"), ins("ADDRESSES")
    for n in g:
        if node[n]["label"] == "Issue":
            if not assigned[n]:
                found["V_ISSUE_NO_OWNER"].add((n,))
            if not addressed[n] and node[n].get("status") in OPEN_ISSUE:
                found["V_ISSUE_NO_PROJECT"].add((n,))
    cats: dict[str, set[str]] = defaultdict(set)
    for a, c, _ in by_type["FOR_CASE"]:
        cats[c].add(node[a]["category"])
    for c, cs in cats.items():
        if cs == {"direct"}:
            found["V_ACCOUNTABILITY_DIRECT_ONLY"].add((c,))
    # Members (deputies and members, active now) with issues or cases in their charge.
    issue_unit = {i: u for i, u, _ in by_type["FOUND_IN"]}
    case_unit = {c: u for c, u, _ in by_type["OCCURRED_IN"]}
    busy_units = set(issue_unit.values()) | set(case_unit.values())
    fulfils = {p for r, p, _ in by_type["BY"] if node[r]["kind"] == "fulfilment"}
    owners = {p for _, p, _ in by_type["ASSIGNED_TO"]}
    charge = outs("IN_CHARGE_OF")
    for p, _u, d in by_type["SERVES_IN"]:
        if d["role"] in ("deputy_secretary", "member") and _active(d):
            busy = p in owners or any(v in busy_units for v, _ in charge[p])
            if busy and p not in fulfils:
                found["H_MEMBER_NO_RECORDS"].add((p,))
    # Discipline body and team: a record by the body (or its people) about the unit or
    # its team, or a referral from the body to its team.
    by, concerns = outs("BY"), outs("CONCERNS")
    acts: dict[str, set[str]] = defaultdict(set)   # actor -> targets
    for r in by:
        for actor, _ in by[r]:
            acts[actor] |= {t for t, _ in concerns[r]}
    sent = outs("SENT_TO")
    refs: dict[str, set[str]] = defaultdict(set)
    for r, b, _ in by_type["ISSUED_BY"]:
        refs[b] |= {p for p, _ in sent[r]}
    for s, u, _ in by_type["SUPERVISES"]:
        team = {p for p, _ in serves_in[u]} | {u}
        body = {s} | {p for p, _ in serves_in[s]}
        linked = any(acts[a] & team for a in body) or refs[s] & team
        if not linked:
            found["H_DISCIPLINE_TEAM_DISCONNECTED"].add((u, s))
    for u in units:
        load = {p: sum(1 for v, d in charge[p] if _active(d)) for p, d in serves_in[u]
                if d["role"] in ("deputy_secretary", "member") and _active(d)}
        for p, n in load.items():
            peers = [m for q, m in load.items() if q != p]
            if len(peers) >= 2 and n >= 5 and n > 3 * statistics.median(peers):
                found["H_MEMBER_LOAD_OUTLIER"].add((p, u))
    return found


def test_several_districts_stay_consistent(tmp_path: Path) -> None:
    # Cross-district parts (the city's cascade, portfolios, tours) must stay healthy too.
    generate(tmp_path, replace(SCALES["tiny"], districts=3), seed=11)
    store = EmbeddedStore(None)
    assert load_paths(store, [tmp_path], progress=False).ok
    planted = json.loads((tmp_path / "planted.json").read_text(encoding="utf-8"))
    expected: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for p in planted:
        expected[p["code"]].add(tuple(p["ids"]))
    found = reference_findings(store.to_networkx())
    for code in sorted(c for c in REFERENCE_CODES if not c.startswith("S_")):
        assert found[code] == expected[code], code
    assert len(expected["V_PRESSURE_BREAK"]) == 3


def test_planted_covers_every_code(tiny: Path) -> None:
    planted = json.loads((tiny / "planted.json").read_text(encoding="utf-8"))
    assert {p["code"] for p in planted} == CODES | MECHANISM_CODES
    for p in planted:
        assert p["ids"] and p["note"]
        assert all(":" in uid for uid in p["ids"])


def test_reference_rules_find_exactly_the_planted(tiny: Path, tiny_graph: nx.MultiDiGraph) -> None:
    planted = json.loads((tiny / "planted.json").read_text(encoding="utf-8"))
    expected: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for p in planted:
        expected[p["code"]].add(tuple(p["ids"]))
    found = reference_findings(tiny_graph)
    for code in sorted(c for c in REFERENCE_CODES if not c.startswith("S_")):
        assert found[code] == expected[code], code
    for key in (k for ids in expected.values() for k in ids):
        for uid in key:
            assert uid in tiny_graph, uid


def test_structural_plants(tiny: Path, tiny_graph: nx.MultiDiGraph) -> None:
    planted = json.loads((tiny / "planted.json").read_text(encoding="utf-8"))
    ids = {p["code"]: p["ids"] for p in planted}
    g = tiny_graph.to_undirected(as_view=False)
    components = list(nx.connected_components(g))
    isolated = set(ids["S_ISOLATED_COMPONENT"])
    assert any(isolated <= c for c in components if len(c) < len(g) / 2)
    assert len(components) == 2   # the rest of the graph hangs together
    # The coordination network (units and people; hierarchy, supervision, posts, portfolios).
    coord: nx.Graph = nx.Graph()
    for u, v, d in tiny_graph.edges(data=True):
        if d["type"] in ("SUBORDINATE_TO", "SUPERVISES", "SERVES_IN", "IN_CHARGE_OF"):
            coord.add_edge(u, v)
    (person,) = ids["S_ARTICULATION_POINT"]
    assert person in set(nx.articulation_points(coord))
    bridges = {frozenset(b) for b in nx.bridges(coord)}
    for p in planted:
        if p["code"] == "S_BRIDGE":
            assert frozenset(p["ids"]) in bridges
    cut = coord.copy()
    cut.remove_node(person)
    sizes = sorted(len(c) for c in nx.connected_components(cut))
    assert sizes[-2] >= 10   # the person alone holds a sizeable cluster to the rest


# -- the command and the loaders ---------------------------------------------------------
def test_cli_generate_then_load(tmp_path: Path, store: GraphStore) -> None:
    out = tmp_path / "gen"
    result = CliRunner().invoke(app, ["generate", "--scale", "tiny", "--out", str(out),
                                      "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert (out / "planted.json").is_file() and (out / "units.csv").is_file()
    report = load_paths(store, [out], progress=False)
    assert report.ok and report.written, report.errors[:5]
    manifest = json.loads((out / ".manifest.json").read_text(encoding="utf-8"))
    counts = store.counts()
    assert counts.total_nodes == manifest["nodes"]
    assert counts.total_relationships == manifest["relationships"]


def test_cli_rejects_unknown_scale(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["generate", "--scale", "planet", "--out", str(tmp_path)])
    assert result.exit_code == 2


def test_as_of_moves_the_window(tmp_path: Path) -> None:
    generate(tmp_path, "tiny", seed=1, as_of=dt.date(2024, 6, 30))
    manifest = json.loads((tmp_path / ".manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == "2024-06-30"
    with (tmp_path / "duties.csv").open(encoding="utf-8", newline="") as fh:
        years = {int(row["year"]) for row in csv.DictReader(fh)}
    assert years == set(range(2020, 2025))


@pytest.mark.slow
def test_district_scale_size(tmp_path: Path) -> None:
    manifest = generate(tmp_path, "district", seed=1)
    assert 120_000 <= manifest["nodes"] <= 180_000
    assert 320_000 <= manifest["relationships"] <= 480_000
    assert SCALES["city"].districts * manifest["nodes"] >= 1_500_000
