"""The items of the working loop as of a date: each subject's facts (a row of
``store.reads.loop_facts``) judged into one item per thing someone must do, with the unit
it belongs to and who acts next (the rules are :mod:`graph.queries.warnings`'s docstring's).

Kept apart from the shaping so that the analytics judge their projection's items the same
way (:mod:`graph.analytics.loop`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graph.dates import active
from graph.loop.status import (
    COLOUR_RANK,
    Item,
    LoopRules,
    Status,
    Target,
    deadline_status,
    duty_status,
    reply_status,
)
from graph.schema import split_uid
from graph.store.ops.common import Props
from graph.store.ops.loop import LoopHolderRow, LoopSubjectRow

#: Item types, in the order the workbench lists their counts.
TYPES = ("duty", "referral", "order", "issue", "project")


@dataclass(frozen=True, slots=True)
class Judged:
    """An item judged at a date, kept compact (nodes as prop maps until shown)."""

    type: str
    node: Props
    unit: Props | None
    #: Who must act next: the duty's holder, the recipient, the issuing body (to verify),
    #: the issue's owner, the project's leader.
    holder: Props | None
    issuer: Props | None
    status: Status
    indicator: str | None
    recorded: str | None

    def sort_key(self) -> tuple[Any, ...]:
        """Most urgent first: colour, days overdue, days left, type, uid, holder."""
        s = self.status
        return (COLOUR_RANK[s.colour], -s.days_overdue, s.days_left, TYPES.index(self.type),
                str(self.node["uid"]), "" if self.holder is None else str(self.holder["uid"]))


def first(nodes: Iterable[Props]) -> Props | None:
    """The node of smallest uid, if any."""
    found = list(nodes)
    return min(found, key=lambda n: str(n["uid"])) if found else None


def home(holder: LoopHolderRow, as_of: str) -> Props | None:
    """The unit a holder is (a unit) or served in on ``as_of`` (else any they served in)."""
    if split_uid(str(holder["node"]["uid"]))[0] == "Unit":
        return holder["node"]
    posts = holder["posts"]
    return first(t["unit"] for t in posts if active(t, as_of)) or first(
        t["unit"] for t in posts)


def judge(row: LoopSubjectRow, as_of: str, rules: LoopRules) -> list[Judged]:
    """The items of one subject as of ``as_of`` (several for a duty with several holders;
    none for one not yet issued or found)."""
    kind, node = row["kind"], row["node"]
    holders = row["holders"]
    if kind == "duty":
        target = Target.of(node)
        if target is None:
            return []
        items = [Item(i["found_on"], i["deadline"], i["rectified_on"],
                      i["status"] in ("closed", "rectified")) for i in row["items"]]
        out = []
        for h in holders:
            mine = row["records"] if len(holders) == 1 else [
                r for r in row["records"] if not r["by"] or h["node"]["uid"] in r["by"]]
            status = duty_status(target, [(r["on"], r["action"], r["kind"]) for r in mine],
                                 items, as_of, rules)
            out.append(Judged(kind, node, first(row["units"]) or home(h, as_of),
                              h["node"], None, status, node.get("indicator"), None))
        return out
    lead = min(holders, key=lambda h: str(h["node"]["uid"])) if holders else None
    unit = first(row["units"])
    if unit is None and lead is not None:
        unit = home(lead, as_of)
    if kind in ("referral", "order"):
        issued = node.get("issued_on")
        if issued and issued > as_of:
            return []
        unit = unit or row["issuer"]
        status = reply_status(node, as_of, rules)
        actor = row["issuer"] if status.rule == "awaiting_verification" else (
            None if lead is None else lead["node"])
        return [Judged(kind, node, unit, actor, row["issuer"], status, None,
                       node.get("status"))]
    if kind == "issue":
        found = node.get("found_on")
        if found and found > as_of:
            return []
        fixed = node.get("rectified_on")
        status = deadline_status(node.get("deadline"), fixed, as_of, rules,
                                 done=not fixed and node.get("status") in ("closed", "rectified"))
    else:
        status = deadline_status(node.get("deadline"), node.get("completed_on"), as_of, rules,
                                 done=not node.get("completed_on") and node.get("status") == "done")
    return [Judged(kind, node, unit, None if lead is None else lead["node"], None, status,
                   None, node.get("status"))]
