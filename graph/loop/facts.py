"""The facts the working loop judges, read from the NetworkX projection
(:mod:`graph.projection`): the rows of :meth:`graph.store.ops.loop.LoopOps.loop_facts`.

The embedded store answers that operation with :func:`loop_facts_of` over its own graph,
and the analytics (:mod:`graph.analytics.loop`) over their projection, so a red item of
the workbench and a finding are judged from the very same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import networkx as nx

from graph.projection import in_edges, is_a, out_edges, pick
from graph.store.ops.common import Props
from graph.store.ops.loop import (
    LoopHolderRow,
    LoopItemRow,
    LoopRecordRow,
    LoopSubjectRow,
    order_loop_row,
)

#: The properties each kind's row carries (the Cypher's map projections say the same).
DUTY_PROPS = ("title", "year", "target_kind", "target", "period", "due_on", "counted_actions",
              "indicator", "responsibility")
REPLY_PROPS = ("title", "issued_on", "due_on", "replied_on", "status", "verified_on",
               "returned_on", "reopened_on", "finding")
ISSUE_PROPS = ("title", "found_on", "deadline", "status", "rectified_on")
PROJECT_PROPS = ("title", "deadline", "status", "completed_on")
_NAMED = ("name",)
_SETTLED = ("closed", "rectified")
#: Which kind a subject's label gives, and the order kinds are read in.
KIND_OF = {"Duty": "duty", "Referral": "referral", "SupervisionOrder": "order",
           "Issue": "issue", "Project": "project"}


def in_year(p: Props, kind: str, year: int) -> bool:
    """Whether year ``year`` judges this subject (the selection rules of
    :meth:`graph.store.ops.ReadOps.loop_facts`)."""
    first, last = f"{year}-01-01", f"{year}-12-31"
    if kind == "duty":
        return p.get("target_kind") is not None and p.get("year") in (None, year)
    if kind in ("referral", "order"):
        issued = p.get("issued_on")
        return not issued or issued <= last
    if kind == "issue":
        found, fixed = p.get("found_on"), p.get("rectified_on")
        settled_before = p.get("status") in _SETTLED and (not fixed or fixed < first)
        return bool(p.get("deadline")) and (not found or found <= last) and not settled_before
    completed = p.get("completed_on")
    done_before = (completed is not None and completed < first) or (
        p.get("status") == "done" and completed is None)
    return bool(p.get("deadline")) and not done_before


def loop_facts_of(g: nx.MultiDiGraph, candidates: Iterable[str], year: int,
                  vis: Callable[[str], bool]) -> list[LoopSubjectRow]:
    """The rows of ``candidates`` (uids of any kind) that ``year`` judges and ``vis`` shows."""
    first, last = f"{year}-01-01", f"{year}-12-31"

    def ends(uid: str, rel_type: str) -> list[str]:
        return [o for o, _ in out_edges(g, uid, rel_type)]

    def unit(uid: str) -> Props:
        return pick(g, uid, _NAMED)

    def holder(uid: str) -> LoopHolderRow:
        posts = [{"unit": unit(u), "start": a.get("start"), "end": a.get("end")}
                 for u, a in out_edges(g, uid, "SERVES_IN") if is_a(g, u, "Unit") and vis(u)]
        return {"node": pick(g, uid, _NAMED), "posts": posts}  # type: ignore[typeddict-item]

    def people(uids: Iterable[str], labels: tuple[str, ...] = ("Person",)) -> list[LoopHolderRow]:
        return [holder(u) for u in sorted(set(uids))
                if any(is_a(g, u, lb) for lb in labels) and vis(u)]

    def issue_units(issues: Iterable[str]) -> list[Props]:
        return [unit(u) for i in sorted(set(issues)) if is_a(g, i, "Issue")
                for u in ends(i, "FOUND_IN") if is_a(g, u, "Unit") and vis(u)]

    def issuer(uid: str, rel_type: str) -> Props | None:
        found = [u for u in ends(uid, rel_type) if is_a(g, u, "Unit") and vis(u)]
        return unit(min(found)) if found else None

    out: list[LoopSubjectRow] = []
    for uid in sorted(set(candidates)):
        attrs = g.nodes.get(uid)
        if attrs is None:
            continue
        kind = KIND_OF.get(attrs["label"])
        if kind is None or not in_year(attrs, kind, year) or not vis(uid):
            continue
        records: list[LoopRecordRow] = []
        items: list[LoopItemRow] = []
        units: list[Props] = []
        by: Props | None = None
        if kind == "duty":
            node = pick(g, uid, DUTY_PROPS)
            held = [h for h, _ in in_edges(g, uid, "HOLDS")]
            holders = people(held, ("Person", "Unit"))
            units = [unit(h) for h in sorted(set(held)) if is_a(g, h, "Unit") and vis(h)]
            for r, _ in in_edges(g, uid, "FULFILS"):
                ra = g.nodes[r]
                on = ra.get("on")
                if ra.get("label") == "Record" and on and first <= on <= last:
                    records.append({"on": on, "action": ra.get("action"), "kind": ra.get("kind"),
                                    "by": sorted(ends(r, "BY"))})
            if attrs.get("target_kind") == "rate":
                for i, _ in in_edges(g, uid, "BREACHES"):
                    if is_a(g, i, "Issue"):
                        ia = g.nodes[i]
                        items.append({"found_on": ia.get("found_on"),
                                      "deadline": ia.get("deadline"),
                                      "rectified_on": ia.get("rectified_on"),
                                      "status": ia.get("status")})
        elif kind in ("referral", "order"):
            node = pick(g, uid, REPLY_PROPS)
            if kind == "referral":
                holders = people(ends(uid, "SENT_TO"))
                units = issue_units(ends(uid, "ABOUT"))
                by = issuer(uid, "ISSUED_BY")
            else:
                to = ends(uid, "ORDERED_TO")
                holders = people(to, ("Person", "Unit"))
                units = [unit(u) for u in sorted(set(to)) if is_a(g, u, "Unit") and vis(u)]
                by = issuer(uid, "ORDERED_BY")
        elif kind == "issue":
            node = pick(g, uid, ISSUE_PROPS)
            holders = people(ends(uid, "ASSIGNED_TO"))
            units = issue_units([uid])
        else:
            node = pick(g, uid, PROJECT_PROPS)
            holders = people(ends(uid, "LED_BY"))
            units = issue_units(ends(uid, "ADDRESSES"))
        out.append(order_loop_row({"kind": kind, "node": node, "holders": holders,
                                   "units": units, "issuer": by, "records": records,
                                   "items": items}))
    return out
