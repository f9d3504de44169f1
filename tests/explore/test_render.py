"""Rendered copies: offline pages with one copy of the graph library and the digest of what
the notebook shows; the digest ignores what does not change what an analyst reads."""

from __future__ import annotations

import copy
import re
from typing import Any

import nbformat
import networkx as nx
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import explore as ex
from explore.render import DIGEST_META, committed_digest, digest, main, to_html
from explore.views import ASSETS_START


def _view_html(title: str) -> str:
    g = nx.Graph()
    g.add_node("unit:A", label="Unit", caption="甲区委")
    g.add_node("person:P", label="Person", caption="王某明")
    g.add_edge("unit:A", "person:P", weak=True)
    return ex.show(g, title=title).html()


def _notebook() -> Any:
    cells = [
        new_markdown_cell("# 示例"),
        new_code_cell("print('嘉定')", execution_count=1, outputs=[
            new_output("stream", name="stdout", text="嘉定\n")]),
        new_code_cell("chart()", execution_count=2, outputs=[
            new_output("display_data", {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})]),
        new_code_cell("ex.show(a); ex.show(b)", execution_count=3, outputs=[
            new_output("display_data", {"text/html": _view_html("甲"), "text/plain": "<甲>"}),
            new_output("display_data", {"text/html": _view_html("乙"), "text/plain": "<乙>"})]),
    ]
    return new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3",
                                                              "display_name": "Python 3",
                                                              "language": "python"},
                                               "language_info": {"name": "python"}})


def test_a_page_is_offline_with_one_library_and_its_digest() -> None:
    nb = _notebook()
    page = to_html(nb, "example")
    assert page.count(ASSETS_START) == 1
    assert len(re.findall(r"<div[^>]*\bdata-dutygraph-view=", page)) == 2
    assert committed_digest(page) == digest(nb)
    assert f'<meta name="{DIGEST_META}"' in page[:2000]
    assert '<html lang="zh">' in page
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert not re.search(r"<link[^>]*\bhref=", page)
    for cdn in ("cdnjs", "unpkg", "jsdelivr", "mathjax", "require.min.js", "mermaid.esm"):
        assert cdn not in page.lower(), cdn
    assert "data:image/png;base64,iVBORw0KGgo=" in page


def _changed(edit: Any) -> bool:
    nb = _notebook()
    other = copy.deepcopy(nb)
    edit(other)
    return digest(other) != digest(nb)


def test_the_digest_follows_what_the_notebook_shows() -> None:
    def text(nb: Any) -> None:
        nb.cells[1].outputs[0].text = "闵行\n"

    def source(nb: Any) -> None:
        nb.cells[0].source = "# 另一个标题"

    def one_figure_less(nb: Any) -> None:
        nb.cells[2].outputs = []

    def view_data(nb: Any) -> None:
        nb.cells[3].outputs[1].data["text/html"] = _view_html("丙")

    def warning(nb: Any) -> None:
        nb.cells[1].outputs.append(new_output("stream", name="stderr", text="UserWarning"))

    for edit in (text, source, one_figure_less, view_data, warning):
        assert _changed(edit), edit.__name__


def test_the_digest_ignores_pixels_counts_and_metadata() -> None:
    def pixels(nb: Any) -> None:
        nb.cells[2].outputs[0].data["image/png"] = "AAAA"

    def counts(nb: Any) -> None:
        for cell in nb.cells[1:]:
            cell.execution_count = 40

    def timing(nb: Any) -> None:
        nb.cells[1].metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z"}

    for edit in (pixels, counts, timing):
        assert not _changed(edit), edit.__name__


def test_a_page_without_the_meta_is_not_a_rendered_copy() -> None:
    assert committed_digest("<html><head></head></html>") is None


def test_an_unknown_notebook_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["no_such_notebook"])
    assert exc.value.code == 2
    assert "no such notebook: no_such_notebook" in capsys.readouterr().err
    nbformat.validate(_notebook())
