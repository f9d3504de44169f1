"""Open loops on the embedded store: the same rows as :mod:`graph.store.cypher.loops` (see
there for the scope rules), from the per-kind node lists of the ``MultiDiGraph``.

The rules below select the candidates of each family; the Cypher's ``WHERE`` clauses say the
same, and the contract tests compare the two.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from graph.projection import in_edges, is_a, out_edges, pick, props
from graph.scope import Scope
from graph.store.ops.common import Props
from graph.store.ops.loops import LoopFactRow, LoopsRow, LoopTenureRow
from graph.store.walks.graph import labelled
from graph.store.walks.scope import visibility

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore

_SETTLED_ISSUE = ("closed", "rectified")
_NAMED = ("name",)
_REFERRAL = ("title", "due_on", "replied_on", "issued_on", "status")
_ISSUE = ("title", "deadline", "status", "found_on")
_PROJECT = ("title", "deadline", "status", "completed_on")


def referral_open(p: Mapping[str, Any], as_of: str) -> bool:
    """Issued by ``as_of``, due before it and not replied by then."""
    due, replied, issued = p.get("due_on"), p.get("replied_on"), p.get("issued_on")
    return (due is not None and due < as_of and (not replied or replied > as_of)
            and (not issued or issued <= as_of))


def issue_open(p: Mapping[str, Any], as_of: str) -> bool:
    """Found by ``as_of`` and neither closed nor rectified."""
    found = p.get("found_on")
    return p.get("status") not in _SETTLED_ISSUE and (not found or found <= as_of)


def project_open(p: Mapping[str, Any], as_of: str) -> bool:
    """Past its deadline at ``as_of`` and not done by then (done without a date counts)."""
    deadline, completed = p.get("deadline"), p.get("completed_on")
    if not deadline or deadline >= as_of:
        return False
    done = (completed and completed <= as_of) or (p.get("status") == "done" and not completed)
    return not done


class LoopsWalks:
    """The open-loops operation of :class:`graph.store.ops.ReadOps` on the embedded store."""

    store: EmbeddedStore

    def open_loops(self, as_of: str, kinds: Sequence[str], unit: str | None,
                   scope: Scope) -> LoopsRow | None:
        store = self.store
        g = store.graph
        vis = visibility(store, scope)
        subtree: list[str] | None = None
        if unit is not None:
            if not is_a(g, unit, "Unit") or not vis(unit):
                return None
            seen = {unit}
            todo = deque([unit])
            while todo:
                for child, _ in in_edges(g, todo.popleft(), "SUBORDINATE_TO"):
                    if child not in seen:
                        seen.add(child)
                        todo.append(child)
            subtree = sorted(seen)
        inside = None if subtree is None else set(subtree)

        def ends(uid: str, rel_type: str) -> list[str]:
            return [o for o, _ in out_edges(g, uid, rel_type)]

        def units_of(issues: list[str]) -> list[Props]:
            return [pick(g, u, _NAMED) for i in issues if is_a(g, i, "Issue")
                    for u in ends(i, "FOUND_IN") if is_a(g, u, "Unit") and vis(u)]

        def people(uid: str, rel_type: str) -> list[Props]:
            return [pick(g, p, _NAMED) for p in ends(uid, rel_type)
                    if is_a(g, p, "Person") and vis(p)]

        def fact(kind: str, node: Props, units: list[Props], holders: list[Props],
                 tenures: list[LoopTenureRow] | None = None, *, owned: bool = False,
                 projected: bool = False) -> LoopFactRow | None:
            row: LoopFactRow = {"kind": kind, "node": node, "units": units,
                                "tenures": tenures or [], "owned": owned,
                                "projected": projected, "holders": holders}
            if inside is not None and not any(
                    x["uid"] in inside for x in [*units, *(t["unit"] for t in row["tenures"])]):
                return None
            return row

        found: list[LoopFactRow | None] = []
        if "referral_overdue" in kinds:
            for r in labelled(store, "Referral"):
                if referral_open(g.nodes[r], as_of) and vis(r):
                    tenures: list[LoopTenureRow] = [
                        {"unit": pick(g, u, _NAMED), "start": a.get("start"), "end": a.get("end")}
                        for p in ends(r, "SENT_TO") if is_a(g, p, "Person")
                        for u, a in out_edges(g, p, "SERVES_IN") if is_a(g, u, "Unit") and vis(u)]
                    found.append(fact("referral", pick(g, r, _REFERRAL),
                                      units_of(ends(r, "ABOUT")), people(r, "SENT_TO"), tenures))
        # With a unit, issues and projects are reached from its subtree (as the Cypher
        # does), not by going through every one in the graph.
        issues = labelled(store, "Issue") if subtree is None else sorted(
            {i for u in subtree for i, _ in in_edges(g, u, "FOUND_IN") if is_a(g, i, "Issue")})
        if "issue_no_owner" in kinds or "issue_no_project" in kinds:
            for i in issues:
                if not issue_open(g.nodes[i], as_of) or not vis(i):
                    continue
                owned = any(is_a(g, p, "Person") for p in ends(i, "ASSIGNED_TO"))
                projected = any(is_a(g, j, "Project") for j, _ in in_edges(g, i, "ADDRESSES"))
                if not owned or not projected:
                    found.append(fact("issue", pick(g, i, _ISSUE), units_of([i]),
                                      people(i, "ASSIGNED_TO"), owned=owned,
                                      projected=projected))
        if "project_overdue" in kinds:
            projects = labelled(store, "Project") if subtree is None else sorted(
                {j for i in issues for j, _ in in_edges(g, i, "ADDRESSES")
                 if is_a(g, j, "Project")})
            for j in projects:
                if project_open(g.nodes[j], as_of) and vis(j):
                    found.append(fact("project", pick(g, j, _PROJECT),
                                      units_of(ends(j, "ADDRESSES")), people(j, "LED_BY")))
        return {"unit": None if unit is None else props(g, unit), "subtree": subtree,
                "facts": [f for f in found if f is not None]}
