"""``dutygraph query holders | overview | person | issue-chain | trace``.

Who holds which responsibility in a unit, what lies below it, a person's profile, the
responsibility chain of an issue and the trace-back of a case. Rich tables with Chinese and
English headings by default; the query's JSON model with ``--json``. Unknown ids and bad
dates end with a clear message and exit code 1 (see :func:`api.cli.common.cli_store`).
"""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from api.cli.common import cli_store
from graph.queries.chain import case_trace, issue_chain
from graph.queries.chain_models import CaseTrace, ChainLink, IssueChain
from graph.queries.holders import unit_holders, unit_overview
from graph.queries.holders_models import Count, DutyItem, UnitHolders, UnitOverview, UnitRef
from graph.queries.models import NodeRef
from graph.queries.person import person_profile
from graph.queries.person_models import DecisionItem, PersonProfile, RecordItem
from graph.schema import SCHEMA

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Date YYYY-MM-DD (default today).")]

ROLE_LABELS = {
    "owner": "领衔人 owner",
    "involved": "涉案人员 involved",
    "responsible": "直接责任人 named responsible",
    "member_in_charge": "分管领导 member in charge",
    "secretary": "书记 secretary",
    "committee": "党组织 committee",
    "discipline_body": "纪检监察机构 discipline body",
}
STATUS_LABELS = {
    "held": "[green]已问责 held[/green]",
    "gap": "[red]未问责 gap[/red]",
    "missing": "[yellow]环节缺失 missing[/yellow]",
    "held_other_category": "[magenta]以其他责任类型问责 held, other category[/magenta]",
    "not_applicable": "[cyan]经倒查不予追究 judged not applicable[/cyan]",
}


# -- formatting helpers ------------------------------------------------------------------
def _console() -> Console:
    return Console(soft_wrap=False)


def _emit(result: BaseModel, as_json: bool) -> bool:
    """Print JSON (non-ASCII kept) and return True when asked for it."""
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    return as_json


def _ref(ref: NodeRef | None) -> str:
    return "—" if ref is None else f"{escape(ref.caption)} [dim]{escape(ref.uid)}[/dim]"


def _enum(enum: str, code: str | None) -> str:
    """``中文 code`` for an enum code; the bare code when the schema does not know it."""
    if not code:
        return "—"
    try:
        return f"{SCHEMA.enum(enum).label(code)} {code}"
    except Exception:  # an unknown code is shown as stored, not an error
        return escape(code)


def _span(start: str | None, end: str | None) -> str:
    return f"{start or '…'} ~ {end or '…'}"


def _unit_line(u: UnitRef) -> str:
    kind = _enum("unit_kind", u.kind)
    return f"{_ref(u.unit)} · {kind} · 层级 level {u.level if u.level is not None else '—'}"


def _counts(counts: list[Count], enum: str | None) -> str:
    return ", ".join(f"{_enum(enum, c.key) if enum else escape(c.key or '—')}: {c.count}"
                     for c in counts) or "—"


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
    if _emit(result, as_json):
        return
    console = _console()
    for panel in [result, *result.ancestors]:
        _holders_panel(console, panel, duties)


def _holders_panel(console: Console, h: UnitHolders, with_duties: bool) -> None:
    table = Table(title=f"四责主体 / holders — {escape(h.unit.unit.caption)} ({h.as_of})",
                  caption=_unit_line(h.unit))
    for col in ("责任 responsibility", "主体 holder", "依据 basis", "事项 duties"):
        table.add_column(col, justify="right" if col.startswith("事项") else "left")
    table.add_row(_enum("responsibility", "primary"), _ref(h.committee.unit),
                  "党组织 organisation", str(len(h.committee.duties)))
    for s in h.secretaries:
        charge = "; ".join(f"{escape(p.portfolio or '')} → {_ref(p.unit)}" for p in s.portfolios)
        table.add_row(_enum("responsibility", "first"), _ref(s.person),
                      f"书记 secretary {_span(s.post.start, s.post.end)}"
                      + (f"\n分管 in charge: {charge}" if charge else ""), str(len(s.duties)))
    for m in h.team:
        roles = "; ".join(f"{_enum('post_role', p.role)} {_span(p.start, p.end)}" for p in m.posts)
        charge = "; ".join(f"{escape(p.portfolio or '')} → {_ref(p.unit)}" for p in m.portfolios)
        table.add_row(_enum("responsibility", "dual"), _ref(m.person),
                      roles + (f"\n分管 in charge: {charge}" if charge else ""), str(len(m.duties)))
    for b in h.supervisors:
        table.add_row(_enum("responsibility", "supervisory"), _ref(b.unit),
                      _enum("supervision_mode", b.mode), str(len(b.duties)))
    console.print(table)
    by_resp = _counts(h.duty_counts_by_responsibility, "responsibility")
    console.print(f"按责任 by responsibility: {by_resp}")
    console.print(f"按清单 by list: {_counts(h.duty_counts_by_list, 'duty_list')}"
                  f" · 方面 aspects: {len(h.duty_counts_by_aspect)}")
    for v in h.vacancies:
        console.print(f"[red]空缺 vacancy[/red] {v.code}: {escape(v.zh)} / {escape(v.en)}")
    if with_duties:
        _duty_table(console, h.all_duties())
    console.print()


