"""Rendered copies of the analysts' notebooks (``docs/notebooks/<name>.html``), readable
without Jupyter, and the check that they are current.

::

    .venv/bin/python -m explore.render                 # execute every notebook, write the copies
    .venv/bin/python -m explore.render --check         # exit 1 if a committed copy is stale
    .venv/bin/python -m explore.render --screenshots   # also docs/screenshots/notebook-*.png

Each notebook is executed as the tests execute it: a fresh kernel, the embedded store in a
temporary ``DUTYGRAPH_HOME`` (``NEO4J_URI`` removed), so it loads the bundled sample; Jupyter's
own inline matplotlib backend. The page is nbconvert's JupyterLab template without the
scripts it would fetch from CDNs (``explore/templates/offline``): figures are embedded PNGs,
graph views carry vis-network inline, one copy per page. Needs the dev tools
(``scripts/setup --dev``: nbclient, nbconvert, ipykernel; Playwright for screenshots).

**Stale** means: the notebook's cells, or what they show as text — printed lines, tables,
graph-view data, error and warning output, and which outputs are figures — differ from what
the committed copy was rendered from. Each copy carries that content's SHA-256
(:func:`digest`) in ``<meta name="dutygraph-notebook-digest">``; the test suite executes the
notebooks anyway and compares. Figure *pixels* are left out on purpose: they depend on the
FreeType and font build of the machine, not on the notebook or the data.

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
>>> nb.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2",
...                                                "image/png": "iVBORw0KGgo="})]
>>> same = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
>>> same.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2",
...                                                  "image/png": "AAAA"})]
>>> same.cells[0].execution_count = 7
>>> digest(nb) == digest(same)
True
>>> committed_digest(f'<head><meta name="{DIGEST_META}" content="abc"></head>')
'abc'
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from explore.views import ASSETS_END, ASSETS_START

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "docs" / "notebooks"
SCREENSHOTS = ROOT / "docs" / "screenshots"
TEMPLATES = Path(__file__).resolve().parent / "templates"
DIGEST_META = "dutygraph-notebook-digest"
#: Seconds a single cell may run.
CELL_TIMEOUT = 600
_ASSETS = re.compile(re.escape(ASSETS_START) + r".*?" + re.escape(ASSETS_END), re.DOTALL)
_META = re.compile(rf'<meta name="{DIGEST_META}" content="([0-9a-f]*)"')


def notebooks(directory: Path = NOTEBOOKS) -> list[Path]:
    """The notebooks, in name order."""
    return sorted(directory.glob("*.ipynb"))


def kernel_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment for a kernel on a fresh embedded store under ``home``.

    ``NEO4J_URI`` is removed unless ``extra`` sets it; ``MPLBACKEND`` is removed so that
    the kernel uses Jupyter's inline backend, as a notebook front end does.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "MPLBACKEND")}
    env["DUTYGRAPH_HOME"] = str(home)
    env.update(extra or {})
    return env


def execute(path: Path, home: Path, *, env: Mapping[str, str] | None = None,
            cwd: Path | None = None) -> Any:
    """The notebook at ``path`` executed in a fresh kernel (see :func:`kernel_env`).

    Raises ``nbclient.exceptions.CellExecutionError`` when a cell fails.
    """
    import nbformat
    from nbclient import NotebookClient

    # The font cache is built once here, not as a "building the font cache" notice in the
    # first notebook's output.
    import explore.fonts  # noqa: F401

    nb = nbformat.read(path, as_version=4)
    workdir = cwd or home
    workdir.mkdir(parents=True, exist_ok=True)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}})
    client.execute(env=kernel_env(home, env))
    return nb


def _output_parts(out: Mapping[str, Any]) -> Iterator[str]:
    kind = out["output_type"]
    yield kind
    if kind == "stream":
        yield out["name"]
        yield out["text"]
    elif kind == "error":
        yield out["ename"]
        yield out["evalue"]
    else:
        for mime in sorted(out.get("data", {})):
            yield mime
            if not mime.startswith("image/"):
                value = out["data"][mime]
                yield value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def digest(nb: Any) -> str:
    """SHA-256 of what an executed notebook shows as text (see the module docstring)."""
    parts: list[str] = []
    for cell in nb.cells:
        parts += [cell.cell_type, cell.source]
        for out in cell.get("outputs", []):
            parts += list(_output_parts(out))
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def committed_digest(page: str) -> str | None:
    """The digest a rendered copy was made from (None: not a rendered copy)."""
    found = _META.search(page)
    return found.group(1) if found else None


def to_html(nb: Any, name: str) -> str:
    """The rendered page of an executed notebook: offline template, one copy of the graph
    library, the digest in a meta element."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="offline", language_code="zh",
                            extra_template_basedirs=[str(TEMPLATES)])
    page, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
    first = True

    def keep_first(match: re.Match[str]) -> str:
        nonlocal first
        if first:
            first = False
            return match.group(0)
        return ""

    page = _ASSETS.sub(keep_first, page)
    meta = f'<meta name="{DIGEST_META}" content="{digest(nb)}">'
    head = page.index("<head>") + len("<head>")
    return f"{page[:head]}\n{meta}{page[head:]}"


