"""One seam: outside ``graph/store/`` no code asks which backend it holds (issue #13)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
#: What a backend branch or a capability probe looks like in code.
BRANCH = re.compile(
    r"\.backend\s*[!=]=|isinstance\([^)]*(?:Neo4jStore|EmbeddedStore)"
    r"|getattr\(\s*(?:self\.)?store\s*,|hasattr\(\s*(?:self\.)?store\s*,"
    r"|\bneo4j\(store\)|\bembedded\(store\)"
    r"|\.(?:_node|_adj|_succ|_pred|_rescale)\b")


def offending_lines(text: str) -> list[str]:
    """Lines of Python source that branch on the backend or probe a store."""
    return [line.strip() for line in text.splitlines()
            if BRANCH.search(line) and not line.lstrip().startswith("#")]


def test_the_scanner_finds_branches() -> None:
    src = ('if store.backend == "neo4j":\n    x = getattr(store, "version", None)\n'
           "g = store.graph._succ\nok = store.reads.visible(u, s)\n")
    assert len(offending_lines(src)) == 3


def test_no_backend_branch_outside_the_store_package() -> None:
    found = []
    for package in ("graph", "api", "loaders", "explore", "bench"):
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith("graph/store/"):
                continue
            found += [f"{rel}: {line}" for line in offending_lines(path.read_text("utf-8"))]
    assert found == []
