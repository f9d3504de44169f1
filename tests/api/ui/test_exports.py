"""Downloads of the table pages (``/export/<page>.xlsx|csv``): workbooks opened with openpyxl,
CSV read back, on both stores — Chinese headers by default, English with the page language,
the scope and the as-of date in the file, the same rows as the page's own query."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from graph.queries.cases import cases_in_subtree
from graph.queries.holders import unit_holders
from graph.queries.loops import MAX_LIMIT, open_loops
from graph.store import GraphStore

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(client: TestClient, path: str, **params: str) -> tuple[dict[str, str], dict]:
    """The "about" lines (label → value) and each table sheet's rows (below its header)."""
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == XLSX
    assert r.headers["content-disposition"].startswith('attachment; filename="dutygraph-')
    wb = load_workbook(io.BytesIO(r.content), read_only=True)
    about_ws, *table_ws = wb.worksheets
    about = {str(a): "" if b is None else str(b) for a, b in about_ws.iter_rows(values_only=True)}
    sheets = {}
    for ws in table_ws:
        rows = list(ws.iter_rows(values_only=True))
        # Title, the scope line, a blank row, then the header row and the data.
        sheets[ws.title] = {"title": rows[0][0], "scope": rows[1][0], "header": rows[3],
                            "rows": rows[4:]}
    return about, sheets


def test_loops_workbook_in_chinese_with_scope_and_date(client: TestClient,
                                                       sample_store: GraphStore) -> None:
    as_of = "2024-12-31"
    # The unit given by its name, as the page's field takes it.
    about, sheets = workbook(client, "/export/loops.xlsx", unit="嘉定区委", as_of=as_of)
    assert about["截至日期"] == as_of and about["单位"] == "嘉定区委"
    assert about["查看范围"] == "全部单位"  # the admin sees every unit
    [sheet] = sheets.values()
    assert sheet["header"][:3] == ("类型", "事项", "编号")
    expected = open_loops(sample_store, unit="unit:JD", as_of=as_of, limit=MAX_LIMIT)
    assert len(sheet["rows"]) == len(expected.items) > 0
    assert [r[2] for r in sheet["rows"]] == [it.node.id for it in expected.items]
    assert [r[6] for r in sheet["rows"]] == [it.days_overdue for it in expected.items]
    assert as_of in sheet["scope"]


def test_english_headers_follow_the_page_language(client: TestClient) -> None:
    about, sheets = workbook(client, "/export/loops.xlsx", unit="JD", lang="en")
    assert about["As of"] and about["Unit"] == "嘉定区委" and "Scope" in about
    [sheet] = sheets.values()
    assert all(h and not any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in sheet["header"])


def test_unit_workbook_lists_the_holders_of_the_date(client: TestClient,
                                                     sample_store: GraphStore) -> None:
    holders = unit_holders(sample_store, "unit:JD", as_of="2018-06-30", up=True)
    about, sheets = workbook(client, "/export/unit.xlsx", unit="JD", as_of="2018-06-30")
    assert about["截至日期"] == "2018-06-30"
    names = {str(c) for s in sheets.values() for row in s["rows"] for c in row if c}
    for member in holders.team:
        assert member.person.caption in names


def test_cases_csv_has_the_about_lines_then_the_table(client: TestClient,
                                                      sample_store: GraphStore) -> None:
    r = client.get("/export/cases.csv", params={"unit": "JD"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode())  # spreadsheet programs read it as UTF-8
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    blank = rows.index([])
    about = dict(rows[:blank])
    assert about["单位"] == "嘉定区委" and about["截至日期"]
    header, *data = rows[blank + 1:]
    assert header[:3] == ["案件", "编号", "单位"]
    from api.ui.cases import LIST_LIMIT

    expected = cases_in_subtree(sample_store, "unit:JD", limit=LIST_LIMIT).items
    assert [d[1] for d in data] == [c.case.id for c in expected]


def test_weak_links_workbook_has_findings_and_health(client: TestClient) -> None:
    _, sheets = workbook(client, "/export/weak-links.xlsx", unit="MH", deducted="true")
    assert len(sheets) == 2
    findings, health = sheets.values()
    codes = {r[3] for r in findings["rows"]}
    assert "V_REFERRAL_OPEN" in codes  # the planted open referral loop of 闵行区
    # Rule names in words beside their codes.
    assert all(r[2] and r[2] != r[3] for r in findings["rows"])
    # Only units with deductions.
    assert health["rows"] and all(float(r[2]) < 100 for r in health["rows"])


def test_a_bad_table_or_unknown_unit_is_refused_in_words(client: TestClient) -> None:
    r = client.get("/export/loops.csv", params={"table": "nope"})
    assert r.status_code == 400 and "loops" in r.text
    r = client.get("/export/cases.xlsx", params={"unit": "不存在的单位"})
    assert r.status_code in (400, 404) and "不存在的单位" in r.text
