"""``dutygraph load --initial``: neo4j-admin import into an empty database of a server that
``ops/neo4j/neo4jctl`` runs -- the same graph as the ordinary load, or nothing.

The refusals (a database with data, invalid input, a server neo4jctl does not run) stop
nothing, so they run on the shared test server, with ``NEO4J_CTL_HOME`` an empty
directory of their own: were the code to call ``neo4jctl`` by mistake, it would find no
server of that home to stop. The tests that import stop and start Neo4j, so they run
their own server (a home of their own and a free port), started once for the module.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from graph.checksum import graph_checksum
from graph.errors import StoreError
from graph.history.undo import undo
from graph.settings import get_settings
from graph.store.neo4j import Neo4jStore, schema_statements
from graph.store.neo4j_ctl import ManagedNeo4j
from loaders import sample_paths
from loaders.initial import load_initial
from tests.conftest import make_store, neo4j_test_settings
from tests.loaders.files import write_csv
from tests.reliability.neo4j_instance import REPO, OwnNeo4j

CLI = [sys.executable, "-c", "from api.cli import main; main()"]
pytestmark = pytest.mark.integration


# -- refusals: on the shared test server, nothing stopped -----------------------------------
@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Neo4jStore]:
    """The shared test database, emptied, as the CLI's configured store, with
    ``NEO4J_CTL_HOME`` a fresh directory and ``NEO4J_CTL_PORT`` the server's port."""
    settings = neo4j_test_settings(tmp_path)
    store = make_store("neo4j", tmp_path)
    assert isinstance(store, Neo4jStore) and settings.neo4j_uri
    monkeypatch.setenv("DUTYGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEO4J_URI", settings.neo4j_uri)
    monkeypatch.setenv("NEO4J_USERNAME", settings.neo4j_username)
    monkeypatch.setenv("NEO4J_PASSWORD", settings.neo4j_password.get_secret_value())
    monkeypatch.setenv("NEO4J_DATABASE", settings.neo4j_database)
    monkeypatch.setenv("NEO4J_CTL_HOME", str(tmp_path / "no-server-here"))
    monkeypatch.setenv("NEO4J_CTL_PORT", str(urlsplit(settings.neo4j_uri).port or 7687))
    get_settings.cache_clear()
    try:
        yield store
    finally:
        get_settings.cache_clear()
        store.close()


def _cli(*args: str, lang: str = "zh") -> tuple[int, str, str]:
    from api.cli import app

    result = CliRunner().invoke(app, ["--lang", lang, "load", *args])
    return result.exit_code, result.stdout, result.stderr


def test_initial_refuses_a_database_that_is_not_empty(shared: Neo4jStore, tmp_path: Path
                                                      ) -> None:
    units = write_csv(tmp_path / "in" / "units.csv",
                      [["id", "name", "kind", "level", "parent_id"],
                       ["SH", "上海市委", "party_committee", 0, ""]])
    assert _cli(str(units))[0] == 0
    before = graph_checksum(shared)
    code, _, err = _cli("--initial", "--sample")
    assert code == 2, err
    assert "数据库非空（1 个节点）" in err
    code, _, err = _cli("--initial", "--sample", lang="en")
    assert code == 2 and "the database is not empty (node count: 1)" in err
    assert graph_checksum(shared) == before


def test_initial_refuses_any_node_even_outside_the_schema(shared: Neo4jStore) -> None:
    shared.write("CREATE (:SomethingElse {x: 1})")
    code, _, err = _cli("--initial", "--sample", lang="en")
    assert code == 2 and "node count: 1" in err
    shared.clear()
    shared.flush()  # DutyGraph's own meta node does not count
    server = ManagedNeo4j.from_env()
    assert server is not None
    report = load_initial(shared, sample_paths("csv"), server, dry_run=True, progress=False)
    assert report.ok and report.initial and not report.written


