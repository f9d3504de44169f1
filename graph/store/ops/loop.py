"""Read operations of the working loop: what the statuses are judged from, what an act
checks.

The rows both backends return and the protocol they implement: Cypher in
:mod:`graph.store.cypher.loop`, a walk of the embedded graph in
:mod:`graph.store.walks.loop`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypedDict

from graph.scope import Scope
from graph.store.ops.common import Props
from graph.store.ops.loops import LoopTenureRow


class LoopHolderRow(TypedDict):
    """Who must act on a loop item (a duty's holder, a referral's or order's recipient, an
    issue's owner, a project's leader), in scope, with the posts it serves in (persons)."""

    node: Props
    posts: list[LoopTenureRow]


class LoopRecordRow(TypedDict):
    """A record fulfilling a duty within the year asked about."""

    on: str | None
    action: str | None
    kind: str | None
    #: Uids of who acted (``BY``), in scope or not: a record counts for its holder.
    by: list[str]


class LoopItemRow(TypedDict):
    """An issue a duty's breach produced (``BREACHES``): a rate's item, in scope or not."""

    found_on: str | None
    deadline: str | None
    rectified_on: str | None
    status: str | None


class LoopSubjectRow(TypedDict):
    """One item of the working loop and everything its status is judged from."""

    #: ``duty``, ``referral``, ``order``, ``issue`` or ``project``.
    kind: str
    node: Props
    holders: list[LoopHolderRow]
    #: Units it belongs to: an issue's (for referrals, issues, projects), an order's unit
    #: recipient, a duty's unit holder; in scope.
    units: list[Props]
    #: Who issued it (referrals, orders), in scope.
    issuer: Props | None
    #: Duties: the records fulfilling them in the year.
    records: list[LoopRecordRow]
    #: Duties with a rate target: their items.
    items: list[LoopItemRow]


class ActContextRow(TypedDict):
    """A node an everyday act names, in scope, with the neighbours its checks read (in
    scope or not: they decide, they are not shown): whoever holds it (``HOLDS``), who it was
    sent to (``SENT_TO``/``ORDERED_TO``) and who issued it (``ISSUED_BY``/``ORDERED_BY``),
    each as ``uid``, ``name`` and (units) ``kind``; and the uids of the persons serving in
    the holder or recipient units."""

    node: Props
    holders: list[Props]
    recipients: list[Props]
    issuers: list[Props]
    members: list[str]


def order_loop_row(row: LoopSubjectRow) -> LoopSubjectRow:
    """A loop row with its lists in the one order both stores give them (holders and units
    by uid, records by date, action and actors, items by their values)."""
    row["holders"].sort(key=lambda h: str(h["node"]["uid"]))
    for h in row["holders"]:
        h["posts"].sort(key=lambda t: (str(t["unit"]["uid"]), t["start"] or "", t["end"] or ""))
    row["units"].sort(key=lambda u: str(u["uid"]))
    for r in row["records"]:
        r["by"].sort()
    row["records"].sort(key=lambda r: (r["on"] or "", r["action"] or "", r["kind"] or "",
                                       r["by"]))
    row["items"].sort(key=lambda i: tuple(str(v) for v in i.values()))
    return row



class LoopOps(Protocol):
    """The read operations of the working loop."""

    def loop_facts(self, year: int, subjects: Sequence[str] | None,
                   scope: Scope) -> list[LoopSubjectRow]:
        """Every item of the working loop in ``scope`` that year ``year`` can judge (or,
        with ``subjects``, those of these uids), with the facts of its status:

        * duties with a target (``target_kind``) of that year or without a year, with
          their holders, the records fulfilling them dated in the year, and (rates) the
          issues they breached;
        * referrals and supervision orders issued by the year's end;
        * issues with a deadline, found by the year's end, not settled before it began;
        * projects with a deadline, not completed before the year began.

        Sorted by uid. A subject of ``subjects`` that is missing, out of scope or not of
        those is left out."""
        ...

    def act_context(self, uid: str, scope: Scope) -> ActContextRow | None:
        """Node ``uid`` and the neighbours an act's checks read (see the row); ``None``
        when it is missing or out of scope."""
        ...
