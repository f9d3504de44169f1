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

Both backends only *collect facts* (:class:`_Fact`); classification, ordering, totals and
paging happen once, in Python, so the two stores give identical results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from graph.errors import InvalidArgument
from graph.queries.common import active, as_of_or_today, embedded, labelled, neo4j, resolve
from graph.queries.models import NodeRef
from graph.queries.subtree import subtree_uids
from graph.schema import SCHEMA, split_uid
from graph.store.base import GraphStore, NodeRecord

#: Kind code → (中文, English). The order is the tie-break order of items.
LOOP_KINDS: dict[str, tuple[str, str]] = {
    "referral_overdue": ("抄告逾期未回告", "referral overdue, no reply"),
    "issue_no_owner": ("问题无领衔人", "issue without owner"),
    "issue_no_project": ("问题无整改项目", "issue without project"),
    "project_overdue": ("项目逾期未完成", "project past deadline"),
}
_KIND_ORDER = {k: i for i, k in enumerate(LOOP_KINDS)}
_SETTLED_ISSUE = ("closed", "rectified")
MAX_LIMIT = 10_000


class OpenLoop(BaseModel):
    """One open loop: what, where, who must act, and how late it is."""

    kind: str
    kind_zh: str
    kind_en: str
    node: NodeRef
    #: The unit the item belongs to (see the module docstring), if any.
    unit: NodeRef | None
    #: Who must close it: the referral's recipient, the project's leader, the issue's owner.
    holder: NodeRef | None
    due_on: str | None
    #: Days between ``due_on`` and ``as_of``; 0 when not dated or not yet due.
    days_overdue: int
    status: str | None


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


@dataclass(frozen=True)
class _Tenure:
    unit: NodeRecord
    start: str | None
    end: str | None


@dataclass
class _Fact:
    """What a backend knows about one candidate item, before classification."""

    kind: str
    node: NodeRecord
    due_on: str | None
    status: str | None
    units: list[NodeRecord] = field(default_factory=list)
    holders: list[NodeRecord] = field(default_factory=list)
    #: Referrals only: the recipients' posts, the fallback for the unit.
    tenures: list[_Tenure] = field(default_factory=list)


