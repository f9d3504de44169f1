"""The tables of the pages as plain rows, for the XLSX and CSV downloads.

Each builder takes what its page shows (the same query results, already narrowed to the
user's scope) and returns :class:`Table` s: headers in the page's language and one list of
cell values per row, in the order of the page's table; ids are added beside names so a
spreadsheet can join them. Dates stay ISO text (a spreadsheet would localise them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from api.i18n import Translator
from graph.messages import N_


@dataclass
class Table:
    """One table of a page: ``key`` names it in links and file names."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def _ref(ref: Any) -> tuple[str, str]:
    """(caption, id) of a node reference (dict or model), empty when there is none."""
    if not ref:
        return "", ""
    if isinstance(ref, dict):
        return str(ref.get("caption", "")), str(ref.get("id", ""))
    return str(ref.caption), str(ref.id)


def _table(t: Translator, key: str, title_code: str,
           headers: Sequence[str | tuple[str, str]]) -> Table:
    """A table titled by a catalogue code; a header is a code or (kind, property), the
    property's name as the schema gives it."""
    return Table(key, t.text(title_code),
                 [t.prop(*h) if isinstance(h, tuple) else t.text(h) for h in headers])


def _names(refs: Iterable[Any], t: Translator) -> str:
    return t.text(N_("punct.list_sep")).join(_ref(r)[0] for r in refs if r)


# -- dashboards ---------------------------------------------------------------------------
def loops_tables(loops: Any, t: Translator) -> list[Table]:
    table = _table(t, "loops", N_("ui.open_loops"), (
        N_("ui.loop_kind"), N_("ui.loop_item"), N_("ui.id"), N_("ui.loop_unit"),
        N_("ui.loop_who"), N_("ui.loop_due"), N_("ui.loop_days"), N_("ui.status")))
    for it in loops.items:
        status = t.enum(STATUS_ENUMS[it.node.label], it.status) \
            if it.node.label in STATUS_ENUMS else it.status or ""
        table.rows.append([t.said(it.kind_name), it.node.caption, it.node.id,
                           _ref(it.unit)[0], _ref(it.holder)[0], it.due_on or "",
                           it.days_overdue, status])
    return [table]


def findings_table(findings: list[dict[str, Any]], t: Translator) -> Table:
    table = _table(t, "findings", N_("ui.findings"), (
        N_("ui.severity"), N_("ui.finding_axis"), N_("ui.finding_rule"), N_("ui.finding_code"),
        N_("ui.finding_about"), N_("ui.finding_explain")))
    axes = {"vertical": t.text(N_("ui.axis_vertical")),
            "horizontal": t.text(N_("ui.axis_horizontal")),
            "structural": t.text(N_("ui.axis_structural"))}
    for f in findings:
        table.rows.append([t.enum("severity", f["severity"]), axes.get(f["axis"], f["axis"]),
                           t.said(f["name"]), f["code"], _names(f["refs"], t),
                           t.said(f["explanation"])])
    return table


def health_table(rows: list[dict[str, Any]], t: Translator) -> Table:
    table = _table(t, "health", N_("ui.health_scores"), (
        N_("ui.unit"), N_("ui.id"), N_("ui.health"), N_("ui.health_reasons")))
    for h in rows:
        name, node_id = _ref(h["unit"])
        table.rows.append([name, node_id, float(h["score"]),
                           t.text(N_("punct.group_sep")).join(h["reasons"])])
    return table


def cases_tables(cases: Any, t: Translator) -> list[Table]:
    table = _table(t, "cases", N_("ui.cases_title"), (
        N_("ui.case"), N_("ui.id"), N_("ui.unit"), ("Case", "category"), N_("ui.occurred_on")))
    for r in cases.items:
        table.rows.append([r.case.caption, r.case.id, _ref(r.unit)[0], r.category or "",
                           r.occurred_on or ""])
    return [table]


