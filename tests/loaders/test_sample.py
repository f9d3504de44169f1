"""The shipped sample data: both forms load to one graph that holds the article's facts.

Every fact is counted from the loaded graph (never from the declarations), so a change to
the sample modules that breaks a figure of DESIGN.md §7 fails here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import pytest

from graph.history.facts import PROVENANCE
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from loaders import load_paths
from loaders.sample import sample_paths
from loaders.sample.build import build_dataset, write_csv, write_xlsx

#: The sample's present (docs/sample-data.md).
AS_OF = "2026-12-01"
#: Indicators of the sample written in words no target is read from (docs/sample-data.md).
UNPARSED_INDICATORS = 72


def _load(store: GraphStore, form: str) -> None:
    report = load_paths(store, sample_paths(form), progress=False)
    assert report.ok and report.written, report.errors[:5]
    # The only warnings: indicators kept as text (the working loop reads no target from
    # them; docs/sample-data.md says how many).
    assert {w.code for w in report.warnings} <= {"INDICATOR_UNPARSED"}, report.warnings[:5]
    assert report.warning_count == UNPARSED_INDICATORS


def _content(attrs: dict) -> dict:
    """A fact's values without its provenance (which loads and rows assert it)."""
    return {k: v for k, v in attrs.items() if k not in PROVENANCE}


def _nodes(g: nx.MultiDiGraph) -> dict[str, dict]:
    return {n: _content(d) for n, d in g.nodes(data=True)}


def _edges(g: nx.MultiDiGraph) -> dict[tuple[str, str, str], dict]:
    return {(u, v, k): _content(d) for u, v, k, d in g.edges(keys=True, data=True)}


@pytest.fixture(scope="module")
def g() -> nx.MultiDiGraph:
    """The sample (CSV form) in an in-memory embedded store, as NetworkX."""
    store = EmbeddedStore(None)
    _load(store, "csv")
    return store.to_networkx()


# -- loading -------------------------------------------------------------------------------
def test_both_forms_load_to_the_same_graph_and_reloading_changes_nothing(
        store: GraphStore) -> None:
    _load(store, "csv")
    counts = store.counts()
    from_csv = store.to_networkx()
    assert counts.total_nodes > 3000 and counts.total_relationships > 7000
    # The workbook over the CSV form: same ids, same values, so nothing may change.
    _load(store, "xlsx")
    assert store.counts() == counts
    again = store.to_networkx()
    assert _nodes(again) == _nodes(from_csv)
    assert _edges(again) == _edges(from_csv)


def test_the_documented_size(g: nx.MultiDiGraph) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "sample-data.md").read_text(
        encoding="utf-8")
    m = re.search(r"([\d,]+) nodes and ([\d,]+) relationships \(([^)]*)\)", doc)
    assert m is not None
    nodes, rels = (int(x.replace(",", "")) for x in m.group(1, 2))
    assert (g.number_of_nodes(), g.number_of_edges()) == (nodes, rels)
    labels = Counter(a["label"] for _, a in g.nodes(data=True))
    words = {"units": "Unit", "people": "Person", "duties": "Duty", "issues": "Issue",
             "projects": "Project", "inspections": "Inspection", "cases": "Case",
             "accountability decisions": "Accountability", "referrals": "Referral",
             "records": "Record", "assessments": "Assessment",
             "assessment results": "AssessmentResult", "risk points": "RiskPoint",
             "controls": "Control", "decisions": "Decision",
             "supervision orders": "SupervisionOrder"}
    listed = re.findall(r"([\d,]+)\s+([a-z ]+?)(?=[,;)]|$)", m.group(3))
    assert len(listed) == len(words)
    for n, word in listed:
        assert labels[words[word.strip()]] == int(n.replace(",", "")), word


def test_workbook_alone_gives_the_csv_graph(g: nx.MultiDiGraph) -> None:
    # Loaded on its own (nothing from the CSV form underneath), the workbook must yield
    # exactly the CSV graph: every node, every relationship, every value.
    store = EmbeddedStore(None)
    _load(store, "xlsx")
    from_xlsx = store.to_networkx()
    assert _nodes(from_xlsx) == _nodes(g)
    assert _edges(from_xlsx) == _edges(g)
    _load(store, "xlsx")
    assert _nodes(store.to_networkx()) == _nodes(g)


