"""Who holds which responsibility in a unit, as of a date — and what lies below a unit.

:func:`unit_holders` answers DESIGN.md §4 "a unit's four holders": the committee (the unit
itself as a Party organisation, 主体责任), the secretary (第一责任人), the team members with
what each has in charge (一岗双责) and the discipline bodies supervising the unit (监督责任),
each with their duties, and the holders that are missing (vacancies). With ``up=True`` the
same panel for every unit above, nearest first. :func:`unit_overview` counts the
descendants of a unit by kind and level.

Each query gathers the same *rows* (property maps, in the shape the Cypher returns) from
the store at hand — one Cypher round trip on Neo4j, a walk of the MultiDiGraph on the
embedded store — and one shared function shapes them into the result, so both backends
return equal models for equal graphs.

Which duties a holder shows (one rule, applied to both backends):

* the committee: every duty the unit itself holds, whatever its responsibility (units keep
  the secretary's and members' items on the organisation's own lists);
* a secretary: the ``first`` duties they hold; a team member: their ``dual`` duties;
* a supervising discipline body: its ``supervisory`` duties.

A person's duties are not tied to a unit in the schema, so a person who leads in two units
shows the same items in both panels.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from graph.dates import as_of_or_today
from graph.errors import NotFound
from graph.history.provenance import provenance_in
from graph.messages import N_, Message
from graph.queries.common import record_of, ref_of, uid_for
from graph.queries.holders_models import (
    Count,
    LevelCount,
    LevelKindCount,
    UnitHolders,
    UnitOverview,
    UnitRef,
)
from graph.queries.models import NodeRef
from graph.schema import LEADER_ROLES, SCHEMA, split_uid
from graph.scope import EVERYTHING_SCOPE, Scope
from graph.store.base import GraphStore, NodeRecord
from graph.store.ops.holders import PanelRow

#: Roles of the leading team besides the secretary (``staff`` are not leaders).
TEAM_ROLES = LEADER_ROLES[1:]

Row = dict[str, Any]


# -- shaping (shared) -------------------------------------------------------------------
# Panels hold hundreds of duties, so they are shaped as plain dicts and validated once
# into UnitHolders (pydantic-core builds the nested models far faster than one by one).
def unit_ref(node: NodeRecord) -> UnitRef:
    p = node.props
    return UnitRef(unit=NodeRef.of(node), kind=p.get("kind"), level=p.get("level"))


def unit_ref_dict(props: Mapping[str, Any]) -> Row:
    return {"unit": ref_of(props), "kind": props.get("kind"), "level": props.get("level")}


def duty_dicts(duties: Iterable[Mapping[str, Any]], responsibility: str | None = None) -> list[Row]:
    """Distinct duties (stored properties with uid) as DutyItem fields, sorted by uid,
    optionally only those of one responsibility."""
    by_uid = {str(d["uid"]): d for d in duties
              if responsibility is None or d.get("responsibility") == responsibility}
    return [
        {"duty": ref_of(d), "responsibility": str(d.get("responsibility") or ""),
         "list": d.get("list"), "aspect": d.get("aspect"), "indicator": d.get("indicator"),
         "year": d.get("year")}
        for d in (by_uid[u] for u in sorted(by_uid))
    ]


def ordered_counts(counter: Mapping[str | None, int], codes: Sequence[str], *,
                   zeros: bool = False) -> list[Row]:
    """Count rows in the enum's order (``codes``), then other keys alphabetically; ``None``
    is reported under the key ``""``."""
    rows = [{"key": c, "count": counter.get(c, 0)} for c in codes if zeros or counter.get(c)]
    extra: Counter[str] = Counter()
    for key, n in counter.items():
        if key not in codes and n:
            extra[key or ""] += n
    rows.extend({"key": k, "count": extra[k]} for k in sorted(extra))
    return rows


def _tenure_key(x: Mapping[str, Any]) -> tuple[str, ...]:
    return (x.get("start") or "", x.get("role") or x.get("portfolio") or "", x.get("end") or "")


def assemble_panel(row: PanelRow, as_of: str) -> Row:
    """The holders panel of one unit, as UnitHolders fields, from the row both backends
    produce (the rule of the module docstring)."""
    unit = ref_of(row["unit"])
    secretaries: list[Row] = []
    team: list[Row] = []
    for pf in sorted(row["people"], key=lambda x: str(x["person"]["uid"])):
        posts = sorted(({"unit": unit, "role": x["role"], "start": x["start"], "end": x["end"]}
                        for x in pf["posts"]), key=_tenure_key)
        portfolios: list[Row] = sorted(
            ({"unit": ref_of(x["unit"]), "portfolio": x["portfolio"], "start": x["start"],
              "end": x["end"]} for x in pf["portfolios"]),
            key=lambda p: (p["unit"]["uid"], *_tenure_key(p)),
        )
        person = ref_of(pf["person"])
        sec_posts = [p for p in posts if p["role"] == "secretary"]
        if sec_posts:
            secretaries.append({"person": person, "post": sec_posts[0], "portfolios": portfolios,
                                "duties": duty_dicts(pf["duties"], "first")})
        else:
            team.append({"person": person, "posts": posts, "portfolios": portfolios,
                         "duties": duty_dicts(pf["duties"], "dual")})
    supervisors = [
        {"unit": ref_of(s["unit"]), "mode": s["mode"],
         "duties": duty_dicts(s["duties"], "supervisory")}
        for s in sorted(row["supervisors"], key=lambda s: (str(s["unit"]["uid"]), s["mode"] or ""))
    ]
    committee = {"unit": unit, "duties": duty_dicts(row["duties"])}
    every: dict[str, Row] = {}
    for group in (committee, *secretaries, *team, *supervisors):
        for d in group["duties"]:
            every.setdefault(d["duty"]["uid"], d)
    duties = list(every.values())
    return {
        "unit": unit_ref_dict(row["unit"]), "as_of": as_of, "outline": row["outline"],
        "committee": committee,
        "secretaries": secretaries, "team": team, "supervisors": supervisors,
        "vacancies": [] if row["outline"] else _vacancies(committee, secretaries, team,
                                                          supervisors, duties),
        "duty_counts_by_responsibility": ordered_counts(
            Counter(d["responsibility"] for d in duties), SCHEMA.enum("responsibility").codes,
            zeros=True),
        "duty_counts_by_list": ordered_counts(
            Counter(d["list"] for d in duties), SCHEMA.enum("duty_list").codes),
        "duty_counts_by_aspect": ordered_counts(Counter(d["aspect"] for d in duties), ()),
    }


#: Vacancy code → the catalogue code that says it.
VACANCY_TEXTS = {
    "no_secretary": N_("vacancy.no_secretary"),
    "multiple_secretaries": N_("vacancy.multiple_secretaries"),
    "no_supervisor": N_("vacancy.no_supervisor"),
    "no_primary_duties": N_("vacancy.no_primary_duties"),
    "no_first_duties": N_("vacancy.no_first_duties"),
    "no_team_members": N_("vacancy.no_team_members"),
}


def _vacancy(code: str) -> Row:
    return {"code": code, "message": Message(VACANCY_TEXTS[code])}


def _vacancies(committee: Row, secretaries: list[Row], team: list[Row],
               supervisors: list[Row], duties: list[Row]) -> list[Row]:
    found: list[Row] = []
    held = {d["responsibility"] for d in duties}
    if not secretaries:
        found.append(_vacancy("no_secretary"))
    elif len(secretaries) > 1:
        found.append(_vacancy("multiple_secretaries"))
    if not supervisors:
        found.append(_vacancy("no_supervisor"))
    if "primary" not in {d["responsibility"] for d in committee["duties"]}:
        found.append(_vacancy("no_primary_duties"))
    if secretaries and "first" not in held:
        found.append(_vacancy("no_first_duties"))
    if not team:
        found.append(_vacancy("no_team_members"))
    return found


# -- the query --------------------------------------------------------------------------
def unit_holders(store: GraphStore, unit: str, *, as_of: str | None = None,
                 up: bool = False, scope: Scope = EVERYTHING_SCOPE) -> UnitHolders:
    """The four holders of ``unit`` (a uid or bare id) as of ``as_of`` (default today).

    With ``up`` the panels of every unit above it, nearest first; those above ``scope``
    in outline (names and holders, no duties). Raises NotFound for an unknown unit or one
    outside ``scope``, and InvalidArgument for a malformed date.
    """
    date = as_of_or_today(as_of)
    uid = uid_for(unit, "Unit")
    rows = store.reads.unit_panels(uid, date, up=up, scope=scope)
    if not rows:
        raise NotFound("Unit", split_uid(uid)[1])
    rows = sorted(rows, key=lambda r: (r["depth"], r["uid"]))
    panels = [assemble_panel(r, date) for r in rows]
    holders = UnitHolders.model_validate({**panels[0], "ancestors": panels[1:]})
    holders.provenance = provenance_in(store, uid, rows[0]["unit"])
    return holders


# -- overview ---------------------------------------------------------------------------
def assemble_overview(unit: NodeRecord, groups: Counter[tuple[int | None, str | None]],
                      children: list[NodeRecord]) -> UnitOverview:
    kinds = SCHEMA.enum("unit_kind").codes
    by_kind: Counter[str | None] = Counter()
    by_level: Counter[int | None] = Counter()
    for (level, kind), n in groups.items():
        by_kind[kind] += n
        by_level[level] += n

    def kind_order(kind: str | None) -> tuple[int, str]:
        return (kinds.index(kind), "") if kind in kinds else (len(kinds), kind or "")

    def level_order(level: int | None) -> tuple[int, int]:
        return (0, level) if level is not None else (1, 0)

    return UnitOverview(
        unit=unit_ref(unit),
        descendants=sum(groups.values()),
        by_kind=[Count.model_validate(c) for c in ordered_counts(by_kind, kinds)],
        by_level=[LevelCount(level=lv, count=by_level[lv])
                  for lv in sorted(by_level, key=level_order)],
        by_level_kind=[
            LevelKindCount(level=lv, kind=k, count=n)
            for (lv, k), n in sorted(groups.items(), key=lambda t: (level_order(t[0][0]),
                                                                   kind_order(t[0][1])))
        ],
        children=[unit_ref(c) for c in sorted(children, key=lambda c: c.uid)],
    )


def unit_overview(store: GraphStore, unit: str, *,
                  scope: Scope = EVERYTHING_SCOPE) -> UnitOverview:
    """Descendants of ``unit`` (every unit transitively SUBORDINATE_TO it) by kind and level,
    and its direct children. Raises NotFound for an unknown unit or one outside ``scope``
    (a unit in scope has its whole subtree in scope)."""
    uid = uid_for(unit, "Unit")
    row = store.reads.unit_overview(uid, scope)
    if row is None:
        raise NotFound("Unit", split_uid(uid)[1])
    groups: Counter[tuple[int | None, str | None]] = Counter()
    for grp in row["groups"]:
        groups[(grp["level"], grp["kind"])] += grp["n"]
    return assemble_overview(record_of(row["unit"]), groups,
                             [record_of(c) for c in row["children"]])
