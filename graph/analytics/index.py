"""One linear pass over the NetworkX projection into plain dicts the checks read.

Every check of the analytics needs a handful of relationship types around units and people.
Walking the full graph (2M nodes at city scale) once and indexing exactly those keeps every
check linear and avoids repeated ``G.edges`` scans or subgraph copies.

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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.schema import SCHEMA

_CAPTION = {n.label: n.caption for n in SCHEMA.nodes}


#: Relationship types no rule reads.
_SKIP = frozenset({"FULFILS", "BREACHES", "LED_BY", "FOUND", "TARGETS", "DECIDED_BY",
                   "INVOLVES", "ORIGINATED_FROM", "CONDUCTED_BY"})


#: Kinds :attr:`GraphIndex.others` lists for the checks of assessments, risks and decisions.
_LISTED = frozenset({"AssessmentResult", "RiskPoint", "Decision"})


def _dated(value: Any, as_of: str) -> bool:
    """Whether a date (or None) is on or before ``as_of``."""
    return value is None or value == "" or str(value) <= as_of


def _active(a: dict[str, Any], as_of: str) -> bool:
    start, end = a.get("start"), a.get("end")
    return (not start or start <= as_of) and (not end or as_of <= end)


@dataclass
class Tenure:
    """A current post or portfolio: who, where, in which role/portfolio, since when."""

    person: str
    unit: str
    role: str | None
    start: str | None


@dataclass
class GraphIndex:
    """The relationships the checks need, indexed by node, as of one date.

    Built by :meth:`build`; the graph itself is kept for captions and attributes.
    """

    G: nx.MultiDiGraph
    as_of: str
    units: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    parent: dict[str, str] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    posts: dict[str, list[Tenure]] = field(default_factory=lambda: defaultdict(list))
    person_posts: dict[str, list[Tenure]] = field(default_factory=lambda: defaultdict(list))
    in_charge: dict[str, list[Tenure]] = field(default_factory=lambda: defaultdict(list))
    portfolios: dict[str, list[Tenure]] = field(default_factory=lambda: defaultdict(list))
    supervisors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    supervised: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    holds: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    holder_of: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    cascades: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    issues: list[str] = field(default_factory=list)
    issue_unit: dict[str, str] = field(default_factory=dict)
    issue_owners: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    issue_projects: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unit_issues: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    coverage: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    cases: list[str] = field(default_factory=list)
    case_unit: dict[str, str] = field(default_factory=dict)
    unit_cases: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    case_accountability: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    referrals: list[str] = field(default_factory=list)
    referral_issuer: dict[str, str] = field(default_factory=dict)
    referral_to: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    referral_issue: dict[str, str] = field(default_factory=dict)
    records: list[str] = field(default_factory=list)
    #: Person -> every unit they served in up to as_of (ended posts too), for dated evidence.
    served_in: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: Unit -> the latest end date of a secretary's post that ended before as_of.
    last_secretary_end: dict[str, str] = field(default_factory=dict)
    #: Uids of the kinds no index above lists (assessment results, risk points,
    #: decisions, ...) by label, every one whatever its date: their checks date them.
    others: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    record_by: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    record_concerns: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

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
        size = {u: 0 for u in self.units}
        for u in self.postorder():
            p = self.parent.get(u)
            if p is not None and p in size:
                size[p] += size[u] + 1
        return size

    def postorder(self) -> list[str]:
        """Units children-first (roots last); units on a cycle are appended at the end."""
        order: list[str] = []
        seen: set[str] = set()
        roots = [u for u in self.units if u not in self.parent]
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
        order.extend(u for u in self.units if u not in seen)
        return order

    def _add_rare(self, t: str | None, s: str, d: str, a: dict[str, Any]) -> None:
        """Index one relationship of the less frequent types."""
        as_of, nodes = self.as_of, self.G.nodes
        if t == "SUBORDINATE_TO":
            self.parent[s] = d
            self.children[d].append(s)
        elif t == "SERVES_IN":
            if not a.get("start") or a["start"] <= as_of:
                self.served_in[s].add(d)
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
            self.issue_unit[s] = d
            if _dated(nodes[s].get("found_on"), as_of):
                self.unit_issues[d].append(s)
        elif t == "ASSIGNED_TO":
            self.issue_owners[s].append(d)
        elif t == "ADDRESSES":
            self.issue_projects[d].append(s)
        elif t == "COVERS":
            if _dated(nodes[s].get("started_on"), as_of):
                self.coverage[d].append(s)
        elif t == "OCCURRED_IN":
            self.case_unit[s] = d
            c = nodes[s]
            if _dated(c.get("occurred_on") or c.get("opened_on"), as_of):
                self.unit_cases[d].append(s)
        elif t == "FOR_CASE":
            if _dated(nodes[s].get("decided_on"), as_of):
                self.case_accountability[d].append(s)
        elif t == "ISSUED_BY":
            self.referral_issuer[s] = d
        elif t == "SENT_TO":
            self.referral_to[s].append(d)
        elif t == "ABOUT":
            self.referral_issue[s] = d

    # -- construction ----------------------------------------------------------------
    @classmethod
    def build(cls, G: nx.MultiDiGraph, as_of: str) -> GraphIndex:
        """Index ``G`` as of ``as_of`` (ISO date) in one pass over nodes and edges."""
        ix = cls(G=G, as_of=as_of)
        # NetworkX's public views, iterated once each: ``nodes(data=True)`` yields the
        # attribute dicts themselves, ``edges(data=True)`` one tuple per edge (walking
        # ``G.adj`` instead would build a view object per node and per neighbour).
        for uid, a in G.nodes(data=True):
            label = a.get("label")
            if label == "Unit":
                ix.units.append(uid)
            elif label == "Person":
                ix.persons.append(uid)
            elif label == "Issue":
                if _dated(a.get("found_on"), as_of):
                    ix.issues.append(uid)
            elif label == "Case":
                if _dated(a.get("occurred_on") or a.get("opened_on"), as_of):
                    ix.cases.append(uid)
            elif label == "Referral":
                if _dated(a.get("issued_on"), as_of):
                    ix.referrals.append(uid)
            elif label == "Record":
                if _dated(a.get("on"), as_of):
                    ix.records.append(uid)
            elif label in _LISTED:
                ix.others[label].append(uid)
        # Most frequent types first (records dominate); types no rule reads are skipped.
        by, concerns, holds, holder_of, cascades = (ix.record_by, ix.record_concerns, ix.holds,
                                                    ix.holder_of, ix.cascades)
        for s, d, a in G.edges(data=True):
            t = a.get("type")
            if t == "BY":
                by[s].append(d)
            elif t == "CONCERNS":
                concerns[s].append(d)
            elif t in _SKIP:
                continue
            elif t == "HOLDS":
                holds[s].append(d)
                holder_of[d].append(s)
            elif t == "CASCADES_TO":
                cascades[s].append(d)
            else:
                ix._add_rare(t, s, d, a)
        for lst in ix.children.values():
            lst.sort()
        return ix