def render(paths: Sequence[Path], out: Path, *, check: bool = False) -> list[str]:
    """Execute each notebook; write its copy to ``out`` (or, with ``check``, compare).

    Returns the names of the stale copies (with ``check``) or of the files written.
    """
    done: list[str] = []
    with tempfile.TemporaryDirectory(prefix="dutygraph-render-") as tmp:
        for path in paths:
            nb = execute(path, Path(tmp) / path.stem / "home")
            target = out / f"{path.stem}.html"
            if check:
                old = target.read_text(encoding="utf-8") if target.exists() else ""
                if committed_digest(old) != digest(nb):
                    done.append(target.name)
                continue
            out.mkdir(parents=True, exist_ok=True)
            target.write_text(to_html(nb, path.stem), encoding="utf-8")
            done.append(target.name)
    return done


def screenshots(out: Path, shots: Path) -> list[Path]:
    """``notebook-chart.png`` (the first figure of 02) and ``notebook-graph.png`` (the
    trace-back view of 03, its gaps in red), taken from the rendered copies in headless
    Chromium."""
    from playwright.sync_api import sync_playwright

    made = []
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900},
                                    device_scale_factor=1)
            page.goto((out / "02_accountability_trends.html").as_uri())
            target = shots / "notebook-chart.png"
            page.locator(".jp-OutputArea-output img").first.screenshot(path=str(target))
            made.append(target)
            page.goto((out / "03_weak_links.html").as_uri())
            page.wait_for_function(
                "document.querySelectorAll('[data-dutygraph-view]:not([data-stabilized])')"
                ".length == 0", timeout=60_000)
            target = shots / "notebook-graph.png"
            page.locator(".dutygraph-view-box", has_text="倒查").first.screenshot(
                path=str(target))
            made.append(target)
        finally:
            browser.close()
    return made


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m explore.render", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*",
                        help="only these notebooks (e.g. 02_accountability_trends)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a committed copy is stale")
    parser.add_argument("--screenshots", action="store_true",
                        help="also docs/screenshots/notebook-chart.png and notebook-graph.png")
    parser.add_argument("--out", type=Path, default=OUT, help="where the copies go")
    args = parser.parse_args(argv)
    paths = [p for p in notebooks() if not args.names or p.stem in args.names]
    unknown = set(args.names) - {p.stem for p in paths}
    if unknown:
        parser.error(f"no such notebook: {', '.join(sorted(unknown))}")
    names = render(paths, args.out, check=args.check)
    if args.check:
        for name in names:
            print(f"stale: {args.out / name} (run: python -m explore.render)", file=sys.stderr)
        return 1 if names else 0
    for name in names:
        print(f"written: {args.out / name}")
    if args.screenshots:
        for shot in screenshots(args.out, SCREENSHOTS):
            print(f"written: {shot}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
