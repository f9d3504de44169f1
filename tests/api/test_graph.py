"""Graph views through HTTP on both stores: JSON with kinds, labels and styles; GraphML,
GEXF and CSV downloads (escaped against formula injection, each fact with its provenance);
the interactive pages."""

from __future__ import annotations

import csv
import io
import zipfile

import networkx as nx
from fastapi.testclient import TestClient

from api.routes.subgraphs import GraphView
from graph.schema import SCHEMA
from graph.store import GraphStore
from graph.store.base import NodeRecord, RelRecord


def test_neighbourhood_json(client: TestClient) -> None:
    r = client.get("/api/graph/neighbourhood/unit:SIPG", params={"limit": 40})
    assert r.status_code == 200
    view = GraphView.model_validate(r.json())
    assert view.roots == ["unit:SIPG"]
    assert 1 < len(view.nodes) <= 40
    assert view.nodes[0].uid == "unit:SIPG" and view.nodes[0].hops == 0
    uids = {n.uid for n in view.nodes}
    for n in view.nodes:
        kind = SCHEMA.node(n.kind)
        assert (n.kind_zh, n.kind_en) == (kind.zh, kind.en)
        assert (n.style.shape, n.style.color) == (kind.shape, kind.color)
    assert view.edges
    for e in view.edges:
        assert e.src in uids and e.dst in uids
        rel = SCHEMA.rel(e.type)
        assert (e.label_zh, e.label_en) == (rel.zh, rel.en)
        assert e.style.color == rel.color
    assert len({e.id for e in view.edges}) == len(view.edges)
    # The cap is reported: SIPG has more than 40 neighbours.
    assert view.truncated and view.more["unit:SIPG"] > 0
    assert view.nodes[0].more == view.more["unit:SIPG"]
    assert {x.label for x in view.legend.nodes} == {n.kind for n in view.nodes}


def test_neighbourhood_filters_and_as_of(client: TestClient) -> None:
    params = {"rel_type": "SERVES_IN", "label": "Person", "limit": 500}
    then = client.get("/api/graph/neighbourhood/unit:JD", params={**params, "as_of": "2017-06-30"})
    later = client.get("/api/graph/neighbourhood/unit:JD", params={**params, "as_of": "2023-06-30"})
    assert then.status_code == later.status_code == 200
    for body in (then.json(), later.json()):
        assert {e["type"] for e in body["edges"]} == {"SERVES_IN"}
        assert {n["kind"] for n in body["nodes"][1:]} == {"Person"}
    people_then = {n["uid"] for n in then.json()["nodes"]}
    people_later = {n["uid"] for n in later.json()["nodes"]}
    assert "person:P-JD-01" in people_then and "person:P-JD-01" not in people_later
    assert "person:P-JD-02" in people_later


def test_neighbourhood_rejects_bad_parameters(client: TestClient) -> None:
    assert client.get("/api/graph/neighbourhood/unit:NOPE").status_code == 404
    for params in ({"depth": 0}, {"depth": 6}, {"limit": 0}, {"limit": 5001},
                   {"rel_type": "LIKES"}, {"label": "Cat"}, {"as_of": "2017-02-30"}):
        r = client.get("/api/graph/neighbourhood/unit:JD", params=params)
        assert r.status_code == 422, params
        assert r.json()["fields"], params


def test_path_json(client: TestClient) -> None:
    r = client.get("/api/graph/path", params={"from": "unit:JD-JW", "to": "unit:SH"})
    assert r.status_code == 200
    view = r.json()
    assert view["roots"] == ["unit:JD-JW", "unit:SH"]
    assert view["paths"]
    shortest = len(view["paths"][0])
    for path in view["paths"]:
        assert path[0] == "unit:JD-JW" and path[-1] == "unit:SH"
        assert len(path) == shortest
    uids = {n["uid"] for n in view["nodes"]}
    assert {u for p in view["paths"] for u in p} == uids
    missing = client.get("/api/graph/path", params={"from": "unit:JD", "to": "unit:NOPE"})
    assert missing.status_code == 404
    assert client.get("/api/graph/path", params={"from": "unit:JD"}).status_code == 422


def test_graphml_and_gexf_downloads(client: TestClient) -> None:
    view = client.get("/api/graph/neighbourhood/unit:SIPG", params={"limit": 30}).json()
    for ext, media in (("graphml", "application/graphml+xml"), ("gexf", "application/gexf+xml")):
        r = client.get(f"/api/graph/neighbourhood/unit:SIPG.{ext}", params={"limit": 30})
        assert r.status_code == 200, ext
        assert r.headers["content-type"].startswith(media)
        assert "attachment" in r.headers["content-disposition"]
        reader = nx.read_graphml if ext == "graphml" else nx.read_gexf
        g = reader(io.BytesIO(r.content))
        assert set(g.nodes) == {n["uid"] for n in view["nodes"]}
        assert g.number_of_edges() == len(view["edges"])
        assert g.nodes["unit:SIPG"]["label"] == "上港集团党委"
    path = client.get("/api/graph/path.graphml", params={"from": "unit:SIPG", "to": "unit:SH"})
    assert path.status_code == 200
    assert "unit:SH" in nx.read_graphml(io.BytesIO(path.content))


def _tables(content: bytes) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert sorted(z.namelist()) == ["edges.csv", "nodes.csv"]
        out = {}
        for name in z.namelist():
            text = z.read(name).decode("utf-8")
            assert text.startswith("\ufeff")  # Excel needs the BOM for UTF-8
            out[name] = list(csv.DictReader(io.StringIO(text[1:])))
        return out