def _duty_table(console: Console, items: list[DutyItem]) -> None:
    table = Table(title=f"责任事项 / duty items ({len(items)})")
    for col in ("编号 id", "内容 title", "责任 responsibility", "清单 list", "方面 aspect",
                "指标 indicator", "年度 year"):
        table.add_column(col)
    for d in items:
        table.add_row(escape(d.duty.id), escape(d.duty.caption),
                      _enum("responsibility", d.responsibility), _enum("duty_list", d.list),
                      escape(d.aspect or "—"), escape(d.indicator or "—"),
                      str(d.year) if d.year else "—")
    _show(console, table)


# -- overview -----------------------------------------------------------------------------
def overview_cmd(
    unit: Annotated[str, typer.Argument(help="Unit id or uid.")],
    as_json: JsonOpt = False,
) -> None:
    """What lies below a unit (下辖单位): descendants by level and kind, direct children."""
    with cli_store() as store:
        result = unit_overview(store, unit)
    if not _emit(result, as_json):
        _overview_tables(result)


#: Children listed by the table view; --json has them all.
_CHILDREN_SHOWN = 20


def _overview_tables(o: UnitOverview) -> None:
    console = _console()
    table = Table(title=f"下辖单位 / descendants — {escape(o.unit.unit.caption)} "
                        f"(total {o.descendants})", caption=_unit_line(o.unit))
    for col in ("层级 level", "类型 kind", "数量 count"):
        table.add_column(col, justify="right" if col.startswith("数量") else "left")
    for r in o.by_level_kind:
        table.add_row(str(r.level) if r.level is not None else "—", _enum("unit_kind", r.kind),
                      str(r.count))
    console.print(table)
    console.print("按层级 by level: " + (", ".join(
        f"{r.level if r.level is not None else '—'}: {r.count}" for r in o.by_level) or "—"))
    console.print(f"按类型 by kind: {_counts(o.by_kind, 'unit_kind')}")
    shown = o.children[:_CHILDREN_SHOWN]
    more = len(o.children) - len(shown)
    console.print(f"直属下级 children ({len(o.children)}): "
                  + ("; ".join(_ref(c.unit) for c in shown) or "—")
                  + (f" … 另有 {more} more (--json)" if more else ""))


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
    if not _emit(result, as_json):
        _person_tables(result)


def _table(title: str, cols: tuple[str, ...]) -> Table:
    table = Table(title=title)
    for col in cols:
        table.add_column(col)
    return table


def _show(console: Console, table: Table) -> None:
    """Print a table, or one line saying it is empty (empty grids are only noise)."""
    if table.row_count:
        console.print(table)
    else:
        console.print(f"[dim]{table.title}: 无 / none[/dim]")


def _yes(flag: bool, yes: str = "是 yes", no: str = "否 no") -> str:
    return yes if flag else no