def test_committed_files_are_what_the_build_produces(tmp_path: Path) -> None:
    ds = build_dataset()
    for path in write_csv(ds, tmp_path / "csv"):
        shipped = next(p for p in sample_paths("csv") if p.name == path.name)
        stale = f"{path.name} is stale: run python -m loaders.sample.build"
        assert path.read_bytes() == shipped.read_bytes(), stale
    built = write_xlsx(ds, tmp_path / "sample.xlsx")
    assert built.read_bytes() == sample_paths("xlsx")[0].read_bytes()


def test_sample_paths_rejects_unknown_form() -> None:
    with pytest.raises(ValueError, match="csv"):
        sample_paths("json")


# -- helpers over the graph ----------------------------------------------------------------
def out(g: nx.MultiDiGraph, u: str, rel: str) -> list[tuple[str, dict]]:
    return [(v, d) for _, v, d in g.out_edges(u, data=True) if d["type"] == rel]


def into(g: nx.MultiDiGraph, v: str, rel: str) -> list[tuple[str, dict]]:
    return [(u, d) for u, _, d in g.in_edges(v, data=True) if d["type"] == rel]


def nodes(g: nx.MultiDiGraph, label: str) -> list[str]:
    return [n for n, d in g.nodes(data=True) if d["label"] == label]


def descendants(g: nx.MultiDiGraph, unit: str) -> set[str]:
    seen: set[str] = set()
    todo = [unit]
    while todo:
        for child, _ in into(g, todo.pop(), "SUBORDINATE_TO"):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def active(d: dict, day: str) -> bool:
    return (d.get("start") or "") <= day and (d.get("end") is None or day <= d["end"])


def team(g: nx.MultiDiGraph, unit: str, roles: Iterable[str], day: str | None = None) -> set[str]:
    return {p for p, d in into(g, unit, "SERVES_IN")
            if d["role"] in set(roles) and (day is None or active(d, day))}


def holders_count(g: nx.MultiDiGraph, holders: set[str]) -> Counter[tuple[str, str]]:
    """(responsibility, list) of every duty the holders hold."""
    c: Counter[tuple[str, str]] = Counter()
    for h in holders:
        for duty, _ in out(g, h, "HOLDS"):
            c[(g.nodes[duty]["responsibility"], g.nodes[duty]["list"])] += 1
    return c


def decisions(g: nx.MultiDiGraph, units: set[str]) -> list[tuple[str, str, str]]:
    """(accountability, case, case unit) for cases that occurred in ``units``."""
    found = []
    for a in nodes(g, "Accountability"):
        for case, _ in out(g, a, "FOR_CASE"):
            for unit, _ in out(g, case, "OCCURRED_IN"):
                if unit in units:
                    found.append((a, case, unit))
    return found


# -- the facts of DESIGN.md §7 -------------------------------------------------------------
def test_pilot_bodies_and_their_supervision(g: nx.MultiDiGraph) -> None:
    names = {"SH": "上海市委", "SH-JW": "市纪委监委", "JD": "嘉定区委", "JD-JW": "嘉定区纪委监委",
             "MH": "闵行区委", "MH-JW": "闵行区纪委监委", "JWDW": "市教育卫生工作党委",
             "SIPG": "上港集团党委", "SIPG-JW": "上港集团纪委"}
    for uid, name in names.items():
        assert g.nodes[f"unit:{uid}"]["name"] == name
    for jw, unit in (("SH-JW", "SH"), ("JD-JW", "JD"), ("MH-JW", "MH"), ("SIPG-JW", "SIPG")):
        modes = {d["mode"] for u, d in into(g, f"unit:{unit}", "SUPERVISES") if u == f"unit:{jw}"}
        assert modes == {"same_level"}, (jw, unit)
        assert g.nodes[f"unit:{jw}"]["kind"] == "discipline_body"
    for child, parent in (("JD", "SH"), ("MH", "SH"), ("JWDW", "SH"), ("SIPG", "SH"),
                          ("JD-JW", "SH-JW"), ("MH-JW", "SH-JW")):
        assert [p for p, _ in out(g, f"unit:{child}", "SUBORDINATE_TO")] == [f"unit:{parent}"]
        assert g.nodes[f"unit:{child}"]["level"] == 1
    stationed = [(s, u) for s, u, d in g.edges(data=True)
                 if d["type"] == "SUPERVISES" and d["mode"] == "stationed"
                 and g.nodes[u]["kind"] == "department"]
    assert stationed, "a stationed discipline group supervising departments"


