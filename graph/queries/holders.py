"""Who holds which responsibility in a unit, as of a date — and what lies below a unit.

:func:`unit_holders` answers DESIGN.md §4 "a unit's four holders": the committee (the unit
itself as a Party organisation, 主体责任), the secretary (第一责任人), the team members with
what each has in charge (一岗双责) and the discipline bodies supervising the unit (监督责任),
each with their duties, and the holders that are missing (vacancies). With ``up=True`` the
same panel for every unit above, nearest first. :func:`unit_overview` counts the
descendants of a unit by kind and level.

Each query gathers the same *facts* from the store at hand — one Cypher round trip on
Neo4j, a walk of the MultiDiGraph on the embedded store — and one shared function shapes
them into the result, so both backends return equal models for equal graphs.

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
from dataclasses import dataclass
from typing import Any

from graph.errors import NotFound
from graph.queries.common import (
    active,
    as_of_or_today,
    edges_of,
    embedded,
    graph_record,
    neo4j,
    record_of,
    uid_for,
)
from graph.queries.holders_models import (
    Committee,
    Count,
    DutyItem,
    LevelCount,
    LevelKindCount,
    Portfolio,
    Post,
    Secretary,
    Supervisor,
    TeamMember,
    UnitHolders,
    UnitOverview,
    UnitRef,
    Vacancy,
)
from graph.queries.models import NodeRef
from graph.schema import SCHEMA, split_uid
from graph.store.base import GraphStore, NodeRecord

#: Roles of the leading team besides the secretary (``staff`` are not leaders).
TEAM_ROLES = ("deputy_secretary", "member", "discipline_secretary", "head")
LEADER_ROLES = ("secretary", *TEAM_ROLES)


# -- facts: what both backends gather ---------------------------------------------------
@dataclass
class PersonFacts:
    """A leader of the unit at the date: active posts (role, start, end), all duties held,
    active portfolios (unit, portfolio, start, end)."""

    person: NodeRecord
    posts: list[tuple[str, str | None, str | None]]
    duties: list[NodeRecord]
    portfolios: list[tuple[NodeRecord, str | None, str | None, str | None]]


@dataclass
class SupervisorFacts:
    unit: NodeRecord
    mode: str | None
    duties: list[NodeRecord]


@dataclass
class PanelFacts:
    unit: NodeRecord
    duties: list[NodeRecord]
    people: list[PersonFacts]
    supervisors: list[SupervisorFacts]


# -- shaping (shared) -------------------------------------------------------------------
def unit_ref(node: NodeRecord) -> UnitRef:
    p = node.props
    return UnitRef(unit=NodeRef.of(node), kind=p.get("kind"), level=p.get("level"))


def duty_item(node: NodeRecord, uid: str | None = None) -> DutyItem:
    """A DutyItem from a stored duty (``uid`` when the caller has it: computing it is a
    noticeable part of shaping a panel of a few hundred duties)."""
    p = node.props
    ref = NodeRef(uid=uid or node.uid, label=node.label, id=node.id, caption=node.caption)
    return DutyItem(
        duty=ref,
        responsibility=str(p.get("responsibility") or ""),
        list=p.get("list"),
        aspect=p.get("aspect"),
        indicator=p.get("indicator"),
        year=p.get("year"),
    )


def duty_items(nodes: Iterable[NodeRecord], responsibility: str | None = None) -> list[DutyItem]:
    """Distinct duties sorted by uid, optionally only those of one responsibility."""
    by_uid = {n.uid: n for n in nodes
              if responsibility is None or n.props.get("responsibility") == responsibility}
    return [duty_item(by_uid[u], u) for u in sorted(by_uid)]


def ordered_counts(counter: Mapping[str | None, int], codes: Sequence[str], *,
                   zeros: bool = False) -> list[Count]:
    """Counts in the enum's order (``codes``), then other keys alphabetically; ``None`` is
    reported under the key ``""``."""
    rows = [Count(key=c, count=counter.get(c, 0)) for c in codes if zeros or counter.get(c)]
    extra: Counter[str] = Counter()
    for key, n in counter.items():
        if key not in codes and n:
            extra[key or ""] += n
    rows.extend(Count(key=k, count=extra[k]) for k in sorted(extra))
    return rows


def _vacancy(code: str, zh: str, en: str) -> Vacancy:
    return Vacancy(code=code, zh=zh, en=en)


def assemble_panel(f: PanelFacts, as_of: str) -> UnitHolders:
    """The holders panel of one unit from its facts (the rule in the module docstring)."""
    unit = NodeRef.of(f.unit)
    secretaries: list[Secretary] = []
    team: list[TeamMember] = []
    for pf in sorted(f.people, key=lambda x: x.person.uid):
        posts = sorted(
            (Post(unit=unit, role=r, start=s, end=e) for r, s, e in pf.posts),
            key=lambda p: (p.start or "", p.role, p.end or ""),
        )
        portfolios = sorted(
            (Portfolio(unit=NodeRef.of(u), portfolio=pt, start=s, end=e)
             for u, pt, s, e in pf.portfolios),
            key=lambda p: (p.unit.uid, p.start or "", p.portfolio or ""),
        )
        person = NodeRef.of(pf.person)
        sec_posts = [p for p in posts if p.role == "secretary"]
        if sec_posts:
            secretaries.append(Secretary(person=person, post=sec_posts[0], portfolios=portfolios,
                                         duties=duty_items(pf.duties, "first")))
        else:
            team.append(TeamMember(person=person, posts=posts, portfolios=portfolios,
                                   duties=duty_items(pf.duties, "dual")))
    supervisors = [
        Supervisor(unit=NodeRef.of(s.unit), mode=s.mode, duties=duty_items(s.duties, "supervisory"))
        for s in sorted(f.supervisors, key=lambda s: (s.unit.uid, s.mode or ""))
    ]
    committee = Committee(unit=unit, duties=duty_items(f.duties))
    panel = UnitHolders(
        unit=unit_ref(f.unit), as_of=as_of, committee=committee, secretaries=secretaries,
        team=team, supervisors=supervisors, vacancies=[], duty_counts_by_responsibility=[],
        duty_counts_by_list=[], duty_counts_by_aspect=[],
    )
    duties = panel.all_duties()
    panel.duty_counts_by_responsibility = ordered_counts(
        Counter(d.responsibility for d in duties), SCHEMA.enum("responsibility").codes, zeros=True)
    panel.duty_counts_by_list = ordered_counts(
        Counter(d.list for d in duties), SCHEMA.enum("duty_list").codes)
    panel.duty_counts_by_aspect = ordered_counts(Counter(d.aspect for d in duties), ())
    panel.vacancies = _vacancies(panel, duties)
    return panel


def _vacancies(panel: UnitHolders, duties: list[DutyItem]) -> list[Vacancy]:
    found: list[Vacancy] = []
    held = {d.responsibility for d in duties}
    if not panel.secretaries:
        found.append(_vacancy("no_secretary", "该日期无在任书记（第一责任人空缺）",
                              "no secretary in office at the date (first responsibility vacant)"))
    elif len(panel.secretaries) > 1:
        found.append(_vacancy("multiple_secretaries", "该日期有多名在任书记，请核实任职记录",
                              "more than one secretary in office at the date; check the posts"))
    if not panel.supervisors:
        found.append(_vacancy("no_supervisor", "无监督该单位的纪检监察机构",
                              "no discipline body supervises the unit"))
    if "primary" not in {d.responsibility for d in panel.committee.duties}:
        found.append(_vacancy("no_primary_duties", "党组织未承担主体责任清单事项",
                              "the Party organisation holds no primary-responsibility duties"))
    if panel.secretaries and "first" not in held:
        found.append(_vacancy("no_first_duties", "书记未承担第一责任人责任清单事项",
                              "the secretary holds no first-responsibility duties"))
    if not panel.team:
        found.append(_vacancy("no_team_members", "该日期无在任班子成员（一岗双责无人承担）",
                              "no team members in office at the date (dual responsibility unheld)"))
    return found


# -- Neo4j ------------------------------------------------------------------------------
# One round trip: the unit (found through the Entity.uid uniqueness constraint), with $up
# every unit above it and its distance, and the panel facts of each.
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
  OPTIONAL MATCH (u)-[:HOLDS]->(d:Duty)
  RETURN collect(properties(d)) AS duties
}
CALL (u) {
  MATCH (p:Person)-[s:SERVES_IN]->(u)
  WHERE s.role IN $roles
    AND (s.start IS NULL OR s.start <= $as_of) AND (s.end IS NULL OR s.end >= $as_of)
  WITH p, collect({role: s.role, start: s.start, end: s.end}) AS posts
  CALL (p) {
    OPTIONAL MATCH (p)-[:HOLDS]->(d:Duty)
    RETURN collect(properties(d)) AS pduties
  }
  CALL (p) {
    MATCH (p)-[c:IN_CHARGE_OF]->(cu:Unit)
    WHERE (c.start IS NULL OR c.start <= $as_of) AND (c.end IS NULL OR c.end >= $as_of)
    RETURN collect({unit: properties(cu), portfolio: c.portfolio, start: c.start, end: c.end})
           AS portfolios
  }
  RETURN collect({person: properties(p), posts: posts, duties: pduties,
                  portfolios: portfolios}) AS people
}
CALL (u) {
  MATCH (b:Unit)-[r:SUPERVISES]->(u)
  CALL (b) {
    OPTIONAL MATCH (b)-[:HOLDS]->(d:Duty)
    RETURN collect(properties(d)) AS bduties
  }
  RETURN collect({unit: properties(b), mode: r.mode, duties: bduties}) AS supervisors
}
RETURN u.uid AS uid, depth, properties(u) AS unit, duties, people, supervisors
"""