def _person_tables(p: PersonProfile) -> None:
    console = _console()
    console.print(f"[bold]{_ref(p.person)}[/bold] {escape(p.title or '')} — 截至 as of {p.as_of}")
    posts = _table("任职 / posts", ("单位 unit", "角色 role", "任期 tenure", "在任 active"))
    for x in p.posts:
        posts.add_row(_ref(x.unit), _enum("post_role", x.role), _span(x.start, x.end),
                      _yes(x.active))
    _show(console, posts)
    charge = _table("分管 / portfolios", ("单位 unit", "分管领域 portfolio", "任期 tenure",
                                          "在任 active"))
    for c in p.portfolios:
        charge.add_row(_ref(c.unit), escape(c.portfolio or "—"), _span(c.start, c.end),
                       _yes(c.active))
    _show(console, charge)
    _duty_table(console, p.duties)
    issues = _table("领衔问题 / issues assigned", ("问题 issue", "单位 unit", "状态 status",
                                                   "时限 deadline", "逾期 overdue"))
    for i in p.issues:
        issues.add_row(_ref(i.issue), _ref(i.unit), _enum("issue_status", i.status),
                       i.deadline or "—", _yes(i.overdue))
    _show(console, issues)
    projects = _table("牵头项目 / projects led", ("项目 project", "状态 status", "时限 deadline",
                                                  "完成 completed", "逾期 overdue"))
    for j in p.projects:
        projects.add_row(_ref(j.project), _enum("project_status", j.status), j.deadline or "—",
                         j.completed_on or "—", _yes(j.overdue))
    _show(console, projects)
    refs = _table("廉情抄告 / referrals received", ("抄告 referral", "抄告单位 issued by",
                                                    "期限 due", "回告 replied", "已回告 answered",
                                                    "逾期 overdue"))
    for r in p.referrals:
        refs.add_row(_ref(r.referral), _ref(r.issued_by), r.due_on or "—", r.replied_on or "—",
                     _yes(r.answered), _yes(r.overdue))
    _show(console, refs)
    _records(console, "履责/失责记实（本人）/ records by", p.records_by)
    _records(console, "履责/失责记实（涉及本人）/ records concerning", p.records_concerning)
    _decisions(console, "问责 / accountability", p.accountability)
    s = p.summary
    console.print(f"在任职务 active posts {s.active_posts} · 分管 portfolios {s.active_portfolios}"
                  f" · 责任事项 duties {s.duties} · 逾期问题 overdue issues {s.overdue_issues}"
                  f" · 未回告抄告 unanswered referrals {s.unanswered_referrals}"
                  f" (逾期 overdue {s.overdue_referrals}) · 问责 accountability {s.accountability}")


def _records(console: Console, title: str, records: list[RecordItem]) -> None:
    table = _table(title, ("记实 record", "类型 kind", "事项 action", "日期 on", "主体 by",
                           "对象 concerns"))
    for r in records:
        table.add_row(_ref(r.record), _enum("record_kind", r.kind),
                      _enum("record_action", r.action), r.on or "—",
                      "; ".join(_ref(a) for a in r.actors) or "—",
                      "; ".join(_ref(t) for t in r.targets) or "—")
    _show(console, table)


def _decisions(console: Console, title: str, decisions: list[DecisionItem]) -> None:
    table = _table(title, ("问责 decision", "对象 target", "责任类型 category", "方式 measure",
                           "形态 form", "日期 decided", "案件 case"))
    for d in decisions:
        table.add_row(_ref(d.decision), _ref(d.target),
                      _enum("accountability_category", d.category),
                      _enum("accountability_measure", d.measure),
                      str(d.form) if d.form else "—", d.decided_on or "—", _ref(d.case))
    _show(console, table)


# -- chains -------------------------------------------------------------------------------
def _basis(link: ChainLink) -> str:
    if link.missing:
        return f"[yellow]{escape(link.zh)} / {escape(link.en)}[/yellow]"
    b = link.basis
    if b is None:
        return "—"
    if b.kind == "portfolio":
        where = "上级单位 parent " if b.via_parent else ""
        return f"分管 {escape(b.portfolio or '')} {where}{_ref(b.unit)} {_span(b.start, b.end)}"
    if b.kind == "post":
        return f"{_enum('post_role', b.role)} {_span(b.start, b.end)}"
    if b.kind == "supervision":
        return _enum("supervision_mode", b.mode)
    if b.kind == "assignment":
        return f"领衔 assigned {_ref(b.issue)}"
    if b.kind == "involvement":
        return "涉案 involved"
    if b.kind == "named_responsible":
        return "案件认定 named by the case"
    return "党组织 organisation"


def _chain_row(link: ChainLink) -> list[str]:
    return [ROLE_LABELS.get(link.role, link.role),
            _enum("responsibility", link.responsibility) if link.responsibility else "直接 direct",
            _enum("accountability_category", link.category),
            _ref(link.holder) if link.holder else "[yellow]缺失 missing[/yellow]",
            _basis(link)]


_CHAIN_COLS = ("环节 link", "四责 responsibility", "问责类型 category", "主体 holder", "依据 basis")


def issue_chain_cmd(
    issue: Annotated[str, typer.Argument(help="Issue id or uid.")],
    as_json: JsonOpt = False,
) -> None:
    """The responsibility chain of an issue (责任链条) as of the date it was found."""
    with cli_store() as store:
        result = issue_chain(store, issue)
    if not _emit(result, as_json):
        _chain_table(result)


