"""Loading the input tables (CSV, XLSX, JSON, JSONL) into a graph store.

>>> from graph.store.embedded import EmbeddedStore
>>> from loaders import load_paths
>>> report = load_paths(EmbeddedStore(None), [], progress=False)
>>> report.ok, report.written
(True, True)
"""

from __future__ import annotations

from loaders.errors import LoadIssue, LoadUsageError
from loaders.pipeline import LoadReport, load_paths, load_sample, sample_paths

__all__ = ["LoadIssue", "LoadReport", "LoadUsageError", "load_paths", "load_sample", "sample_paths"]