def test_jiading_units(g: nx.MultiDiGraph) -> None:
    below = descendants(g, "unit:JD")
    kinds = Counter(g.nodes[u]["kind"] for u in below)
    assert kinds["department"] + kinds["street_town"] + kinds["institution"] == 71
    assert kinds["enterprise"] == 88
    assert kinds["village_community"] == 337
    assert kinds["economic_zone"] == 33
    assert set(kinds) == {"department", "street_town", "institution", "enterprise",
                          "village_community", "economic_zone"}
    level2 = {u for u in below
              if g.nodes[u]["kind"] in ("department", "street_town", "institution")}
    assert {g.nodes[u]["level"] for u in level2} == {2}
    assert {p for u in level2 for p, _ in out(g, u, "SUBORDINATE_TO")} == {"unit:JD"}
    for u in below - level2:
        assert g.nodes[u]["level"] == 3
        (parent, _), = out(g, u, "SUBORDINATE_TO")
        assert parent in level2
        if g.nodes[u]["kind"] in ("village_community", "economic_zone"):
            assert g.nodes[parent]["kind"] == "street_town"


def test_jiading_three_lists(g: nx.MultiDiGraph) -> None:
    below = descendants(g, "unit:JD") | {"unit:JD"}
    issues = [i for i in nodes(g, "Issue") if out(g, i, "FOUND_IN")[0][0] in below]
    assert len(issues) >= 20
    assert sum(1 for i in issues if out(g, i, "ASSIGNED_TO")) >= len(issues) - 1
    assert sum(1 for i in issues if into(g, i, "ADDRESSES")) >= len(issues) - 2
    duties = {d for u in below for d, _ in out(g, u, "HOLDS")}
    assert len(duties) > 500


def test_jiading_accountability_8_in_2016_and_31_in_2017(g: nx.MultiDiGraph) -> None:
    below = descendants(g, "unit:JD") | {"unit:JD"}
    by_year: Counter[str] = Counter()
    forms: Counter[int] = Counter()
    for a, _, _ in decisions(g, below):
        (target, _), = out(g, a, "TARGETS")
        (by, _), = out(g, a, "DECIDED_BY")
        year = g.nodes[a]["decided_on"][:4]
        if g.nodes[target]["label"] == "Person" and by in ("unit:JD", "unit:JD-JW"):
            by_year[year] += 1
            if year in ("2016", "2017"):
                forms[g.nodes[a]["form"]] += 1
    assert by_year["2016"] == 8 and by_year["2017"] == 31
    assert (by_year["2017"] - by_year["2016"]) / by_year["2016"] == pytest.approx(2.875)
    total = sum(forms.values())
    assert 0.55 <= forms[1] / total <= 0.75
    assert 0.15 <= forms[2] / total <= 0.35
    assert 0 < forms[3] + forms[4] <= 0.15 * total


def test_jiading_whole_chain_and_direct_only_cases(g: nx.MultiDiGraph) -> None:
    below = descendants(g, "unit:JD") | {"unit:JD"}
    per_case: dict[str, dict[str, str]] = {}
    unit_of: dict[str, str] = {}
    for a, case, unit in decisions(g, below):
        (target, _), = out(g, a, "TARGETS")
        per_case.setdefault(case, {})[g.nodes[a]["category"]] = target
        unit_of[case] = unit
    direct_only = [c for c, cats in per_case.items() if set(cats) == {"direct"}]
    assert len(direct_only) == 1
    chain = {"direct", "important_leadership", "primary_leadership", "overall_leadership",
             "supervisory"}
    whole = [c for c, cats in per_case.items() if set(cats) == chain]
    assert len(whole) == 1
    case = whole[0]
    cats, unit = per_case[case], unit_of[case]
    occurred = g.nodes[case]["occurred_on"]
    assert cats["overall_leadership"] == unit
    assert cats["supervisory"] in {s for s, _ in into(g, unit, "SUPERVISES")}
    assert cats["direct"] in {p for p, _ in out(g, case, "INVOLVES")}
    # The secretary and the leader in charge then are not the ones now: as-of matters.
    assert team(g, unit, ["secretary"], occurred) == {cats["primary_leadership"]}
    assert cats["primary_leadership"] not in team(g, unit, ["secretary"], AS_OF)
    in_charge_then = {p for p, d in into(g, unit, "IN_CHARGE_OF") if active(d, occurred)}
    in_charge_now = {p for p, d in into(g, unit, "IN_CHARGE_OF") if active(d, AS_OF)}
    assert in_charge_then == {cats["important_leadership"]}
    assert cats["important_leadership"] not in in_charge_now
    # Jiading itself changed secretary in between, too.
    assert team(g, "unit:JD", ["secretary"], occurred) != team(g, "unit:JD", ["secretary"], AS_OF)


