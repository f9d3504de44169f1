"""``dutygraph query open-loops | accountability-stats | search | neighbourhood | path``.

Human-readable tables by default, the query's JSON model with ``--json``. Unknown ids and
bad arguments end with a clear message and exit code 1 (see :func:`api.cli.common.cli_store`).
"""

from __future__ import annotations

import itertools
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from api.cli import output as out
from api.cli.common import cli_store
from api.cli.text import say, say_n
from graph.queries.loops import LOOP_KINDS, OpenLoops, open_loops
from graph.queries.search import SearchResults, search
from graph.queries.stats import AccountabilityStats, Bucket, YearCount, accountability_stats
from graph.queries.subgraph import Subgraph, neighbourhood, shortest_paths

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
UnitOpt = Annotated[str | None, typer.Option("--unit", "-u",
                                             help="A unit id or uid: only its subtree.")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Date YYYY-MM-DD (default today).")]
TypesOpt = Annotated[list[str] | None, typer.Option("--type", "-t",
                                                    help="Relationship type (repeatable).")]
LabelsOpt = Annotated[list[str] | None, typer.Option("--label", "-l",
                                                     help="Node kind, e.g. Unit (repeatable).")]


def open_loops_cmd(
    unit: UnitOpt = None,
    as_of: AsOfOpt = None,
    kind: Annotated[list[str] | None, typer.Option(
        "--kind", "-k", help="Only these kinds: " + ", ".join(LOOP_KINDS))] = None,
    limit: Annotated[int, typer.Option(help="Rows per page.")] = 50,
    offset: Annotated[int, typer.Option(help="Rows to skip.")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """Open loops (未闭环事项): overdue referrals, issues without owner or project, projects
    past deadline -- most overdue first."""
    with cli_store() as store:
        result = open_loops(store, unit=unit, as_of=as_of, kinds=kind, limit=limit, offset=offset)
    if not out.emit(result, as_json):
        _loops_table(result)


def _loops_table(result: OpenLoops) -> None:
    scope = escape(result.unit.caption) if result.unit else say("cli.all")
    table = Table(title=say("cli.loops_title", scope=scope, date=result.as_of))
    table.add_column(say("ui.loop_days"), justify="right")
    for col in (say("cli.col_kind"), say("cli.col_item"), say("cli.col_unit"),
                say("cli.col_responsible"), say("cli.col_due")):
        table.add_column(col)
    for i in result.items:
        table.add_row(str(i.days_overdue), out.said(i.kind_name), out.ref(i.node),
                      out.ref(i.unit), out.ref(i.holder), i.due_on or "—")
    console = out.console()
    console.print(table)
    totals = ", ".join(f"{escape(say(LOOP_KINDS[k]))} {n}" for k, n in result.totals.items())
    shown = f"{result.offset + 1}–{result.offset + len(result.items)}" if result.items else "0"
    console.print(say("cli.loops_total", total=result.total, totals=totals, shown=shown))


def stats_cmd(
    unit: UnitOpt = None,
    year: Annotated[list[int] | None, typer.Option("--year", "-y",
                                                   help="Only this year (repeatable).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Accountability statistics (问责统计) by year, category, measure and form."""
    with cli_store() as store:
        result = accountability_stats(store, unit=unit, years=year)
    if not out.emit(result, as_json):
        _stats_tables(result)


def _stats_tables(result: AccountabilityStats) -> None:
    """Persons (人次) and Party organisations (个) side by side per year, then each kind's
    breakdowns: the two are never added up."""
    console = out.console()
    scope = escape(result.unit.caption) if result.unit else say("cli.all")
    persons, orgs = result.persons, result.organisations
    years = Table(title=say("cli.stats_title_split", scope=scope))
    for col in (say("cli.col_year"), say("cli.col_person_times"), say("cli.col_change"),
                say("cli.col_change_pct"), say("ui.orgs_count"), say("cli.col_change")):
        years.add_column(col, justify="right")
    by_year = {y.year: y for y in persons.by_year}
    org_years = {y.year: y for y in orgs.by_year}
    for year in sorted(by_year.keys() | org_years.keys()):
        p, o = by_year.get(year), org_years.get(year)
        years.add_row(str(year), str(p.count) if p else "0", _change(p),
                      "—" if p is None or p.change_pct is None else f"{p.change_pct:+.1f}%",
                      str(o.count) if o else "0", _change(o))
    years.add_row(say("ui.total"), str(persons.total), "", "", str(orgs.total), "")
    console.print(years)
    console.print(say("cli.stats_kinds", persons=persons.total, people=persons.distinct,
                      orgs=orgs.total, distinct=orgs.distinct))
    if result.untargeted:
        console.print(say("cli.stats_untargeted", n=result.untargeted))

    def dim(title: str, buckets: list[Bucket], counted: str) -> None:
        if not buckets:
            return
        t = Table(title=title)
        t.add_column(say("cli.col_value"))
        t.add_column(counted, justify="right")
        for b in buckets:
            t.add_row(out.said(b.label), str(b.count))
        console.print(t)

    for kind in (persons, orgs):
        who, counted = out.said(kind.name), out.said(kind.counted)
        dim(f"{who} · {say('cli.col_category')}", kind.by_category, counted)
        dim(f"{who} · {say('cli.col_measure')}", kind.by_measure, counted)
        dim(f"{who} · {say('cli.col_form')}", kind.by_form, counted)
    console.print(f"[dim]{out.said(result.rule_text)}[/dim]")


def _change(y: YearCount | None) -> str:
    return "—" if y is None or y.change is None else f"{y.change:+d}"


def search_cmd(
    text: Annotated[str, typer.Argument(help="Name or title, Chinese or English.")],
    label: LabelsOpt = None,
    limit: Annotated[int, typer.Option(help="At most this many hits.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Search names and titles (检索), best match first."""
    with cli_store() as store:
        result = search(store, text, labels=label, limit=limit)
    if not out.emit(result, as_json):
        _search_table(result)


def _search_table(result: SearchResults) -> None:
    table = Table(title=say("cli.search_title", query=escape(result.query)))
    for col in ("#", say("cli.col_name"), say("cli.col_kind"), "uid", say("cli.col_match"),
                say("cli.col_context")):
        table.add_column(col)
    for n, h in enumerate(result.hits, 1):
        table.add_row(str(n), escape(h.node.caption), out.kind(h.node.label),
                      escape(h.node.uid), escape(h.match), out.said(h.context_text, ""))
    console = out.console()
    console.print(table)
    if not result.hits:
        console.print(say("cli.no_match"))


def neighbourhood_cmd(
    node: Annotated[str, typer.Argument(help="A node uid (unit:JD) or id.")],
    depth: Annotated[int, typer.Option("--depth", "-d", help="Hops (1-5).")] = 1,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many nodes.")] = 200,
    rel_type: TypesOpt = None,
    label: LabelsOpt = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The neighbourhood of a node (capped; "N more" for what the cap left out)."""
    with cli_store() as store:
        result = neighbourhood(store, node, depth=depth, rel_types=rel_type, labels=label,
                               limit=limit, as_of=as_of)
    if not out.emit(result, as_json):
        _subgraph_tables(result, say("cli.neighbourhood_title", node=escape(result.roots[0]),
                                     depth=depth))


def path_cmd(
    a: Annotated[str, typer.Argument(help="From: a node uid or id.")],
    b: Annotated[str, typer.Argument(help="To: a node uid or id.")],
    max_depth: Annotated[int, typer.Option("--max-depth", help="Longest path (hops, 1-10).")] = 6,
    rel_type: TypesOpt = None,
    limit: Annotated[int, typer.Option(help="At most this many paths.")] = 5,
    as_json: JsonOpt = False,
) -> None:
    """All shortest paths between two nodes (relationships in either direction)."""
    with cli_store() as store:
        result = shortest_paths(store, a, b, max_depth=max_depth, rel_types=rel_type, limit=limit)
    if not out.emit(result, as_json):
        _paths_text(result)


def _subgraph_tables(result: Subgraph, title: str) -> None:
    console = out.console()
    nodes = Table(title=say("cli.subgraph_title", title=title,
                            nodes=say_n("ui.n_nodes", len(result.nodes)),
                            rels=say_n("ui.n_relationships", len(result.edges))))
    for col in (say("cli.col_level"), say("cli.col_name"), say("cli.col_kind"), "uid",
                say("cli.col_more")):
        nodes.add_column(col)
    for n in result.nodes:
        more = result.more.get(n.uid)
        nodes.add_row(str(n.level), escape(n.caption), escape(n.label), escape(n.uid),
                      f"+{more}" if more else "")
    console.print(nodes)
    edges = Table(title=say("ui.relationships"))
    for col in (say("cli.col_from"), say("cli.col_type"), say("cli.col_to"),
                say("cli.col_props")):
        edges.add_column(col)
    for e in result.edges:
        props = ", ".join(f"{k}={v}" for k, v in e.props.items())
        edges.add_row(escape(e.src), escape(e.type), escape(e.dst), escape(props))
    console.print(edges)
    if result.truncated:
        cut = say("cli.truncated", n=sum(result.more.values()))
        console.print(f"[yellow]{cut}[/yellow]")


def _paths_text(result: Subgraph) -> None:
    console = out.console()
    if not result.paths:
        console.print(say("cli.no_path", a=escape(result.roots[0]), b=escape(result.roots[1])))
        raise typer.Exit(0)
    captions = {n.uid: n.caption for n in result.nodes}
    by_pair: dict[frozenset[str], list[str]] = {}
    for e in result.edges:
        by_pair.setdefault(frozenset((e.src, e.dst)), []).append(e.type)
    for i, path in enumerate(result.paths, 1):
        parts = [f"{escape(captions[path[0]])} [dim]{escape(path[0])}[/dim]"]
        for u, v in itertools.pairwise(path):
            types = "|".join(sorted(set(by_pair.get(frozenset((u, v)), []))))
            parts.append(f" —{escape(types)}— {escape(captions[v])} [dim]{escape(v)}[/dim]")
        console.print(f"{i}. " + "".join(parts))


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app`` (the ``query`` group)."""
    app.command("open-loops")(open_loops_cmd)
    app.command("accountability-stats")(stats_cmd)
    app.command("search")(search_cmd)
    app.command("neighbourhood")(neighbourhood_cmd)
    app.command("path")(path_cmd)
