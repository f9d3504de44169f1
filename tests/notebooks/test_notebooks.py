"""The analysts' notebooks run top to bottom on a fresh store (their own assertions check
the figures they show), and are committed without outputs."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))


def _execute(path: Path, env: dict[str, str], cwd: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    saved = dict(os.environ)
    # The kernel inherits this process's environment: point it at a fresh store.
    os.environ.update(env)
    for name in ("NEO4J_URI",):
        if name not in env:
            os.environ.pop(name, None)
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(cwd)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_there_are_three_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01_getting_started.ipynb", "02_accountability_trends.ipynb", "03_weak_links.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_the_embedded_store(path: Path, tmp_path: Path) -> None:
    _execute(path, {"DUTYGRAPH_HOME": str(tmp_path / "home")}, tmp_path)


@pytest.mark.integration
def test_getting_started_runs_on_neo4j(tmp_path: Path) -> None:
    from tests.conftest import make_store, neo4j_test_settings

    settings = neo4j_test_settings(tmp_path)
    make_store("neo4j", tmp_path).close()  # an empty database: the notebook loads the sample
    env = {
        "DUTYGRAPH_HOME": str(tmp_path / "home"),
        "NEO4J_URI": str(settings.neo4j_uri),
        "NEO4J_USERNAME": settings.neo4j_username,
        "NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "NEO4J_DATABASE": settings.neo4j_database,
    }
    _execute(NOTEBOOKS[0], env, tmp_path)