def test_initial_with_invalid_input_writes_nothing(shared: Neo4jStore, tmp_path: Path) -> None:
    folder = _sample_copy(tmp_path)
    people, units = (_lines(folder / name) for name in ("people.csv", "units.csv"))
    with (folder / "people.csv").open("a", encoding="utf-8") as f:
        f.write("P-BAD,某某,科员\nP-BAD,又一个,科员\n")  # a duplicate id
    with (folder / "units.csv").open("a", encoding="utf-8") as f:
        f.write("X-1,某单位,no_such_kind,2,JD,\n")
    code, out, err = _cli("--initial", str(folder), "--json")
    assert code == 1, err
    doc = json.loads(out)
    assert doc["initial"] and doc["written"] is False and doc["error_count"] == 2
    located = {(e["code"], Path(e["file"]).name, e["row"], e["column"]) for e in doc["errors"]}
    # Rows are numbered from the header's 1: the appended ones follow the last line.
    assert located == {("BAD_ENUM", "units.csv", units + 1, "kind"),
                       ("DUPLICATE_ID", "people.csv", people + 2, "id")}
    assert all(e["reason_zh"] and e["reason_en"] for e in doc["errors"])
    assert shared.stored_nodes() == 0
    # In-process: not one neo4jctl command ran (no stop, no import).
    server = ManagedNeo4j.from_env()
    assert server is not None
    report = load_initial(shared, [folder], server, progress=False)
    assert not report.ok and not report.written and server.seconds == {}


def test_initial_refuses_a_server_neo4jctl_does_not_run(shared: Neo4jStore,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    port = int(os.environ["NEO4J_CTL_PORT"])
    monkeypatch.setenv("NEO4J_CTL_PORT", str(port + 1))  # another instance than NEO4J_URI's
    code, _, err = _cli("--initial", "--sample")
    assert code == 2 and "不是 neo4jctl 实例" in err
    code, _, err = _cli("--initial", "--sample", lang="en")
    assert code == 2 and "is not the neo4jctl server" in err
    monkeypatch.delenv("NEO4J_CTL_HOME")
    code, _, err = _cli("--initial", "--sample", lang="en")
    assert code == 2 and "needs a Neo4j server run by ops/neo4j/neo4jctl" in err
    monkeypatch.delenv("NEO4J_URI")
    get_settings.cache_clear()
    code, _, err = _cli("--initial", "--sample")
    assert code == 2 and "--initial 只用于 Neo4j" in err
    code, _, err = _cli("--initial", "--sample", lang="en")
    assert code == 2 and "--initial is for Neo4j only" in err
    assert shared.stored_nodes() == 0


# -- imports: on a server of the tests' own ------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnNeo4j]:
    neo4j_test_settings()  # skip (or fail under CI) exactly when the other Neo4j tests do
    own = OwnNeo4j(tmp_path_factory.mktemp("initial-neo4j"), _free_port())
    own.start()
    try:
        yield own
    finally:
        own.stop()


@pytest.fixture
def db(server: OwnNeo4j, tmp_path: Path) -> Iterator[Neo4jStore]:
    """The server's database, emptied."""
    store = Neo4jStore.from_settings(server.settings(tmp_path / "probe"))
    store.clear()
    try:
        yield store
    finally:
        store.close()


def _env(server: OwnNeo4j, home: Path) -> dict[str, str]:
    env = {k: v for k, v in server.ctl_env.items() if not k.startswith("NEO4J_")}
    env.update(server.env(), DUTYGRAPH_HOME=str(home),
               **{k: v for k, v in server.ctl_env.items() if k.startswith("NEO4J_CTL_")})
    return env


def _load(server: OwnNeo4j, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "load", *args, "--json"], env=_env(server, home), cwd=REPO,
                          text=True, capture_output=True, timeout=900)


def _lines(path: Path) -> int:
    with path.open(encoding="utf-8") as f:
        return sum(1 for _ in f)


def _sample_copy(tmp: Path) -> Path:
    folder = tmp / "sample"
    folder.mkdir()
    for p in sample_paths("csv"):
        shutil.copy(p, folder / p.name)
    return folder


