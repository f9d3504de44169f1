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

from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from graph.errors import NotFound
from graph.queries.common import (
    active,
    as_of_or_today,
    edges_of,
    embedded,
    graph_props,
    graph_record,
    neo4j,
    record_of,
    ref_of,
    uid_for,
)
from graph.queries.holders_models import (
    Count,
    LevelCount,
    LevelKindCount,
    UnitHolders,
    UnitOverview,
    UnitRef,
)
from graph.queries.models import NodeRef
from graph.schema import SCHEMA, split_uid
from graph.store.base import GraphStore, NodeRecord

#: Roles of the leading team besides the secretary (``staff`` are not leaders).
TEAM_ROLES = ("deputy_secretary", "member", "discipline_secretary", "head")
LEADER_ROLES = ("secretary", *TEAM_ROLES)

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


def assemble_panel(row: Row, as_of: str) -> Row:
    """The holders panel of one unit, as UnitHolders fields, from the row both backends
    produce (the rule of the module docstring)."""
    unit = ref_of(row["unit"])
    secretaries: list[Row] = []
    team: list[Row] = []
    for pf in sorted(row["people"], key=lambda x: str(x["person"]["uid"])):
        posts = sorted(({"unit": unit, "role": x["role"], "start": x["start"], "end": x["end"]}
                        for x in pf["posts"]), key=_tenure_key)
        portfolios = sorted(
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
        "unit": unit_ref_dict(row["unit"]), "as_of": as_of, "committee": committee,
        "secretaries": secretaries, "team": team, "supervisors": supervisors,
        "vacancies": _vacancies(committee, secretaries, team, supervisors, duties),
        "duty_counts_by_responsibility": ordered_counts(
            Counter(d["responsibility"] for d in duties), SCHEMA.enum("responsibility").codes,
            zeros=True),
        "duty_counts_by_list": ordered_counts(
            Counter(d["list"] for d in duties), SCHEMA.enum("duty_list").codes),
        "duty_counts_by_aspect": ordered_counts(Counter(d["aspect"] for d in duties), ()),
    }


def _vacancy(code: str, zh: str, en: str) -> Row:
    return {"code": code, "zh": zh, "en": en}


def _vacancies(committee: Row, secretaries: list[Row], team: list[Row],
               supervisors: list[Row], duties: list[Row]) -> list[Row]:
    found: list[Row] = []
    held = {d["responsibility"] for d in duties}
    if not secretaries:
        found.append(_vacancy("no_secretary", "该日期无在任书记（第一责任人空缺）",
                              "no secretary in office at the date (first responsibility vacant)"))
    elif len(secretaries) > 1:
        found.append(_vacancy("multiple_secretaries", "该日期有多名在任书记，请核实任职记录",
                              "more than one secretary in office at the date; check the posts"))
    if not supervisors:
        found.append(_vacancy("no_supervisor", "无监督该单位的纪检监察机构",
                              "no discipline body supervises the unit"))
    if "primary" not in {d["responsibility"] for d in committee["duties"]}:
        found.append(_vacancy("no_primary_duties", "党组织未承担主体责任清单事项",
                              "the Party organisation holds no primary-responsibility duties"))
    if secretaries and "first" not in held:
        found.append(_vacancy("no_first_duties", "书记未承担第一责任人责任清单事项",
                              "the secretary holds no first-responsibility duties"))
    if not team:
        found.append(_vacancy("no_team_members", "该日期无在任班子成员（一岗双责无人承担）",
                              "no team members in office at the date (dual responsibility unheld)"))
    return found


# -- Neo4j ------------------------------------------------------------------------------
# One round trip: the unit (found through the Entity.uid uniqueness constraint), with $up
# every unit above it and its distance, and the panel rows of each. Person and supervisor
# duties are narrowed to the responsibilities the panel shows (the shaping applies the
# exact rule); the embedded rows carry all of them, with the same result.
_PANEL_CYPHER = """
MATCH (u0:Entity {uid: $uid}) WHERE u0:Unit
CALL (u0) {
  RETURN u0 AS u, 0 AS depth
  UNION
  MATCH path = (u0)-[:SUBORDINATE_TO*1..]->(a:Unit)
  WHERE $up AND a <> u0
  WITH a, min(length(path)) AS depth
  RETURN a AS u, depth
}
CALL (u) {
  MATCH (p:Person)-[s:SERVES_IN]->(u)
  WHERE s.role IN $roles
    AND (s.start IS NULL OR s.start <= $as_of) AND (s.end IS NULL OR s.end >= $as_of)
  WITH p, collect({role: s.role, start: s.start, end: s.end}) AS posts
  RETURN collect({
    person: properties(p), posts: posts,
    duties: COLLECT { MATCH (p)-[:HOLDS]->(d:Duty) WHERE d.responsibility IN ['first', 'dual']
                      RETURN properties(d) },
    portfolios: COLLECT {
      MATCH (p)-[c:IN_CHARGE_OF]->(cu:Unit)
      WHERE (c.start IS NULL OR c.start <= $as_of) AND (c.end IS NULL OR c.end >= $as_of)
      RETURN {unit: properties(cu), portfolio: c.portfolio, start: c.start, end: c.end} }
  }) AS people
}
RETURN u.uid AS uid, depth, properties(u) AS unit,
  COLLECT { MATCH (u)-[:HOLDS]->(d:Duty) RETURN properties(d) } AS duties,
  people,
  COLLECT { MATCH (b:Unit)-[r:SUPERVISES]->(u)
            RETURN {unit: properties(b), mode: r.mode,
                    duties: COLLECT { MATCH (b)-[:HOLDS]->(d:Duty)
                                      WHERE d.responsibility = 'supervisory'
                                      RETURN properties(d) }} } AS supervisors
"""


