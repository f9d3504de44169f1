"""The analysis with its index built per partition of the unit hierarchy, on Dask.

A partition is a set of whole subtrees: the nodes the scope of their root units shows
(``store.reads.members``, the scope rule of the schema), the subtrees below the top units
dealt largest first to ``partitions`` bins; the nodes no subtree shows (the top units and
whoever is anchored to them) form one partition more. Each node belongs to the first
partition that shows it. A subtree holding more than its share of the units is split into
the subtrees below it (:func:`subtree_roots`): a district under a city committee is dealt
as its towns and departments.

**The boundary.** A partition's task receives its nodes *with their halo*: every
relationship with an end among them and the nodes at the other ends
(``store.touching``). By the index's one-hop rule (:mod:`graph.analytics.index`) the index
entries of a partition's own nodes computed from that halo are exactly those of the whole
graph, whatever crosses the boundary -- a person serving in two subtrees, a discipline body
supervising units in several, a record concerning units of two districts. The tasks run on
Dask workers (:func:`index_partition`); the driver merges their entries into one
:class:`~graph.analytics.index.GraphIndex` and runs the rules, the coordination network,
its structure (cuts, exact or sampled betweenness -- the same estimator and pivots as the
single-process run, so no estimate differs) and health over it
(:func:`graph.analytics.report.analyze` with ``index=``). The result equals the
single-process analysis (tested on the sample, both stores; the bench checks the district).

What is distributed is the index -- the largest share of a whole-graph analysis at city
scale (44 of 62 s in ``bench/results/analytics.json``). The driver still holds the whole
projection (captions, the rules' reads of the graph) and reads the halos from the store;
the workers hold one partition each.

Dask: a local cluster of ``workers`` processes by default, or the scheduler at
``DUTYGRAPH_DASK_SCHEDULER`` (``tcp://host:8786``) to run on many machines (each worker
needs this package installed).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import networkx as nx

from graph.analytics.config import AnalyticsConfig
from graph.analytics.index import GraphIndex, index_fields
from graph.analytics.report import Analysis, analyze
from graph.dates import as_of_or_today
from graph.scope import Scope
from graph.store.base import GraphStore

#: Entries of one partition: index field -> node uid -> entry.
Entries = dict[str, dict[str, Any]]


def index_partition(halo: nx.MultiDiGraph, keys: list[str], as_of: str) -> Entries:
    """The index entries of ``keys`` computed from their halo (runs on a worker)."""
    ix = GraphIndex.build(halo, as_of)
    out: Entries = {}
    for name in index_fields():
        table = getattr(ix, name)
        out[name] = {k: table[k] for k in keys if k in table}
    return out


def subtree_roots(G: nx.MultiDiGraph, count: int) -> list[str]:
    """Roots of the subtrees to partition, sorted: the units right below the top units,
    a subtree holding more than its share of the units (1/``count`` of them) replaced by
    the subtrees right below it, until none does or it has none."""
    units = {u for u, a in G.nodes(data=True) if a.get("label") == "Unit"}
    parent: dict[str, str] = {}
    for s, d, a in G.edges(data=True):
        if a.get("type") == "SUBORDINATE_TO" and s in units and d in units:
            parent[s] = min(parent.get(s, d), d)
    children: dict[str, list[str]] = {}
    for u, p in parent.items():
        children.setdefault(p, []).append(u)
    size: dict[str, int] = {}

    def units_below(u: str) -> int:
        # Iterative post-order (hierarchies are deep enough to hit the recursion limit).
        stack, seen = [u], set()
        while stack:
            x = stack[-1]
            if x in size:
                stack.pop()
                continue
            pending = [c for c in children.get(x, ()) if c not in size and c not in seen]
            if pending and x not in seen:
                seen.add(x)
                stack.extend(pending)
                continue
            stack.pop()
            size[x] = 1 + sum(size.get(c, 0) for c in children.get(x, ()))
        return size[u]

    tops = [u for u in units if u not in parent]
    roots = {c for t in tops for c in children.get(t, ())}
    share = max(1, sum(units_below(r) for r in roots) // max(1, count))
    while roots:
        big = max(roots, key=lambda r: (units_below(r), r))
        if units_below(big) <= share or not children.get(big):
            break
        roots.remove(big)
        roots.update(children[big])
    return sorted(roots)


def partitions(store: GraphStore, G: nx.MultiDiGraph, count: int) -> list[list[str]]:
    """The nodes of ``G`` in at most ``count`` subtree partitions and one for the rest
    (the module docstring), each sorted; every node in exactly one."""
    shown = [(r, store.reads.members(Scope.of_roots([r]))) for r in subtree_roots(G, count)]
    bins: list[set[str]] = [set() for _ in range(max(1, min(count, len(shown))))]
    for _, members in sorted(shown, key=lambda rm: (-len(rm[1]), rm[0])):
        min(bins, key=len).update(members)
    out: list[list[str]] = []
    seen: set[str] = set()
    for b in bins:
        mine = sorted(x for x in b if x in G and x not in seen)
        seen.update(mine)
        if mine:
            out.append(mine)
    rest = sorted(x for x in G if x not in seen)
    if rest:
        out.append(rest)
    return out


@contextmanager
def dask_client(workers: int = 2) -> Iterator[Any]:
    """A Dask client: of the scheduler at ``DUTYGRAPH_DASK_SCHEDULER`` if set, else of a
    local cluster of ``workers`` single-threaded processes (closed on exit)."""
    from dask.distributed import Client, LocalCluster

    address = os.environ.get("DUTYGRAPH_DASK_SCHEDULER")
    if address:
        with Client(address) as client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def analyze_partitioned(
    store: GraphStore,
    client: Any,
    *,
    as_of: str | None = None,
    config: AnalyticsConfig | None = None,
    partition_count: int | None = None,
) -> Analysis:
    """The whole graph's analysis with the index built per partition on ``client``'s
    workers (default: two partitions per worker); equal to
    :func:`graph.analytics.report.analyze_store` but for its seconds."""
    day = as_of_or_today(as_of)
    t0 = time.perf_counter()
    G = store.to_networkx()
    projected = time.perf_counter() - t0
    t0 = time.perf_counter()
    count = partition_count or 2 * max(1, len(client.scheduler_info()["workers"]))
    parts = partitions(store, G, count)
    futures = [client.submit(index_partition, store.touching(keys), keys, day, pure=False)
               for keys in parts]
    ix = GraphIndex(G=G, as_of=day)
    for entries in client.gather(futures):
        for name, table in entries.items():
            getattr(ix, name).update(table)
    indexed = time.perf_counter() - t0
    result = analyze(G, as_of=day, config=config, index=ix)
    timings = result.report.metrics["timings_s"]
    timings["projection"] = round(projected, 3)
    timings["index"] = round(indexed, 3)
    result.report.metrics["partitions"] = [len(p) for p in parts]
    return result
