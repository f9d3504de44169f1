"""The analysts' notebooks, executed as an analyst runs them (a fresh kernel with Jupyter's
inline backend, the embedded store on the bundled sample): every cell runs (their own
assertions check the figures they show), they show their charts and graph views, nothing
is written to stderr (no warnings, no missing glyphs), they use only the exploring API, the
committed files hold no outputs, and the rendered copies in docs/notebooks are current."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest

from explore.render import OUT, committed_digest, digest, execute, notebooks
from tests.notebooks.expected import EXPECTED

NOTEBOOKS = notebooks()
#: What a notebook may import: the exploring API and the analysts' usual tools.
ALLOWED_IMPORTS = ("explore", "pandas", "matplotlib", "networkx")


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Any]:
    """Each notebook executed once per module, on a fresh embedded store of its own."""
    done: dict[Path, Any] = {}

    def run(path: Path) -> Any:
        if path not in done:
            done[path] = execute(path, tmp_path_factory.mktemp(path.stem) / "home")
        return done[path]

    return run


def _outputs(nb: Any) -> list[Any]:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]


def test_every_notebook_has_its_expectations() -> None:
    assert [p.stem for p in NOTEBOOKS] == list(EXPECTED)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_use_only_the_exploring_api(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in ALLOWED_IMPORTS, f"{path.name} imports {name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_shows_its_charts_and_views(path: Path, executed: Callable[[Path], Any]) -> None:
    nb = executed(path)
    outputs = _outputs(nb)
    errors = [f"{o.ename}: {o.evalue}" for o in outputs if o.output_type == "error"]
    assert not errors
    # Warnings reach the notebook as stderr: a missing CJK glyph, a font weight matplotlib
    # cannot find, a deprecation. An analyst should see none of them.
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"{path.name} wrote to stderr: {stderr}"
    images = sum(1 for o in outputs if "image/png" in o.get("data", {}))
    views = sum(1 for o in outputs
                if 'data-dutygraph-view="' in o.get("data", {}).get("text/html", ""))
    want_images, want_views = EXPECTED[path.stem]
    assert images >= want_images, f"{path.name}: {images} figures, expected {want_images}"
    assert views >= want_views, f"{path.name}: {views} graph views, expected {want_views}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_rendered_copy_is_current(path: Path, executed: Callable[[Path], Any]) -> None:
    copy = OUT / f"{path.stem}.html"
    assert copy.exists(), f"{copy} is missing: run python -m explore.render"
    page = copy.read_text(encoding="utf-8")
    assert committed_digest(page) == digest(executed(path)), (
        f"{copy.name} is stale (the notebook or what it shows changed): "
        "run python -m explore.render")


def test_every_rendered_copy_has_its_notebook() -> None:
    assert sorted(p.stem for p in OUT.glob("*.html")) == [p.stem for p in NOTEBOOKS]


#: Every notebook on Neo4j: the first in the default suite, the others with the slow tests
#: (each loads the sample into Neo4j first, about half a minute).
ON_NEO4J = [pytest.param(p, id=p.stem, marks=() if i == 0 else pytest.mark.slow)
            for i, p in enumerate(NOTEBOOKS)]


@pytest.mark.integration
@pytest.mark.parametrize("path", ON_NEO4J)
def test_notebook_runs_on_neo4j(path: Path, tmp_path: Path) -> None:
    from tests.conftest import make_store, neo4j_test_settings

    settings = neo4j_test_settings(tmp_path)
    make_store("neo4j", tmp_path).close()  # an empty database: the notebook loads the sample
    env = {
        "NEO4J_URI": str(settings.neo4j_uri),
        "NEO4J_USERNAME": settings.neo4j_username,
        "NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "NEO4J_DATABASE": settings.neo4j_database,
    }
    nb = execute(path, tmp_path / "home", env=env)
    outputs = _outputs(nb)
    printed = "".join(o.text for o in outputs if o.output_type == "stream")
    assert "backend: neo4j" in printed
    assert not [o for o in outputs if o.output_type == "error"]
    images = sum(1 for o in outputs if "image/png" in o.get("data", {}))
    assert images >= EXPECTED[path.stem][0]
