"""The one error mapping: 404/409/422 bodies, and 503 while the database is unreachable —
with a clear message, Retry-After, and recovery without restarting the app."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from graph.settings import Settings
from graph.store import GraphStore
from graph.store.base import NodeRecord
from tests.conftest import admin_headers

REPO = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_ambiguous_id_is_409_with_candidates(own_client: tuple[TestClient, GraphStore]) -> None:
    client, store = own_client
    store.upsert_nodes([NodeRecord("Unit", "X1", {"name": "甲", "kind": "other", "level": 1}),
                        NodeRecord("Person", "X1", {"name": "乙"})])
    r = client.get("/api/graph/neighbourhood/X1")
    assert r.status_code == 409
    body = r.json()
    assert body["error"] == "ambiguous_id" and body["id"] == "X1"
    assert body["candidates"] == ["person:X1", "unit:X1"]
    assert "person:X1" in body["message_zh"]
    # Written as kind:id it is not ambiguous.
    assert client.get("/api/graph/neighbourhood/unit:X1").status_code == 200


def test_unknown_route_is_404_json(client: TestClient) -> None:
    r = client.get("/api/nothing-here")
    assert r.status_code == 404
    assert r.json()["error"] == "not_found"
    assert r.json()["message_zh"] and r.json()["message_en"]


def test_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    """A real Neo4jStore (no mock) pointed at a closed port: 503, Retry-After, both languages;
    every request tries again (nothing broken is cached) and pages without data still work."""
    settings = Settings(NEO4J_URI=f"bolt://127.0.0.1:{closed_port()}",
                        NEO4J_PASSWORD=SecretStr("x"), DUTYGRAPH_HOME=tmp_path)
    # start-up survives the outage
    with TestClient(create_app(settings), headers=admin_headers(settings.home)) as client:
        for path in ("/health", "/api/units/JD/holders", "/api/loops",
                     "/api/graph/neighbourhood/unit:JD", "/views/neighbourhood/unit:JD",
                     "/health"):
            t0 = time.monotonic()
            r = client.get(path)
            assert r.status_code == 503, path
            assert time.monotonic() - t0 < 30, path
            assert r.headers["retry-after"].isdigit()
            body = r.json()
            assert body["error"] == "store_unavailable"
            assert "数据库" in body["message_zh"] and "unavailable" in body["message_en"]
        assert client.get("/docs").status_code == 200
        assert client.get("/openapi.json").status_code == 200


def _ctl(command: str, env: dict[str, str]) -> None:
    subprocess.run([str(REPO / "ops/neo4j/neo4jctl"), command], env=env, check=True,
                   timeout=300, capture_output=True)


def _wait_status(client: TestClient, path: str, want: int, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    status = client.get(path).status_code
    while status != want and time.monotonic() < deadline:
        time.sleep(1)
        status = client.get(path).status_code
    return status


@pytest.mark.integration
@pytest.mark.slow
def test_recovers_when_neo4j_comes_back(tmp_path: Path) -> None:
    """Stop the test's own Neo4j under a running app, then start it again: 503 while it is
    down, 200 again afterwards, same app object, no restart."""
    from tests.conftest import neo4j_test_settings

    settings = neo4j_test_settings(tmp_path)
    home, port = os.environ.get("NEO4J_CTL_HOME"), os.environ.get("NEO4J_CTL_PORT")
    if not home or str(urlsplit(settings.neo4j_uri or "").port) != port:
        pytest.fail("set NEO4J_CTL_HOME/NEO4J_CTL_PORT to the test Neo4j (scripts/test does)")
    env = {**os.environ}
    with TestClient(create_app(settings), headers=admin_headers(settings.home)) as client:
        before = client.get("/health")
        assert before.status_code == 200
        _ctl("stop", env)
        try:
            t0 = time.monotonic()
            down = client.get("/health")
            took = time.monotonic() - t0
            print(f"503 after {took:.1f} s")
            assert down.status_code == 503 and took < 30, took
            assert down.headers["retry-after"].isdigit()
            assert client.get("/api/search", params={"q": "嘉定"}).status_code == 503
        finally:
            _ctl("start", env)
        t0 = time.monotonic()
        assert _wait_status(client, "/health", 200, 60) == 200
        print(f"200 again {time.monotonic() - t0:.1f} s after the restart")
        assert client.get("/health").json()["counts"] == before.json()["counts"]


def test_error_bodies_carry_the_code_and_the_request_language(client: TestClient) -> None:
    """``message`` follows ``?lang=``, then the pages' cookie, then Accept-Language (default
    Chinese); ``code`` names the catalogue entry; both languages stay in the body."""
    r = client.get("/api/units/NOPE/holders")
    body = r.json()
    assert r.status_code == 404 and body["code"] == "error.not_found"
    assert body["message"] == body["message_zh"] == "没有编号为“NOPE”的单位。"
    assert body["message_en"] == "There is no unit with the id “NOPE”."
    r = client.get("/api/units/NOPE/holders", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert r.json()["message"] == "There is no unit with the id “NOPE”."
    # FastAPI's own validation, with the reasons DutyGraph knows in the request's language.
    r = client.get("/api/units/JD/holders", params={"as_of": "2017-02-30", "lang": "en"})
    body = r.json()
    assert r.status_code == 422 and body["code"] == "api.invalid_request"
    assert body["message"] == "Invalid request parameter: as_of"
    assert body["fields"] == [{"field": "as_of", "location": "query",
                               "reason": "“2017-02-30” is not a date (YYYY-MM-DD)",
                               "code": "reason.not_a_date"}]
    client.cookies.set("dg_lang", "zh")  # the pages' choice wins over the browser's
    r = client.get("/api/loops", params={"limit": 0}, headers={"Accept-Language": "en"})
    body = r.json()
    assert body["code"] == "api.invalid_request" and body["message"] == "请求参数有误：limit"
    assert body["fields"][0]["reason"] == "不能小于 1"
    assert body["fields"][0]["code"] == "reason.at_least"
