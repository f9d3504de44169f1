"""``dutygraph query holders | overview | person | issue-chain | trace``.

Who holds which responsibility in a unit, what lies below it, a person's profile, the
responsibility chain of an issue and the trace-back of a case. Rich tables in the CLI's
language (``--lang``, Chinese by default); the query's JSON model with ``--json``. Unknown
ids and bad dates end with a clear message and exit code 1 (see
:func:`api.cli.common.cli_store`).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from api.cli import output as out
from api.cli.common import cli_store
from api.cli.text import enum_text, say
from graph.queries.chain import case_trace, issue_chain
from graph.queries.chain_models import CaseTrace, ChainLink, IssueChain
from graph.queries.holders import unit_holders, unit_overview
from graph.queries.holders_models import (
    Count,
    DutyItem,
    Portfolio,
    UnitHolders,
    UnitOverview,
    UnitRef,
)
from graph.queries.person import person_profile
from graph.queries.person_models import DecisionItem, PersonProfile, RecordItem

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Date YYYY-MM-DD (default today).")]


def _role(role: str) -> str:
    """A link's role in a chain, as the pages name it."""
    names = {
        "owner": say("ui.role_owner"),
        "involved": say("ui.role_involved"),
        "responsible": say("ui.role_responsible"),
        "member_in_charge": say("ui.role_member_in_charge"),
        "secretary": say("ui.role_secretary"),
        "committee": say("ui.role_committee"),
        "discipline_body": say("ui.role_discipline_body"),
    }
    return names.get(role, escape(role))


def _status(status: str) -> str:
    """A trace-back link's outcome, coloured and in words."""
    if status == "held":
        return "[green]" + say("cli.status_held") + "[/green]"
    if status == "gap":
        return "[red]" + say("cli.status_gap") + "[/red]"
    if status == "missing":
        return "[yellow]" + say("cli.status_missing") + "[/yellow]"
    if status == "held_other_category":
        return "[magenta]" + say("ui.held_other") + "[/magenta]"
    if status == "not_applicable":
        return "[cyan]" + say("ui.not_applicable") + "[/cyan]"
    return escape(status)


# -- formatting helpers ------------------------------------------------------------------








def _unit_line(u: UnitRef) -> str:
    level = u.level if u.level is not None else "—"
    return f"{out.ref(u.unit)} · {enum_text('unit_kind', u.kind)} · " + say("cli.level_n", n=level)


def _counts(counts: list[Count], enum: str | None) -> str:
    return ", ".join(f"{enum_text(enum, c.key) if enum else escape(c.key or '—')}: {c.count}"
                     for c in counts) or "—"


def _charge(portfolios: list[Portfolio]) -> str:
    """``\n分管：领域 → 单位; …`` (empty when there are none)."""
    items = "; ".join(f"{escape(p.portfolio or '')} → {out.ref(p.unit)}" for p in portfolios)
    return "\n" + say("cli.in_charge", items=items) if items else ""


