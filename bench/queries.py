"""Query latency: p50/p95 of every responsibility query on Neo4j, the embedded store beside it.

The data is the synthetic generator's (``loaders.synthetic``, the same as ``dutygraph
generate --scale district``), written once to ``bench/work/queries/<scale>-<seed>/`` and reused
-- or the load benchmark's copy of the same output, ``bench/work/load-<scale>-<seed>/``, when
that exists (``--scale sample``: the shipped sample data, a quick smoke run).
Neo4j is the server of ``NEO4J_URI``/``NEO4J_USERNAME``/``NEO4J_PASSWORD``/``NEO4J_DATABASE``;
its database must already hold exactly that dataset, or be given ``--load``, which CLEARS
it and loads the dataset (use a server of your own)::

    NEO4J_CTL_HOME=/tmp/neo4j-bench NEO4J_CTL_PAGECACHE=4g ops/neo4j/neo4jctl start
    eval "$(NEO4J_CTL_HOME=/tmp/neo4j-bench ops/neo4j/neo4jctl env)"
    .venv/bin/python -m bench queries --load                # district, embedded beside it
    .venv/bin/python -m bench queries --scale city --load --skip-embedded

Each query first runs ``--warmup`` times untimed with arguments of its own (drawn like the
timed ones but never the same draws, so the timed calls are not repeats of warmed ones),
then ``--runs`` times, each with the next of ``--runs`` arguments drawn at random (seeded,
so both stores see the same arguments) from the dataset's ids, through the same public
query functions the CLI and API call. The embedded store is loaded in memory at district
scale. Goals (p95 on Neo4j) come from the issue: holders/person ≤ 10 ms, chain/trace ≤ 30
ms, search ≤ 20 ms, neighbourhood of 1,000 nodes ≤ 100 ms. Before timing, the process sets
its start-up heap aside from the garbage collector as the API does after its start-up
(:func:`graph.heap.settle`).

Each run replaces its scale's entry in ``bench/results/queries.json`` and keeps the
other's, so one file holds district and city; every entry records the load average before
and after each store's measurements and the client's CPU time per call (on a busy
machine, wall time minus that is mostly waiting for a core or for the server).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api.ui.entities import person_page_data, unit_page_data
from api.ui.mechanism import subtree_sections, unit_sections
from bench.common import RESULTS, ROOT, Timer, percentile
from graph.analytics.config import AnalyticsConfig
from graph.heap import settle
from graph.queries.chain import case_trace, issue_chain
from graph.queries.coverage import coverage
from graph.queries.holders import unit_holders, unit_overview
from graph.queries.loops import open_loops
from graph.queries.person import person_profile
from graph.queries.search import search
from graph.queries.stats import accountability_stats
from graph.queries.subgraph import neighbourhood, shortest_paths
from graph.scope import EVERYTHING_SCOPE
from graph.settings import Settings
from graph.store.base import GraphStore

DATA = ROOT / "bench" / "work" / "queries"
#: p95 goals on Neo4j, in milliseconds (None: no goal stated).
GOALS_MS: dict[str, float | None] = {
    "baseline_get_node": None,
    "unit_holders": 10, "unit_overview": None, "person_profile": 10, "issue_chain": 30,
    "case_trace": 30, "open_loops": None, "accountability_stats": None, "search": 20,
    "neighbourhood_1000": 100, "shortest_paths": None,
    # The pages' data, as the page routes gather it (api/ui/entities.py): the unit page
    # with its assessment, risk and decision sections, and the person page.
    "unit_page": 30, "unit_sections": None, "person_page": 30, "unit_subtree": None,
    "coverage": None,
}
#: The analytics configuration the page data is computed with (the defaults).
CONFIG = AnalyticsConfig()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", choices=("district", "city", "sample"), default="district")
    parser.add_argument("--seed", type=int, default=1, help="data and argument seed")
    parser.add_argument("--runs", type=int, default=100, help="timed runs per query")
    parser.add_argument("--warmup", type=int, default=20, help="untimed runs per query first")
    parser.add_argument("--load", action="store_true",
                        help="CLEAR the Neo4j database and load the dataset into it")
    parser.add_argument("--skip-embedded", action="store_true", help="Neo4j only")
    parser.add_argument("--skip-neo4j", action="store_true", help="embedded store only")
    parser.add_argument("--only", nargs="*", help="only these queries (names as in the table)")


# -- data -----------------------------------------------------------------------------------
def dataset(scale: str, seed: int) -> tuple[Path, dict[str, Any]]:
    """The generated CSV folder for (scale, seed), generated on first use."""
    import json

    from loaders.synthetic import generate

    if scale == "sample":
        from loaders import sample_paths

        return sample_paths("csv")[0].parent, {"nodes": None, "relationships": None}
    out = DATA / f"{scale}-{seed}"
    # Our own record of the generator's manifest, written once the data is complete.
    manifest = out / ".bench-manifest.json"
    # The load benchmark's copy of the same generator output (city: 260 MB, minutes to make).
    shared = ROOT / "bench" / "work" / f"load-{scale}-{seed}"
    if not manifest.exists() and (shared / ".manifest.json").exists():
        return shared, json.loads((shared / ".manifest.json").read_text(encoding="utf-8"))
    if not manifest.exists():
        out.mkdir(parents=True, exist_ok=True)
        print(f"generating {scale} data (seed {seed}) into {out} ...", flush=True)
        made = generate(out, scale=scale, seed=seed)
        manifest.write_text(json.dumps(made, ensure_ascii=False), encoding="utf-8")
    return out, json.loads(manifest.read_text(encoding="utf-8"))


def csv_paths(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.csv"))


def read_rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def load_into(store: GraphStore, folder: Path) -> float:
    """Load the dataset (after clearing the store); seconds taken."""
    from loaders import load_paths

    with Timer() as t:
        store.ensure_schema()
        store.clear()
        load_paths(store, csv_paths(folder), progress=False)
        store.flush()
    return t.seconds


# -- arguments ------------------------------------------------------------------------------
def choose_arguments(folder: Path, runs: int, seed: int, *, warmup: bool = False
                     ) -> dict[str, list[tuple[Any, ...]]]:
    """Seeded random arguments for each query, ``runs`` of each (``warmup``: another
    stream of draws from the same pools, for the untimed calls)."""
    # Reproducible choices, not secrets.
    rng = random.Random(f"{seed}-warmup" if warmup else seed)
    units = read_rows(folder, "units")
    people = read_rows(folder, "people")
    issues = [r["id"] for r in read_rows(folder, "issues")]
    cases = [r["id"] for r in read_rows(folder, "cases")]
    unit_ids = [r["id"] for r in units]
    upper = [r["id"] for r in units if r["level"] in ("1", "2")]  # districts and their units
    level2 = [r["id"] for r in units if r["level"] == "2"]
    names = [r["name"] for r in units] + [r["name"] for r in people]

    def pick(pool: list[str]) -> list[str]:
        return [rng.choice(pool) for _ in range(runs)]

    def text() -> str:
        name = rng.choice(names)
        cut = rng.choice((2, 3, len(name)))  # a prefix, or the whole name
        return name[:cut]

    return {
        "baseline_get_node": [(f"unit:{u}",) for u in pick(unit_ids)],
        "unit_holders": [(f"unit:{u}",) for u in pick(unit_ids)],
        "unit_overview": [(f"unit:{u}",) for u in pick(upper)],
        "person_profile": [(f"person:{p}",) for p in pick([r["id"] for r in people])],
        "issue_chain": [(f"issue:{i}",) for i in pick(issues)],
        "case_trace": [(f"case:{c}",) for c in pick(cases)],
        "open_loops": [(f"unit:{u}",) for u in pick(upper)],
        "accountability_stats": [(f"unit:{u}",) for u in pick(upper)],
        "search": [(text(),) for _ in range(runs)],
        "neighbourhood_1000": [(f"unit:{u}",) for u in pick(level2)],
        "shortest_paths": [(f"person:{a}", f"person:{b}")
                           for a, b in zip(pick([r["id"] for r in people]),
                                           pick([r["id"] for r in people]), strict=True)],
        "unit_page": [(u,) for u in pick(upper)],   # the page's path takes an id
        "unit_sections": [(f"unit:{u}",) for u in pick(upper)],
        "person_page": [(p,) for p in pick([r["id"] for r in people])],
        "unit_subtree": [(f"unit:{u}",) for u in pick(upper)],
        "coverage": [(f"unit:{u}",) for u in pick(upper)],
    }


QUERIES: dict[str, Callable[..., Any]] = {
    # One node by uid: the floor every query stands on (a round trip on Neo4j), so that
    # timings on a busy machine can be read against it.
    "baseline_get_node": lambda s, u: s.get_node(u),
    "unit_holders": lambda s, u: unit_holders(s, u),
    "unit_overview": lambda s, u: unit_overview(s, u),
    "person_profile": lambda s, p: person_profile(s, p),
    "issue_chain": lambda s, i: issue_chain(s, i),
    "case_trace": lambda s, c: case_trace(s, c),
    "open_loops": lambda s, u: open_loops(s, unit=u, limit=50),
    "accountability_stats": lambda s, u: accountability_stats(s, unit=u),
    "search": lambda s, t: search(s, t, limit=20),
    "neighbourhood_1000": lambda s, u: neighbourhood(s, u, depth=2, limit=1000),
    "shortest_paths": lambda s, a, b: shortest_paths(s, a, b, max_depth=6, limit=5),
    "unit_page": lambda s, u: unit_page_data(s, u, None, EVERYTHING_SCOPE, CONFIG),
    "unit_sections": lambda s, u: unit_sections(s, u, None, EVERYTHING_SCOPE, CONFIG),
    "person_page": lambda s, p: person_page_data(s, p, None, EVERYTHING_SCOPE, CONFIG),
    "unit_subtree": lambda s, u: subtree_sections(s, u, None, EVERYTHING_SCOPE, CONFIG),
    "coverage": lambda s, u: coverage(s, u, config=CONFIG),
}


def _size(name: str, result: Any) -> int:
    """A size to report beside the timing (nodes of a subgraph, hits, items ...)."""
    if name.startswith("neighbourhood") or name == "shortest_paths":
        return len(result.nodes)
    if name == "search":
        return len(result.hits)
    if name == "open_loops":
        return int(result.total)
    if name == "accountability_stats":
        return int(result.total)
    return 1


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def measure(store: GraphStore, args: dict[str, list[tuple[Any, ...]]],
            warm: dict[str, list[tuple[Any, ...]]], only: list[str] | None, *,
            goals: bool = True) -> dict[str, Any]:
    """Time every query (after its warm-up calls); per query p50/p95/mean/max wall time,
    the client's mean CPU time, whether p95 meets the goal (``goals``: the goals are
    Neo4j's), and the load average around the whole measurement."""
    out: dict[str, Any] = {}
    start_load = _load()
    settle()  # as the API does once its start-up is over (api/app.py, graph/heap.py)
    for name, fn in QUERIES.items():
        if only and name not in only:
            continue
        for a in warm[name]:
            fn(store, *a)
        times, cpu, sizes = [], 0.0, []
        for a in args[name]:
            c0 = time.process_time()
            with Timer() as t:
                result = fn(store, *a)
            cpu += time.process_time() - c0
            times.append(t.seconds * 1000)
            sizes.append(_size(name, result))
        goal = GOALS_MS.get(name) if goals else None
        p95 = round(percentile(times, 95), 2)
        out[name] = {
            "runs": len(times),
            "p50_ms": round(percentile(times, 50), 2),
            "p95_ms": p95,
            "mean_ms": round(statistics.fmean(times), 2),
            "max_ms": round(max(times), 2),
            "client_cpu_ms": round(cpu * 1000 / len(times), 2),
            "median_size": statistics.median(sizes),
            "goal_p95_ms": goal,
            "meets_goal": None if goal is None else p95 <= goal,
        }
        print(f"  {name:<22} p50 {out[name]['p50_ms']:>8.2f} ms   p95 "
              f"{out[name]['p95_ms']:>8.2f} ms   cpu {out[name]['client_cpu_ms']:>7.2f} ms",
              flush=True)
    return {"load_average_start": start_load, "load_average_end": _load(), "queries": out}


