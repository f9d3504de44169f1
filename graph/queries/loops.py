"""Open loops (未闭环事项): work that was started and not finished, as of a date.

Four kinds, after DESIGN.md §4:

``referral_overdue``
    a 廉情抄告 whose reply was due before ``as_of`` (``due_on < as_of``) and that had no
    reply by then (``replied_on`` unset, or later than ``as_of``);
``issue_no_owner``
    an issue not closed or rectified with no ``ASSIGNED_TO`` owner (责任清单 gap);
``issue_no_project``
    an issue not closed or rectified that no ``Project`` ``ADDRESSES`` (项目清单 gap);
``project_overdue``
    a project whose ``deadline`` is before ``as_of`` and that was not done by then.

Issues found after ``as_of`` are left out (they did not exist yet). Each item belongs to one
unit, used for the subtree filter and shown to the user: an issue's ``FOUND_IN`` unit; a
referral's issue's unit, else the unit its recipient served in on ``as_of`` (else any unit
they served in); a project's issue's unit. Where several qualify the smallest uid is taken,
so both stores agree. Items are ordered by days overdue (most first), then uid, then kind.

The store reads the candidates open by their rule (``store.reads.open_loops``, typed rows
of :mod:`graph.store.ops`); classification, the unit rule, ordering, totals and paging
happen once, here, so the two stores give identical results.

Scope (applied by the store where it selects):

* a ``unit`` outside the scope is NotFound, exactly like a missing id;
* only referrals, issues and projects in scope are candidates, and their units, holders and
  recipients' posts only in scope: an item's unit is chosen among those, a holder out of
  scope is ``None``;
* an issue whose owner or project the scope hides still has one (it is not listed as
  without owner or project);
* totals, ``total`` and paging count the items in scope only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, model_validator

from graph.dates import active, as_of_or_today
from graph.errors import InvalidArgument, NotFound
from graph.messages import N_, Message
from graph.queries.common import ref_of, uid_for
from graph.queries.models import NodeRef
from graph.schema import split_uid
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore
from graph.store.ops.loops import LoopFactRow
from graph.texts import TextField, rendered

#: Kind code → the catalogue code of its name. The order is the tie-break order of items.
LOOP_KINDS: dict[str, str] = {
    "referral_overdue": N_("loop.referral_overdue"),
    "issue_no_owner": N_("loop.issue_no_owner"),
    "issue_no_project": N_("loop.issue_no_project"),
    "project_overdue": N_("loop.project_overdue"),
}
_KIND_ORDER = {k: i for i, k in enumerate(LOOP_KINDS)}
MAX_LIMIT = 10_000


class OpenLoop(BaseModel):
    """One open loop: what, where, who must act, and how late it is.

    ``kind_name`` is the kind's name (``loop.<kind>``), rendered into ``kind_zh``/``kind_en``.
    """

    kind: str
    kind_name: TextField = None
    kind_zh: str = ""
    kind_en: str = ""
    node: NodeRef
    #: The unit the item belongs to (see the module docstring), if any.
    unit: NodeRef | None
    #: Who must close it: the referral's recipient, the project's leader, the issue's owner.
    holder: NodeRef | None
    due_on: str | None
    #: Days between ``due_on`` and ``as_of``; 0 when not dated or not yet due.
    days_overdue: int
    status: str | None

    @model_validator(mode="before")
    @classmethod
    def _render(cls, data: Any) -> Any:
        return rendered(data, "kind_name", "kind_zh", "kind_en")


class OpenLoops(BaseModel):
    """A page of open loops with totals per kind (over all pages)."""

    as_of: str
    unit: NodeRef | None
    kinds: list[str]
    totals: dict[str, int]
    total: int
    offset: int
    limit: int
    items: list[OpenLoop]


def open_loops(
    store: GraphStore,
    *,
    unit: str | None = None,
    as_of: str | dt.date | None = None,
    kinds: Iterable[str] | None = None,
    limit: int = 50,
    offset: int = 0,
    scope: Scope = EVERYTHING_SCOPE,
) -> OpenLoops:
    """Open loops as of a date, optionally within a unit's subtree, most overdue first, as
    ``scope`` sees them (see the module docstring).

    Parameters
    ----------
    store
        Either backend.
    unit
        A unit (uid ``unit:MH`` or bare id ``MH``); only items belonging to it or a unit
        below it are returned. ``None``: everything the scope shows.
    as_of
        The date loops are judged at (ISO); default today.
    kinds
        Subset of :data:`LOOP_KINDS` codes; default all four.
    limit, offset
        The page (``limit`` 1..10000, ``offset`` ≥ 0); totals count every page.
    scope
        What the user may see.

    Raises
    ------
    NotFound
        ``unit`` names no unit, or one outside ``scope``.
    InvalidArgument
        A bad date, kind, limit or offset.
    """
    day = as_of_or_today(as_of)
    wanted = _kinds(kinds)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidArgument("limit", Message("reason.between", min=1, max=MAX_LIMIT))
    if offset < 0:
        raise InvalidArgument("offset", Message("reason.at_least", min=0))
    uid = uid_for(unit, "Unit") if unit else None
    row = store.reads.open_loops(day, wanted, uid, scope)
    if row is None:
        raise NotFound("Unit", split_uid(uid or "")[1])
    allowed = None if row["subtree"] is None else frozenset(row["subtree"])
    items = []
    for fact in row["facts"]:
        for kind in _kinds_of(fact, wanted):
            item = _item(kind, fact, day)
            if allowed is not None and (item.unit is None or item.unit.uid not in allowed):
                continue
            items.append(item)
    items.sort(key=lambda i: (-i.days_overdue, i.node.uid, _KIND_ORDER[i.kind]))
    totals = {k: 0 for k in wanted}
    for i in items:
        totals[i.kind] += 1
    return OpenLoops(
        as_of=day,
        unit=_ref(row["unit"]),
        kinds=list(wanted),
        totals=totals,
        total=len(items),
        offset=offset,
        limit=limit,
        items=items[offset : offset + limit],
    )


def _kinds(kinds: Iterable[str] | None) -> tuple[str, ...]:
    if kinds is None:
        return tuple(LOOP_KINDS)
    given = set(kinds)
    unknown = given - set(LOOP_KINDS)
    if unknown:
        raise InvalidArgument("kinds", Message("reason.unknown_codes_of", codes=sorted(unknown),
                                               expected=list(LOOP_KINDS)))
    return tuple(k for k in LOOP_KINDS if k in given)


def _days(due_on: str | None, as_of: str) -> int:
    if not due_on or due_on >= as_of:
        return 0
    return (dt.date.fromisoformat(as_of) - dt.date.fromisoformat(due_on)).days


def _kinds_of(fact: LoopFactRow, wanted: tuple[str, ...]) -> list[str]:
    """The kinds of loop a candidate is, of those ``wanted``."""
    if fact["kind"] == "referral":
        found = ["referral_overdue"]
    elif fact["kind"] == "project":
        found = ["project_overdue"]
    else:
        found = [k for k, flag in (("issue_no_owner", fact["owned"]),
                                   ("issue_no_project", fact["projected"])) if not flag]
    return [k for k in found if k in wanted]


def _ref(props: Mapping[str, Any] | None) -> NodeRef | None:
    return None if props is None else NodeRef.model_validate(ref_of(props))


def _first(nodes: Sequence[Mapping[str, Any]]) -> NodeRef | None:
    return _ref(min(nodes, key=lambda n: str(n["uid"]))) if nodes else None


def _item(kind: str, fact: LoopFactRow, as_of: str) -> OpenLoop:
    unit = _first(fact["units"])
    if unit is None and fact["tenures"]:
        current = [t["unit"] for t in fact["tenures"] if active(t, as_of)]
        unit = _first(current or [t["unit"] for t in fact["tenures"]])
    node = fact["node"]
    due_on = node.get("due_on") if fact["kind"] == "referral" else node.get("deadline")
    return OpenLoop(
        kind=kind,
        kind_name=Message(LOOP_KINDS[kind]),
        node=NodeRef.model_validate(ref_of(node)),
        unit=unit,
        holder=_first(fact["holders"]),
        due_on=due_on,
        days_overdue=_days(due_on, as_of),
        status=node.get("status"),
    )
