"""The working loop on Neo4j: the warning list, a write acknowledged, statuses after a write.

Three measurements of issue #17 on the synthetic dataset (``dutygraph generate``; ``--scale
district`` by default for a quick run, ``city`` for the issue's goals), through the same
functions the API and the CLI call:

* **list** -- :func:`graph.queries.warnings.warnings` (``GET /api/warnings``, ``dutygraph
  query warnings``) with seeded random filters (no unit, a district, a level-2 unit; all
  types or one), 50 rows a page, as of today. ``p95`` is the list served from the loop view
  this process keeps per data version (``store.derived``); ``cold`` beside it is the first
  list after the cache was dropped (the view read afresh: what a process that did not make
  the last write pays once), goal p95 ≤ 100 ms;
* **write** -- :func:`loaders.acts.record_fulfilment` (a 履责记实 against a duty with a
  target, by its holder) and :func:`loaders.acts.reply` (回告 to an open 廉情抄告 or 督办),
  the functions ``POST /api/duties/{id}/records`` and ``POST /api/{referrals|orders}/{id}/
  reply`` call, timed from the call to its return (checks, one transaction, the cached
  views brought up to date; the HTTP layer and the audit line are not included), goal p95
  ≤ 50 ms;
* **status** -- from the return of each write until the affected holder's roll-up
  (:func:`graph.queries.warnings.rollup`, what ``GET /api/status/...`` and the workbench
  read) shows it: the duty's ``done`` one higher for its holder, the replied item no
  longer waiting on its recipient. ``same_process`` reads through the store that wrote
  (its view patched by the write); ``other_process`` through a second store object on the
  same server, as another API worker would: it sees the new data version within
  ``VERSION_TTL`` (1 s) and reads the view afresh. Goal ≤ 1 s.

Each run replaces its scale's entry in ``bench/results/loop.json`` and keeps the other's.
The first ``--warmup-writes`` writes are made and not counted (the server's query plans and
the process's caches warm up). The writes stay in the database (like ``bench
incremental``'s): a second run needs ``--load`` again. Neo4j is the server of the usual
``NEO4J_*`` settings; ``--load`` CLEARS it and loads the dataset first::

    .venv/bin/python -m bench loop --load                      # district
    .venv/bin/python -m bench loop --scale city --load
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import RESULTS, Timer, percentile
from bench.queries import _load, _neo4j, dataset, read_rows
from graph.dates import today
from graph.queries.warnings import WarningItem, rollup, warnings
from graph.scope import EVERYTHING_SCOPE
from graph.store.base import GraphStore

GOALS = {"list_p95_ms": 100.0, "write_p95_ms": 50.0, "status_s": 1.0}
#: How long a status is waited for before the round counts as not reflected.
TIMEOUT_S = 30.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", choices=("district", "city"), default="district")
    parser.add_argument("--seed", type=int, default=1, help="data and argument seed")
    parser.add_argument("--runs", type=int, default=100, help="timed warning lists")
    parser.add_argument("--warmup", type=int, default=10, help="untimed warning lists first")
    parser.add_argument("--cold", type=int, default=3, help="lists after dropping the cache")
    parser.add_argument("--writes", type=int, default=40,
                        help="writes measured (records and replies in turn)")
    parser.add_argument("--warmup-writes", type=int, default=4,
                        help="writes made first and not counted")
    parser.add_argument("--other", type=int, default=4,
                        help="writes whose status is also read through a second store")
    parser.add_argument("--load", action="store_true",
                        help="CLEAR the Neo4j database and load the dataset into it")


def _filters(folder: Path, runs: int, rng: random.Random) -> list[dict[str, Any]]:
    units = read_rows(folder, "units")
    districts = [r["id"] for r in units if r["level"] == "1" and r["kind"] != "discipline_body"]
    level2 = [r["id"] for r in units if r["level"] == "2"]
    out = []
    for _ in range(runs):
        unit = rng.choice((None, rng.choice(districts), rng.choice(level2)))
        types = rng.choice((None, ["duty"], ["referral"], ["order"], ["issue", "project"]))
        out.append({"unit": unit, "types": types})
    return out


def measure_list(store: GraphStore, folder: Path, args: argparse.Namespace,
                 day: str) -> dict[str, Any]:
    """Warm p50/p95 of the warning list, and the cold lists (cache dropped) beside them."""
    rng = random.Random(args.seed)
    cold = []
    for f in _filters(folder, args.cold, random.Random(f"{args.seed}-cold")):
        store.derived.clear()
        with Timer() as t:
            warnings(store, as_of=day, **f)
        cold.append(t.seconds * 1000)
    for f in _filters(folder, args.warmup, random.Random(f"{args.seed}-warmup")):
        warnings(store, as_of=day, **f)
    times, totals = [], []
    for f in _filters(folder, args.runs, rng):
        with Timer() as t:
            result = warnings(store, as_of=day, **f)
        times.append(t.seconds * 1000)
        totals.append(result.total)
    p95 = percentile(times, 95)
    everything = warnings(store, as_of=day, colours=["red", "yellow", "green"], limit=1)
    return {
        "runs": len(times), "p50_ms": round(percentile(times, 50), 2),
        "p95_ms": round(p95, 2), "max_ms": round(max(times), 2),
        "cold_ms": [round(c, 1) for c in cold],
        "ratio_cold_over_p50": round(statistics.median(cold) / percentile(times, 50), 1),
        "median_items": statistics.median(totals),
        "items_judged": {t: c.model_dump() for t, c in everything.counts.items()},
        "goal_p95_ms": GOALS["list_p95_ms"], "meets_goal": p95 <= GOALS["list_p95_ms"],
    }


def _item(store: GraphStore, holder: str, uid: str, day: str) -> WarningItem | None:
    return next((i for i in rollup(store, holder, as_of=day).items if i.node.uid == uid), None)


def _counted(holder: str, uid: str, day: str, done: int) -> Callable[[GraphStore], bool]:
    """Whether a store shows the holder's duty item with ``done`` records."""
    def shown(s: GraphStore) -> bool:
        i = _item(s, holder, uid, day)
        return i is not None and (i.done or 0) == done
    return shown


