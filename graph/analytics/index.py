"""One linear pass over the NetworkX projection into plain dicts the checks read.

Every check of the analytics needs a handful of relationship types around units and people.
Walking the full graph (2M nodes at city scale) once and indexing exactly those keeps every
check linear and avoids repeated ``G.edges`` scans or subgraph copies.

**The one-hop rule.** Every field is a dict keyed by a node uid, and the entry of a node
depends only on that node, its relationships and the attributes of the nodes at their other
ends. So after a change, :meth:`GraphIndex.refresh` recomputes exactly the entries of the
nodes that could have changed (:mod:`graph.analytics.incremental`) and the result equals a
fresh :meth:`GraphIndex.build` (tested). A field added here must keep the rule; a value
that needs two hops is computed by the checks from one-hop entries.

As-of: posts and portfolios count when their tenure covers ``as_of``; issues, cases,
referrals, records, inspections and accountability decisions count when dated on or before
``as_of`` (undated ones always count). Statuses are taken as recorded.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("unit:A", label="Unit", id="A", name="甲", kind="party_committee", level=0)
>>> G.add_node("unit:B", label="Unit", id="B", name="乙", kind="street_town", level=1)
>>> G.add_edge("unit:B", "unit:A", key="SUBORDINATE_TO|", type="SUBORDINATE_TO")
'SUBORDINATE_TO|'
>>> ix = GraphIndex.build(G, "2024-01-01")
>>> ix.children["unit:A"], ix.parent["unit:B"], ix.caption("unit:B")
(['unit:B'], 'unit:A', '乙')
>>> G.nodes["unit:B"]["name"] = "丙"
>>> G.add_node("unit:C", label="Unit", id="C", name="丁", kind="street_town", level=1)
>>> G.add_edge("unit:C", "unit:A", key="SUBORDINATE_TO|", type="SUBORDINATE_TO")
'SUBORDINATE_TO|'
>>> ix.refresh({"unit:A", "unit:C"})
>>> ix.children["unit:A"], sorted(ix.units)
(['unit:B', 'unit:C'], ['unit:A', 'unit:B', 'unit:C'])
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

import networkx as nx

from graph.schema import SCHEMA

_CAPTION = {n.label: n.caption for n in SCHEMA.nodes}


#: Relationship types no rule reads.
_SKIP = frozenset({"FULFILS", "BREACHES", "LED_BY", "FOUND", "TARGETS", "DECIDED_BY",
                   "INVOLVES", "ORIGINATED_FROM", "CONDUCTED_BY"})
#: Node labels -> the field listing the nodes of that label (dated ones: on or before as_of).
_DATED = {"Issue": ("issues", ("found_on",)), "Case": ("cases", ("occurred_on", "opened_on")),
          "Referral": ("referrals", ("issued_on",)), "Record": ("records", ("on",))}


#: Node labels listed undated for the checks of assessments, risks and decisions -> field.
_LISTED = {"AssessmentResult": "assessment_results", "RiskPoint": "risk_points",
           "Decision": "decisions"}


def _dated(value: Any, as_of: str) -> bool:
    """Whether a date (or None) is on or before ``as_of``."""
    return value is None or value == "" or str(value) <= as_of


def _active(a: dict[str, Any], as_of: str) -> bool:
    start, end = a.get("start"), a.get("end")
    return (not start or start <= as_of) and (not end or as_of <= end)


def _least(table: dict[str, str], key: str, value: str) -> None:
    """Keep the least of several values: the same one whatever the order of the edges."""
    old = table.get(key)
    if old is None or value < old:
        table[key] = value


@dataclass
class Tenure:
    """A current post or portfolio: who, where, in which role/portfolio, since when."""

    person: str
    unit: str
    role: str | None
    start: str | None


def _list() -> defaultdict[str, list[Any]]:
    return defaultdict(list)


def _set() -> defaultdict[str, set[str]]:
    return defaultdict(set)


@dataclass
class GraphIndex:
    """The relationships the checks need, indexed by node, as of one date.

    Built by :meth:`build`; the graph itself is kept for captions and attributes. The node
    lists (``units``, ``issues`` ...) are dicts used as ordered sets: iterate them, test
    membership; their order is not part of the contract (nothing may depend on it).
    """

    G: nx.MultiDiGraph
    as_of: str
    units: dict[str, None] = field(default_factory=dict)
    persons: dict[str, None] = field(default_factory=dict)
    issues: dict[str, None] = field(default_factory=dict)
    cases: dict[str, None] = field(default_factory=dict)
    referrals: dict[str, None] = field(default_factory=dict)
    records: dict[str, None] = field(default_factory=dict)
    #: Unit -> its parent (the least, should a unit have several).
    parent: dict[str, str] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=_list)
    posts: dict[str, list[Tenure]] = field(default_factory=_list)
    person_posts: dict[str, list[Tenure]] = field(default_factory=_list)
    in_charge: dict[str, list[Tenure]] = field(default_factory=_list)
    portfolios: dict[str, list[Tenure]] = field(default_factory=_list)
    supervisors: dict[str, list[str]] = field(default_factory=_list)
    supervised: dict[str, list[str]] = field(default_factory=_list)
    holds: dict[str, list[str]] = field(default_factory=_list)
    holder_of: dict[str, list[str]] = field(default_factory=_list)
    cascades: dict[str, list[str]] = field(default_factory=_list)
    issue_unit: dict[str, str] = field(default_factory=dict)
    issue_owners: dict[str, list[str]] = field(default_factory=_list)
    #: Person -> issues assigned to them (any date).
    owned_issues: dict[str, list[str]] = field(default_factory=_list)
    issue_projects: dict[str, list[str]] = field(default_factory=_list)
    unit_issues: dict[str, list[str]] = field(default_factory=_list)
    coverage: dict[str, list[str]] = field(default_factory=_list)
    case_unit: dict[str, str] = field(default_factory=dict)
    unit_cases: dict[str, list[str]] = field(default_factory=_list)
    case_accountability: dict[str, list[str]] = field(default_factory=_list)
    referral_issuer: dict[str, str] = field(default_factory=dict)
    referral_to: dict[str, list[str]] = field(default_factory=_list)
    referral_issue: dict[str, str] = field(default_factory=dict)
    #: Unit -> referrals it issued; person -> referrals sent to them (any date).
    issued: dict[str, list[str]] = field(default_factory=_list)
    received: dict[str, list[str]] = field(default_factory=_list)
    #: Person -> every unit they served in up to as_of (ended posts too), for dated evidence.
    served_in: dict[str, set[str]] = field(default_factory=_set)
    #: Unit -> everyone who served in it up to as_of (the reverse of ``served_in``).
    served_by: dict[str, set[str]] = field(default_factory=_set)
    #: Unit -> the latest end date of a secretary's post that ended before as_of.
    last_secretary_end: dict[str, str] = field(default_factory=dict)
    record_by: dict[str, list[str]] = field(default_factory=_list)
    record_concerns: dict[str, list[str]] = field(default_factory=_list)
    #: Actor -> records BY them; target -> records CONCERNING them (any date: a record
    #: counts where it is in ``records``).
    records_by: dict[str, list[str]] = field(default_factory=_list)
    records_about: dict[str, list[str]] = field(default_factory=_list)
    #: Actor -> the date of their latest fulfilment record on or before as_of.
    last_fulfilment: dict[str, str] = field(default_factory=dict)
    #: Assessment results, risk points and decisions, every one whatever its date (their
    #: checks date them).
    assessment_results: dict[str, None] = field(default_factory=dict)
    risk_points: dict[str, None] = field(default_factory=dict)
    decisions: dict[str, None] = field(default_factory=dict)

    # -- lookups ---------------------------------------------------------------------
    def attrs(self, uid: str) -> dict[str, Any]:
        return self.G.nodes[uid]

    def caption(self, uid: str) -> str:
        """The node's name or title, else its id."""
        a = self.G.nodes[uid]
        value = a.get(_CAPTION.get(a.get("label", ""), "name"))
        return str(value) if value not in (None, "") else str(a.get("id", uid))

    def kind(self, unit: str) -> str:
        return str(self.G.nodes[unit].get("kind") or "other")

    def secretaries(self, unit: str) -> list[str]:
        return sorted({t.person for t in self.posts.get(unit, ()) if t.role == "secretary"})

    def team(self, unit: str, roles: Iterable[str]) -> list[str]:
        wanted = set(roles)
        return sorted({t.person for t in self.posts.get(unit, ()) if t.role in wanted})

    def home_unit(self, person: str) -> str | None:
        """The unit a person serves in (their first current post), for scoring."""
        posts = self.person_posts.get(person)
        if posts:
            return min(posts, key=lambda t: (t.role != "secretary", t.unit)).unit
        charge = self.portfolios.get(person)
        return min(t.unit for t in charge) if charge else None

    def descendants(self, unit: str) -> list[str]:
        """Every unit below ``unit`` (iterative, cycles tolerated)."""
        out: list[str] = []
        seen = {unit}
        stack = list(self.children.get(unit, ()))
        while stack:
            u = stack.pop()
            if u in seen:
                continue
            seen.add(u)
            out.append(u)
            stack.extend(self.children.get(u, ()))
        return out

    def subtree_sizes(self) -> dict[str, int]:
        """Number of units strictly below each unit, for every unit, in linear time."""
        size = dict.fromkeys(self.units, 0)
        for u in self.postorder():
            p = self.parent.get(u)
            if p is not None and p in size:
                size[p] += size[u] + 1
        return size

    def postorder(self) -> list[str]:
        """Units children-first (roots last); units on a cycle are appended at the end."""
        order: list[str] = []
        seen: set[str] = set()
        roots = sorted(u for u in self.units if u not in self.parent)
        for root in roots:
            stack: list[tuple[str, bool]] = [(root, False)]
            while stack:
                u, done = stack.pop()
                if done:
                    order.append(u)
                    continue
                if u in seen:
                    continue
                seen.add(u)
                stack.append((u, True))
                stack.extend((c, False) for c in self.children.get(u, ()) if c not in seen)
        order.extend(sorted(u for u in self.units if u not in seen))
        return order

    # -- indexing --------------------------------------------------------------------
    def _add_node(self, uid: str, a: dict[str, Any]) -> None:
        label = a.get("label")
        if label == "Unit":
            self.units[uid] = None
        elif label == "Person":
            self.persons[uid] = None
        elif label in _DATED:
            name, props = _DATED[label]
            day = None
            for p in props:
                day = a.get(p)
                if day:
                    break
            if _dated(day, self.as_of):
                getattr(self, name)[uid] = None
        elif label in _LISTED:
            getattr(self, _LISTED[label])[uid] = None

    def _add_edge(self, t: str | None, s: str, d: str, a: dict[str, Any]) -> None:
        """Index one relationship (the frequent types are inlined in :meth:`build`)."""
        if t == "BY":
            self.record_by[s].append(d)
            self.records_by[d].append(s)
            self._fulfilment(s, d)
        elif t == "CONCERNS":
            self.record_concerns[s].append(d)
            self.records_about[d].append(s)
        elif t in _SKIP:
            return
        elif t == "HOLDS":
            self.holds[s].append(d)
            self.holder_of[d].append(s)
        elif t == "CASCADES_TO":
            self.cascades[s].append(d)
        else:
            self._add_rare(t, s, d, a)

    def _fulfilment(self, record: str, actor: str) -> None:
        r = self.G.nodes[record]
        if r.get("kind") == "fulfilment":
            day = r.get("on")
            if day and str(day) <= self.as_of and str(day) > self.last_fulfilment.get(actor, ""):
                self.last_fulfilment[actor] = str(day)

    def _add_rare(self, t: str | None, s: str, d: str, a: dict[str, Any]) -> None:
        """Index one relationship of the less frequent types."""
        as_of, nodes = self.as_of, self.G.nodes
        if t == "SUBORDINATE_TO":
            _least(self.parent, s, d)
            self.children[d].append(s)
        elif t == "SERVES_IN":
            if not a.get("start") or a["start"] <= as_of:
                self.served_in[s].add(d)
                self.served_by[d].add(s)
            if _active(a, as_of):
                ten = Tenure(s, d, a.get("role"), a.get("start"))
                self.posts[d].append(ten)
                self.person_posts[s].append(ten)
            elif a.get("role") == "secretary" and a.get("end") and a["end"] < as_of:
                self.last_secretary_end[d] = max(a["end"], self.last_secretary_end.get(d, ""))
        elif t == "IN_CHARGE_OF":
            if _active(a, as_of):
                ten = Tenure(s, d, a.get("portfolio"), a.get("start"))
                self.in_charge[d].append(ten)
                self.portfolios[s].append(ten)
        elif t == "SUPERVISES":
            self.supervisors[d].append(s)
            self.supervised[s].append(d)
        elif t == "FOUND_IN":
            _least(self.issue_unit, s, d)
            if _dated(nodes[s].get("found_on"), as_of):
                self.unit_issues[d].append(s)
        elif t == "ASSIGNED_TO":
            self.issue_owners[s].append(d)
            self.owned_issues[d].append(s)
        elif t == "ADDRESSES":
            self.issue_projects[d].append(s)
        elif t == "COVERS":
            if _dated(nodes[s].get("started_on"), as_of):
                self.coverage[d].append(s)
        elif t == "OCCURRED_IN":
            _least(self.case_unit, s, d)
            c = nodes[s]
            if _dated(c.get("occurred_on") or c.get("opened_on"), as_of):
                self.unit_cases[d].append(s)
        elif t == "FOR_CASE":
            if _dated(nodes[s].get("decided_on"), as_of):
                self.case_accountability[d].append(s)
        elif t == "ISSUED_BY":
            _least(self.referral_issuer, s, d)
            self.issued[d].append(s)
        elif t == "SENT_TO":
            self.referral_to[s].append(d)
            self.received[d].append(s)
        elif t == "ABOUT":
            _least(self.referral_issue, s, d)

    def _finish(self, keys: Iterable[str] | None = None) -> None:
        children = self.children
        for k in children if keys is None else keys:
            if k in children:
                children[k].sort()

    # -- construction ----------------------------------------------------------------
    @classmethod
    def build(cls, G: nx.MultiDiGraph, as_of: str) -> GraphIndex:
        """Index ``G`` as of ``as_of`` (ISO date) in one pass over nodes and edges."""
        ix = cls(G=G, as_of=as_of)
        # NetworkX's public views, iterated once each: ``nodes(data=True)`` yields the
        # attribute dicts themselves, ``edges(data=True)`` one tuple per edge (walking
        # ``G.adj`` instead would build a view object per node and per neighbour).
        units, persons = ix.units, ix.persons
        for uid, a in G.nodes(data=True):
            label = a.get("label")
            if label == "Unit":
                units[uid] = None
            elif label == "Person":
                persons[uid] = None
            elif label in _DATED or label in _LISTED:
                ix._add_node(uid, a)
        # The most frequent types inlined (records dominate), the same as _add_edge.
        by, concerns, rby, rabout = (ix.record_by, ix.record_concerns, ix.records_by,
                                     ix.records_about)
        holds, holder_of, cascades = ix.holds, ix.holder_of, ix.cascades
        last, nodes = ix.last_fulfilment, G.nodes
        for s, d, a in G.edges(data=True):
            t = a.get("type")
            if t == "BY":
                by[s].append(d)
                rby[d].append(s)
                r = nodes[s]
                if r.get("kind") == "fulfilment":
                    day = r.get("on")
                    if day and str(day) <= as_of and str(day) > last.get(d, ""):
                        last[d] = str(day)
            elif t == "CONCERNS":
                concerns[s].append(d)
                rabout[d].append(s)
            elif t in _SKIP:
                continue
            elif t == "HOLDS":
                holds[s].append(d)
                holder_of[d].append(s)
            elif t == "CASCADES_TO":
                cascades[s].append(d)
            else:
                ix._add_rare(t, s, d, a)
        ix._finish()
        return ix

    def refresh(self, keys: Iterable[str]) -> None:
        """Recompute the entries of ``keys`` from the graph as it is now (the one-hop rule:
        pass every node whose attributes or relationships changed, and the neighbours of
        those whose attributes changed). Entries of other nodes are left as they are."""
        keys = set(keys)
        G = self.G
        scratch = type(self)(G=G, as_of=self.as_of)
        seen: set[tuple[str, str, Any]] = set()
        for k in keys:
            if k not in G:
                continue
            scratch._add_node(k, G.nodes[k])
            for s, d, key, a in (*G.out_edges(k, keys=True, data=True),
                                 *G.in_edges(k, keys=True, data=True)):
                if (s, d, key) in seen:
                    continue
                seen.add((s, d, key))
                scratch._add_edge(a.get("type"), s, d, a)
        scratch._finish(keys)
        for f in index_fields():
            mine, theirs = getattr(self, f), getattr(scratch, f)
            for k in keys:
                mine.pop(k, None)
                if k in theirs:
                    mine[k] = theirs[k]


def index_fields() -> list[str]:
    """The names of the fields keyed by node (every field but ``G`` and ``as_of``)."""
    return [f.name for f in fields(GraphIndex) if f.name not in ("G", "as_of")]