# -- single nodes -------------------------------------------------------------------------
def basis_text(b: Any, t: Translator) -> str:
    """The post, portfolio or supervision that puts a holder in a chain, as one line."""
    if b is None:
        return ""
    tenure = f"{b.start or '…'} – {b.end or t.text('ui.now')}"
    unit = _ref(b.unit)[0]
    if b.kind == "post":
        return " · ".join(x for x in (t.enum("post_role", b.role), unit, tenure) if x)
    if b.kind == "portfolio":
        text = t.text(N_("ui.in_charge_of")) + (b.portfolio or "")
        return " · ".join(x for x in (text, unit, tenure) if x)
    if b.kind == "supervision":
        return " · ".join(x for x in (t.enum("supervision_mode", b.mode)
                                      or t.text(N_("ui.supervisors_resp")), unit) if x)
    if b.kind == "assignment":
        return " · ".join(x for x in (t.text(N_("ui.role_owner")), _ref(b.issue)[0]) if x)
    if b.kind == "involvement":
        return t.text(N_("ui.role_involved"))
    if b.kind == "named_responsible":
        return t.text(N_("ui.role_responsible"))
    if b.kind == "organisation":
        return t.text(N_("ui.committee_resp"))
    return str(b.kind)


def role_text(role: str, t: Translator) -> str:
    return t.text(ROLE_CODES[role]) if role in ROLE_CODES else role


ROLE_CODES = {
    "owner": N_("ui.role_owner"), "involved": N_("ui.role_involved"),
    "responsible": N_("ui.role_responsible"),
    "member_in_charge": N_("ui.role_member_in_charge"), "secretary": N_("ui.role_secretary"),
    "committee": N_("ui.role_committee"), "discipline_body": N_("ui.role_discipline_body"),
}
STATUS_CODES = {"held": N_("ui.held"), "gap": N_("ui.gap"), "missing": N_("ui.vacancy"),
                "held_other_category": N_("ui.held_other"),
                "not_applicable": N_("ui.not_applicable")}
STATUS_ENUMS = {"Issue": "issue_status", "Project": "project_status"}


def _resp(link: Any, t: Translator) -> str:
    return (t.enum("responsibility", link.responsibility) if link.responsibility
            else t.text(N_("ui.direct_resp")))


def _holder(link: Any, t: Translator) -> tuple[str, str]:
    return (t.said(link.message), "") if link.missing else _ref(link.holder)


def decisions_table(key: str, title_code: str, items: Iterable[Any], t: Translator,
                    form_name: Any) -> Table:
    table = _table(t, key, title_code, (
        N_("ui.accountability"), N_("ui.target"), N_("ui.id"), N_("ui.acc_category"),
        N_("ui.measure"), N_("ui.form"), N_("ui.decided_on"), N_("ui.decided_by")))
    for d in items:
        target, target_id = _ref(d.target)
        table.rows.append([d.decision.caption, target, target_id,
                           t.enum("accountability_category", d.category),
                           t.enum("accountability_measure", d.measure), form_name(d.form),
                           d.decided_on or "", _ref(d.decided_by)[0]])
    return table


def case_tables(trace: Any, t: Translator, form_name: Any) -> list[Table]:
    table = _table(t, "trace", N_("ui.trace_back"), (
        N_("ui.result"), N_("ui.link"), N_("ui.responsibility"), N_("ui.acc_category"),
        N_("ui.holder"), N_("ui.id"), N_("ui.basis"), N_("ui.accountability")))
    for tl in trace.links:
        link = tl.link
        name, node_id = _holder(link, t)
        status = t.text(STATUS_CODES[tl.status]) if tl.status in STATUS_CODES else tl.status
        held = t.text(N_("punct.list_sep")).join(
            f"{t.enum('accountability_measure', d.measure)} {form_name(d.form)}".strip()
            for d in [*tl.decisions, *tl.other_decisions])
        roles = t.text(N_("punct.list_sep")).join(role_text(r, t) for r in [link.role, *link.also])
        table.rows.append([status, roles, _resp(link, t),
                           t.enum("accountability_category", link.category), name, node_id,
                           basis_text(link.basis, t), held])
    return [table, decisions_table("decisions", N_("ui.all_decisions"), trace.decisions, t,
                                   form_name)]