def _answered(holder: str, uid: str, day: str) -> Callable[[GraphStore], bool]:
    """Whether a store shows the item no longer waiting on its recipient's reply."""
    def shown(s: GraphStore) -> bool:
        i = _item(s, holder, uid, day)
        return i is None or i.rule == "awaiting_verification"
    return shown


def _wait(shown: Callable[[GraphStore], bool], store: GraphStore) -> float | None:
    """Seconds until ``shown(store)`` is true (polled without pause), None after
    TIMEOUT_S."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < TIMEOUT_S:
        if shown(store):
            return time.perf_counter() - t0
    return None


def _targets(store: GraphStore, day: str, rng: random.Random
             ) -> tuple[list[WarningItem], list[WarningItem]]:
    """Duties with a counted target and a holder, and open referrals and orders: what the
    writes act on, from the warning list itself."""
    every = warnings(store, as_of=day, colours=["red", "yellow", "green"], limit=10_000,
                     types=["duty", "referral", "order"]).items
    duties = [i for i in every if i.type == "duty" and i.holder and i.done is not None]
    open_ = [i for i in every if i.type != "duty" and i.holder
             and i.rule not in ("awaiting_verification", "verified")
             and i.holder.uid.startswith("person:")]
    rng.shuffle(duties)
    rng.shuffle(open_)
    return duties, open_


def measure_writes(store: GraphStore, other: GraphStore, args: argparse.Namespace,
                   day: str) -> dict[str, Any]:
    """Each write timed, then the time until the holder's roll-up shows it (this store;
    for the first ``--other`` writes, a second store too)."""
    from loaders.acts import Actor, record_fulfilment, reply

    actor = Actor(user="bench", scope=EVERYTHING_SCOPE, units=None)
    rng = random.Random(f"{args.seed}-writes")
    duties, open_ = _targets(store, day, rng)
    rounds: list[dict[str, Any]] = []
    warm = args.warmup_writes
    for n in range(warm + args.writes):
        kind = "reply" if n % 2 and open_ else "record"
        item = open_.pop() if kind == "reply" else duties[n % len(duties)]
        assert item.holder is not None
        holder, uid = item.holder.uid, item.node.uid
        watch_other = warm <= n < warm + args.other
        before = _item(store, holder, uid, day)  # the workbench shown before acting
        if watch_other:
            _item(other, holder, uid, day)
        if kind == "record":
            done = before.done if before and before.done is not None else 0
            shown = _counted(holder, uid, day, done + 1)
            with Timer() as t:
                record_fulfilment(store, actor, uid, action="meeting", on=day, by=holder,
                                  summary="专题研究党风廉政建设工作（基准测试）。")
        else:
            shown = _answered(holder, uid, day)
            with Timer() as t:
                reply(store, actor, uid, text="已按要求整改并回告（基准测试）。", replied_on=day)
        same = _wait(shown, store)
        row: dict[str, Any] = {"write": kind, "item": uid, "holder": holder,
                               "write_ms": round(t.seconds * 1000, 2),
                               "same_process_s": None if same is None else round(same, 4)}
        if watch_other:
            seen = _wait(shown, other)
            row["other_process_s"] = None if seen is None else round(seen, 3)
        if n < warm:
            row["warmup"] = True
        rounds.append(row)
        print(f"  {kind:<6} {uid:<40} write {row['write_ms']:>8.2f} ms   status "
              f"{row['same_process_s']} s / {row.get('other_process_s', '-')} s", flush=True)
    timed = [r for r in rounds if not r.get("warmup")]
    write_ms = [r["write_ms"] for r in timed]
    same_s = [r["same_process_s"] for r in timed if r["same_process_s"] is not None]
    other_s = [r["other_process_s"] for r in timed if r.get("other_process_s") is not None]
    by_kind = {k: [r["write_ms"] for r in timed if r["write"] == k]
               for k in ("record", "reply")}
    p95 = percentile(write_ms, 95)
    worst_same = max(same_s) if same_s else None
    worst_other = max(other_s) if other_s else None
    return {
        "write": {
            "runs": len(write_ms), "p50_ms": round(percentile(write_ms, 50), 2),
            "p95_ms": round(p95, 2), "max_ms": round(max(write_ms), 2),
            "p95_ms_by_kind": {k: round(percentile(v, 95), 2) for k, v in by_kind.items() if v},
            "runs_by_kind": {k: len(v) for k, v in by_kind.items()},
            "goal_p95_ms": GOALS["write_p95_ms"], "meets_goal": p95 <= GOALS["write_p95_ms"]},
        "status": {
            "same_process_p95_s": round(percentile(same_s, 95), 4) if same_s else None,
            "same_process_max_s": worst_same,
            "other_process_s": other_s,
            "not_reflected": sum(r["same_process_s"] is None for r in timed)
            + sum("other_process_s" in r and r["other_process_s"] is None for r in timed),
            "ratio_other_over_same": (round(statistics.median(other_s)
                                            / statistics.median(same_s), 1)
                                      if same_s and other_s else None),
            "goal_s": GOALS["status_s"],
            "meets_goal_same_process": worst_same is not None
            and worst_same <= GOALS["status_s"],
            "meets_goal_other_process": worst_other is not None
            and worst_other <= GOALS["status_s"]},
        "rounds": rounds,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    from graph.settings import Settings
    from graph.store.neo4j import Neo4jStore

    folder, manifest = dataset(args.scale, args.seed)
    store, info = _neo4j(args, folder, manifest)
    other = Neo4jStore.from_settings(Settings())
    day = today()
    try:
        print(f"Neo4j {info['server'].get('version')} ({args.scale}, as of {day}):",
              flush=True)
        start = _load()
        listed = measure_list(store, folder, args, day)
        print(f"  list p50 {listed['p50_ms']} ms, p95 {listed['p95_ms']} ms, cold "
              f"{listed['cold_ms']} ms", flush=True)
        written = measure_writes(store, other, args, day)
        end = _load()
    finally:
        other.close()
        store.close()
    entry = {"scale": args.scale, "seed": args.seed, "as_of": day,
             "dataset": {"nodes": manifest["nodes"],
                         "relationships": manifest["relationships"]},
             "neo4j_version": info["server"].get("version"), "neo4j": info,
             "load_average_start": start, "load_average_end": end,
             "list": listed, **written}
    _print(entry)
    scales = _previous_scales()
    scales[args.scale] = entry
    return {"goals": GOALS, "neo4j_version": entry["neo4j_version"],
            "scales": {k: scales[k] for k in sorted(scales)}}


def _previous_scales() -> dict[str, Any]:
    """The other scales' entries of the last stored result (one file for all scales)."""
    import json

    try:
        previous = json.loads((RESULTS / "loop.json").read_text(encoding="utf-8"))["result"]
    except (OSError, ValueError, KeyError):
        return {}
    return dict(previous.get("scales", {}))


