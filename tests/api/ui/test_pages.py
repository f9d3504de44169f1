"""The inspectors' pages over HTTP on both stores: content from the queries, the helpful
error states in both languages, the language switch, and nothing loaded from outside."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.errors import NotFound, StoreUnavailable
from graph.queries.cases import cases_in_subtree
from graph.queries.chain import case_trace
from graph.queries.holders import unit_holders
from graph.queries.search import search
from graph.settings import Settings
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from tests.conftest import admin_headers

URL_ATTR = re.compile(r"""(?:src|href|action)\s*=\s*["']([^"']+)["']""", re.I)


def local_only(html: str) -> list[str]:
    """URLs in the page that would leave the server (absolute or protocol-relative)."""
    return [u for u in URL_ATTR.findall(html) if re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", u, re.I)
            and not u.startswith(("data:", "blob:", "#"))]


def test_home_lists_pilot_units_and_search_box(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert 'lang="zh-CN"' in r.text
    assert 'role="search"' in r.text and 'name="q"' in r.text
    for name in ("嘉定区委", "嘉定区纪委监委", "闵行区委", "上港集团党委"):
        assert name in r.text
    assert local_only(r.text) == []


def test_search_ranks_and_links_to_pages(client: TestClient, sample_store: GraphStore) -> None:
    r = client.get("/search", params={"q": "嘉定"})
    assert r.status_code == 200
    expected = search(sample_store, "嘉定", limit=50).hits
    assert expected
    # The result list keeps the query's ranking: the first hit is shown first.
    first = expected[0].node
    listing = r.text[r.text.index('data-testid="results"'):]
    assert listing.index(first.caption) < listing.index(expected[-1].node.caption) or \
        len(expected) == 1
    assert 'href="/units/JD"' in r.text


def test_suggestions_are_an_html_fragment(client: TestClient) -> None:
    r = client.get("/search/suggest", params={"q": "嘉定区纪"})
    assert r.status_code == 200
    assert 'role="option"' in r.text and "嘉定区纪委监委" in r.text
    assert "<html" not in r.text
    assert client.get("/search/suggest", params={"q": " "}).text == ""


def test_nothing_found_says_so_with_a_hint(client: TestClient) -> None:
    # Nonsense that no name contains (Neo4j's Lucene also matches single Chinese bigrams).
    r = client.get("/search", params={"q": "zqxjkv"})
    assert r.status_code == 200
    assert "没有找到与“zqxjkv”相关的结果" in r.text
    r = client.get("/search", params={"q": "qqzzv", "lang": "en"})
    assert "Nothing found for “qqzzv”" in r.text


def test_unit_page_shows_the_four_holders(client: TestClient, sample_store: GraphStore) -> None:
    holders = unit_holders(sample_store, "unit:JD", up=True)
    r = client.get("/units/JD")
    assert r.status_code == 200
    html = r.text
    secretary = html[html.index('data-testid="secretary"'):html.index('data-testid="team"')]
    for s in holders.secretaries:
        assert s.person.caption in secretary
    supervisors = html[html.index('data-testid="supervisors"'):]
    assert "嘉定区纪委监委" in supervisors
    for m in holders.team:
        assert m.person.caption in html
    # The chain up to the city, and the descendants summary.
    assert [a.unit.unit.caption for a in holders.ancestors][-1] == "上海市委"
    assert "上海市委" in html[html.index('data-testid="chain"'):]
    assert "下级单位共" in html
    for v in holders.vacancies:
        assert v.zh in html
    assert local_only(html) == []


def test_unit_page_as_of_before_a_tenure(client: TestClient, sample_store: GraphStore) -> None:
    now = unit_holders(sample_store, "unit:JD")
    start = now.secretaries[0].post.start
    assert start is not None
    before = unit_holders(sample_store, "unit:JD", as_of="2000-01-01")
    r = client.get("/units/JD", params={"as_of": "2000-01-01"})
    assert r.status_code == 200
    assert 'value="2000-01-01"' in r.text
    secretary = r.text[r.text.index('data-testid="secretary"'):r.text.index('data-testid="team"')]
    assert [s.person.caption for s in before.secretaries] == [] or all(
        s.person.caption in secretary for s in before.secretaries)
    if not before.secretaries:
        assert 'data-testid="vacancy"' in secretary


def test_case_page_highlights_gaps_with_a_badge(
    client: TestClient, sample_store: GraphStore
) -> None:
    cases = cases_in_subtree(sample_store, "unit:JD", limit=100)
    assert cases.total > 0
    traced = [case_trace(sample_store, c.case.uid) for c in cases.items]
    with_gap = next(t for t in traced if t.summary.gaps > 0)
    r = client.get(f"/cases/{with_gap.case.id}")
    assert r.status_code == 200
    table = r.text[r.text.index('data-testid="trace-table"'):]
    table = table[:table.index("</table>")]
    gap_rows = [row for row in table.split("<tr")[2:] if 'data-status="gap"' in row]
    assert len(gap_rows) == with_gap.summary.gaps
    # Not by colour only: each gap row carries the word.
    assert all("缺口" in row for row in gap_rows)
    for link in with_gap.links:
        if link.status == "gap" and link.link.holder:
            assert link.link.holder.caption in table


def test_cases_of_a_subtree_agree_on_both_stores(sample_store: GraphStore) -> None:
    cases = cases_in_subtree(sample_store, "unit:JD", limit=1000)
    dates = [c.occurred_on or "" for c in cases.items]
    assert dates == sorted(dates, reverse=True)
    assert all(c.unit.uid.startswith("unit:JD") for c in cases.items)
    with pytest.raises(NotFound):
        cases_in_subtree(sample_store, "unit:NOPE")


def test_person_and_issue_pages(client: TestClient, sample_store: GraphStore) -> None:
    holders = unit_holders(sample_store, "unit:JD")
    person = holders.secretaries[0].person
    r = client.get(f"/people/{person.id}")
    assert r.status_code == 200
    assert person.caption in r.text and "嘉定区委" in r.text
    r = client.get("/issues/I-JD-001")
    assert r.status_code == 200
    assert 'data-testid="issue-chain"' in r.text and "书记" in r.text


@pytest.mark.parametrize("path", ["/units/NOPE", "/people/NOPE", "/issues/NOPE", "/cases/NOPE",
                                  "/nodes/unit:NOPE"])
def test_unknown_id_is_a_helpful_404(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert "text/html" in r.headers["content-type"]
    assert "NOPE" in r.text and "可以用上方搜索框按名称查找" in r.text
    r = client.get(path + ("&" if "?" in path else "?") + "lang=en")
    assert r.status_code == 404
    assert "Use the search box above" in r.text


def test_bad_date_is_a_400_naming_the_field(client: TestClient) -> None:
    r = client.get("/units/JD", params={"as_of": "2017-02-30"})
    assert r.status_code == 400
    assert "参数“截至日期”有误" in r.text and "输入有误" in r.text


def test_language_switch_is_remembered(client: TestClient) -> None:
    r = client.get("/units/JD", params={"lang": "en"})
    assert r.status_code == 200
    assert 'lang="en"' in r.text and "Supervising discipline bodies" in r.text
    assert r.cookies.get("dg_lang") == "en"
    r = client.get("/loops")  # the cookie carries the choice to the next page
    assert 'lang="en"' in r.text and "Open loops" in r.text
    r = client.get("/loops", params={"lang": "zh"})
    assert 'lang="zh-CN"' in r.text and "未闭环事项" in r.text


def test_loops_dashboard_is_sortable_and_scoped(client: TestClient) -> None:
    r = client.get("/loops", params={"unit": "MH"})
    assert r.status_code == 200
    assert 'class="sortable loops"' in r.text or 'data-testid="empty"' in r.text
    assert client.get("/loops", params={"unit": "NOPE"}).status_code == 404


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    """So that a strict Content-Security-Policy (no 'unsafe-inline') keeps them working."""
    for path in ("/", "/units/JD", "/graph?node=unit:JD", "/search?q=嘉定", "/loops"):
        html = client.get(path).text
        scripts = re.findall(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", html, re.S)
        for attrs, body in scripts:
            assert "src=" in attrs or 'type="application/json"' in attrs, (path, attrs)
            if "src=" in attrs:
                assert body.strip() == ""
        assert " style=" not in html and "<style" not in html, path
        assert re.search(r"\son[a-z]+=", html) is None, path


# -- the database down ---------------------------------------------------------------------
class DownStore(EmbeddedStore):
    """A store whose database cannot be reached: every call raises StoreUnavailable."""

    def __init__(self) -> None:
        super().__init__(None)

    def __getattribute__(self, name: str) -> Any:
        if name in ("ensure_schema", "get_node", "neighbours", "find_ids", "counts"):
            raise StoreUnavailable("connection refused (test)")
        return super().__getattribute__(name)


@pytest.fixture
def down_client(tmp_path: Path) -> Iterator[TestClient]:
    # Logins off: this is about the database, not about who asks.
    app = create_app(Settings(DUTYGRAPH_HOME=tmp_path, NEO4J_URI=None, DUTYGRAPH_AUTH="off"),
                     store=DownStore())
    with TestClient(app, headers=admin_headers(tmp_path)) as c:
        yield c


def test_database_down_is_a_503_page_with_a_retry_hint(down_client: TestClient) -> None:
    r = down_client.get("/units/JD")
    assert r.status_code == 503
    assert r.headers.get("retry-after")
    assert "数据库暂时不可用" in r.text and "请稍候片刻再刷新本页" in r.text
    assert 'data-testid="retry"' in r.text and 'href="/units/JD"' in r.text
    r = down_client.get("/", params={"lang": "en"})
    assert r.status_code == 503
    assert "The database is unavailable" in r.text and "reload this page" in r.text


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_weak_links_and_health(client: TestClient, sample_store: GraphStore) -> None:
    """One analysis (seconds) serves the unit page's fragment, the dashboard and the graph."""
    from graph.analytics import analyze_store

    report = analyze_store(sample_store).report
    r = client.get("/fragments/unit-findings", params={"unit": "MH"})
    assert r.status_code == 200
    health = next(h for h in report.health if h.uid == "unit:MH")
    assert f'<span class="health-score">{health.score:g}</span>' in r.text
    r = client.get("/weak-links", params={"unit": "MH"})
    assert r.status_code == 200
    shown = r.text.count('<tr class="sev-row-')
    from graph.queries.subtree import subtree_uids

    units = subtree_uids(sample_store, "unit:MH")
    assert shown == sum(1 for f in report.findings if f.unit in units) > 0
    # The planted open referral loop of 闵行区: named in words, its code in the tooltip.
    assert 'title="V_REFERRAL_OPEN" data-code="V_REFERRAL_OPEN">' in r.text
    assert ">V_REFERRAL_OPEN<" not in r.text
    marks = client.get("/fragments/weak-marks").json()
    assert set(marks) == {"nodes", "pairs"}
    assert {f.ids[0] for f in report.findings} == set(marks["nodes"])


