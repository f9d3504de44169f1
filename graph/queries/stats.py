"""Accountability statistics (问责统计) for a unit's subtree, with year-on-year change.

Who was held accountable decides how a decision is counted (DESIGN.md §8): decisions about
persons count in *person-times* (人次, the unit of the source article's "31 in 2017") and
decisions about Party organisations in *organisations* (个). The two are reported
separately, never added up: :attr:`AccountabilityStats.persons` and
:attr:`AccountabilityStats.organisations`, each with its own years, categories, measures
and forms (the four forms apply to persons only; an organisation's decision carries none,
which the loader enforces). A decision recording no target is counted in neither
(:attr:`AccountabilityStats.untargeted`).

Which decisions count for a subtree (:data:`MEMBERSHIP_RULE`), first rule that applies:

1. the decision is ``FOR_CASE`` a case that ``OCCURRED_IN`` some unit: it counts when one
   of those units is in the subtree;
2. otherwise, when it ``TARGETS`` a unit or a person with posts: it counts when a targeted
   unit is in the subtree, or a targeted person ``SERVES_IN`` a unit of it (posts held on
   ``decided_on``; a person with no post on that date: any post they held);
3. otherwise it counts when it was ``DECIDED_BY`` a unit of the subtree.

Without a unit every decision counts. The store collects the facts per decision
(``store.reads.accountability_facts``); the rule and the counting run once, here, so both
stores give identical results.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, model_validator

from graph.dates import active
from graph.errors import InvalidArgument, NotFound
from graph.messages import N_, Bilingual, Message
from graph.queries.common import resolve
from graph.queries.models import NodeRef
from graph.schema import SCHEMA, split_uid
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore
from graph.store.ops.stats import DecisionFactsRow
from graph.texts import TextField, rendered

#: The catalogue code of the rule, as the result states it (``AccountabilityStats.rule``).
MEMBERSHIP_RULE = N_("stats.membership_rule")
#: Form → the catalogue code of its name; forms not listed count as unknown.
_FORM_LABELS = {1: N_("stats.form_1"), 2: N_("stats.form_2"), 3: N_("stats.form_3"),
                4: N_("stats.form_4")}
_UNKNOWN = "unknown"

#: Target kind → (the label the graph gives such targets, the catalogue codes of the kind's
#: name and of what its count means)
_KINDS = {
    "person": ("Person", N_("stats.target_person"), N_("stats.counted_person")),
    "organisation": ("Unit", N_("stats.target_organisation"),
                     N_("stats.counted_organisation")),
}


class Bucket(BaseModel):
    """A count under one value of a dimension: its code, and its name (``label``: the
    schema's for enum values, the catalogue's for forms and ``unknown``) rendered into
    ``zh``/``en``."""

    code: str
    label: TextField = None
    zh: str = ""
    en: str = ""
    count: int

    @model_validator(mode="before")
    @classmethod
    def _render(cls, data: Any) -> Any:
        return rendered(data, "label")


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


class TargetStats(BaseModel):
    """The decisions about one kind of target: persons (人次) or Party organisations (个).

    ``total`` counts decisions (one target each: a person held accountable twice counts
    twice, as 人次 does); ``distinct`` counts the targets (人 / 个, each once).
    """

    kind: str
    #: The kind's name (``stats.target_<kind>``), rendered into ``zh``/``en``.
    name: TextField = None
    zh: str = ""
    en: str = ""
    #: What a count means (``stats.counted_<kind>``): ``人次`` / ``person-times``, ``个`` /
    #: ``organisations``; rendered into ``counted_zh``/``counted_en``.
    counted: TextField = None
    counted_zh: str = ""
    counted_en: str = ""
    total: int
    distinct: int
    by_year: list[YearCount]
    by_category: list[Bucket]
    by_measure: list[Bucket]
    by_form: list[Bucket]
    by_year_category: list[YearBucket]
    by_year_measure: list[YearBucket]
    by_year_form: list[YearBucket]

    @model_validator(mode="before")
    @classmethod
    def _render(cls, data: Any) -> Any:
        return rendered(rendered(data, "name"), "counted", "counted_zh", "counted_en")


class AccountabilityStats(BaseModel):
    """Accountability of a subtree: persons and organisations counted apart.

    ``rule_text`` states :data:`MEMBERSHIP_RULE`, rendered into ``rule_zh``/``rule_en``
    and, both languages, ``rule``.
    """

    unit: NodeRef | None
    rule_text: TextField = None
    rule: str = ""
    rule_zh: str = ""
    rule_en: str = ""
    #: Every decision counted (persons, organisations and untargeted ones).
    total: int
    persons: TargetStats
    organisations: TargetStats
    #: Decisions that record no target (counted in neither kind).
    untargeted: int

    @model_validator(mode="before")
    @classmethod
    def _render(cls, data: Any) -> Any:
        data = rendered(data, "rule_text", "rule_zh", "rule_en")
        if isinstance(data, dict) and isinstance(data.get("rule_text"), Message):
            data["rule"] = str(data["rule_text"])
        return data


@dataclass(frozen=True)
class _Decision:
    row: DecisionFactsRow

    def units(self) -> frozenset[str]:
        """The units this decision belongs to, after :data:`MEMBERSHIP_RULE`."""
        row = self.row
        if row["case_units"]:
            return frozenset(row["case_units"])
        day = row["decided_on"]
        tenures = [(str(u), s, e) for u, s, e in row["tenures"]]
        current = {u for u, s, e in tenures if day and active({"start": s, "end": e}, day)}
        people = current or {u for u, _, _ in tenures}
        targets = {t for t in row["targets"] if split_uid(t)[0] == "Unit"}
        if targets or people:
            return frozenset(targets | people)
        return frozenset(row["deciders"])

    def targets(self, label: str) -> list[str]:
        return sorted({t for t in self.row["targets"] if split_uid(t)[0] == label})

    @property
    def year(self) -> int | None:
        day = self.row["decided_on"]
        return int(day[:4]) if day else None


def accountability_stats(
    store: GraphStore, *, unit: str | None = None, years: Iterable[int] | None = None,
    scope: Scope = EVERYTHING_SCOPE,
) -> AccountabilityStats:
    """Counts of accountability decisions by year, category, measure and form, for persons
    (人次) and Party organisations (个) apart.

    Parameters
    ----------
    store
        Either backend.
    unit
        A unit (uid or bare id); decisions of its subtree after :data:`MEMBERSHIP_RULE`.
        Without it: everything for a user who sees everything, else the scope's home unit
        (the first it names), so several districts are never added up.
    years
        Only these years of ``decided_on`` (every breakdown is restricted to them); the
        year-on-year change of the first of them still compares with the year before.
    scope
        Only decisions the user may see are counted.

    Raises
    ------
    NotFound
        ``unit`` names no unit, or one outside ``scope``.
    InvalidArgument
        A year outside 1949..2100.
    """
    wanted = None if years is None else sorted(set(years))
    if wanted is not None and any(not 1949 <= y <= 2100 for y in wanted):
        raise InvalidArgument("years", Message("reason.between", min=1949, max=2100))
    if not unit and not scope.everything:
        unit = scope.home
    root = resolve(store, unit, ("Unit",)) if unit else None
    if root is not None and not store.reads.visible([root.uid], scope):
        raise NotFound("Unit", root.id)
    allowed = store.reads.subtree(root.uid) if root else None
    decisions = [_Decision(r) for r in store.reads.accountability_facts(
        None if allowed is None else sorted(allowed), scope)]
    if allowed is not None:
        decisions = [d for d in decisions if d.units() & allowed]
    chosen = [d for d in decisions if wanted is None or d.year in wanted]
    return AccountabilityStats(
        unit=NodeRef.of(root) if root else None,
        rule_text=Message(MEMBERSHIP_RULE),
        total=len(chosen),
        persons=_target_stats("person", decisions, wanted),
        organisations=_target_stats("organisation", decisions, wanted),
        untargeted=sum(1 for d in chosen if not d.row["targets"]),
    )


def _target_stats(kind: str, decisions: list[_Decision],
                  wanted: list[int] | None) -> TargetStats:
    label, name, counted = _KINDS[kind]
    mine = [d for d in decisions if d.targets(label)]
    per_year = Counter(y for d in mine if (y := d.year) is not None)
    chosen = [d for d in mine if wanted is None or d.year in wanted]
    return TargetStats(
        kind=kind, name=Message(name), counted=Message(counted),
        total=len(chosen),
        distinct=len({t for d in chosen for t in d.targets(label)}),
        by_year=_by_year(per_year, wanted),
        by_category=_buckets(chosen, "category", "accountability_category"),
        by_measure=_buckets(chosen, "measure", "accountability_measure"),
        # An organisation's decision carries no form: only a form given anyway (data
        # loaded before the loader refused it) is shown, never a "not given" bucket.
        by_form=_form_buckets(chosen, unknown=kind == "person"),
        by_year_category=_cross(chosen, lambda d: d.row["category"]),
        by_year_measure=_cross(chosen, lambda d: d.row["measure"]),
        by_year_form=_cross([d for d in chosen if kind == "person" or d.row["form"] is not None],
                            lambda d: d.row["form"]),
    )


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
    counts: Counter[Any] = Counter(d.row[prop] for d in decisions)  # type: ignore[literal-required]
    out = []
    for v in SCHEMA.enum(enum).values:  # schema order: the order people expect
        if counts.get(v.code):
            out.append(Bucket(code=v.code, label=Bilingual(v.zh, v.en), count=counts[v.code]))
    known = set(SCHEMA.enum(enum).codes)
    other = sum(n for code, n in counts.items() if code not in known)
    if other:
        out.append(_unknown(other))
    return out


def _form_buckets(decisions: list[_Decision], *, unknown: bool) -> list[Bucket]:
    counts = Counter(d.row["form"] for d in decisions)
    out = [Bucket(code=str(f), label=Message(code), count=counts[f])
           for f, code in _FORM_LABELS.items() if counts.get(f)]
    other = sum(n for f, n in counts.items()
                if f not in _FORM_LABELS and (unknown or f is not None))
    if other:
        out.append(_unknown(other))
    return out


def _unknown(count: int) -> Bucket:
    return Bucket(code=_UNKNOWN, label=Message("stats.unknown"), count=count)


def _cross(decisions: list[_Decision], value: Callable[[_Decision], Any]) -> list[YearBucket]:
    counts = Counter(
        (y, _UNKNOWN if (v := value(d)) is None else str(v))
        for d in decisions if (y := d.year) is not None
    )
    return [YearBucket(year=y, code=c, count=n) for (y, c), n in sorted(counts.items())]
