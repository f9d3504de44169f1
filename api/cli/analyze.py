"""``dutygraph analyze``: the coordination analysis of the graph as JSON, CSV or HTML."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from api.cli.common import EXIT_USAGE, cli_store, fail
from api.cli.text import cli_lang, say
from graph.analytics.config import load_config
from graph.errors import InvalidArgument
from graph.messages import Message


class Format(StrEnum):
    json = "json"
    csv = "csv"
    html = "html"


class Lang(StrEnum):
    zh = "zh"
    en = "en"


def analyze(
    unit: str = typer.Option(
        None, "--unit", help="Only this unit and the units below it (id or unit:ID)."),
    as_of: str = typer.Option(
        None, "--as-of", help="Date the analysis is as of (YYYY-MM-DD; default today)."),
    fmt: Format = typer.Option(
        Format.json, "--format",
        help="json = the report; csv = the findings table; html = a self-contained page."),
    out: Path = typer.Option(None, "--out", help="Write to this file instead of standard output."),
    config: Path = typer.Option(
        None, "--config", help="JSON file overriding thresholds and windows (docs/analytics.md)."),
    lang: Lang | None = typer.Option(
        None, "--lang", help="Language of the HTML report (default: the CLI's language)."),
    workers: int = typer.Option(
        0, "--workers", min=0,
        help="Build the index per subtree partition on N Dask workers (a local cluster, or "
        "the scheduler at DUTYGRAPH_DASK_SCHEDULER); whole graph only. 0: one process."),
) -> None:
    """Find weak links (vertical, horizontal, structural), score every unit's health."""
    from api.reports.analysis import render
    from graph.analytics.report import analyze_store

    try:
        cfg = load_config(config)
    except InvalidArgument as exc:
        raise fail(Message("cli.config_error", detail=exc.reason), EXIT_USAGE) from None
    if workers and unit is not None:
        raise fail(Message("cli.workers_whole_graph"), EXIT_USAGE)
    with cli_store() as store:
        if workers:
            from graph.analytics.partitioned import analyze_partitioned, dask_client

            with dask_client(workers) as client:
                analysis = analyze_partitioned(store, client, as_of=as_of, config=cfg)
        else:
            # One process, no concurrent writer: read the embedded graph without a copy.
            analysis = analyze_store(store, as_of=as_of, unit=unit, config=cfg, in_place=True)
    text = render(analysis, fmt.value, lang.value if lang else cli_lang())
    if out is None:
        typer.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    r = analysis.report
    typer.echo(say("cli.report_written", path=str(out), findings=len(r.findings),
                   units=len(r.health)), err=True)


def register(app: typer.Typer) -> None:
    """Add ``analyze`` to ``app``."""
    app.command("analyze")(analyze)