@pytest.mark.slow
@pytest.mark.timeout(900)  # a load, a stop, an import, a start, the indexes
def test_initial_gives_the_checksum_of_the_ordinary_load(server: OwnNeo4j, db: Neo4jStore,
                                                         tmp_path: Path) -> None:
    ordinary = _load(server, tmp_path, "--sample")
    assert ordinary.returncode == 0, ordinary.stderr[-2000:]
    expected, counts = graph_checksum(db), db.counts()
    [loaded] = db.history.headers()
    db.clear()
    empty = graph_checksum(db)

    res = _load(server, tmp_path, "--initial", "--sample")
    assert res.returncode == 0, res.stderr[-3000:]
    doc = json.loads(res.stdout)
    assert doc["ok"] and doc["written"] and doc["initial"]
    assert {"files", "stop", "import", "start", "schema"} <= doc["seconds"].keys()
    assert graph_checksum(db) == expected
    assert db.counts() == counts
    assert doc["nodes"] == counts.nodes and doc["relationships"] == counts.relationships
    # The import builds no index: every constraint and index of the schema came after it.
    names = {r["name"] for r in db.read("SHOW CONSTRAINTS YIELD name RETURN name")}
    names |= {r["name"] for r in db.read("SHOW INDEXES YIELD name RETURN name")}
    assert {name for name, _ in schema_statements()} <= names
    # A data version is set (caches of the graph see the new data).
    assert db.data_version()
    # The same change set, recorded as the ordinary load's: one undo empties the graph, and
    # the next change set gets the next id.
    [header] = db.history.headers()
    assert (header.id, header.kind, header.status, header.counts, header.sources) == (
        loaded.id, loaded.kind, "done", loaded.counts, loaded.sources)
    assert len(list(db.history.body(header.id).added())) == (
        sum(counts.nodes.values()) + sum(counts.relationships.values()))
    done = undo(db, header.id, "test")
    assert done.id == header.id + 1 and graph_checksum(db) == empty


# -- slow: a generated dataset with awkward values; a failing import -----------------------
AWKWARD_PEOPLE = [
    ["id", "name", "title"],
    ["P-Q1", '他说"好"', "科员, 兼职"],
    ["P-Q2", "反斜杠\\结尾\\", "  前后空格  "],
    ["P-Q3", "第一行\n第二行", "=1+1"],
    ["P-Q4", "𠀀𪚥 emoji 🙂", ""],
]


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_initial_equals_ordinary_on_a_generated_dataset_with_awkward_values(
        server: OwnNeo4j, db: Neo4jStore, tmp_path: Path) -> None:
    from loaders.synthetic import generate

    folder = tmp_path / "data"
    generate(folder, "tiny", seed=11)
    write_csv(folder / "extra" / "people.csv", AWKWARD_PEOPLE)
    ordinary = _load(server, tmp_path, str(folder))
    assert ordinary.returncode == 0, ordinary.stderr[-2000:]
    expected = graph_checksum(db)
    assert db.get_node("person:P-Q3") is not None
    db.clear()
    res = _load(server, tmp_path, "--initial", str(folder))
    assert res.returncode == 0, res.stderr[-3000:]
    assert graph_checksum(db) == expected


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_a_failing_import_leaves_the_database_as_it_was(server: OwnNeo4j, db: Neo4jStore,
                                                        tmp_path: Path) -> None:
    """``neo4jctl import`` is all or nothing: a relationship to a missing node fails it and
    the previous store comes back."""
    from graph.store.neo4j_import import ImportFiles

    assert _load(server, tmp_path, "--sample").returncode == 0
    before = graph_checksum(db)
    files = ImportFiles(tmp_path)
    files.add_nodes("Unit", ("name", "kind", "level"), [["A", "unit:A", "甲", "other", 1]])
    files.add_relationships("SUBORDINATE_TO", (), [["unit:A", "unit:MISSING", ""]])
    files.close()
    managed = ManagedNeo4j(server.home, server.port, dict(server.ctl_env))
    managed.stop()
    try:
        with pytest.raises(StoreError, match="import failed"):
            managed.import_files(tmp_path)
    finally:
        managed.start()
    assert graph_checksum(db) == before
    assert not (server.home / "import-previous").exists()
    assert os.path.isdir(server.home / "data" / "databases" / "neo4j")