# -- run ------------------------------------------------------------------------------------
def _neo4j(
    args: argparse.Namespace, folder: Path, manifest: dict[str, Any]
) -> tuple[Any, dict[str, Any]]:
    from graph.store.neo4j import Neo4jStore

    settings = Settings()
    if not settings.neo4j_uri:
        raise SystemExit("NEO4J_URI is not set (see the module docstring)")
    store = Neo4jStore.from_settings(settings)
    info: dict[str, Any] = {"server": store.server_info()}
    if args.load:
        print(f"loading {folder} into Neo4j (clearing it) ...", flush=True)
        info["load_seconds"] = round(load_into(store, folder), 1)
    else:
        store.ensure_schema()
    counts = store.counts()
    info["nodes"], info["relationships"] = counts.total_nodes, counts.total_relationships
    if manifest["nodes"] is not None and counts.total_nodes != manifest["nodes"]:
        store.close()
        raise SystemExit(f"Neo4j holds {counts.total_nodes} nodes, the {args.scale} dataset "
                         f"{manifest['nodes']}: pass --load to clear and load it")
    return store, info


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Measure one scale; the result holds it beside the other scales' last results."""
    folder, manifest = dataset(args.scale, args.seed)
    chosen = choose_arguments(folder, args.runs, args.seed)
    warm = choose_arguments(folder, args.warmup, args.seed, warmup=True)
    entry: dict[str, Any] = {
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seed": args.seed, "runs": args.runs, "warmup": args.warmup,
        "dataset": {"nodes": manifest["nodes"], "relationships": manifest["relationships"]},
    }
    version = None
    if not args.skip_neo4j:
        store, info = _neo4j(args, folder, manifest)
        try:
            print(f"Neo4j {info['server'].get('version')} ({args.scale}):", flush=True)
            entry["neo4j"] = {**info, **measure(store, chosen, warm, args.only)}
        finally:
            store.close()
        version = info["server"].get("version")
    if not args.skip_embedded:
        from graph.store.embedded import EmbeddedStore

        emb_scale = "sample" if args.scale == "sample" else "district"
        emb_folder, _ = dataset(emb_scale, args.seed)
        same = emb_folder == folder
        emb_args = chosen if same else choose_arguments(emb_folder, args.runs, args.seed)
        emb_warm = warm if same else choose_arguments(emb_folder, args.warmup, args.seed,
                                                      warmup=True)
        store_e = EmbeddedStore(None)
        print(f"loading the {emb_scale} dataset into the embedded store ...", flush=True)
        seconds = load_into(store_e, emb_folder)
        print(f"embedded ({emb_scale}):", flush=True)
        entry["embedded"] = {"scale": emb_scale, "load_seconds": round(seconds, 1),
                             "nodes": store_e.counts().total_nodes,
                             **measure(store_e, emb_args, emb_warm, args.only, goals=False)}
    print_table(args.scale, entry)
    scales = _previous_scales()
    scales[args.scale] = entry
    return {"goals_p95_ms": GOALS_MS, "neo4j_version": version,
            "scales": {k: scales[k] for k in sorted(scales)}}


