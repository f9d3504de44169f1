"""The early-warning list (三色预警): every item of the working loop with its colour as of
a date, the rule that gave it and its progress; roll-ups per person, unit and subtree; and
the timeliness of replies per leader.

Items, one per thing someone must do:

``duty``
    a duty with a measurable target, once per holder (a record counts for a holder when the
    duty has one holder, when it names the holder among those who acted, or names no one);
``referral`` / ``order``
    a 廉情抄告 or 督办 awaiting its reply (the recipient acts) or its verification (the
    issuing body acts);
``issue`` / ``project``
    a rectification with a deadline, not yet done.

The colours are :mod:`graph.loop.status`'s. An item belongs to one unit: a duty's holder
unit, or the unit its holder served in on the date (else any they served in); an order's
recipient unit; an issue's unit (for referrals, issues and projects; a referral without one
takes its recipient's unit). Where several qualify the smallest uid is taken.

The store reads the facts of a year once per data version and scope
(``store.reads.loop_facts``, kept in ``store.derived`` as a :class:`LoopView`); the items of
a date are judged once from them. After a write of :mod:`loaders.acts` the view is patched
with the facts of the items the write touched (:func:`carry_views`) instead of being read
again, so the list follows a write at once even at city scale.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel

from graph.dates import as_of_or_today
from graph.errors import AmbiguousId, InvalidArgument, NotFound
from graph.loop.items import TYPES, Judged, home, judge
from graph.loop.status import LoopRules
from graph.messages import Message
from graph.queries.common import ref_of, uid_for
from graph.queries.models import NodeRef
from graph.schema import split_uid
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore
from graph.store.ops.loop import LoopSubjectRow

COLOURS = ("red", "yellow", "green")
MAX_LIMIT = 10_000
#: Dates whose judged items a view keeps (the workbench asks for today, tests for a few).
_DATES_KEPT = 8
_VIEW = "loop-view"


class WarningItem(BaseModel):
    """One item of the working loop as of a date."""

    type: str
    node: NodeRef
    unit: NodeRef | None
    #: Who must act next: the duty's holder, the recipient, the issuing body (to verify),
    #: the issue's owner, the project's leader.
    holder: NodeRef | None
    #: The body that issued a referral or order.
    issuer: NodeRef | None
    colour: Literal["red", "yellow", "green"]
    #: The rule that gave the colour (:data:`graph.loop.status.RULES`).
    rule: str
    due_on: str | None
    days_overdue: int
    days_left: int
    done: int | None
    expected: int | None
    target: int | None
    period: str | None
    #: A duty's indicator as written.
    indicator: str | None
    #: The item's recorded status (referrals, orders, issues, projects).
    status: str | None


class TypeCounts(BaseModel):
    red: int = 0
    yellow: int = 0
    green: int = 0
    #: Replied, awaiting the issuing body's verification (green).
    awaiting: int = 0


class WarningList(BaseModel):
    """A page of the warning list, most urgent first, with counts per type and colour."""

    as_of: str
    unit: NodeRef | None
    holder: str | None
    types: list[str]
    colours: list[str]
    #: Per type, over every colour (within the unit and holder filters).
    counts: dict[str, TypeCounts]
    total: int
    offset: int
    limit: int
    items: list[WarningItem]


class Rollup(BaseModel):
    """The items of a person, a unit or a unit's subtree, counted by colour and type."""

    node: NodeRef
    as_of: str
    subtree: bool
    counts: dict[str, int]
    by_type: dict[str, TypeCounts]
    items: list[WarningItem]


class Timeliness(BaseModel):
    """How one leader replied to what was sent to them, as of a date."""

    person: NodeRef
    unit: NodeRef | None
    total: int
    on_time: int
    late: int
    overdue: int
    pending: int
    #: Mean days from issue to reply over the replies (None without any).
    mean_days: float | None


def _ref(props: Mapping[str, Any]) -> NodeRef:
    return NodeRef.model_validate(ref_of(props))


def _opt(props: Mapping[str, Any] | None) -> NodeRef | None:
    return None if props is None else _ref(props)


