"""A bare id naming nodes in and out of scope: the 409 candidates list only what the user
may see (else a 404 like a missing id), on both stores."""

from __future__ import annotations

from pathlib import Path

from graph.store import GraphStore
from graph.store.base import NodeRecord, RelRecord
from tests.api.security.conftest import make_sec_app


def test_ambiguous_ids_do_not_name_out_of_scope_nodes(store: GraphStore, tmp_path: Path
                                                      ) -> None:
    store.upsert_nodes([
        NodeRecord("Unit", "JD", {"name": "嘉定区委", "kind": "party_committee"}),
        NodeRecord("Unit", "MH", {"name": "闵行区委", "kind": "party_committee"}),
        NodeRecord("Unit", "DUP", {"name": "某单位", "kind": "street_town"}),
        NodeRecord("Person", "DUP", {"name": "某人"}),
        NodeRecord("Issue", "DUP", {"title": "某问题"}),
    ])
    store.upsert_relationships([
        RelRecord.make("SUBORDINATE_TO", "unit:DUP", "unit:MH"),
        RelRecord.make("SERVES_IN", "person:DUP", "unit:JD",
                       {"role": "member", "start": "2020-01-01"}),
        RelRecord.make("FOUND_IN", "issue:DUP", "unit:JD"),
    ])
    sec = make_sec_app(store, tmp_path / "home")
    r = sec.client("jd-analyst").get("/api/graph/neighbourhood/DUP")
    assert r.status_code == 409
    assert sorted(r.json()["candidates"]) == ["issue:DUP", "person:DUP"]
    assert "MH" not in r.text and "unit:DUP" not in r.text
    r = sec.client("admin").get("/api/graph/neighbourhood/DUP")
    assert r.status_code == 409 and "unit:DUP" in r.json()["candidates"]
    # Only out-of-scope candidates: exactly like a missing id.
    hidden = sec.client("mh-inspector").get("/api/graph/neighbourhood/person:DUP")
    missing = sec.client("mh-inspector").get("/api/graph/neighbourhood/person:NOPE")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text.replace("DUP", "X") == missing.text.replace("NOPE", "X")
