"""The history over HTTP: provenance in the models and on the pages, change sets, undo and
corrections for admins only, audited (issue #16), on both stores."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.deps import REFRESH_SECONDS
from graph.history.undo import undo
from graph.settings import Settings
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from tests.api.security.conftest import login, make_sec_app
from tests.conftest import make_store, neo4j_test_settings
from tests.loaders.files import PEOPLE, UNITS, load, snapshot, write_csv, write_xlsx


def _loaded(store: GraphStore, tmp_path: Path) -> int:
    report = load(store, write_xlsx(tmp_path / "in" / "名单.xlsx",
                                    {"units": UNITS, "people": PEOPLE}))
    assert report.ok and report.change is not None
    return report.change


def test_provenance_in_models_and_pages(store: GraphStore, tmp_path: Path) -> None:
    change = _loaded(store, tmp_path)
    sec = make_sec_app(store, tmp_path / "home")
    # Both clients at once: leaving a client's block ends the app's lifespan.
    with sec.client("admin") as c, sec.client("jd-inspector") as jd:
        person = c.get("/api/people/P2").json()
        (row,) = person["provenance"]["sources"]
        assert (row["file"], row["sheet"], row["row"], row["change"]) == (
            "名单.xlsx", "people", 3, change)
        fact = c.get("/api/provenance", params={"fact": "unit:JD"}).json()
        assert fact["change"] == change and fact["sources"][0]["sheet"] == "units"
        page = c.get("/people/P2")
        assert page.status_code == 200
        assert 'data-testid="provenance"' in page.text
        assert "名单.xlsx › people ›" in page.text
        # Outside the user's scope: not found, exactly like a missing fact.
        hidden = jd.get("/api/provenance", params={"fact": "unit:SH-JW"})
        missing = jd.get("/api/provenance", params={"fact": "unit:NOPE"})
        assert hidden.status_code == missing.status_code == 404
        assert jd.get("/api/provenance", params={"fact": "unit:JD"}).status_code == 200


def test_undo_and_corrections_are_admin_only_and_audited(store: GraphStore,
                                                         tmp_path: Path) -> None:
    change = _loaded(store, tmp_path)
    sec = make_sec_app(store, tmp_path / "home")
    body = {"reason": "职务录入错误",
            "changes": [{"op": "set", "fact": "person:P1", "values": {"title": "区长"}}]}
    before = snapshot(store)
    with sec.client("admin") as c, sec.client("jd-inspector") as jd:
        assert jd.post("/api/corrections", json=body).status_code == 403
        assert jd.post(f"/api/changes/{change}/undo", json={"confirm": True}).status_code == 403
        assert jd.get("/api/changes").status_code == 403
        assert snapshot(store) == before
        bad = c.post("/api/corrections", json={"reason": "x", "changes": [
            {"op": "set", "fact": "unit:JD", "values": {"level": "很高"}}]})
        assert bad.status_code == 422 and bad.json()["errors"][0]["column"] == "level"
        assert snapshot(store) == before
        ok = c.post("/api/corrections", json=body).json()
        assert ok["written"] and ok["change"] > change
        listed = c.get("/api/changes").json()
        assert [(h["id"], h["kind"]) for h in listed[:2]] == [(ok["change"], "correction"),
                                                              (change, "load")]
        unconfirmed = c.post(f"/api/changes/{ok['change']}/undo", json={"confirm": False})
        assert unconfirmed.status_code == 422
        # The load cannot be undone before the correction that changed one of its facts.
        refused = c.post(f"/api/changes/{change}/undo", json={"confirm": True})
        assert refused.status_code == 409 and f"#{ok['change']}" in refused.text
        undone = c.post(f"/api/changes/{ok['change']}/undo", json={"confirm": True})
        assert undone.status_code == 200 and undone.json()["undoes"] == ok["change"]
    assert snapshot(store) == before
    audit = (tmp_path / "home" / "audit.log").read_text(encoding="utf-8")
    assert '"correction"' in audit and '"undo"' in audit


def test_admin_history_page_lists_change_sets(store: GraphStore, tmp_path: Path) -> None:
    change = _loaded(store, tmp_path)
    sec = make_sec_app(store, tmp_path / "home")
    with sec.client("admin") as c, sec.client("jd-inspector") as jd:
        page = c.get("/admin/history")
        assert page.status_code == 200 and "数据来源与导入记录" in page.text
        assert f"/admin/history/{change}" in page.text
        detail = c.get(f"/admin/history/{change}")
        assert detail.status_code == 200 and "person:P2" in detail.text
        assert jd.get("/admin/history").status_code == 403


def test_undo_form_needs_the_session_csrf_token(store: GraphStore, tmp_path: Path) -> None:
    first = _loaded(store, tmp_path)
    second = load(store, write_csv(tmp_path / "2" / "people.csv",
                                   [PEOPLE[0], ["P5", "孙某某", "科员"]]))
    assert second.change is not None and first < second.change
    sec = make_sec_app(store, tmp_path / "home")
    before = snapshot(store)
    with TestClient(sec.app, follow_redirects=False) as c:
        assert login(c, "admin") == 303
        path = f"/admin/history/{second.change}"
        forged = c.post(f"{path}/undo", data={"confirm": "yes", "csrf_token": "forged"})
        assert forged.status_code == 403
        token = _csrf_of(c, path)
        unconfirmed = c.post(f"{path}/undo", data={"csrf_token": token})
        assert unconfirmed.status_code == 400
        assert snapshot(store) == before
        done = c.post(f"{path}/undo", data={"confirm": "yes", "csrf_token": token})
        assert done.status_code == 303
    assert store.get_node("person:P5") is None


def _csrf_of(c: TestClient, path: str) -> str:
    return c.get(path).text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_a_running_server_sees_a_load_by_another_process(tmp_path: Path) -> None:
    home = tmp_path / "data"
    served = EmbeddedStore(home)
    sec = make_sec_app(served, tmp_path / "home")
    with sec.client("admin") as c:
        assert c.get("/api/people/P1").status_code == 404
        other = EmbeddedStore(home)  # another process: the CLI in another terminal
        assert load(other, write_csv(tmp_path / "units.csv", UNITS),
                    write_csv(tmp_path / "people.csv", PEOPLE)).ok
        other.close()
        time.sleep(REFRESH_SECONDS)
        assert c.get("/api/people/P1").status_code == 200
        assert c.get("/people/P2").status_code == 200
        # An undo by another process is seen too, and recorded in the served history.
        other = EmbeddedStore(home)
        (change,) = [h.id for h in other.history.headers()]
        undo(other, change, "tester")
        other.close()
        time.sleep(REFRESH_SECONDS)
        assert c.get("/api/people/P1").status_code == 404
        assert [h["kind"] for h in c.get("/api/changes").json()] == ["undo", "load"]


def _cli_env(settings: Settings, home: Path) -> dict[str, str]:
    """The environment of a ``dutygraph`` command in another terminal, on the test Neo4j."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "DUTYGRAPH_"))}
    env.update(NEO4J_URI=str(settings.neo4j_uri), NEO4J_USERNAME=settings.neo4j_username,
               NEO4J_PASSWORD=settings.neo4j_password.get_secret_value(),
               NEO4J_DATABASE=settings.neo4j_database, DUTYGRAPH_HOME=str(home),
               DUTYGRAPH_USER="另一终端")
    return env