def model_of(j: Judged) -> WarningItem:
    """The result model of a judged item."""
    s = j.status
    return WarningItem(
        type=j.type, node=_ref(j.node), unit=_opt(j.unit), holder=_opt(j.holder),
        issuer=_opt(j.issuer), colour=s.colour, rule=s.rule, due_on=s.due_on,
        days_overdue=s.days_overdue, days_left=s.days_left, done=s.done, expected=s.expected,
        target=s.target, period=s.period, indicator=j.indicator, status=j.recorded)


class LoopView:
    """The facts of one year in one scope, and the items judged from them per date."""

    def __init__(self, rows: Iterable[LoopSubjectRow], year: int, rules: LoopRules) -> None:
        self.year = year
        self.rules = rules
        self.rows: dict[str, LoopSubjectRow] = {str(r["node"]["uid"]): r for r in rows}
        self._judged: OrderedDict[str, list[Judged]] = OrderedDict()
        self._lock = threading.Lock()

    def items(self, as_of: str) -> list[Judged]:
        """Every item as of ``as_of`` (a date of the view's year), most urgent first."""
        with self._lock:
            hit = self._judged.get(as_of)
            if hit is not None:
                self._judged.move_to_end(as_of)
                return hit
        found = [j for row in self.rows.values() for j in judge(row, as_of, self.rules)]
        found.sort(key=Judged.sort_key)
        with self._lock:
            self._judged[as_of] = found
            while len(self._judged) > _DATES_KEPT:
                self._judged.popitem(last=False)
        return found

    def patched(self, subjects: Sequence[str], rows: Iterable[LoopSubjectRow]) -> LoopView:
        """A new view with the facts of ``subjects`` replaced by ``rows`` (a subject
        without a row is gone), its judged dates brought up to date the same way."""
        fresh = {str(r["node"]["uid"]): r for r in rows}
        gone = set(subjects)
        view = LoopView((), self.year, self.rules)
        view.rows = {u: r for u, r in self.rows.items() if u not in gone}
        view.rows.update(fresh)
        with self._lock:
            dates = list(self._judged.items())
        for day, judged in dates:
            # ``judged`` is in order already: the new items are put in place, as a stable
            # sort would put them, without computing every item's key again (most of a
            # write's time at district scale when it sorted the whole list).
            kept = [j for j in judged if j.node["uid"] not in gone]
            for j in (j for r in fresh.values() for j in judge(r, day, self.rules)):
                bisect.insort_right(kept, j, key=Judged.sort_key)
            view._judged[day] = kept
        return view


def loop_view(store: GraphStore, year: int, scope: Scope,
              rules: LoopRules | None = None) -> LoopView:
    """The view of ``year`` in ``scope``, read once per data version."""
    rules = rules or LoopRules.from_settings()
    return store.derived.get(
        (_VIEW, scope, year, rules),
        lambda: LoopView(store.reads.loop_facts(year, None, scope), year, rules))


def carry_views(store: GraphStore, before: str | None, after: str | None,
                views: Mapping[Hashable, Any], subjects: Sequence[str]) -> bool:
    """Bring the views a :meth:`~graph.store.base.Derived.snapshot` took before a write up
    to date with the facts of the ``subjects`` it touched, and keep them for the version
    the write made (see :meth:`~graph.store.base.Derived.install`)."""
    if before is None or after is None:
        return False
    patched: dict[Hashable, Any] = {}
    for key, view in views.items():
        assert isinstance(key, tuple) and isinstance(view, LoopView)
        _, scope, year, _ = key
        patched[key] = view.patched(subjects, store.reads.loop_facts(year, subjects, scope))
    return store.derived.install(before, after, patched)


def is_view_key(key: Hashable) -> bool:
    """Whether a key of ``store.derived`` names a loop view (for the snapshot)."""
    return isinstance(key, tuple) and bool(key) and key[0] == _VIEW


# -- the list --------------------------------------------------------------------------------
def _checked(values: Iterable[str] | None, allowed: tuple[str, ...], field: str,
             default: tuple[str, ...]) -> tuple[str, ...]:
    if values is None:
        return default
    given = [v for v in values if v]
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise InvalidArgument(field, Message("reason.one_of", expected=list(allowed)))
    return tuple(v for v in allowed if v in given) or default


def _counts(items: Iterable[Judged]) -> dict[str, TypeCounts]:
    counts = {t: TypeCounts() for t in TYPES}
    for j in items:
        c = counts[j.type]
        setattr(c, j.status.colour, getattr(c, j.status.colour) + 1)
        if j.status.rule == "awaiting_verification":
            c.awaiting += 1
    return counts


