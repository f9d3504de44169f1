"""A page in one language carries none of the other's texts where the page's language is
used: error messages, punctuation after labels, and English plurals."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.i18n import translate
from graph.queries.search import search
from graph.store import GraphStore
from graph.store.base import NodeRecord, RelRecord

HAN = re.compile(r"[\u4e00-\u9fff]")


def _lead(html: str) -> str:
    """The error page's message (its lead paragraph)."""
    return re.search(r'<p class="lead">(.*?)</p>', html, re.S).group(1)  # type: ignore[union-attr]


def test_a_bad_date_is_explained_in_the_page_language(client: TestClient) -> None:
    zh = client.get("/units/JD", params={"as_of": "2017-02-30"})
    en = client.get("/units/JD", params={"as_of": "2017-02-30", "lang": "en"})
    assert zh.status_code == en.status_code == 400
    assert _lead(zh.text) == "参数“截至日期”有误：没有“2017-02-30”这一天"
    assert _lead(en.text) == "Invalid “as-of date”: there is no such day as “2017-02-30”"
    # The whole English page: no Chinese outside the names of the graph's data.
    main = en.text[en.text.index("<main"):en.text.index("</main>")]
    assert HAN.search(main) is None, main
    assert "<title>Invalid input · DutyGraph</title>" in en.text
    assert "<title>输入有误 · 责任图谱</title>" in zh.text


def test_a_malformed_date_and_an_unknown_kind(client: TestClient) -> None:
    en = client.get("/people/P-JD-01", params={"as_of": "yesterday", "lang": "en"})
    assert _lead(en.text) == "Invalid “as-of date”: “yesterday” is not a date (YYYY-MM-DD)"
    zh = client.get("/search", params={"q": "嘉定", "kind": "Planet", "lang": "zh"})
    assert zh.status_code == 400 and _lead(zh.text) == "参数“类型”有误：未知类型“Planet”"


def test_unknown_ids_name_the_kind_in_the_page_language(client: TestClient) -> None:
    assert _lead(client.get("/people/NOPE").text) == "没有编号为“NOPE”的人员。"
    assert _lead(client.get("/people/NOPE?lang=en").text) \
        == "There is no person with the id “NOPE”."


def test_labels_take_the_language_punctuation(client: TestClient) -> None:
    """English labels end in ": ", Chinese ones in "：" (never the other way round)."""
    zh = client.get("/units/JD").text
    en = client.get("/units/JD", params={"lang": "en"}).text
    assert "分管：" in zh and "In charge of: " in en
    assert "In charge of：" not in en and "Secretary：" not in en
    # No full-width colon or bracket after an English word (the data's names are Chinese).
    assert re.search(r"[A-Za-z][\s>]*[：（]", en) is None


def test_english_counts_are_singular_and_plural(own_client: tuple[TestClient, GraphStore]
                                                ) -> None:
    client, store = own_client
    store.upsert_nodes([
        NodeRecord("Unit", "U1", {"name": "Alpha Unit", "kind": "other", "level": 1}),
        NodeRecord("Unit", "U2", {"name": "Beta Unit", "kind": "other", "level": 1}),
        NodeRecord("Duty", "D1", {"title": "责任一", "responsibility": "primary"}),
        NodeRecord("Duty", "D2", {"title": "责任二", "responsibility": "primary"}),
        NodeRecord("Duty", "D3", {"title": "责任三", "responsibility": "primary"}),
    ])
    store.upsert_relationships([RelRecord("HOLDS", "unit:U1", "duty:D1"),
                                RelRecord("HOLDS", "unit:U2", "duty:D2"),
                                RelRecord("HOLDS", "unit:U2", "duty:D3")])
    one = client.get("/units/U1", params={"lang": "en"}).text
    two = client.get("/units/U2", params={"lang": "en"}).text
    assert "<summary>1 duty</summary>" in one and "1 duties" not in one
    assert "<summary>2 duties</summary>" in two
    assert "<summary>1 项责任</summary>" in client.get("/units/U1", params={"lang": "zh"}).text
    home = client.get("/", params={"lang": "en"}).text
    assert "5 nodes, 3 relationships" in home
    hits = {q: len(search(store, q).hits) for q in ("Alpha", "Unit")}
    assert hits == {"Alpha": 1, "Unit": 2}
    assert "1 result for “Alpha”" in client.get("/search", params={"q": "Alpha"}).text
    assert "2 results for “Unit”" in client.get("/search", params={"q": "Unit"}).text


def test_the_graph_page_gives_its_script_the_page_language(client: TestClient) -> None:
    page = client.get("/graph", params={"node": "unit:JD", "lang": "en"}).text
    config = page[page.index('id="graph-config">'):]
    assert f'"graph_expand_node": "{translate("ui.graph_expand_node", "en")}"' in config
    assert "展开" not in config


def test_parameters_refused_before_the_page_runs_get_a_page_too(client: TestClient) -> None:
    """FastAPI's own validation (too long, missing, out of range) answers a page route with
    the 400 page in the page's language, not with the API's JSON."""
    r = client.get("/units/JD", params={"as_of": "2017-02-300", "lang": "zh"})
    assert r.status_code == 400 and "text/html" in r.headers["content-type"]
    assert _lead(r.text) == "参数“截至日期”有误：最多 10 个字符"
    r = client.get("/cases", params={"lang": "en"})
    assert r.status_code == 400 and _lead(r.text) == "Invalid “unit”: required"
    r = client.get("/graph", params={"node": "unit:JD", "depth": 9})
    assert _lead(r.text) == "Invalid “depth”: must be at most 3"
    # The JSON API keeps its JSON 422.
    r = client.get("/api/loops", params={"limit": 0})
    assert r.status_code == 422 and r.json()["error"] == "invalid_request"
