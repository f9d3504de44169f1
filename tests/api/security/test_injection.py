"""Injection strings through every input of every route, on both stores: never a 500, never
a change to the data (Cypher is parameterised; labels and types come from the schema
whitelist), and the search's Lucene syntax is inert."""

from __future__ import annotations

from urllib.parse import quote

from tests.api.security.conftest import SecApp
from tests.api.security.routes import all_routes

INJECTIONS = [
    "') MATCH (n) DETACH DELETE n //",
    "unit:JD' OR 1=1",
    'JD" OR "1"="1',
    "x}) DETACH DELETE n WITH 1 AS x MATCH (m {uid: 'unit:JD",
    "*:*", "name:(嘉定 OR 闵行)~2 AND uid:*", "\\", "a AND NOT b || c",
    "unit:", ":", "`Unit`", "Unit`) DELETE n//",
    "𠀀🙂嘉定\u202e\ufeff", "%00\x00", "<script>alert(1)</script>", "../../etc/passwd",
    "x" * 4000,
]
DEFAULTS: dict[str, str] = {"from": "unit:JD", "to": "unit:JD-JW", "q": "嘉定", "unit": "JD",
                            "uid": "unit:JD"}
NEEDS_DEFAULTS = ("/api/graph/path", "/views/path", "/api/search", "/cases",
                  "/fragments/unit-findings")
SKIP = ("/login", "/logout", "/docs", "/redoc", "/openapi.json")
#: Inputs that reach queries as text; numbers and flags get a few strings (they fail
#: validation before any query), the scoped user tries the ids (its scope check resolves).
TEXT_INPUTS = {"unit", "unit_id", "person", "person_id", "issue", "issue_id", "case",
               "case_id", "uid", "node", "from", "to", "q", "label", "rel_type", "kind",
               "code", "as_of", "severity", "axis"}
ID_INPUTS = {"unit", "unit_id", "person", "person_id", "issue", "issue_id", "case", "case_id",
             "uid", "node", "from", "to"}


def test_injection_strings_through_every_input(sec: SecApp, backend: str) -> None:
    before = sec.store.counts().as_dict()
    clients = {"admin": sec.client("admin"), "jd-analyst": sec.client("jd-analyst")}
    tried = 0
    for route in all_routes(sec.app):
        if "GET" not in route.methods or route.path.startswith(SKIP):
            continue
        inputs = [("path", p) for p in route.path_params]
        inputs += [("query", q) for q in sorted(route.query_params)]
        for where, name in inputs:
            for value in INJECTIONS if name in TEXT_INPUTS else INJECTIONS[:3]:
                path, params = route.path, dict[str, str]()
                for p in route.path_params:
                    v = value if (where, name) == ("path", p) else DEFAULTS.get(p, "JD")
                    path = path.replace("{" + p + "}", quote(v, safe=""))
                if route.path.startswith(NEEDS_DEFAULTS):
                    params = {k: DEFAULTS[k] for k in ["from", "to", "q", "unit"]
                              if k in route.query_params}
                if where == "query":
                    params[name] = value
                for who, client in clients.items():
                    if who != "admin" and name not in ID_INPUTS:
                        continue
                    r = client.get(path, params=params)
                    tried += 1
                    assert r.status_code < 500, (who, route.path, name, value[:40],
                                                 r.status_code, r.text[:200])
    assert tried > 1000
    assert sec.store.counts().as_dict() == before
    assert sec.client("admin").get("/api/units/JD/holders").status_code == 200