def _print(r: dict[str, Any]) -> None:
    lst, w, s = r["list"], r["write"], r["status"]

    def ok(flag: bool) -> str:
        return "meets" if flag else "MISSES"

    print(f"\n{r['scale']} ({r['dataset']['nodes']:,} nodes), Neo4j {r['neo4j_version']}, "
          f"load average {r['load_average_start']} -> {r['load_average_end']}")
    print(f"warning list   p50 {lst['p50_ms']} ms  p95 {lst['p95_ms']} ms  (goal ≤ "
          f"{lst['goal_p95_ms']:.0f} ms: {ok(lst['meets_goal'])}); cold {lst['cold_ms']} ms "
          f"= {lst['ratio_cold_over_p50']}× p50")
    print(f"write          p50 {w['p50_ms']} ms  p95 {w['p95_ms']} ms  (goal ≤ "
          f"{w['goal_p95_ms']:.0f} ms: {ok(w['meets_goal'])}); p95 by kind {w['p95_ms_by_kind']}")
    print(f"status after   same process p95 {s['same_process_p95_s']} s, max "
          f"{s['same_process_max_s']} s (goal ≤ {s['goal_s']:.0f} s: "
          f"{ok(s['meets_goal_same_process'])}); other process {s['other_process_s']} s "
          f"({ok(s['meets_goal_other_process'])}); not reflected {s['not_reflected']}")
