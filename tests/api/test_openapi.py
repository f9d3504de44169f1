"""The OpenAPI document is enough to use the API: every route has a summary, a description
and documented errors; every JSON route has a 200 example taken from the sample data, and
every example still validates against the route's response model."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from api.app import create_app
from api.routes import ROUTERS
from api.routes.examples import EXAMPLES_FILE, example
from graph.settings import Settings
from tests.conftest import admin_headers


@pytest.fixture(scope="module")
def app_and_doc(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any]]:
    home = tmp_path_factory.mktemp("home")
    app = create_app(Settings(DUTYGRAPH_HOME=home, NEO4J_URI=None))
    with TestClient(app, headers=admin_headers(home)) as c:
        return app, c.get("/openapi.json").json()


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in doc["paths"].items()
            for method, op in item.items()]


def test_every_operation_is_documented(app_and_doc: tuple[Any, dict[str, Any]]) -> None:
    _, doc = app_and_doc
    ops = operations(doc)
    assert len(ops) >= 25
    for path, method, op in ops:
        where = f"{method.upper()} {path}"
        assert op.get("summary"), where
        assert len(op.get("description", "")) > 40, where
        assert op.get("tags"), where
        ok = op["responses"].get("200") or op["responses"]["201"]  # 201: a write
        if "application/json" in ok.get("content", {}):
            assert "example" in ok["content"]["application/json"], where
        if path != "/api/graph/legend" and path != "/api/analytics/codes":
            assert "503" in op["responses"], where
        for param in op.get("parameters", []):
            assert param.get("description"), f"{where} {param['name']}"


def test_examples_validate_against_response_models(
        app_and_doc: tuple[Any, dict[str, Any]]) -> None:
    _, doc = app_and_doc
    assert EXAMPLES_FILE.exists()
    checked = 0
    routes = [r for router in ROUTERS for r in router.routes]
    for route in routes:
        if (not isinstance(route, APIRoute) or route.response_model is None
                or not route.include_in_schema):  # admin routes are not documented
            continue
        for method in route.methods or ():
            op = doc["paths"][route.path_format][method.lower()]
            done = op["responses"].get("200") or op["responses"]["201"]  # 201: a write
            content = done.get("content", {}).get("application/json", {})
            if "example" in content:
                TypeAdapter(route.response_model).validate_python(content["example"])
                checked += 1
    assert checked >= 15


def test_examples_use_sample_ids() -> None:
    holders = example("unit_holders")
    assert holders["unit"]["unit"]["uid"] == "unit:SIPG"
    assert {c["key"]: c["count"] for c in holders["duty_counts_by_responsibility"]} == {
        "primary": 40, "supervisory": 33}  # lists are trimmed to two items


def test_error_bodies_are_documented(app_and_doc: tuple[Any, dict[str, Any]]) -> None:
    _, doc = app_and_doc
    op = doc["paths"]["/api/units/{unit}/holders"]["get"]
    for code in ("404", "409", "422", "503"):
        body = op["responses"][code]["content"]["application/json"]
        assert body["schema"]["$ref"].endswith("/ErrorBody")
        assert body["example"]["error"]
    example_404 = op["responses"]["404"]["content"]["application/json"]["example"]
    assert {"kind", "id", "message_zh", "message_en"} <= set(example_404)
