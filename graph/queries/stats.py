"""Accountability statistics (问责统计) for a unit's subtree, with year-on-year change.

Which decisions count for a subtree (:data:`MEMBERSHIP_RULE`), first rule that applies:

1. the decision is ``FOR_CASE`` a case that ``OCCURRED_IN`` some unit: it counts when one
   of those units is in the subtree;
2. otherwise, when it ``TARGETS`` a unit or a person with posts: it counts when a targeted
   unit is in the subtree, or a targeted person ``SERVES_IN`` a unit of it (posts held on
   ``decided_on``; a person with no post on that date: any post they held);
3. otherwise it counts when it was ``DECIDED_BY`` a unit of the subtree.

Without a unit every decision counts. One Accountability node is one decision about one
target (人次, person-times), the unit of the source article's "31 in 2017".

The backends only collect facts per decision; the rule and the counting run once, in
Python, so both stores give identical results.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from graph.errors import InvalidArgument
from graph.queries.common import active, embedded, labelled, neo4j, resolve
from graph.queries.models import NodeRef
from graph.queries.subtree import subtree_uids
from graph.schema import SCHEMA
from graph.store.base import GraphStore

MEMBERSHIP_RULE = (
    "case OCCURRED_IN a unit of the subtree; else a TARGETS unit in it, or a TARGETS person "
    "SERVES_IN it on decided_on (else any post); else DECIDED_BY a unit of it / "
    "案件发生单位在范围内；无案件的，问责对象单位或其任职单位在范围内；否则以决定单位为准"
)
_FORM_LABELS = {1: ("第一种形态", "form 1"), 2: ("第二种形态", "form 2"),
                3: ("第三种形态", "form 3"), 4: ("第四种形态", "form 4")}
_UNKNOWN = ("unknown", "未标明", "not given")


class Bucket(BaseModel):
    """A count under one value of a dimension (code plus its Chinese and English label)."""

    code: str
    zh: str
    en: str
    count: int


class YearCount(BaseModel):
    """Decisions in one year and the change on the year before.

    ``change``/``change_pct`` are ``None`` for the first year with data (nothing to compare
    with); ``change_pct`` is also ``None`` when the year before had no decision.
    """

    year: int
    count: int
    change: int | None
    change_pct: float | None


class YearBucket(BaseModel):
    """A count for one (year, value) pair of a cross table."""

    year: int
    code: str
    count: int


class AccountabilityStats(BaseModel):
    unit: NodeRef | None
    rule: str
    total: int
    by_year: list[YearCount]
    by_category: list[Bucket]
    by_measure: list[Bucket]
    by_form: list[Bucket]
    #: ``person`` or ``unit`` (who was held accountable), ``unknown`` without a target.
    by_target: list[Bucket]
    by_year_category: list[YearBucket]
    by_year_measure: list[YearBucket]
    by_year_form: list[YearBucket]


@dataclass(frozen=True)
class _Decision:
    props: Mapping[str, Any]
    case_units: frozenset[str]
    target_units: frozenset[str]
    #: (unit uid, start, end) of every post of every targeted person.
    tenures: tuple[tuple[str, str | None, str | None], ...]
    deciders: frozenset[str]
    target_kinds: frozenset[str]

    def units(self) -> frozenset[str]:
        """The units this decision belongs to, after :data:`MEMBERSHIP_RULE`."""
        if self.case_units:
            return self.case_units
        day = self.props.get("decided_on")
        current = {u for u, s, e in self.tenures if day and active({"start": s, "end": e}, day)}
        people = current or {u for u, _, _ in self.tenures}
        if self.target_units or people:
            return self.target_units | people
        return self.deciders


def accountability_stats(
    store: GraphStore, *, unit: str | None = None, years: Iterable[int] | None = None
) -> AccountabilityStats:
    """Counts of accountability decisions by year, category, measure, form and target.

    Parameters
    ----------
    store
        Either backend.
    unit
        A unit (uid or bare id); decisions of its subtree after :data:`MEMBERSHIP_RULE`.
    years
        Only these years of ``decided_on`` (every breakdown is restricted to them); the
        year-on-year change of the first of them still compares with the year before.

    Raises
    ------
    NotFound
        ``unit`` names no unit.
    InvalidArgument
        A year outside 1949..2100.
    """
    wanted = None if years is None else sorted(set(years))
    if wanted is not None and any(not 1949 <= y <= 2100 for y in wanted):
        raise InvalidArgument("years", "years must be between 1949 and 2100")
    root = resolve(store, unit, ("Unit",)) if unit else None
    allowed = subtree_uids(store, root.uid) if root else None
    db = neo4j(store)
    if db is not None:
        decisions = _decisions_neo4j(db, None if allowed is None else sorted(allowed))
    else:
        decisions = _decisions_embedded(store)
    if allowed is not None:
        decisions = [d for d in decisions if d.units() & allowed]

    per_year = Counter(y for d in decisions if (y := _year(d)) is not None)
    chosen = [d for d in decisions if wanted is None or _year(d) in wanted]
    return AccountabilityStats(
        unit=NodeRef.of(root) if root else None,
        rule=MEMBERSHIP_RULE,
        total=len(chosen),
        by_year=_by_year(per_year, wanted),
        by_category=_buckets(chosen, "category", "accountability_category"),
        by_measure=_buckets(chosen, "measure", "accountability_measure"),
        by_form=_form_buckets(chosen),
        by_target=_target_buckets(chosen),
        by_year_category=_cross(chosen, lambda d: d.props.get("category")),
        by_year_measure=_cross(chosen, lambda d: d.props.get("measure")),
        by_year_form=_cross(chosen, lambda d: d.props.get("form")),
    )


def _year(d: _Decision) -> int | None:
    day = d.props.get("decided_on")
    return int(day[:4]) if day else None


def _by_year(per_year: Counter[int], wanted: list[int] | None) -> list[YearCount]:
    if not per_year and wanted is None:
        return []
    first = min(per_year) if per_year else None
    shown = wanted if wanted is not None else list(range(min(per_year), max(per_year) + 1))
    out = []
    for year in shown:
        count = per_year.get(year, 0)
        if first is None or year <= first:
            change, pct = None, None
        else:
            prev = per_year.get(year - 1, 0)
            change = count - prev
            pct = round(change / prev * 100, 1) if prev else None
        out.append(YearCount(year=year, count=count, change=change, change_pct=pct))
    return out


def _buckets(decisions: list[_Decision], prop: str, enum: str) -> list[Bucket]:
    counts = Counter(d.props.get(prop) for d in decisions)
    out = []
    for v in SCHEMA.enum(enum).values:  # schema order: the order people expect
        if counts.get(v.code):
            out.append(Bucket(code=v.code, zh=v.zh, en=v.en, count=counts[v.code]))
    known = set(SCHEMA.enum(enum).codes)
    other = sum(n for code, n in counts.items() if code not in known)
    if other:
        out.append(Bucket(code=_UNKNOWN[0], zh=_UNKNOWN[1], en=_UNKNOWN[2], count=other))
    return out


def _form_buckets(decisions: list[_Decision]) -> list[Bucket]:
    counts = Counter(d.props.get("form") for d in decisions)
    out = [Bucket(code=str(f), zh=zh, en=en, count=counts[f])
           for f, (zh, en) in _FORM_LABELS.items() if counts.get(f)]
    other = sum(n for f, n in counts.items() if f not in _FORM_LABELS)
    if other:
        out.append(Bucket(code=_UNKNOWN[0], zh=_UNKNOWN[1], en=_UNKNOWN[2], count=other))
    return out


def _target_buckets(decisions: list[_Decision]) -> list[Bucket]:
    counts: Counter[str] = Counter()
    for d in decisions:
        for kind in sorted(d.target_kinds) or [_UNKNOWN[0]]:
            counts[kind] += 1
    labels = {"Person": ("person", "个人", "person"), "Unit": ("unit", "单位", "organisation"),
              _UNKNOWN[0]: _UNKNOWN}
    return [Bucket(code=labels[k][0], zh=labels[k][1], en=labels[k][2], count=counts[k])
            for k in ("Person", "Unit", _UNKNOWN[0]) if counts.get(k)]


def _cross(decisions: list[_Decision], value: Any) -> list[YearBucket]:
    counts = Counter(
        (y, _UNKNOWN[0] if (v := value(d)) is None else str(v))
        for d in decisions if (y := _year(d)) is not None
    )
    return [YearBucket(year=y, code=c, count=n) for (y, c), n in sorted(counts.items())]


# -- facts --------------------------------------------------------------------------------
def _decisions_embedded(store: GraphStore) -> list[_Decision]:
    es = embedded(store)
    g = es.graph

    def out(uid: str, rel: str) -> list[tuple[str, dict[str, Any]]]:
        return [(v, a) for v, keyed in g.succ[uid].items() for a in keyed.values()
                if a["type"] == rel]

    found = []
    for uid in labelled(es, "Accountability"):
        attrs = g.nodes[uid]
        targets = [t for t, _ in out(uid, "TARGETS")]
        found.append(_Decision(
            props=attrs,
            case_units=frozenset(
                u for c, _ in out(uid, "FOR_CASE") for u, _ in out(c, "OCCURRED_IN")
            ),
            target_units=frozenset(t for t in targets if g.nodes[t]["label"] == "Unit"),
            tenures=tuple(
                (u, e.get("start"), e.get("end"))
                for t in targets if g.nodes[t]["label"] == "Person"
                for u, e in out(t, "SERVES_IN")
            ),
            deciders=frozenset(u for u, _ in out(uid, "DECIDED_BY")),
            target_kinds=frozenset(g.nodes[t]["label"] for t in targets),
        ))
    return found


# Every decision with the facts the rule needs; with a subtree, only decisions with some
# unit of it among those facts (a superset of the rule's answer, which Python computes).
_DECISIONS_ALL = """
MATCH (a:Accountability)
"""
# With a subtree, the candidates are reached from its units (through the uid constraint)
# along the same four relationships the facts below read, instead of every decision: the
# same superset, at city scale a fraction of the work.
_DECISIONS_IN = """
UNWIND $units AS uu
MATCH (u:Entity {uid: uu})
CALL (u) {
  MATCH (a:Accountability)-[:FOR_CASE]->(:Case)-[:OCCURRED_IN]->(u) RETURN a
  UNION
  MATCH (a:Accountability)-[:TARGETS]->(u) RETURN a
  UNION
  MATCH (a:Accountability)-[:TARGETS]->(:Person)-[:SERVES_IN]->(u) RETURN a
  UNION
  MATCH (a:Accountability)-[:DECIDED_BY]->(u) RETURN a
}
WITH DISTINCT a
"""
_DECISIONS = """
WITH a,
     COLLECT { MATCH (a)-[:FOR_CASE]->(:Case)-[:OCCURRED_IN]->(u:Unit) RETURN u.uid }
       AS case_units,
     COLLECT { MATCH (a)-[:TARGETS]->(u:Unit) RETURN u.uid } AS target_units,
     COLLECT { MATCH (a)-[:TARGETS]->(:Person)-[s:SERVES_IN]->(u:Unit)
               RETURN [u.uid, s.start, s.end] } AS tenures,
     COLLECT { MATCH (a)-[:DECIDED_BY]->(u:Unit) RETURN u.uid } AS deciders
WHERE $units IS NULL
   OR any(u IN case_units + target_units + [t IN tenures | t[0]] + deciders WHERE u IN $units)
RETURN a.decided_on AS decided_on, a.category AS category, a.measure AS measure, a.form AS form,
       case_units, target_units, tenures, deciders,
       COLLECT { MATCH (a)-[:TARGETS]->(t) RETURN CASE WHEN t:Person THEN 'Person' ELSE 'Unit' END }
         AS target_kinds
"""


def _decisions_neo4j(db: Any, units: list[str] | None) -> list[_Decision]:
    return [
        _Decision(
            props={k: row[k] for k in ("decided_on", "category", "measure", "form")},
            case_units=frozenset(row["case_units"]),
            target_units=frozenset(row["target_units"]),
            tenures=tuple((t[0], t[1], t[2]) for t in row["tenures"]),
            deciders=frozenset(row["deciders"]),
            target_kinds=frozenset(row["target_kinds"]),
        )
        for row in db.read_plain((_DECISIONS_ALL if units is None else _DECISIONS_IN)
                                 + _DECISIONS, {"units": units})
    ]
