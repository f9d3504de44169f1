"""The sample data shipped with DutyGraph (fictional people, facts of DESIGN.md §7).

Two forms of the same graph: CSV files (``csv/*.csv``) and one workbook with Chinese sheet
names and headers (``dutygraph-sample.xlsx``). Regenerate both with
``python -m loaders.sample.build``; docs/sample-data.md describes what they hold.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from graph.messages import Message
from loaders.sample.tables import TABLES

WORKBOOK = "dutygraph-sample.xlsx"


def sample_dir() -> Path:
    """The package directory holding the sample files (also after ``pip install``)."""
    return Path(str(files(__name__)))


def sample_paths(form: str = "csv") -> list[Path]:
    """The sample files of one form: ``"csv"`` (one file per table) or ``"xlsx"``.

    >>> [p.name for p in sample_paths("xlsx")]
    ['dutygraph-sample.xlsx']
    >>> len(sample_paths())
    20
    """
    base = sample_dir()
    if form == "csv":
        paths = [base / "csv" / f"{t.name}.csv" for t in TABLES]
    elif form == "xlsx":
        paths = [base / WORKBOOK]
    else:
        raise ValueError(Message("load.unknown_sample_form", form=form))
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise FileNotFoundError(Message("load.sample_missing", path=str(missing[0])))
    return paths