def test_csv_download(client: TestClient) -> None:
    r = client.get("/api/graph/neighbourhood/unit:SIPG.csv.zip", params={"limit": 30})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/zip"
    tables = _tables(r.content)
    view = client.get("/api/graph/neighbourhood/unit:SIPG", params={"limit": 30}).json()
    assert [row["uid"] for row in tables["nodes.csv"]] == [n["uid"] for n in view["nodes"]]
    assert len(tables["edges.csv"]) == len(view["edges"])
    assert tables["nodes.csv"][0]["caption"] == "上港集团党委"


def _hostile(store: GraphStore) -> None:
    store.upsert_nodes([
        NodeRecord("Unit", "U1", {"name": "=HYPERLINK(\"http://evil\")", "kind": "other",
                                  "level": 1}),
        NodeRecord("Person", "P1", {"name": "+cmd|' /C calc'!A0", "title": "@SUM(1+1)"}),
        NodeRecord("Person", "P2", {"name": "-2+3", "title": "普通职务"}),
    ])
    store.upsert_relationships([
        RelRecord.make("SERVES_IN", "person:P1", "unit:U1", {"role": "secretary",
                                                              "start": "2020-01-01"}),
        RelRecord.make("IN_CHARGE_OF", "person:P2", "unit:U1", {"portfolio": "=1+1"}),
    ])


def test_csv_cells_escaped_against_formulas(own_client: tuple[TestClient, GraphStore]) -> None:
    client, store = own_client
    _hostile(store)
    r = client.get("/api/graph/neighbourhood/unit:U1.csv.zip")
    assert r.status_code == 200
    tables = _tables(r.content)
    cells = [v for rows in tables.values() for row in rows for v in row.values() if v]
    assert not [c for c in cells if c[0] in "=+-@"], cells
    captions = {row["uid"]: row["caption"] for row in tables["nodes.csv"]}
    assert captions["unit:U1"] == "'=HYPERLINK(\"http://evil\")"
    assert captions["person:P2"] == "'-2+3"
    assert [row["portfolio"] for row in tables["edges.csv"] if row["type"] == "IN_CHARGE_OF"] \
        == ["'=1+1"]


def _provenance(client: TestClient, fact: str) -> dict[str, object]:
    """The provenance columns an export should carry, from the API's own provenance."""
    p = client.get("/api/provenance", params={"fact": fact}).json()
    assert p["change"] is not None and p["sources"], p
    first = p["sources"][0]
    assert first["file"] and first["row"]
    return {"prov_change": str(p["change"]), "prov_kind": p["kind"], "prov_by": p["user"],
            "prov_at": p["at"], "row": f"{first['file']} › {first['row']} (#{first['change']})"}


def test_downloads_carry_each_facts_provenance(client: TestClient) -> None:
    params = {"limit": 30}
    g = nx.read_graphml(io.BytesIO(client.get("/api/graph/neighbourhood/unit:SIPG.graphml",
                                              params=params).content))
    gexf = nx.read_gexf(io.BytesIO(client.get("/api/graph/neighbourhood/unit:SIPG.gexf",
                                              params=params).content))
    tables = _tables(client.get("/api/graph/neighbourhood/unit:SIPG.csv.zip",
                                params=params).content)
    want = _provenance(client, "unit:SIPG")
    node = next(r for r in tables["nodes.csv"] if r["uid"] == "unit:SIPG")
    for attrs in (g.nodes["unit:SIPG"], gexf.nodes["unit:SIPG"], node):
        assert {k: str(attrs[k]) for k in ("prov_change", "prov_kind", "prov_by", "prov_at")} \
            == {k: v for k, v in want.items() if k != "row"}
        assert str(attrs["prov_sources"]).startswith(str(want["row"]))
    # Relationships too: each edge row names the change set and rows that assert it.
    edge = tables["edges.csv"][0]
    fact = f"{edge['src']}-{edge['type']}->{edge['dst']}" + (f"[{edge['key']}]"
                                                            if edge["key"] else "")
    want = _provenance(client, fact)
    assert edge["prov_change"] == want["prov_change"]
    assert edge["prov_sources"].startswith(str(want["row"]))
    assert all(e.get("prov_change") for _, _, e in g.edges(data=True))


def test_view_pages(client: TestClient) -> None:
    r = client.get("/views/neighbourhood/unit:SIPG", params={"limit": 60})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "上港集团党委" in page and "vis.Network" in page
    assert "stabilizationIterationsDone" in page
    path = client.get("/views/path", params={"from": "unit:SIPG", "to": "unit:SH"})
    assert path.status_code == 200 and "unit:SH" in path.text
    missing = client.get("/views/neighbourhood/unit:NOPE")
    assert missing.status_code == 404


def test_large_view_is_laid_out_without_physics(client: TestClient) -> None:
    """Past PHYSICS_MAX_NODES the page carries positions and physics off (1,000 nodes)."""
    from api.routes.views import PHYSICS_MAX_NODES

    r = client.get("/views/neighbourhood/unit:JD", params={"depth": 2, "limit": 1000})
    assert r.status_code == 200
    data = r.text
    view = client.get("/api/graph/neighbourhood/unit:JD", params={"depth": 2, "limit": 1000})
    n = len(view.json()["nodes"])
    assert n > PHYSICS_MAX_NODES
    assert data.count('"x":') >= n and '"physics": {"enabled": false' in data