# -- embedded: the same rows ------------------------------------------------------------
def _panel_row_embedded(g: Any, uid: str, depth: int, as_of: str) -> Row:
    def duties_of(holder: str) -> list[Row]:
        return [graph_props(g, d) for d, _ in edges_of(g, holder, "HOLDS")]

    people: dict[str, Row] = {}
    for person, a in edges_of(g, uid, "SERVES_IN", "in"):
        if a.get("role") not in LEADER_ROLES or not active(a, as_of):
            continue
        if person not in people:
            people[person] = {
                "person": graph_props(g, person), "posts": [], "duties": duties_of(person),
                "portfolios": [{"unit": graph_props(g, u), "portfolio": c.get("portfolio"),
                                "start": c.get("start"), "end": c.get("end")}
                               for u, c in edges_of(g, person, "IN_CHARGE_OF") if active(c, as_of)],
            }
        people[person]["posts"].append({"role": a["role"], "start": a.get("start"),
                                        "end": a.get("end")})
    supervisors = [{"unit": graph_props(g, b), "mode": a.get("mode"), "duties": duties_of(b)}
                   for b, a in edges_of(g, uid, "SUPERVISES", "in")]
    return {"uid": uid, "depth": depth, "unit": graph_props(g, uid), "duties": duties_of(uid),
            "people": list(people.values()), "supervisors": supervisors}


def ancestors_embedded(g: Any, uid: str) -> list[tuple[str, int]]:
    """(uid, distance) of the units above ``uid`` by SUBORDINATE_TO, nearest first (the
    shortest distance), then by uid."""
    depth = {uid: 0}
    queue = deque([uid])
    while queue:
        here = queue.popleft()
        for parent, _ in edges_of(g, here, "SUBORDINATE_TO"):
            if parent not in depth:
                depth[parent] = depth[here] + 1
                queue.append(parent)
    return sorted(((u, d) for u, d in depth.items() if u != uid), key=lambda t: (t[1], t[0]))


# -- the query --------------------------------------------------------------------------
def panel_rows(store: GraphStore, uid: str, as_of: str, *, up: bool = False) -> list[Row]:
    """The rows of unit ``uid`` and (with ``up``) of every unit above it, nearest first.

    Raises NotFound when there is no such unit.
    """
    db = neo4j(store)
    if db is not None:
        rows = db.read_plain(_PANEL_CYPHER, {"uid": uid, "as_of": as_of, "up": up,
                                       "roles": list(LEADER_ROLES)})
    else:
        g = embedded(store).graph
        rows = []
        if uid in g and g.nodes[uid]["label"] == "Unit":
            above = ancestors_embedded(g, uid) if up else []
            rows = [_panel_row_embedded(g, u, d, as_of) for u, d in [(uid, 0), *above]]
    if not rows:
        raise NotFound("Unit", split_uid(uid)[1])
    return sorted(rows, key=lambda r: (r["depth"], r["uid"]))


def unit_holders(store: GraphStore, unit: str, *, as_of: str | None = None,
                 up: bool = False) -> UnitHolders:
    """The four holders of ``unit`` (a uid or bare id) as of ``as_of`` (default today).

    Raises NotFound for an unknown unit and InvalidArgument for a malformed date.
    """
    date = as_of_or_today(as_of)
    rows = panel_rows(store, uid_for(unit, "Unit"), date, up=up)
    panels = [assemble_panel(r, date) for r in rows]
    return UnitHolders.model_validate({**panels[0], "ancestors": panels[1:]})


# -- overview ---------------------------------------------------------------------------
_OVERVIEW_CYPHER = """
MATCH (u:Entity {uid: $uid}) WHERE u:Unit
CALL (u) {
  MATCH (d:Unit)-[:SUBORDINATE_TO*1..]->(u)
  WHERE d <> u
  WITH DISTINCT d
  WITH d.level AS level, d.kind AS kind, count(*) AS n
  RETURN collect({level: level, kind: kind, n: n}) AS groups
}
CALL (u) {
  OPTIONAL MATCH (c:Unit)-[:SUBORDINATE_TO]->(u)
  WHERE c <> u
  RETURN collect(DISTINCT properties(c)) AS children
}
RETURN properties(u) AS unit, groups, children
"""


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


def unit_overview(store: GraphStore, unit: str) -> UnitOverview:
    """Descendants of ``unit`` (every unit transitively SUBORDINATE_TO it) by kind and level,
    and its direct children. Raises NotFound for an unknown unit."""
    uid = uid_for(unit, "Unit")
    groups: Counter[tuple[int | None, str | None]] = Counter()
    db = neo4j(store)
    if db is not None:
        rows = db.read_plain(_OVERVIEW_CYPHER, {"uid": uid})
        if not rows:
            raise NotFound("Unit", split_uid(uid)[1])
        row = rows[0]
        for grp in row["groups"]:
            groups[(grp["level"], grp["kind"])] += grp["n"]
        children = [record_of(c) for c in row["children"]]
        return assemble_overview(record_of(row["unit"]), groups, children)
    g = embedded(store).graph
    if uid not in g or g.nodes[uid]["label"] != "Unit":
        raise NotFound("Unit", split_uid(uid)[1])
    seen = {uid}
    queue = deque([uid])
    while queue:
        here = queue.popleft()
        for child, _ in edges_of(g, here, "SUBORDINATE_TO", "in"):
            if child not in seen:
                seen.add(child)
                queue.append(child)
                attrs = g.nodes[child]
                groups[(attrs.get("level"), attrs.get("kind"))] += 1
    below = {c for c, _ in edges_of(g, uid, "SUBORDINATE_TO", "in")} - {uid}
    children = [graph_record(g, c) for c in below]
    return assemble_overview(graph_record(g, uid), groups, children)
