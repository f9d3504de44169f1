"""Every route declares its access policy on itself (api/security/policy.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from api.app import create_app
from api.security.middleware import is_public
from api.security.policy import Action, route_policies
from graph.settings import Settings
from graph.store.embedded import EmbeddedStore
from tests.api.security.routes import all_routes


@pytest.fixture
def sec_app(tmp_path: Path) -> FastAPI:
    return create_app(Settings(DUTYGRAPH_HOME=tmp_path, NEO4J_URI=None),
                      store=EmbeddedStore(None))


def test_every_route_declares_a_policy(sec_app: FastAPI) -> None:
    routes = all_routes(sec_app)
    assert len(routes) > 30
    undeclared = [r.path for r in routes if not route_policies(r.route)]
    assert undeclared == []


def test_public_routes_are_exactly_those_the_middleware_lets_through(sec_app: FastAPI) -> None:
    for r in all_routes(sec_app):
        declared = route_policies(r.route)
        if Action.PUBLIC in declared:
            assert declared == {Action.PUBLIC}, r.path  # nothing else on a public route
            assert is_public(r.path), r.path
        else:
            assert not is_public(r.path), r.path


def test_a_route_without_a_policy_is_caught() -> None:
    # The check itself, on a route added without a policy: it must be reported.
    app = FastAPI()

    @app.get("/x")
    def x() -> dict[str, str]:
        return {}

    route = next(r for r in app.routes if isinstance(r, APIRoute) and r.path == "/x")
    assert route_policies(route) == set()
