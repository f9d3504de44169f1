"""Fixtures of the exploring API's tests: a handle on the sample, once per backend."""

from __future__ import annotations

import pytest

from explore import DutyGraph
from graph.store import GraphStore

#: The date the sample's weak spots are planted for (docs/sample-data.md).
AS_OF = "2026-11-26"


@pytest.fixture
def dg(sample_store: GraphStore) -> DutyGraph:
    """The sample (read-only, either backend) as analysts open it, as of :data:`AS_OF`."""
    return DutyGraph(sample_store, as_of=AS_OF)