def _panel_facts_neo4j(row: dict[str, Any]) -> PanelFacts:
    people = [
        PersonFacts(
            person=record_of(p["person"]),
            posts=[(x["role"], x["start"], x["end"]) for x in p["posts"]],
            duties=[record_of(d) for d in p["duties"]],
            portfolios=[(record_of(c["unit"]), c["portfolio"], c["start"], c["end"])
                        for c in p["portfolios"]],
        )
        for p in row["people"]
    ]
    supervisors = [
        SupervisorFacts(record_of(s["unit"]), s["mode"], [record_of(d) for d in s["duties"]])
        for s in row["supervisors"]
    ]
    return PanelFacts(record_of(row["unit"]), [record_of(d) for d in row["duties"]],
                      people, supervisors)


# -- embedded ---------------------------------------------------------------------------
def _panel_facts_embedded(g: Any, uid: str, as_of: str) -> PanelFacts:
    def duties_of(holder: str) -> list[NodeRecord]:
        return [graph_record(g, d) for d, _ in edges_of(g, holder, "HOLDS")]

    posts: dict[str, list[tuple[str, str | None, str | None]]] = {}
    for person, a in edges_of(g, uid, "SERVES_IN", "in"):
        if a.get("role") in LEADER_ROLES and active(a, as_of):
            posts.setdefault(person, []).append((a["role"], a.get("start"), a.get("end")))
    people = [
        PersonFacts(
            person=graph_record(g, person),
            posts=person_posts,
            duties=duties_of(person),
            portfolios=[(graph_record(g, u), a.get("portfolio"), a.get("start"), a.get("end"))
                        for u, a in edges_of(g, person, "IN_CHARGE_OF") if active(a, as_of)],
        )
        for person, person_posts in posts.items()
    ]
    supervisors = [
        SupervisorFacts(graph_record(g, b), a.get("mode"), duties_of(b))
        for b, a in edges_of(g, uid, "SUPERVISES", "in")
    ]
    return PanelFacts(graph_record(g, uid), duties_of(uid), people, supervisors)


