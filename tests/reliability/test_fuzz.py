"""Property-based fuzzing (hypothesis) of the parsers and of the query parameters.

Whatever the input, only the project's own errors may come out: ``BadValue`` (a located
load issue) from the cell parsers, load issues from the readers, ``DutyGraphError``
subclasses from the queries, HTTP 4xx (or 503) from the API — never another exception and
never a 500. Bounded for the default run (few examples, no deadline); ``slow`` runs more.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.checksum import graph_checksum
from graph.errors import DutyGraphError
from graph.schema import SCHEMA
from graph.store.embedded import EmbeddedStore
from loaders.errors import CODES
from loaders.pipeline import load_paths, load_sample
from loaders.values import BadValue, converter, parse_date, parse_id, parse_int, split_multi

DEEP = os.environ.get("DUTYGRAPH_FUZZ_DEEP") == "1"
FAST = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
DEEPER = settings(FAST, max_examples=1000, derandomize=False)

cells = st.one_of(
    st.text(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.none(), st.dates().map(lambda d: d), st.datetimes(),
    st.lists(st.text(max_size=5), max_size=4),
    st.from_regex(r"\A\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\Z"),
    st.sampled_from(["=HYPERLINK(\"x\")", "'=x", "@SUM(1)", "-1", "+1", "\x00", "第十种形态"]),
)


def _only_bad_value(fn: Callable[[Any], Any], raw: Any) -> None:
    try:
        fn(raw)
    except BadValue as exc:
        assert exc.code in CODES


# -- cell parsers ------------------------------------------------------------------------
def _parser_props() -> list[Any]:
    seen, out = set(), []
    for node in SCHEMA.nodes:
        for p in node.properties:
            if (p.type, p.enum) not in seen:
                seen.add((p.type, p.enum))
                out.append(p)
    return out


@pytest.mark.parametrize("prop", _parser_props(), ids=lambda p: f"{p.type}-{p.enum or p.name}")
@FAST
@given(raw=cells)
def test_cell_converters(prop: Any, raw: Any) -> None:
    _only_bad_value(converter(prop), raw)


@FAST
@given(raw=cells)
def test_id_date_int_multi(raw: Any) -> None:
    for fn in (parse_id, parse_date, parse_int, split_multi):
        _only_bad_value(fn, raw)


@FAST
@given(d=st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)))
def test_valid_dates_parse_in_every_form(d: dt.date) -> None:
    iso = d.isoformat()
    for text in (iso, f"{d.year}/{d.month}/{d.day}", f"{d.year}年{d.month}月{d.day}日"):
        assert parse_date(text) == iso


# -- whole files -------------------------------------------------------------------------
def _load_bytes(tmp: Path, name: str, data: bytes) -> None:
    path = tmp / name
    path.write_bytes(data)
    store = EmbeddedStore(None)
    report = load_paths(store, [path], progress=False)  # must not raise
    if not report.ok:
        assert not report.written and graph_checksum(store) == graph_checksum(EmbeddedStore(None))
    assert all(e.code in CODES for e in report.errors + report.warnings)


@FAST
@given(data=st.binary(max_size=2000), name=st.sampled_from(
    ["units.csv", "people.csv", "posts.csv", "records.csv", "people.json", "people.jsonl"]))
def test_random_bytes_files(tmp_path: Path, data: bytes, name: str) -> None:
    _load_bytes(tmp_path, name, data)


header = st.sampled_from([["id", "name", "kind", "level", "parent_id"],
                          ["编号", "名称", "类型", "层级"],
                          ["person_id", "unit_id", "role", "start"]])


@FAST
@given(head=header, rows=st.lists(st.lists(cells, max_size=6), max_size=6),
       ext=st.sampled_from(["csv", "xlsx"]))
def test_random_grids(tmp_path: Path, head: list[str], rows: list[list[Any]], ext: str) -> None:
    """CSV text and workbooks built from random cells (the workbook keeps cell types)."""
    from openpyxl.utils.exceptions import IllegalCharacterError

    from tests.reliability.corpus import csv_bytes, xlsx_bytes

    name = "units" if head[0] in ("id", "编号") else "posts"
    if ext == "csv":
        data = csv_bytes([head, *[[("" if c is None else str(c)) for c in r] for r in rows]])
    else:
        def ok(c: Any) -> Any:  # openpyxl refuses control characters and lists
            if isinstance(c, list):
                return ";".join(c)
            if isinstance(c, str):
                return "".join(ch for ch in c if ch >= " " or ch in "\t\n")[:1000]
            if isinstance(c, float) and c != c:
                return None
            return c
        try:
            data = xlsx_bytes({name: [head, *[[ok(c) for c in r] for r in rows]]})
        except (ValueError, TypeError, OverflowError, IllegalCharacterError):
            return  # a cell openpyxl cannot write is not a loader input
    _load_bytes(tmp_path, f"{name}.{ext}", data)


# -- queries -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample() -> EmbeddedStore:
    store = EmbeddedStore(None)
    assert load_sample(store, progress=False).ok
    return store


ids = st.one_of(
    st.sampled_from(["JD", "unit:JD", "MH", "P-SH-01", "person:P-SH-01", "I-JD-001",
                     "C-JD-001", "unit:", "person:nope", "duty:D-SH-01", ""]),
    st.text(max_size=30),
)
dates = st.one_of(st.none(), st.sampled_from(["2017-03-01", "2017-02-30", "x", ""]),
                  st.text(max_size=12))
names = st.one_of(st.sampled_from([n.label for n in SCHEMA.nodes]),
                  st.sampled_from([r.type for r in SCHEMA.relationships]), st.text(max_size=12))
small_ints = st.integers(min_value=-5, max_value=10_000_000)


def _own_errors_only(call: Callable[[], Any]) -> None:
    # Any other exception propagates and fails the test.
    with contextlib.suppress(DutyGraphError):
        call()


@FAST
@given(a=ids, b=ids, d=dates, n=small_ints, types=st.one_of(st.none(), st.lists(names,
                                                                                   max_size=3)))
def test_query_functions(sample: EmbeddedStore, a: str, b: str, d: str | None, n: int,
                         types: list[str] | None) -> None:
    from graph.queries.chain import case_trace, issue_chain
    from graph.queries.holders import unit_holders
    from graph.queries.loops import open_loops
    from graph.queries.person import person_profile
    from graph.queries.search import search
    from graph.queries.stats import accountability_stats
    from graph.queries.subgraph import neighbourhood, shortest_paths

    before = sample.version
    _own_errors_only(lambda: unit_holders(sample, a, as_of=d))
    _own_errors_only(lambda: person_profile(sample, a, as_of=d))
    _own_errors_only(lambda: issue_chain(sample, a))
    _own_errors_only(lambda: case_trace(sample, a))
    _own_errors_only(lambda: open_loops(sample, unit=a or None, as_of=d, kinds=types,
                                        limit=n, offset=n % 7))
    _own_errors_only(lambda: search(sample, b, labels=types, limit=n))
    _own_errors_only(lambda: accountability_stats(sample, unit=a or None, years=[n]))
    _own_errors_only(lambda: neighbourhood(sample, a, depth=n % 5, rel_types=types,
                                           labels=types, limit=n, as_of=d))
    _own_errors_only(lambda: shortest_paths(sample, a, b, max_depth=n % 9))
    assert sample.version == before  # reads never write


# -- API parameters ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def api(sample: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory
        ) -> Iterator[TestClient]:
    from tests.api.conftest import client_for

    with client_for(sample, tmp_path_factory.mktemp("fuzz-api")) as client:
        yield client


ROUTES = ["/api/units/{id}/holders", "/api/units/{id}/overview", "/api/people/{id}",
          "/api/issues/{id}/chain", "/api/cases/{id}/trace", "/api/loops",
          "/api/stats/accountability", "/api/search", "/api/graph/neighbourhood/{id}",
          "/api/graph/path", "/api/analytics/findings", "/api/analytics/health"]
query_values = st.one_of(ids, dates, small_ints.map(str), names)


@FAST
@given(route=st.sampled_from(ROUTES), node=ids, params=st.dictionaries(
    st.sampled_from(["as_of", "up", "unit", "kind", "limit", "offset", "year", "q", "label",
                     "from", "to", "max_depth", "rel_type", "depth", "severity", "axis",
                     "code"]), query_values, max_size=5))
def test_api_parameters(api: TestClient, route: str, node: str, params: dict[str, str]
                        ) -> None:
    from urllib.parse import quote

    path = route.replace("{id}", quote(node, safe="") or "%20")
    r = api.get(path, params=params)
    assert r.status_code < 500 or r.status_code == 503, (path, params, r.text[:300])
    if r.status_code >= 400:
        body = r.json()
        assert body.get("message_zh") or body.get("detail"), body


@pytest.mark.slow
@DEEPER
@given(raw=cells)
def test_parsers_deeper(raw: Any) -> None:
    for prop in _parser_props():
        _only_bad_value(converter(prop), raw)
    for fn in (parse_id, parse_date, parse_int, split_multi):
        _only_bad_value(fn, raw)


@pytest.mark.slow
@DEEPER
@given(route=st.sampled_from(ROUTES), node=ids,
       params=st.dictionaries(st.sampled_from(["as_of", "unit", "limit", "q", "label", "from",
                                               "to", "rel_type", "depth", "kind"]),
                              query_values, max_size=6))
def test_api_parameters_deeper(api: TestClient, route: str, node: str, params: dict[str, str]
                               ) -> None:
    test_api_parameters.hypothesis.inner_test(api, route, node, params)  # type: ignore[attr-defined]
