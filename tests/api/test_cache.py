"""The response cache (api/cache.py): the same answers as without it, fresh after a load,
the scope, the guard and the audit apply to cached answers exactly as to new ones, and no
header tells a user that someone else asked the same before."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.cache import STATS_EVERY, ResponseCache
from graph.store import GraphStore
from graph.store.base import NodeRecord
from tests.api.conftest import client_for, settings_for
from tests.api.security.conftest import make_sec_app

CACHED_URLS = [
    "/api/units/unit:JD/holders",
    "/api/units/JD/holders?up=true&as_of=2017-06-30",
    "/api/units/unit:JD/overview",
    "/api/people/person:P-JD-01",
    "/api/people/person:P-JD-01?as_of=2016-01-01",
    "/api/issues/issue:I-SIPG-01/chain",
    "/api/cases/case:C-SIPG-01/trace",
    "/api/loops?unit=unit:MH&limit=5",
    "/api/stats/accountability?unit=unit:JD&year=2017",
    "/api/search?q=嘉定&limit=5",
    "/api/graph/neighbourhood/unit:JD?depth=2&limit=300",
    "/api/graph/neighbourhood/unit:SIPG?label=Unit&label=Person&as_of=2018-06-30",
    "/api/graph/path?from=person:P-SIPG-01&to=unit:SH",
]


def _cache(client: TestClient) -> ResponseCache:
    cache: ResponseCache = client.app.state.response_cache  # type: ignore[attr-defined]
    return cache


def test_cached_answers_equal_the_uncached_ones(sample_store: GraphStore, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    with client_for(sample_store, tmp_path / "on") as on:
        monkeypatch.setenv("DUTYGRAPH_API_CACHE", "off")
        with client_for(sample_store, tmp_path / "off") as off:
            assert not _cache(off).enabled and _cache(on).enabled
            for url in CACHED_URLS:
                hits = _cache(on).hits
                first, again, plain = on.get(url), on.get(url), off.get(url)
                assert first.status_code == again.status_code == plain.status_code == 200, url
                assert first.json() == again.json() == plain.json(), url
                assert first.headers["content-type"] == plain.headers["content-type"]
                assert _cache(on).hits == hits + 1, url  # the second answer was reused
    assert _cache(on).hits == len(CACHED_URLS)
    assert _cache(off).hits == 0


def _visible_headers(r: httpx.Response) -> dict[str, str]:
    """The headers, but for the ones that differ on every answer anyway."""
    return {k: v for k, v in r.headers.items()
            if k not in ("content-security-policy", "content-length", "date")}


def test_headers_do_not_tell_a_user_what_another_looked_at(sample_store: GraphStore,
                                                           tmp_path: Path) -> None:
    sec = make_sec_app(sample_store, tmp_path / "home")
    cache = sec.app.state.response_cache
    with sec.client("jd-inspector") as first, sec.client("jd-analyst") as second:
        for url in ("/api/units/unit:JD/holders", "/api/people/person:P-JD-01"):
            fresh = first.get(url)
            hits = cache.hits
            reused = second.get(url)
            assert cache.hits == hits + 1, url  # the second user's answer came from the cache
            assert fresh.json() == reused.json()
            assert _visible_headers(fresh) == _visible_headers(reused), url
            assert not any(k.startswith("x-cache") for k in reused.headers)
            assert reused.headers["cache-control"] == "private, no-store"


def test_the_counters_are_written_for_the_benchmark(sample_store: GraphStore, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUTYGRAPH_API_CACHE_STATS", "true")
    with client_for(sample_store, tmp_path) as c:
        for _ in range(3):
            assert c.get("/api/units/unit:JD/holders").status_code == 200
        stats = tmp_path / "home" / "cache-stats" / f"{os.getpid()}.json"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if stats.exists() and orjson.loads(stats.read_bytes()) == {"hits": 2, "misses": 1}:
                break
            time.sleep(STATS_EVERY / 2)
        assert orjson.loads(stats.read_bytes()) == {"hits": 2, "misses": 1}
        assert stat.S_IMODE(stats.stat().st_mode) == 0o600


def test_errors_are_not_cached(sample_store: GraphStore, tmp_path: Path) -> None:
    with client_for(sample_store, tmp_path) as c:
        for _ in range(2):
            r = c.get("/api/units/unit:NOPE/holders")
            assert r.status_code == 404 and r.json()["id"] == "NOPE"
            assert c.get("/api/units/JD/holders?as_of=2017-02-30").status_code == 422
        assert _cache(c).hits == 0


def test_a_change_of_the_data_is_seen(store: GraphStore, tmp_path: Path) -> None:
    store.upsert_nodes([NodeRecord("Unit", "C1", {"name": "缓存测试一", "kind": "other",
                                                  "level": 1})])
    store.flush()
    with client_for(store, tmp_path) as c:
        url = "/api/search?q=缓存测试"
        assert [h["node"]["uid"] for h in c.get(url).json()["hits"]] == ["unit:C1"]
        assert [h["node"]["uid"] for h in c.get(url).json()["hits"]] == ["unit:C1"]  # a hit
        store.upsert_nodes([NodeRecord("Unit", "C2", {"name": "缓存测试二", "kind": "other",
                                                      "level": 1})])
        store.flush()  # what every load does last: a new data version, seen at once here
        assert sorted(h["node"]["uid"] for h in c.get(url).json()["hits"]) == ["unit:C1", "unit:C2"]


def test_scope_guard_and_audit_apply_to_cached_answers(sample_store: GraphStore,
                                                       tmp_path: Path) -> None:
    sec = make_sec_app(sample_store, tmp_path / "home")
    with sec.client("admin") as admin, sec.client("jd-inspector") as jd:
        # The admin's requests fill the cache for the whole graph ...
        assert admin.get("/api/units/unit:MH/holders").status_code == 200
        everything = admin.get("/api/search?q=闵行&limit=50").json()["hits"]
        assert "unit:MH" in {h["node"]["uid"] for h in everything}
        assert admin.get("/api/people/person:P-JD-01").status_code == 200
        hits_before = _cache(admin).hits
        # ... which a user scoped to 嘉定 never gets: 404 outside the scope, their own list,
        assert jd.get("/api/units/unit:MH/holders").status_code == 404
        mine = jd.get("/api/search?q=闵行&limit=50").json()["hits"]
        assert "unit:MH" not in {h["node"]["uid"] for h in mine}
        assert jd.get("/api/people/person:P-JD-01").status_code == 200
        assert _cache(admin).hits == hits_before  # entries are per scope: none reused
        # ... their own answers are reused (for them and anyone of the same scope),
        again = jd.get("/api/people/person:P-JD-01")
        assert again.status_code == 200 and _cache(admin).hits == hits_before + 1
        # and every read, a hit too, is audited in the user's own name.
    entries = [e for e in sec.app.state.security.audit.entries() if "person:P-JD-01" in e.ids]
    assert [(e.user, e.route) for e in entries][-2:] == [
        ("jd-inspector", "/api/people/{person}")] * 2
    assert sec.app.state.security.audit.verify().ok


def test_the_cache_is_bounded() -> None:
    cache = ResponseCache(max_entries=3, max_bytes=1000)
    for i in range(5):
        cache.put(("k", i), b"x" * 10)
    assert cache.get(("k", 0)) is None and cache.get(("k", 4)) == b"x" * 10
    cache.put(("big",), b"x" * 900)  # more than 1/16 of the bytes: not kept
    assert cache.get(("big",)) is None
    for i in range(3):
        cache.put(("m", i), b"x" * 60)
    cache.put(("m", 3), b"x" * 60)
    assert cache.get(("m", 0)) is None  # least recently used went first


def test_create_app_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUTYGRAPH_API_CACHE", "off")
    app = create_app(settings_for(tmp_path))
    assert not app.state.response_cache.enabled