def _dutygraph(env: dict[str, str], *args: str) -> float:
    """Run ``dutygraph ARGS`` in a child process; the time it ended."""
    done = subprocess.run([sys.executable, "-c", "from api.cli import main; main()", *args],
                          env=env, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return time.monotonic()


def _until(client: TestClient, path: str, seen: Callable[[dict[str, Any]], bool],
           whole: Callable[[dict[str, Any]], bool]) -> float:
    """Ask ``path`` until ``seen`` holds for the answer; every answer must be ``whole`` (the
    state before the change or after it, never a mix). The time it was first seen."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        r = client.get(path)
        body = r.json() if r.status_code == 200 else {}
        assert whole(body), body
        if seen(body):
            return time.monotonic()
        time.sleep(0.02)
    raise AssertionError(f"{path}: the change was not seen within 10 s")


@pytest.mark.integration
def test_a_running_server_on_neo4j_sees_other_processes_within_a_second(
        tmp_path: Path) -> None:
    store = make_store("neo4j", tmp_path)
    try:
        loaded = _loaded(store, tmp_path)
        sec = make_sec_app(store, tmp_path / "home")
        env = _cli_env(neo4j_test_settings(tmp_path), tmp_path / "cli")
        with sec.client("admin") as c:
            # The views are warm: the person, its provenance (the change-set headers are
            # kept in store.derived by data version).
            p1 = c.get("/api/people/P1").json()
            assert p1["title"] == "区委书记" and p1["provenance"]["change"] == loaded
            assert c.get("/api/people/P9").status_code == 404
            # A correction made by a real `dutygraph set` process.
            ended = _dutygraph(env, "set", "person:P1", "title=区长", "--reason", "职务变动")

            def corrected(body: dict[str, Any]) -> bool:
                return body.get("title") == "区长"

            def one_state(body: dict[str, Any]) -> bool:
                prov = body["provenance"]
                if body["title"] == "区委书记":
                    return bool(prov["change"] == loaded and prov["kind"] == "load")
                return bool(prov["kind"] == "correction" and prov["user"] == "另一终端"
                            and prov["change"] > loaded)

            seen = _until(c, "/api/people/P1", corrected, one_state)
            assert seen - ended <= 1.0, seen - ended
            # A load by a real `dutygraph load` process: a new person appears, with its
            # provenance naming that load, in the same answer.
            more = write_csv(tmp_path / "more" / "people.csv",
                             [["id", "name", "title"], ["P9", "钱某某", "科员"]])
            ended = _dutygraph(env, "load", str(more))

            def loaded_p9(body: dict[str, Any]) -> bool:
                return bool(body.get("person", {}).get("id") == "P9")

            def whole_p9(body: dict[str, Any]) -> bool:
                if not body:
                    return True  # not there yet (404)
                (row,) = body["provenance"]["sources"]
                return bool(body["provenance"]["kind"] == "load"
                            and (row["file"], row["row"]) == ("people.csv", 2))

            seen = _until(c, "/api/people/P9", loaded_p9, whole_p9)
            assert seen - ended <= 1.0, seen - ended
            kinds = [h["kind"] for h in c.get("/api/changes").json()]
            assert kinds == ["load", "correction", "load"]
    finally:
        store.close()