def _where(unit: UnitRef | None, as_of: str, dated: bool, what: str) -> str:
    place = _ref(unit.unit) if unit else "单位未知 unit unknown"
    return f"{place} · 截至 as of {as_of} ({what if dated else '今日 today'})"


def _chain_table(c: IssueChain) -> None:
    console = _console()
    table = _table(f"责任链条 / responsibility chain — {escape(c.issue.caption)}", _CHAIN_COLS)
    table.caption = _where(c.unit, c.as_of, c.as_of_from == "found_on", "发现日期 found on")
    for link in c.links:
        table.add_row(*_chain_row(link))
    console.print(table)
    console.print(f"状态 status {_enum('issue_status', c.status)} · "
                  f"缺失环节 missing links {len(c.missing)}")


def trace_cmd(
    case: Annotated[str, typer.Argument(help="Case id or uid.")],
    as_json: JsonOpt = False,
) -> None:
    """Trace a case back (倒查): the chain when it occurred against the accountability
    decided -- who was held, who in the chain was not, who outside it was."""
    with cli_store() as store:
        result = case_trace(store, case)
    if not _emit(result, as_json):
        _trace_tables(result)


def _measures(decisions: list[DecisionItem], with_category: bool = False) -> str:
    return "; ".join(
        (f"{_enum('accountability_category', d.category)}: " if with_category else "")
        + f"{_enum('accountability_measure', d.measure)}"
        + f"{f' 形态{d.form}' if d.form else ''} {d.decided_on or ''}" for d in decisions)


def _trace_tables(t: CaseTrace) -> None:
    """Each person once in the role the rules give them; a link held only by a decision of
    its category; the rectification of the originating issue and the 案后治理 beside it."""
    console = _console()
    table = _table(f"倒查 / trace-back — {escape(t.case.caption)}",
                   (*_CHAIN_COLS, "问责 accountability", "决定 decisions"))
    table.caption = _where(t.unit, t.as_of, t.as_of_from == "occurred_on", "发生日期 occurred on")
    for x in t.links:
        row = _chain_row(x.link)
        if x.link.also:
            row[3] += " (" + "、".join(ROLE_LABELS.get(r, r) for r in x.link.also) + ")"
        shown = (_measures(x.other_decisions, with_category=True)
                 if x.status == "held_other_category" else _measures(x.decisions))
        table.add_row(*row, STATUS_LABELS.get(x.status, x.status), shown or "—")
    console.print(table)
    if t.outside_chain:
        _decisions(console, "链条外问责 / held accountable outside the chain", t.outside_chain)
    if t.rectification:
        rect = _table("来源问题的整改（领衔整改，不在问责链条中）/ rectification of the "
                      "originating issue (outside the accountability chain)",
                      ("问题 issue", "状态 status", "领衔整改 leads the rectification"))
        for r in t.rectification:
            owners = "、".join(
                _ref(o.person) + (f" [dim](链条中为 in the chain as "
                                  f"{ROLE_LABELS.get(o.in_chain, o.in_chain)})[/dim]"
                                  if o.in_chain else "") for o in r.owners) or "—"
            rect.add_row(_ref(r.issue), _enum("issue_status", r.status), owners)
        console.print(rect)
    post = _table("案后治理 / post-case governance (FOLLOWS_CASE)",
                  ("事项 item", "状态 status", "日期 date", "牵头 leads"))
    for p in t.post_case:
        enum = "issue_status" if p.kind == "Issue" else "project_status"
        post.add_row(_ref(p.node), _enum(enum, p.status), p.on or "—",
                     "、".join(_ref(x) for x in p.leads) or "—")
    _show(console, post)
    s = t.summary
    console.print(f"应担责 expected {s.expected} · 已问责 held {s.held} · "
                  f"以其他类型问责 other category {s.held_other_category} · "
                  f"不予追究 not applicable {s.not_applicable} · 未问责 gaps {s.gaps}"
                  f" · 缺失 missing {s.missing} · 链条外 outside {s.outside_chain}")
    console.print(f"问责决定 decisions {s.decisions}: 人次 person-times {s.persons} · "
                  f"党组织 organisations {s.organisations} 个")
    if s.stopped_at_direct:
        console.print("[red]问责止于直接责任人 / accountability stopped at the direct person[/red]")
    elif s.whole_chain_held:
        console.print("[green]全链条问责 / the whole chain was held accountable[/green]")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app`` (the ``query`` group)."""
    app.command("holders")(holders_cmd)
    app.command("overview")(overview_cmd)
    app.command("person")(person_cmd)
    app.command("issue-chain")(issue_chain_cmd)
    app.command("trace")(trace_cmd)