def _previous_scales() -> dict[str, Any]:
    """The other scales' entries of the last stored result (one file for all scales)."""
    import json

    path = RESULTS / "queries.json"
    try:
        previous = json.loads(path.read_text(encoding="utf-8"))["result"]
    except (OSError, ValueError, KeyError):
        return {}
    return dict(previous.get("scales", {}))


def print_table(scale: str, entry: dict[str, Any]) -> None:
    """p50/p95 per query on each store, the goal and whether Neo4j meets it."""
    neo = entry.get("neo4j", {})
    emb = entry.get("embedded", {})
    print(f"\n{scale}: Neo4j load average {neo.get('load_average_start')} -> "
          f"{neo.get('load_average_end')}; embedded ({emb.get('scale')}) "
          f"{emb.get('load_average_start')} -> {emb.get('load_average_end')}")
    print(f"{'query':<22} {'neo4j p50':>10} {'neo4j p95':>10} {'goal':>6} {'ok':>4} "
          f"{'emb p50':>9} {'emb p95':>9} {'size':>6}")
    for name in QUERIES:
        n, e = neo.get("queries", {}).get(name), emb.get("queries", {}).get(name)
        if not n and not e:
            continue
        goal = GOALS_MS.get(name)
        ok = "" if goal is None or not n else ("pass" if n["p95_ms"] <= goal else "FAIL")

        def cell(d: dict[str, Any] | None, key: str) -> str:
            return f"{d[key]:.1f}" if d else "-"

        size = (n or e or {}).get("median_size", "")
        print(f"{name:<22} {cell(n, 'p50_ms'):>10} {cell(n, 'p95_ms'):>10} "
              f"{'' if goal is None else goal:>6} {ok:>4} {cell(e, 'p50_ms'):>9} "
              f"{cell(e, 'p95_ms'):>9} {size!s:>6}")