def _matches(holder: str) -> Callable[[Judged], bool]:
    text = holder.strip()
    folded = text.casefold()

    def test(j: Judged) -> bool:
        h = j.holder
        if h is None:
            return False
        uid = str(h["uid"])
        caption = str(h.get("name") or "")
        return text in (uid, uid.partition(":")[2]) or (bool(folded)
                                                          and folded in caption.casefold())

    return test


def unit_of_text(store: GraphStore, text: str, scope: Scope) -> str:
    """The uid of the unit ``text`` names: a uid, an id, or a name (exact, else the one
    unit whose name contains it), in ``scope``; NotFound, or AmbiguousId with the
    candidates, otherwise."""
    from graph.queries.search import search

    text = text.strip()
    if not text:
        raise InvalidArgument("unit", Message("reason.required"))
    uid = uid_for(text, "Unit")
    if store.reads.visible([uid], scope):
        return uid
    hits = search(store, text, labels=["Unit"], limit=20, scope=scope).hits
    exact = [h.node.uid for h in hits if h.node.caption == text]
    if len(exact) == 1:
        return exact[0]
    partial = exact or [h.node.uid for h in hits if text in h.node.caption]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise AmbiguousId(text, sorted(partial))
    raise NotFound("Unit", text)


def _subtree(store: GraphStore, unit: str) -> frozenset[str]:
    return store.derived.get(("loop-subtree", unit), lambda: store.reads.subtree(unit))


def warnings(
    store: GraphStore,
    *,
    as_of: str | dt.date | None = None,
    unit: str | None = None,
    types: Iterable[str] | None = None,
    colours: Iterable[str] | None = None,
    holder: str | None = None,
    limit: int = 50,
    offset: int = 0,
    scope: Scope = EVERYTHING_SCOPE,
    rules: LoopRules | None = None,
) -> WarningList:
    """The warning list as of a date, most urgent first.

    Parameters
    ----------
    store
        Either backend.
    as_of
        The date items are judged at (ISO); default today.
    unit
        A unit (uid, id or name; see :func:`unit_of_text`): only items belonging to it or a
        unit below it.
    types
        Item types (:data:`TYPES`); default all.
    colours
        ``red``, ``yellow``, ``green``; default red and yellow.
    holder
        Only items whose next actor is this node (uid or id) or whose name contains it.
    limit, offset
        The page (``limit`` 1..10000); counts and ``total`` count every page.
    scope
        What the user may see: only items in scope, their units, holders and issuers only
        in scope; an out-of-scope ``unit`` is NotFound.
    rules
        Thresholds; default the settings' (``DUTYGRAPH_WARN_DAYS``/``_SHARE``).
    """
    day = as_of_or_today(as_of)
    wanted_types = _checked(types, TYPES, "type", TYPES)
    wanted_colours = _checked(colours, COLOURS, "status", ("red", "yellow"))
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidArgument("limit", Message("reason.at_most", max=MAX_LIMIT)
                              if limit > MAX_LIMIT else Message("reason.at_least", min=1))
    if offset < 0:
        raise InvalidArgument("offset", Message("reason.at_least", min=0))
    view = loop_view(store, int(day[:4]), scope, rules)
    items: Iterable[Judged] = view.items(day)
    unit_ref: NodeRef | None = None
    if unit:
        uid = unit_of_text(store, unit, scope)
        node = store.get_node(uid)
        assert node is not None
        unit_ref = NodeRef.of(node)
        inside = _subtree(store, uid)
        items = [j for j in items if j.unit is not None and j.unit["uid"] in inside]
    if holder:
        items = [j for j in items if _matches(holder)(j)]
    items = list(items)
    counts = _counts(items)
    shown = [j for j in items if j.type in wanted_types and j.status.colour in wanted_colours]
    return WarningList(
        as_of=day, unit=unit_ref, holder=holder or None, types=list(wanted_types),
        colours=list(wanted_colours), counts=counts, total=len(shown), offset=offset,
        limit=limit, items=[model_of(j) for j in shown[offset:offset + limit]])


