"""The partitioned analysis (index per subtree partition on a local Dask cluster of two
worker processes) equals the single-process analysis, on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from graph.analytics.config import AnalyticsConfig
from graph.analytics.partitioned import analyze_partitioned, dask_client, partitions
from graph.analytics.report import Report, analyze_store
from graph.store.base import GraphStore

AS_OF = "2026-12-01"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with dask_client(workers=2) as c:
        yield c


def comparable(report: Report) -> dict[str, Any]:
    out = report.model_dump(mode="json")
    out["metrics"].pop("timings_s")
    out["metrics"].pop("partitions", None)
    out["metrics"]["coordination_network"].pop("timings_s", None)
    return out


def test_partitions_cover_every_node_once(sample_store: GraphStore) -> None:
    G = sample_store.to_networkx()
    parts = partitions(sample_store, G, 3)
    assert len(parts) >= 3
    assert sorted(x for p in parts for x in p) == sorted(G)


@pytest.mark.parametrize("count", [2, 5])
def test_partitioned_equals_single_process(sample_store: GraphStore, client: Any,
                                           count: int) -> None:
    cfg = AnalyticsConfig(exact_betweenness_max_nodes=0, betweenness_k=32)
    single = analyze_store(sample_store, as_of=AS_OF, config=cfg).report
    split = analyze_partitioned(sample_store, client, as_of=AS_OF, config=cfg,
                                partition_count=count).report
    assert len(split.metrics["partitions"]) > 1
    assert comparable(split) == comparable(single)
