"""``dutygraph export``: the whole graph as input tables that ``dutygraph load`` reads back.

Exit codes: 0 exported; 2 usage error; 3 database unavailable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import EXIT_USAGE, cli_store, fail
from api.cli.text import say
from graph.messages import AnyOf, Message


def export(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the tables into.")] = Path(
        "dutygraph-export"),
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
) -> None:
    """Export every node and relationship as CSV or JSON tables (DESIGN.md §3).

    导出整个图谱为导入格式的表格，可用 dutygraph load 重新导入（含另一种存储）。
    """
    from loaders.export import FORMATS, export_graph

    if fmt not in FORMATS:
        raise fail(Message("cli.unsupported_format", format=fmt, formats=AnyOf(FORMATS)),
                   EXIT_USAGE)
    if out.exists() and not out.is_dir():
        raise fail(Message("cli.not_a_folder", path=str(out)), EXIT_USAGE)
    with cli_store() as store:
        report = export_graph(store, out, fmt)
    total = sum(report.rows.values())
    typer.echo(say("cli.exported", rows=format(total, ","), files=len(report.files), path=str(out)))
    for name, n in report.rows.items():
        if n:
            typer.echo(f"  {name:<16}{n:>10}")
    if report.unexported:
        typer.echo(say("cli.unexported", detail=str(report.unexported)), err=True)
    if report.collapsed:
        typer.echo(say("cli.collapsed", n=report.collapsed), err=True)


def register(app: typer.Typer) -> None:
    """Add ``export`` to ``app``."""
    app.command("export")(export)