def test_minhang_51_items_in_14_aspects_and_referrals(g: nx.MultiDiGraph) -> None:
    secretary = team(g, "unit:MH", ["secretary"])
    members = team(g, "unit:MH", ["member", "deputy_secretary"])
    duties = [(h, d) for h in {"unit:MH"} | secretary | members for d, _ in out(g, h, "HOLDS")]
    assert len(duties) == 51
    assert len({g.nodes[d]["aspect"] for _, d in duties}) == 14
    assert {g.nodes[d]["list"] for _, d in duties} == {"responsibility"}
    assert all(g.nodes[d].get("indicator") for _, d in duties)
    by_resp = {(h in secretary, h in members, g.nodes[d]["responsibility"]) for h, d in duties}
    assert by_resp == {(False, False, "primary"), (True, False, "first"), (False, True, "dual")}

    subunits = descendants(g, "unit:MH")
    replied_on_time = replied_late = overdue = not_due = 0
    for r in nodes(g, "Referral"):
        if out(g, r, "ISSUED_BY")[0][0] != "unit:MH-JW":
            continue
        (leader, _), = out(g, r, "SENT_TO")
        in_charge = {u for u, d in out(g, leader, "IN_CHARGE_OF")}
        (issue, _), = out(g, r, "ABOUT")
        assert out(g, issue, "FOUND_IN")[0][0] in in_charge & subunits
        p = g.nodes[r]
        if p.get("replied_on"):
            replied_on_time += p["replied_on"] <= p["due_on"]
            replied_late += p["replied_on"] > p["due_on"]
        elif p["due_on"] < AS_OF:
            overdue += 1
        else:
            not_due += 1
    assert min(replied_on_time, replied_late, overdue, not_due) >= 1
    governance = [p for p in nodes(g, "Project") for i, _ in out(g, p, "ADDRESSES")
                  if g.nodes[i].get("source") == "case" and out(g, i, "FOUND_IN")[0][0] in subunits]
    assert len(governance) >= 2


def test_jwdw_lists_and_four_batches(g: nx.MultiDiGraph) -> None:
    leaders = team(g, "unit:JWDW", ["secretary", "deputy_secretary", "member"])
    lists = Counter(lst for (_, lst), n in holders_count(g, {"unit:JWDW"} | leaders).items()
                    for _ in range(n))
    assert lists == {"responsibility": 26, "task": 79, "institution": 75}
    units = {u for u in descendants(g, "unit:JWDW")}
    batches = [i for i, _ in into(g, "unit:JWDW", "CONDUCTED_BY")]
    assert len(batches) == 4
    assert sorted(g.nodes[i]["round"] for i in batches) == ["1", "2", "3", "4"]
    assert {g.nodes[i]["kind"] for i in batches} <= {"inspection", "duty_review"}
    covered = {u for i in batches for u, _ in out(g, i, "COVERS")}
    assert covered == units and len(units) >= 5
    years = {g.nodes[i]["started_on"][:4] for i in batches}
    assert len(years) == 2


def test_sipg_duties_and_seven_managers(g: nx.MultiDiGraph) -> None:
    secretary = team(g, "unit:SIPG", ["secretary"])
    members = team(g, "unit:SIPG", ["member", "deputy_secretary"])
    assert holders_count(g, {"unit:SIPG"})[("primary", "responsibility")] == 40
    assert holders_count(g, {"unit:SIPG-JW"})[("supervisory", "responsibility")] == 33
    assert sum(holders_count(g, secretary).values()) == 24
    assert holders_count(g, secretary)[("first", "responsibility")] == 24
    assert sum(holders_count(g, members).values()) == 12
    assert holders_count(g, members)[("dual", "responsibility")] == 12
    found = decisions(g, descendants(g, "unit:SIPG") | {"unit:SIPG"})
    in_2017 = [(a, c) for a, c, _ in found if g.nodes[a]["decided_on"].startswith("2017")]
    leaders = {"secretary", "deputy_secretary", "member", "head"}
    managers = {t for a, _ in in_2017 for t, _ in out(g, a, "TARGETS")
                if any(d["role"] in leaders for _, d in out(g, t, "SERVES_IN"))}
    assert len(managers) == 7 and all(g.nodes[m]["label"] == "Person" for m in managers)
    for _, case in in_2017:
        (issue, _), = out(g, case, "ORIGINATED_FROM")
        (check, _), = into(g, issue, "FOUND")
        assert g.nodes[check]["kind"] == "special_check"
        assert {u for u, _ in out(g, check, "CONDUCTED_BY")} == {"unit:SIPG", "unit:SIPG-JW"}