def issue_tables(chain: Any, t: Translator) -> list[Table]:
    table = _table(t, "chain", N_("ui.resp_chain"), (
        N_("ui.link"), N_("ui.responsibility"), N_("ui.acc_category"), N_("ui.holder"),
        N_("ui.id"), N_("ui.basis")))
    for link in chain.links:
        name, node_id = _holder(link, t)
        table.rows.append([role_text(link.role, t), _resp(link, t),
                           t.enum("accountability_category", link.category), name, node_id,
                           basis_text(link.basis, t)])
    return [table]


def unit_tables(holders: Any, t: Translator) -> list[Table]:
    four = _table(t, "holders", N_("ui.four_holders"), (
        N_("ui.responsibility"), N_("ui.holder"), N_("ui.id"), N_("ui.posts"), N_("ui.tenure"),
        N_("ui.in_charge_of"), N_("ui.duties")))
    sep = t.text(N_("punct.list_sep"))

    def add(resp: str, ref: Any, post: str, tenure: str, charge: str, duties: int) -> None:
        name, node_id = _ref(ref)
        four.rows.append([t.enum("responsibility", resp), name, node_id, post, tenure, charge,
                          duties])

    add("primary", holders.committee.unit, "", "", "", len(holders.committee.duties))
    for s in holders.secretaries:
        add("first", s.person, t.enum("post_role", s.post.role),
            f"{s.post.start or '…'} – {s.post.end or t.text('ui.now')}", "", len(s.duties))
    for mbr in holders.team:
        add("dual", mbr.person, sep.join(t.enum("post_role", p.role) for p in mbr.posts), "",
            sep.join(_ref(p.unit)[0] for p in mbr.portfolios), len(mbr.duties))
    for s in holders.supervisors:
        add("supervisory", s.unit, t.enum("supervision_mode", s.mode), "", "", len(s.duties))
    duties = _table(t, "duties", N_("ui.duty_list_title"), (
        N_("ui.duties"), N_("ui.id"), N_("ui.responsibility"), ("Duty", "list"),
        ("Duty", "aspect"), ("Duty", "year")))
    for d in holders.all_duties():
        duties.rows.append([d.duty.caption, d.duty.id, t.enum("responsibility", d.responsibility),
                            t.enum("duty_list", d.list), d.aspect or "", d.year or ""])
    return [four, duties]


def person_tables(profile: Any, t: Translator, form_name: Any) -> list[Table]:
    posts = _table(t, "posts", N_("ui.posts"), (
        N_("ui.unit"), N_("ui.id"), N_("ui.posts"), N_("ui.tenure"), N_("ui.current")))
    yes, no = t.text(N_("ui.yes")), t.text(N_("ui.no"))
    for p in profile.posts:
        name, node_id = _ref(p.unit)
        posts.rows.append([name, node_id, t.enum("post_role", p.role),
                           f"{p.start or '…'} – {p.end or t.text('ui.now')}",
                           yes if p.active else no])
    portfolios = _table(t, "portfolios", N_("ui.portfolios"), (
        N_("ui.unit"), N_("ui.id"), N_("ui.in_charge_of"), N_("ui.tenure"), N_("ui.current")))
    for p in profile.portfolios:
        name, node_id = _ref(p.unit)
        portfolios.rows.append([name, node_id, p.portfolio or "",
                                f"{p.start or '…'} – {p.end or t.text('ui.now')}",
                                yes if p.active else no])
    return [posts, portfolios, decisions_table("accountability", N_("ui.accountability"),
                                               profile.accountability, t, form_name)]
