"""``dutygraph query open-loops | accountability-stats | search | neighbourhood | path``.

Human-readable tables by default, the query's JSON model with ``--json``. Unknown ids and
bad arguments end with a clear message and exit code 1 (see :func:`api.cli.common.cli_store`).
"""

from __future__ import annotations

import itertools
from typing import Annotated

import typer
from rich.table import Table

from api.cli import output as out
from api.cli.common import cli_store
from graph.queries.loops import LOOP_KINDS, OpenLoops, open_loops
from graph.queries.search import SearchResults, search
from graph.queries.stats import AccountabilityStats, Bucket, accountability_stats
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
    scope = out.text(result.unit.caption) if result.unit else "全部 / all"
    table = Table(title=f"未闭环事项 / open loops — {scope}, {result.as_of}")
    cols = ("逾期天数 days", "类型 kind", "事项 item", "单位 unit", "责任人 holder", "期限 due")
    for col in cols:
        table.add_column(col, justify="right" if col.startswith("逾期") else "left")
    for i in result.items:
        table.add_row(str(i.days_overdue), out.text(i.kind_zh), out.ref(i.node), out.ref(i.unit),
                      out.ref(i.holder), out.text(i.due_on))
    console = out.console()
    console.print(table)
    totals = ", ".join(f"{LOOP_KINDS[k][0]} {n}" for k, n in result.totals.items())
    shown = f"{result.offset + 1}–{result.offset + len(result.items)}" if result.items else "0"
    console.print(f"合计 total {result.total} ({totals}); 显示 shown {shown}")


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
    console = out.console()
    scope = out.text(result.unit.caption) if result.unit else "全部 / all"
    years = Table(title=f"问责人次 / accountability — {scope} (total {result.total})")
    for col in ("年度 year", "人次 count", "增减 change", "增幅 %"):
        years.add_column(col, justify="right")
    for y in result.by_year:
        change = "—" if y.change is None else f"{y.change:+d}"
        pct = "—" if y.change_pct is None else f"{y.change_pct:+.1f}%"
        years.add_row(str(y.year), str(y.count), change, pct)
    console.print(years)

    def dim(title: str, buckets: list[Bucket]) -> None:
        t = Table(title=title)
        t.add_column("类别 value")
        t.add_column("人次 count", justify="right")
        for b in buckets:
            t.add_row(f"{out.text(b.zh)} / {out.text(b.en)}", str(b.count))
        console.print(t)

    dim("责任类型 / category", result.by_category)
    dim("问责方式 / measure", result.by_measure)
    dim("形态 / form", result.by_form)
    dim("对象 / target", result.by_target)
    console.print(f"[dim]{out.text(result.rule)}[/dim]")


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
    table = Table(title=f"检索 / search: {out.text(result.query)}")
    for col in ("#", "名称 name", "类型 kind", "uid", "匹配 match", "说明 context"):
        table.add_column(col)
    for n, h in enumerate(result.hits, 1):
        table.add_row(str(n), out.text(h.node.caption), out.text(h.kind_zh), out.text(h.node.uid),
                      out.text(h.match), out.text(h.context, ""))
    console = out.console()
    console.print(table)
    if not result.hits:
        console.print("无结果 / no match")


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
        _subgraph_tables(result, f"邻域 / neighbourhood of {out.text(result.roots[0])} "
                                 f"(depth {depth})")


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
    nodes = Table(title=f"{title}: {len(result.nodes)} nodes, {len(result.edges)} edges")
    for col in ("层 level", "名称 name", "类型 kind", "uid", "未显示 more"):
        nodes.add_column(col)
    for n in result.nodes:
        more = result.more.get(n.uid)
        nodes.add_row(str(n.level), out.text(n.caption), out.text(n.label), out.text(n.uid),
                      f"+{more}" if more else "")
    console.print(nodes)
    edges = Table(title="关系 / relationships")
    for col in ("from", "type", "to", "props"):
        edges.add_column(col)
    for e in result.edges:
        props = ", ".join(f"{out.text(k)}={out.text(v, '')}" for k, v in e.props.items())
        edges.add_row(out.text(e.src), out.text(e.type), out.text(e.dst), props)
    console.print(edges)
    if result.truncated:
        console.print(f"[yellow]截断 / truncated: {sum(result.more.values())} more[/yellow]")


def _paths_text(result: Subgraph) -> None:
    console = out.console()
    if not result.paths:
        console.print(f"无路径 / no path between {out.text(result.roots[0])} and "
                      f"{out.text(result.roots[1])}")
        raise typer.Exit(0)
    captions = {n.uid: n.caption for n in result.nodes}
    by_pair: dict[frozenset[str], list[str]] = {}
    for e in result.edges:
        by_pair.setdefault(frozenset((e.src, e.dst)), []).append(e.type)
    for i, path in enumerate(result.paths, 1):
        parts = [f"{out.text(captions[path[0]])} [dim]{out.text(path[0])}[/dim]"]
        for u, v in itertools.pairwise(path):
            types = "|".join(sorted(set(by_pair.get(frozenset((u, v)), []))))
            parts.append(f" —{out.text(types)}— {out.text(captions[v])} [dim]{out.text(v)}[/dim]")
        console.print(f"{i}. " + "".join(parts))


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app`` (the ``query`` group)."""
    app.command("open-loops")(open_loops_cmd)
    app.command("accountability-stats")(stats_cmd)
    app.command("search")(search_cmd)
    app.command("neighbourhood")(neighbourhood_cmd)
    app.command("path")(path_cmd)