def test_sipg_individual_lists_made_public(g: nx.MultiDiGraph) -> None:
    """上港: 4,500+ individual list items in its units, made public to staff (each company's
    count is kept, not every item)."""
    companies = descendants(g, "unit:SIPG")
    counts = {}
    for c in companies:
        (duty, _), = [(d, a) for d, a in out(g, c, "HOLDS") if d.endswith("-01")]
        counts[c] = int(re.search(r"个性化责任清单(\d+)条", g.nodes[duty]["indicator"])[1])
        published = [r for r, _ in into(g, duty, "FULFILS")
                     if "向职工公开" in g.nodes[r]["summary"]]
        assert len(published) == 1, c
        assert f"{counts[c]}条" in g.nodes[published[0]]["summary"]
    assert len(counts) == 8 and 4500 < sum(counts.values()) < 4600


def test_minhang_towns_with_delegated_supervision(g: nx.MultiDiGraph) -> None:
    bodies = [u for u in descendants(g, "unit:MH-JW") if "授权监察" in g.nodes[u]["name"]]
    assert len(bodies) == 2
    for body in bodies:
        assert g.nodes[body]["kind"] == "discipline_body"
        (town, _), = [(u, d) for u, d in out(g, body, "SUPERVISES")]
        assert g.nodes[town]["kind"] == "street_town" and town in descendants(g, "unit:MH")
        duties = [d for d, _ in out(g, body, "HOLDS")]
        assert [p for d in duties for p, _ in into(g, d, "CASCADES_TO")] == ["duty:D-MHJW-01"]
        assert team(g, body, ["secretary"])


def test_joint_inspections(g: nx.MultiDiGraph) -> None:
    """Inspections conducted by several units: an inspection group's committee with the
    discipline body (教卫: 纪检监察组共同参与)."""
    joint = {i: {u for u, _ in out(g, i, "CONDUCTED_BY")} for i in nodes(g, "Inspection")}
    joint = {i: us for i, us in joint.items() if len(us) > 1}
    assert {f"inspection:INS-JWDW-{b}" for b in range(1, 5)} <= set(joint)
    assert joint["inspection:INS-JWDW-1"] == {"unit:JWDW", "unit:JWDW-JJZ"}
    assert all(any(g.nodes[u]["kind"] == "discipline_body" for u in us) for us in joint.values())


def test_post_case_governance_follows_its_case(g: nx.MultiDiGraph) -> None:
    cases = nodes(g, "Case")
    followed = {c for c in cases if into(g, c, "FOLLOWS_CASE")}
    assert set(cases) - followed == {"case:C-JD-012"}
    for k in (1, 2, 3):
        follow = {x for x, _ in into(g, f"case:C-MH-{k:02d}", "FOLLOWS_CASE")}
        assert follow == {f"issue:I-MH-C{k:02d}", f"project:PJ-MH-C{k:02d}"}


def test_organisations_carry_no_form(g: nx.MultiDiGraph) -> None:
    on_units = [a for a in nodes(g, "Accountability")
                if any(g.nodes[t]["label"] == "Unit" for t, _ in out(g, a, "TARGETS"))]
    assert on_units and all(g.nodes[a].get("form") is None for a in on_units)


def test_cascade_from_city_to_district_to_units(g: nx.MultiDiGraph) -> None:
    city = [d for d, _ in out(g, "unit:SH", "HOLDS")]
    district = {d for c in city for d, _ in out(g, c, "CASCADES_TO")}
    assert any(u == "unit:JD" for d in district for u, _ in into(g, d, "HOLDS"))
    lower = {d for c in district for d, _ in out(g, c, "CASCADES_TO")}
    holders = {u for d in lower for u, _ in into(g, d, "HOLDS")}
    assert holders & descendants(g, "unit:JD")


def test_people_are_fictional(g: nx.MultiDiGraph) -> None:
    people = nodes(g, "Person")
    assert len(people) > 500
    assert all("某" in g.nodes[p]["name"] for p in people)