# -- holders ------------------------------------------------------------------------------
def holders_cmd(
    unit: Annotated[str, typer.Argument(help="Unit id or uid, e.g. JD or unit:JD.")],
    as_of: AsOfOpt = None,
    up: Annotated[bool, typer.Option("--up", help="Also every unit above, to the top.")] = False,
    duties: Annotated[bool, typer.Option("--duties", help="List every duty item.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """The four holders of a unit (四责主体) as of a date: committee, secretary, team
    members with their portfolios, supervising discipline bodies -- and vacancies."""
    with cli_store() as store:
        result = unit_holders(store, unit, as_of=as_of, up=up)
    if out.emit(result, as_json):
        return
    console = out.console()
    for panel in [result, *result.ancestors]:
        _holders_panel(console, panel, duties)


def _holders_panel(console: Console, h: UnitHolders, with_duties: bool) -> None:
    table = Table(title=say("cli.holders_title", unit=escape(h.unit.unit.caption), date=h.as_of),
                  caption=_unit_line(h.unit))
    table.add_column(say("cli.col_responsibility"))
    table.add_column(say("cli.col_holder"))
    table.add_column(say("cli.col_basis"))
    table.add_column(say("cli.col_duties"), justify="right")
    table.add_row(enum_text("responsibility", "primary"), out.ref(h.committee.unit),
                  say("cli.basis_organisation"), str(len(h.committee.duties)))
    for s in h.secretaries:
        table.add_row(enum_text("responsibility", "first"), out.ref(s.person),
                      say("ui.secretary") + f" {out.span(s.post.start, s.post.end)}"
                      + _charge(s.portfolios), str(len(s.duties)))
    for m in h.team:
        roles = "; ".join(f"{enum_text('post_role', p.role)} {out.span(p.start, p.end)}"
                          for p in m.posts)
        table.add_row(enum_text("responsibility", "dual"), out.ref(m.person),
                      roles + _charge(m.portfolios), str(len(m.duties)))
    for b in h.supervisors:
        table.add_row(enum_text("responsibility", "supervisory"), out.ref(b.unit),
                      enum_text("supervision_mode", b.mode), str(len(b.duties)))
    console.print(table)
    by_resp = _counts(h.duty_counts_by_responsibility, "responsibility")
    console.print(say("cli.by_responsibility", counts=by_resp))
    console.print(say("cli.by_list", counts=_counts(h.duty_counts_by_list, "duty_list"),
                      aspects=len(h.duty_counts_by_aspect)))
    for v in h.vacancies:
        console.print("[red]" + say("cli.vacancy") + f"[/red] {v.code}: {out.said(v.message)}")
    if with_duties:
        _duty_table(console, h.all_duties())
    console.print()


def _duty_table(console: Console, items: list[DutyItem]) -> None:
    table = out.table(say("cli.duty_items_title", n=len(items)), (
        say("cli.col_id"), say("cli.col_title"), say("cli.col_responsibility"),
        say("cli.col_list"), say("cli.col_aspect"), say("cli.col_indicator"),
        say("cli.col_year")))
    for d in items:
        table.add_row(escape(d.duty.id), escape(d.duty.caption),
                      enum_text("responsibility", d.responsibility), enum_text("duty_list", d.list),
                      escape(d.aspect or "—"), escape(d.indicator or "—"),
                      str(d.year) if d.year else "—")
    out.show(console, table)


# -- overview -----------------------------------------------------------------------------
def overview_cmd(
    unit: Annotated[str, typer.Argument(help="Unit id or uid.")],
    as_json: JsonOpt = False,
) -> None:
    """What lies below a unit (下辖单位): descendants by level and kind, direct children."""
    with cli_store() as store:
        result = unit_overview(store, unit)
    if not out.emit(result, as_json):
        _overview_tables(result)


#: Children listed by the table view; --json has them all.
_CHILDREN_SHOWN = 20


def _overview_tables(o: UnitOverview) -> None:
    console = out.console()
    table = Table(title=say("cli.descendants_title", unit=escape(o.unit.unit.caption),
                            n=o.descendants), caption=_unit_line(o.unit))
    table.add_column(say("cli.col_level"))
    table.add_column(say("cli.col_kind"))
    table.add_column(say("cli.col_count"), justify="right")
    for r in o.by_level_kind:
        table.add_row(str(r.level) if r.level is not None else "—", enum_text("unit_kind", r.kind),
                      str(r.count))
    console.print(table)
    by_level = ", ".join(f"{r.level if r.level is not None else '—'}: {r.count}"
                         for r in o.by_level) or "—"
    console.print(say("cli.by_level", counts=by_level))
    console.print(say("cli.by_kind", counts=_counts(o.by_kind, "unit_kind")))
    shown = o.children[:_CHILDREN_SHOWN]
    more = len(o.children) - len(shown)
    console.print(say("cli.children", n=len(o.children),
                      items="; ".join(out.ref(c.unit) for c in shown) or "—")
                  + (say("cli.more_in_json", n=more) if more else ""))


# -- person -------------------------------------------------------------------------------
def person_cmd(
    person: Annotated[str, typer.Argument(help="Person id or uid.")],
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A person's profile (人员画像): posts and portfolios over time, duties, issues,
    projects, referrals, records and accountability."""
    with cli_store() as store:
        result = person_profile(store, person, as_of=as_of)
    if not out.emit(result, as_json):
        _person_tables(result)








def _person_tables(p: PersonProfile) -> None:
    console = out.console()
    console.print(f"[bold]{out.ref(p.person)}[/bold] {escape(p.title or '')} — "
                  + say("cli.as_of", date=p.as_of))
    posts = out.table(say("ui.posts"), (say("cli.col_unit"), say("cli.col_role"),
                                     say("cli.col_tenure"), say("cli.col_active")))
    for x in p.posts:
        posts.add_row(out.ref(x.unit), enum_text("post_role", x.role), out.span(x.start, x.end),
                      out.yes(x.active))
    out.show(console, posts)
    charge = out.table(say("ui.portfolios"), (say("cli.col_unit"), say("cli.col_portfolio"),
                                           say("cli.col_tenure"), say("cli.col_active")))
    for c in p.portfolios:
        charge.add_row(out.ref(c.unit), out.text(c.portfolio), out.span(c.start, c.end),
                       out.yes(c.active))
    out.show(console, charge)
    _duty_table(console, p.duties)
    issues = out.table(say("ui.issues_assigned"), (
        say("cli.col_issue"), say("cli.col_unit"), say("cli.col_status"),
        say("cli.col_deadline"), say("cli.col_overdue")))
    for i in p.issues:
        issues.add_row(out.ref(i.issue), out.ref(i.unit), enum_text("issue_status", i.status),
                       i.deadline or "—", out.yes(i.overdue))
    out.show(console, issues)
    projects = out.table(say("ui.projects_led"), (
        say("cli.col_project"), say("cli.col_status"), say("cli.col_deadline"),
        say("cli.col_completed"), say("cli.col_overdue")))
    for j in p.projects:
        projects.add_row(out.ref(j.project), enum_text("project_status", j.status),
                         j.deadline or "—", j.completed_on or "—", out.yes(j.overdue))
    out.show(console, projects)
    refs = out.table(say("ui.referrals_received"), (
        say("cli.col_referral"), say("cli.col_issued_by"), say("cli.col_due"),
        say("cli.col_replied"), say("cli.col_answered"), say("cli.col_overdue")))
    for r in p.referrals:
        refs.add_row(out.ref(r.referral), out.ref(r.issued_by), r.due_on or "—",
                     r.replied_on or "—", out.yes(r.answered), out.yes(r.overdue))
    out.show(console, refs)
    _records(console, say("cli.records_by"), p.records_by)
    _records(console, say("cli.records_concerning"), p.records_concerning)
    _decisions(console, say("ui.accountability"), p.accountability)
    s = p.summary
    console.print(say("cli.person_summary", posts=s.active_posts,
                      portfolios=s.active_portfolios, duties=s.duties,
                      overdue_issues=s.overdue_issues, unanswered=s.unanswered_referrals,
                      overdue_referrals=s.overdue_referrals, accountability=s.accountability))


def _records(console: Console, title: str, records: list[RecordItem]) -> None:
    table = out.table(title, (say("cli.col_record"), say("cli.col_kind"), say("cli.col_action"),
                           say("cli.col_on"), say("cli.col_by"), say("cli.col_concerns")))
    for r in records:
        table.add_row(out.ref(r.record), enum_text("record_kind", r.kind),
                      enum_text("record_action", r.action), r.on or "—",
                      "; ".join(out.ref(a) for a in r.actors) or "—",
                      "; ".join(out.ref(t) for t in r.targets) or "—")
    out.show(console, table)


def _decisions(console: Console, title: str, decisions: list[DecisionItem]) -> None:
    table = out.table(title, (say("cli.col_decision"), say("cli.col_target"),
                           say("cli.col_category"), say("cli.col_measure"), say("cli.col_form"),
                           say("cli.col_decided"), say("cli.col_case")))
    for d in decisions:
        table.add_row(out.ref(d.decision), out.ref(d.target),
                      enum_text("accountability_category", d.category),
                      enum_text("accountability_measure", d.measure),
                      str(d.form) if d.form else "—", d.decided_on or "—", out.ref(d.case))
    out.show(console, table)


# -- chains -------------------------------------------------------------------------------
def _basis(link: ChainLink) -> str:
    if link.missing:
        return f"[yellow]{out.said(link.message)}[/yellow]"
    b = link.basis
    if b is None:
        return "—"
    if b.kind == "portfolio":
        where = say("cli.via_parent") if b.via_parent else ""
        return (say("ui.in_charge_of")
                + f" {escape(b.portfolio or '')} {where}{out.ref(b.unit)} "
                + out.span(b.start, b.end))
    if b.kind == "post":
        return f"{enum_text('post_role', b.role)} {out.span(b.start, b.end)}"
    if b.kind == "supervision":
        return enum_text("supervision_mode", b.mode)
    if b.kind == "assignment":
        return say("ui.role_owner") + f" {out.ref(b.issue)}"
    if b.kind == "involvement":
        return say("ui.role_involved")
    if b.kind == "named_responsible":
        return say("ui.role_responsible")
    return say("cli.basis_organisation")


def _chain_row(link: ChainLink) -> list[str]:
    return [_role(link.role),
            enum_text("responsibility", link.responsibility) if link.responsibility
            else say("ui.direct_resp"),
            enum_text("accountability_category", link.category),
            out.ref(link.holder) if link.holder else _status("missing"),
            _basis(link)]


def _chain_cols() -> tuple[str, ...]:
    return (say("cli.col_link"), say("cli.col_responsibility"), say("cli.col_category"),
            say("cli.col_holder"), say("cli.col_basis"))


def issue_chain_cmd(
    issue: Annotated[str, typer.Argument(help="Issue id or uid.")],
    as_json: JsonOpt = False,
) -> None:
    """The responsibility chain of an issue (责任链条) as of the date it was found."""
    with cli_store() as store:
        result = issue_chain(store, issue)
    if not out.emit(result, as_json):
        _chain_table(result)


def _where(unit: UnitRef | None, as_of: str, dated: bool, what: str) -> str:
    place = out.ref(unit.unit) if unit else say("cli.unit_unknown")
    return say("cli.where_as_of", place=place, date=as_of,
               what=what if dated else say("cli.today"))


def _chain_table(c: IssueChain) -> None:
    console = out.console()
    table = out.table(say("cli.chain_title", issue=escape(c.issue.caption)), _chain_cols())
    table.caption = _where(c.unit, c.as_of, c.as_of_from == "found_on", say("ui.found_on"))
    for link in c.links:
        table.add_row(*_chain_row(link))
    console.print(table)
    console.print(say("cli.chain_summary", status=enum_text("issue_status", c.status),
                      missing=len(c.missing)))


def trace_cmd(
    case: Annotated[str, typer.Argument(help="Case id or uid.")],
    as_json: JsonOpt = False,
) -> None:
    """Trace a case back (倒查): the chain when it occurred against the accountability
    decided -- who was held, who in the chain was not, who outside it was."""
    with cli_store() as store:
        result = case_trace(store, case)
    if not out.emit(result, as_json):
        _trace_tables(result)


def _measures(decisions: list[DecisionItem], with_category: bool = False) -> str:
    return "; ".join(
        (enum_text("accountability_category", d.category) + ": " if with_category else "")
        + enum_text("accountability_measure", d.measure)
        + (" " + say("ui.form_n", n=d.form) if d.form else "") + f" {d.decided_on or ''}"
        for d in decisions)


def _trace_tables(t: CaseTrace) -> None:
    """Each person once in the role the rules give them; a link held only by a decision of
    its category; the rectification of the originating issue and the 案后治理 beside it."""
    console = out.console()
    table = out.table(say("cli.trace_title", case=escape(t.case.caption)),
                   (*_chain_cols(), say("ui.accountability"), say("cli.col_decisions")))
    table.caption = _where(t.unit, t.as_of, t.as_of_from == "occurred_on", say("ui.occurred_on"))
    for x in t.links:
        row = _chain_row(x.link)
        if x.link.also:
            row[3] += " (" + ", ".join(_role(r) for r in x.link.also) + ")"
        shown = (_measures(x.other_decisions, with_category=True)
                 if x.status == "held_other_category" else _measures(x.decisions))
        table.add_row(*row, _status(x.status), shown or "—")
    console.print(table)
    if t.outside_chain:
        _decisions(console, say("ui.outside_chain"), t.outside_chain)
    if t.rectification:
        rect = out.table(say("ui.rectification"),
                      (say("ui.issue"), say("ui.status"), say("ui.role_rectification_lead")))
        for r in t.rectification:
            owners = ", ".join(
                out.ref(o.person) + (" [dim](" + say("ui.in_chain_as", role=_role(o.in_chain))
                                  + ")[/dim]" if o.in_chain else "")
                for o in r.owners) or "—"
            rect.add_row(out.ref(r.issue), enum_text("issue_status", r.status), owners)
        console.print(rect)
        console.print("[dim]" + say("ui.rectification_note") + "[/dim]")
    post = out.table(say("ui.post_case"),
                  (say("ui.name"), say("ui.status"), say("ui.date"), say("ui.holder")))
    for p in t.post_case:
        enum = "issue_status" if p.kind == "Issue" else "project_status"
        post.add_row(out.ref(p.node), enum_text(enum, p.status), p.on or "—",
                     ", ".join(out.ref(x) for x in p.leads) or "—")
    out.show(console, post)
    s = t.summary
    console.print(say("ui.trace_counts", expected=s.expected, held=s.held, gaps=s.gaps,
                      missing=s.missing, outside=s.outside_chain)
                  + " · " + say("ui.held_other") + f" {s.held_other_category}"
                  + " · " + say("ui.not_applicable") + f" {s.not_applicable}")
    console.print(say("cli.trace_decisions", n=s.decisions, persons=s.persons,
                      orgs=s.organisations))
    if s.stopped_at_direct:
        console.print("[red]" + say("ui.stopped_at_direct") + "[/red]")
    elif s.whole_chain_held:
        console.print("[green]" + say("cli.whole_chain_held") + "[/green]")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app`` (the ``query`` group)."""
    app.command("holders")(holders_cmd)
    app.command("overview")(overview_cmd)
    app.command("person")(person_cmd)
    app.command("issue-chain")(issue_chain_cmd)
    app.command("trace")(trace_cmd)