def open_loops(
    store: GraphStore,
    *,
    unit: str | None = None,
    as_of: str | dt.date | None = None,
    kinds: Iterable[str] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> OpenLoops:
    """Open loops as of a date, optionally within a unit's subtree, most overdue first.

    Parameters
    ----------
    store
        Either backend.
    unit
        A unit (uid ``unit:MH`` or bare id ``MH``); only items belonging to it or a unit
        below it are returned. ``None``: the whole graph.
    as_of
        The date loops are judged at (ISO); default today.
    kinds
        Subset of :data:`LOOP_KINDS` codes; default all four.
    limit, offset
        The page (``limit`` 1..10000, ``offset`` ≥ 0); totals count every page.

    Raises
    ------
    NotFound
        ``unit`` names no unit.
    InvalidArgument
        A bad date, kind, limit or offset.
    """
    day = as_of_or_today(as_of)
    wanted = _kinds(kinds)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidArgument("limit", f"must be between 1 and {MAX_LIMIT}")
    if offset < 0:
        raise InvalidArgument("offset", "must not be negative")
    root = resolve(store, unit, ("Unit",)) if unit else None
    allowed = subtree_uids(store, root.uid) if root else None

    db = neo4j(store)
    if db is not None:
        # The unit filter goes into Cypher too, as a superset (any candidate unit in the
        # subtree), so only the subtree's candidates travel; the exact rule runs below.
        facts = _facts_neo4j(db, day, wanted, None if allowed is None else sorted(allowed))
    else:
        facts = _facts_embedded(store, day, wanted)
    items = []
    for fact in facts:
        item = _item(fact, day)
        if allowed is not None and (item.unit is None or item.unit.uid not in allowed):
            continue
        items.append(item)
    items.sort(key=lambda i: (-i.days_overdue, i.node.uid, _KIND_ORDER[i.kind]))
    totals = {k: 0 for k in wanted}
    for i in items:
        totals[i.kind] += 1
    return OpenLoops(
        as_of=day,
        unit=NodeRef.of(root) if root else None,
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
        raise InvalidArgument(
            "kinds", f"unknown {sorted(unknown)}; expected some of {list(LOOP_KINDS)}"
        )
    return tuple(k for k in LOOP_KINDS if k in given)


def _days(due_on: str | None, as_of: str) -> int:
    if not due_on or due_on >= as_of:
        return 0
    return (dt.date.fromisoformat(as_of) - dt.date.fromisoformat(due_on)).days


def _first(nodes: Sequence[NodeRecord]) -> NodeRef | None:
    return NodeRef.of(min(nodes, key=lambda n: n.uid)) if nodes else None


def _item(fact: _Fact, as_of: str) -> OpenLoop:
    unit = _first(fact.units)
    if unit is None and fact.tenures:
        current = [t.unit for t in fact.tenures if active({"start": t.start, "end": t.end}, as_of)]
        unit = _first(current or [t.unit for t in fact.tenures])
    zh, en = LOOP_KINDS[fact.kind]
    return OpenLoop(
        kind=fact.kind,
        kind_zh=zh,
        kind_en=en,
        node=NodeRef.of(fact.node),
        unit=unit,
        holder=_first(fact.holders),
        due_on=fact.due_on,
        days_overdue=_days(fact.due_on, as_of),
        status=fact.status,
    )


# -- the rules, shared by both backends ---------------------------------------------------
def _referral_open(p: Mapping[str, Any], as_of: str) -> bool:
    due, replied, issued = p.get("due_on"), p.get("replied_on"), p.get("issued_on")
    return (
        due is not None and due < as_of
        and (not replied or replied > as_of)
        and (not issued or issued <= as_of)
    )


def _issue_open(p: Mapping[str, Any], as_of: str) -> bool:
    found = p.get("found_on")
    return p.get("status") not in _SETTLED_ISSUE and (not found or found <= as_of)


def _project_open(p: Mapping[str, Any], as_of: str) -> bool:
    deadline, completed = p.get("deadline"), p.get("completed_on")
    if not deadline or deadline >= as_of:
        return False
    done = (completed and completed <= as_of) or (p.get("status") == "done" and not completed)
    return not done


# -- embedded -----------------------------------------------------------------------------
def _facts_embedded(store: GraphStore, as_of: str, kinds: tuple[str, ...]) -> list[_Fact]:
    es = embedded(store)
    g = es.graph

    def rec(uid: str) -> NodeRecord:
        a = g.nodes[uid]
        props = {k: v for k, v in a.items() if k not in ("label", "id")}
        return NodeRecord(a["label"], a["id"], props)

    # Adjacency dicts directly: the edge views cost more than the work at this size.
    def out(uid: str, rel: str) -> list[tuple[str, dict[str, Any]]]:
        return [(v, a) for v, keyed in g.succ[uid].items() for a in keyed.values()
                if a["type"] == rel]

    def inc(uid: str, rel: str) -> list[str]:
        return [u for u, keyed in g.pred[uid].items() for a in keyed.values()
                if a["type"] == rel]

    def issue_units(issue: str) -> list[NodeRecord]:
        return [rec(u) for u, _ in out(issue, "FOUND_IN")]

    facts: list[_Fact] = []
    if "referral_overdue" in kinds:
        for uid in labelled(es, "Referral"):
            a = g.nodes[uid]
            if not _referral_open(a, as_of):
                continue
            units = [u for issue, _ in out(uid, "ABOUT") for u in issue_units(issue)]
            people = [p for p, _ in out(uid, "SENT_TO")]
            tenures = [
                _Tenure(rec(u), e.get("start"), e.get("end"))
                for p in people for u, e in out(p, "SERVES_IN")
            ]
            facts.append(_Fact("referral_overdue", rec(uid), a.get("due_on"), a.get("status"),
                               units, [rec(p) for p in people], tenures))
    if "issue_no_owner" in kinds or "issue_no_project" in kinds:
        for uid in labelled(es, "Issue"):
            a = g.nodes[uid]
            if not _issue_open(a, as_of):
                continue
            owners = [p for p, _ in out(uid, "ASSIGNED_TO")]
            no_owner = "issue_no_owner" in kinds and not owners
            no_project = "issue_no_project" in kinds and not inc(uid, "ADDRESSES")
            for kind, flag in (("issue_no_owner", no_owner), ("issue_no_project", no_project)):
                if flag:
                    facts.append(_Fact(kind, rec(uid), a.get("deadline"), a.get("status"),
                                       issue_units(uid), [rec(p) for p in owners]))
    if "project_overdue" in kinds:
        for uid in labelled(es, "Project"):
            a = g.nodes[uid]
            if not _project_open(a, as_of):
                continue
            units = [u for issue, _ in out(uid, "ADDRESSES") for u in issue_units(issue)]
            leaders = [rec(p) for p, _ in out(uid, "LED_BY")]
            facts.append(_Fact("project_overdue", rec(uid), a.get("deadline"), a.get("status"),
                               units, leaders))
    return facts


# -- Neo4j --------------------------------------------------------------------------------
# Each query selects candidates by the rule (range indexes on the dates serve the first and
# the last), keeps those with a unit in ``$units`` when given, and returns only what the
# items show: [uid, name] pairs for units and people, a few properties for the node. The
# rule is applied again in Python (_referral_open etc.), the one shared definition.
_REFERRALS = """
MATCH (r:Referral)
WHERE r.due_on < $as_of AND (r.replied_on IS NULL OR r.replied_on > $as_of)
  AND (r.issued_on IS NULL OR r.issued_on <= $as_of)
WITH r,
     COLLECT { MATCH (r)-[:ABOUT]->(:Issue)-[:FOUND_IN]->(u:Unit) RETURN [u.uid, u.name] }
       AS units,
     COLLECT { MATCH (r)-[:SENT_TO]->(:Person)-[s:SERVES_IN]->(u:Unit)
               RETURN [u.uid, u.name, s.start, s.end] } AS tenures
WHERE $units IS NULL OR any(x IN units + tenures WHERE x[0] IN $units)
RETURN r {.uid, .title, .due_on, .replied_on, .issued_on, .status} AS node, units, tenures,
       COLLECT { MATCH (r)-[:SENT_TO]->(p:Person) RETURN [p.uid, p.name] } AS holders
"""
_ISSUES_ALL = """
MATCH (i:Issue)
"""
# With a unit subtree, the candidates are the issues found in its units (from the uid
# constraint outwards), not every issue: at city scale a district is a fourteenth of them.
_ISSUES_IN = """
UNWIND $units AS uu
MATCH (:Entity {uid: uu})<-[:FOUND_IN]-(i:Issue)
WITH DISTINCT i
"""
_ISSUES = """
WHERE (i.status IS NULL OR NOT i.status IN $settled)
  AND (i.found_on IS NULL OR i.found_on <= $as_of)
WITH i, COLLECT { MATCH (i)-[:ASSIGNED_TO]->(p:Person) RETURN [p.uid, p.name] } AS holders,
     EXISTS { (:Project)-[:ADDRESSES]->(i) } AS projected
WHERE size(holders) = 0 OR NOT projected
WITH i, holders, projected,
     COLLECT { MATCH (i)-[:FOUND_IN]->(u:Unit) RETURN [u.uid, u.name] } AS units
WHERE $units IS NULL OR any(x IN units WHERE x[0] IN $units)
RETURN i {.uid, .title, .deadline, .status, .found_on} AS node, holders, projected, units
"""
_PROJECTS_ALL = """
MATCH (p:Project)
"""
_PROJECTS_IN = """
UNWIND $units AS uu
MATCH (:Entity {uid: uu})<-[:FOUND_IN]-(:Issue)<-[:ADDRESSES]-(p:Project)
WITH DISTINCT p
"""
_PROJECTS = """
WHERE p.deadline < $as_of
  AND NOT ((p.completed_on IS NOT NULL AND p.completed_on <= $as_of)
           OR (p.status = $done AND p.completed_on IS NULL))
WITH p, COLLECT { MATCH (p)-[:ADDRESSES]->(:Issue)-[:FOUND_IN]->(u:Unit) RETURN [u.uid, u.name] }
          AS units
WHERE $units IS NULL OR any(x IN units WHERE x[0] IN $units)
RETURN p {.uid, .title, .deadline, .status, .completed_on} AS node, units,
       COLLECT { MATCH (p)-[:LED_BY]->(l:Person) RETURN [l.uid, l.name] } AS holders
"""


def _record(props: Mapping[str, Any]) -> NodeRecord:
    label, node_id = split_uid(str(props["uid"]))
    names = SCHEMA.node(label).prop_names
    return NodeRecord(label, node_id, {k: v for k, v in props.items() if k in names})


def _named(pair: Sequence[Any]) -> NodeRecord:
    """A unit or person from its ``[uid, name]`` pair."""
    label, node_id = split_uid(str(pair[0]))
    return NodeRecord(label, node_id, {"name": pair[1]})


def _facts_neo4j(
    db: Any, as_of: str, kinds: tuple[str, ...], units: list[str] | None
) -> list[_Fact]:
    facts: list[_Fact] = []
    base = {"as_of": as_of, "units": units}
    if "referral_overdue" in kinds:
        for row in db.read_plain(_REFERRALS, base):
            node = _record(row["node"])
            if not _referral_open(node.props, as_of):
                continue
            tenures = [_Tenure(_named(t), t[2], t[3]) for t in row["tenures"]]
            facts.append(_Fact("referral_overdue", node, node.props.get("due_on"),
                               node.props.get("status"), [_named(u) for u in row["units"]],
                               [_named(h) for h in row["holders"]], tenures))
    if "issue_no_owner" in kinds or "issue_no_project" in kinds:
        head = _ISSUES_ALL if units is None else _ISSUES_IN
        for row in db.read_plain(head + _ISSUES, {**base, "settled": list(_SETTLED_ISSUE)}):
            node = _record(row["node"])
            holders = [_named(h) for h in row["holders"]]
            found_in = [_named(u) for u in row["units"]]
            flags = (("issue_no_owner", not holders), ("issue_no_project", not row["projected"]))
            for kind, flag in flags:
                if flag and kind in kinds:
                    facts.append(_Fact(kind, node, node.props.get("deadline"),
                                       node.props.get("status"), found_in, holders))
    if "project_overdue" in kinds:
        head = _PROJECTS_ALL if units is None else _PROJECTS_IN
        for row in db.read_plain(head + _PROJECTS, {**base, "done": "done"}):
            node = _record(row["node"])
            if not _project_open(node.props, as_of):
                continue
            facts.append(_Fact("project_overdue", node, node.props.get("deadline"),
                               node.props.get("status"), [_named(u) for u in row["units"]],
                               [_named(h) for h in row["holders"]]))
    return facts