def ancestors_embedded(g: Any, uid: str) -> list[str]:
    """Units above ``uid`` by SUBORDINATE_TO, nearest first (shortest distance), then uid."""
    depth = {uid: 0}
    queue = deque([uid])
    while queue:
        here = queue.popleft()
        for parent, _ in edges_of(g, here, "SUBORDINATE_TO"):
            if parent not in depth:
                depth[parent] = depth[here] + 1
                queue.append(parent)
    return sorted((u for u in depth if u != uid), key=lambda u: (depth[u], u))


# -- the query --------------------------------------------------------------------------
def panel_facts(store: GraphStore, uid: str, as_of: str, *, up: bool = False) -> list[PanelFacts]:
    """The facts of unit ``uid`` and (with ``up``) of every unit above it, nearest first.

    Raises NotFound when there is no such unit.
    """
    db = neo4j(store)
    if db is not None:
        rows = db.read(_PANEL_CYPHER, {"uid": uid, "as_of": as_of, "up": up,
                                       "roles": list(LEADER_ROLES)})
        if not rows:
            raise NotFound("Unit", split_uid(uid)[1])
        rows.sort(key=lambda r: (r["depth"], r["uid"]))
        return [_panel_facts_neo4j(r) for r in rows]
    g = embedded(store).graph
    if uid not in g or g.nodes[uid]["label"] != "Unit":
        raise NotFound("Unit", split_uid(uid)[1])
    uids = [uid, *(ancestors_embedded(g, uid) if up else [])]
    return [_panel_facts_embedded(g, u, as_of) for u in uids]


def unit_holders(store: GraphStore, unit: str, *, as_of: str | None = None,
                 up: bool = False) -> UnitHolders:
    """The four holders of ``unit`` (a uid or bare id) as of ``as_of`` (default today).

    Raises NotFound for an unknown unit and InvalidArgument for a malformed date.
    """
    date = as_of_or_today(as_of)
    facts = panel_facts(store, uid_for(unit, "Unit"), date, up=up)
    panels = [assemble_panel(f, date) for f in facts]
    result = panels[0]
    result.ancestors = panels[1:]
    return result


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
        by_kind=ordered_counts(by_kind, kinds),
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
        rows = db.read(_OVERVIEW_CYPHER, {"uid": uid})
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