def test_names_with_markup_stay_text(own_client: tuple[TestClient, GraphStore]) -> None:
    from graph.store.base import NodeRecord

    client, store = own_client
    evil = '</script><script>alert(1)</script><!--'
    store.upsert_nodes([NodeRecord("Unit", "X1", {"name": evil, "kind": "other", "level": 1})])
    for path in ("/units/X1", "/graph?node=unit:X1", "/search?q=alert", "/nodes/unit:X1"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "<script>alert(1)" not in r.text, path
    config = client.get("/graph?node=unit:X1").text
    config = config[config.index('id="graph-config">'):]
    assert "\\u003c/script>\\u003cscript>alert(1)" in config


def test_inspector_role_sees_no_analytics(sample_store: GraphStore, tmp_path: Path) -> None:
    """Weak links are the analyst's: an inspector's pages neither link to nor load them."""
    from api.security.users import Role, UserStore

    home = tmp_path / "home"
    users = UserStore(home)
    users.add("insp", Role.inspector, "a long enough password 1", ["*"])
    token = users.issue_token("insp", "test")
    app = create_app(Settings(DUTYGRAPH_HOME=home, NEO4J_URI=None), store=sample_store)
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as c:
        r = c.get("/units/JD")
        assert r.status_code == 200 and "嘉定区纪委监委" in r.text
        assert "/fragments/unit-findings" not in r.text and 'href="/weak-links"' not in r.text
        r = c.get("/weak-links")
        assert r.status_code == 403
        assert "text/html" in r.headers["content-type"] and "无权访问" in r.text
        assert '"weak_url": null' in c.get("/graph?node=unit:JD").text


def test_a_holder_above_the_scope_is_named_without_a_link() -> None:
    """A chain link or decision target marked outline (graph.queries.chain) is shown by name
    only: the user may not open that node's page."""
    from api.i18n import Translator
    from api.ui.render import environment
    from graph.queries.models import NodeRef

    ref = NodeRef(uid="person:CSEC", label="Person", id="CSEC", caption="甲市书记")
    template = environment("zh").from_string(
        '{% import "macros.html" as m with context %}'
        "{{ m.node_link(ref) }}|{{ m.node_link(ref, outline=True) }}")
    linked, outline = template.render(ref=ref, t=Translator("zh")).split("|")
    assert 'href="' in linked and "甲市书记" in linked
    assert "href" not in outline and 'data-outline="true">甲市书记<' in outline


def test_cases_page_counts_persons_and_organisations_apart(client: TestClient) -> None:
    r = client.get("/cases", params={"unit": "JD"})
    assert r.status_code == 200
    section = r.text[r.text.index('data-testid="acc-stats"'):]
    assert "党员干部（人次）" in section and "党组织（个）" in section

    def row(year: int) -> str:
        start = section.index(f'data-year="{year}"')
        return section[start:section.index("</tr>", start)]

    assert 'data-kind="persons">8<' in row(2016)
    assert 'data-kind="persons">31<' in row(2017) and "+287.5%" in row(2017)
    assert 'data-kind="orgs">0<' in row(2017)
    assert 'data-kind="orgs">2<' in row(2018)
    en = client.get("/cases", params={"unit": "JD", "lang": "en"}).text
    assert "Persons (person-times)" in en and "Party organisations" in en


def test_joint_inspection_names_every_organiser(client: TestClient) -> None:
    r = client.get("/nodes/inspection:INS-JWDW-1")
    assert r.status_code == 200
    line = r.text[r.text.index('data-testid="organisers"'):]
    line = line[:line.index("</p>")]
    assert "联合组织实施" in line
    assert "市教育卫生工作党委" in line and "市纪委监委驻市教育卫生工作党委纪检监察组" in line
    single = client.get("/nodes/inspection:INS-JD-2022").text
    assert 'data-testid="organisers"' not in single


def test_case_page_shows_rectification_and_post_case_governance(client: TestClient) -> None:
    page_ = client.get("/cases/C-JD-100").text
    table = page_[page_.index('data-testid="trace-table"'):page_.index("</table>",
                                                                     page_.index("trace-table"))]
    assert table.count('data-status="held"') == 5  # each person once, each link held
    rect = page_[page_.index('data-testid="rectification"'):]
    assert "领衔整改" in rect and "（链条中为书记）" in rect and "I-JD-950" in rect
    post = page_[page_.index('data-testid="post-case"'):]
    assert "以案促改：区建设管理委工程招投标监管问题堵漏建制" in post
    assert 'data-testid="no-post-case"' in client.get("/cases/C-JD-012").text
    judged = client.get("/cases/C-MH-02").text
    assert 'data-testid="not-applicable"' in judged and "经倒查不予追究" in judged
    assert "认定的直接责任人" in judged
    en = client.get("/cases/C-MH-02", params={"lang": "en"}).text
    assert "Judged not applicable" in en and "Post-case governance" in en


def test_case_page_shows_a_link_held_with_another_category(
        own_client: tuple[TestClient, GraphStore]) -> None:
    from tests.graph.queries.trace_world import build_trace_world

    client, store = own_client
    build_trace_world(store, repaired=False)
    page_ = client.get("/cases/K").text
    row = page_[page_.index('data-status="held_other_category"'):]
    row = row[:row.index("</tr>")]
    assert 'data-testid="held-other"' in row and "以其他责任类型问责" in row
    assert "直接责任" in row and "乙某华" in row
    summary = page_[page_.index('data-testid="trace-summary"'):]
    assert "2 个问责缺口" in summary[:summary.index("</p>")]
