"""What an analyst sees in each notebook: at least this many figures (``image/png``
outputs) and inline graph views. Shared by the execution test and the rendered-copy test."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: notebook name → (figures, graph views), each a minimum.
EXPECTED: dict[str, tuple[int, int]] = {
    "01_getting_started": (2, 1),
    "02_accountability_trends": (5, 0),
    "03_weak_links": (4, 2),
    "04_article_from_data": (13, 3),
    "05_assessment_and_weak_links": (4, 0),
}