def rollup(store: GraphStore, uid: str, *, as_of: str | dt.date | None = None,
           subtree: bool = False, scope: Scope = EVERYTHING_SCOPE,
           rules: LoopRules | None = None) -> Rollup:
    """The items of a person (those they must act on), of a unit (those belonging to it)
    or, with ``subtree``, of a unit and every unit below it, counted by colour and type.

    Raises NotFound for a node that is missing or out of scope, or not a unit or person.
    """
    day = as_of_or_today(as_of)
    label, node_id = split_uid(uid)
    if label not in ("Unit", "Person") or not store.reads.visible([uid], scope):
        raise NotFound(label, node_id)
    node = store.get_node(uid)
    assert node is not None
    items = loop_view(store, int(day[:4]), scope, rules).items(day)
    if label == "Person":
        mine = [j for j in items if j.holder is not None and j.holder["uid"] == uid]
    else:
        inside = _subtree(store, uid) if subtree else frozenset({uid})
        mine = [j for j in items if j.unit is not None and j.unit["uid"] in inside]
    counts = {c: 0 for c in COLOURS}
    for j in mine:
        counts[j.status.colour] += 1
    return Rollup(node=NodeRef.of(node), as_of=day, subtree=subtree and label == "Unit",
                  counts=counts, by_type=_counts(mine), items=[model_of(j) for j in mine])


def duty_progress(store: GraphStore, uid: str, *, as_of: str | dt.date | None = None,
                  scope: Scope = EVERYTHING_SCOPE,
                  rules: LoopRules | None = None) -> list[WarningItem]:
    """A duty's status per holder as of a date, read afresh (``[]`` for a duty without a
    target); NotFound for a duty missing or out of scope."""
    day = as_of_or_today(as_of)
    label, node_id = split_uid(uid)
    if label != "Duty" or not store.reads.visible([uid], scope):
        raise NotFound("Duty", node_id)
    node = store.get_node(uid)
    assert node is not None
    year = node.props.get("year") or int(day[:4])
    rows = store.reads.loop_facts(int(year), [uid], scope)
    rules = rules or LoopRules.from_settings()
    return [model_of(j) for r in rows
            for j in sorted(judge(r, day, rules), key=Judged.sort_key)]


def timeliness(store: GraphStore, *, as_of: str | dt.date | None = None,
               unit: str | None = None, kind: Literal["referral", "order"] = "referral",
               scope: Scope = EVERYTHING_SCOPE) -> list[Timeliness]:
    """Per leader (a person the referrals, or orders, were sent to): how many were replied
    on time, late, are overdue or pending as of a date, and the mean days to reply; most
    overdue first. With ``unit`` only items belonging to its subtree."""
    day = as_of_or_today(as_of)
    rules = LoopRules.from_settings()
    view = loop_view(store, int(day[:4]), scope, rules)
    inside = _subtree(store, unit_of_text(store, unit, scope)) if unit else None
    stats: dict[str, dict[str, Any]] = {}
    for row in view.rows.values():
        if row["kind"] != kind:
            continue
        node = row["node"]
        issued = node.get("issued_on")
        if issued and issued > day:
            continue
        judged = judge(row, day, rules)
        where = judged[0].unit if judged else None
        if inside is not None and (where is None or where["uid"] not in inside):
            continue
        replied = node.get("replied_on")
        due = node.get("due_on")
        for h in row["holders"]:
            if split_uid(str(h["node"]["uid"]))[0] != "Person":
                continue
            s = stats.setdefault(str(h["node"]["uid"]), {
                "person": h["node"], "unit": home(h, day), "total": 0, "on_time": 0,
                "late": 0, "overdue": 0, "pending": 0, "days": []})
            s["total"] += 1
            if replied and replied <= day:
                s["late" if due and replied > due else "on_time"] += 1
                if issued:
                    s["days"].append((dt.date.fromisoformat(replied)
                                      - dt.date.fromisoformat(issued)).days)
            elif node.get("status") in ("replied", "verified") and not replied:
                s["on_time"] += 1
            elif due and due < day:
                s["overdue"] += 1
            else:
                s["pending"] += 1
    out = [Timeliness(person=_ref(s["person"]), unit=_opt(s["unit"]), total=s["total"],
                      on_time=s["on_time"], late=s["late"], overdue=s["overdue"],
                      pending=s["pending"],
                      mean_days=round(sum(s["days"]) / len(s["days"]), 1) if s["days"] else None)
           for s in stats.values()]
    out.sort(key=lambda t: (-t.overdue, -t.late, t.person.uid))
    return out
