"""``dutygraph load``: input files (or the shipped sample) into the configured store.

Exit codes: 0 loaded (or, with ``--dry-run``, valid); 1 invalid input, nothing written;
2 usage error (no such path, unknown option); 3 database unavailable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from api.cli.common import EXIT_INVALID, EXIT_USAGE, cli_store, fail
from api.cli.text import cli_lang, say, say_n
from graph.messages import Message
from loaders.errors import LoadIssue, LoadUsageError
from loaders.pipeline import SAMPLE_FORMS, LoadReport, load_paths, sample_paths


def load(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files or folders: CSV, XLSX, JSON, JSONL (folders recursively).",
                       show_default=False),
    ] = None,
    sample: Annotated[
        bool,
        typer.Option("--sample", help="Load the shipped sample data; `--sample xlsx` for the "
                     "workbook form (default csv)."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON report.")] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Write the valid rows, report the rest.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate only; write nothing (with --sync: "
                           "print what would be added, changed and retracted).")
    ] = False,
    sync: Annotated[bool, typer.Option(
        "--sync", help="The input is the whole truth for its tables (or --tables) within "
        "the --unit subtrees: what the graph holds of them there and the input does not is "
        "retracted (kept in the history; see docs/history.md).")] = False,
    units: Annotated[list[str] | None, typer.Option(
        "--unit", help="With --sync: a unit id whose subtree the input covers (repeat; "
        "'*' = the whole graph).")] = None,
    tables: Annotated[list[str] | None, typer.Option(
        "--tables", help="With --sync: a table the input is authoritative for (repeat; "
        "default: the tables the input holds).")] = None,
    table: Annotated[str | None, typer.Option(
        "--table", help="Read every file as this table (English or Chinese name), whatever "
        "its name or header row says.")] = None,
) -> None:
    """Load input tables into the graph: nothing is written unless all of it is valid."""
    targets: list[Path] = []
    rest = list(paths or [])
    if sample:
        # `--sample xlsx`: Click sees "xlsx" as a path argument; read it as the sample form.
        form = "csv"
        if rest and rest[0] in SAMPLE_FORMS and not Path(rest[0]).exists():
            form = rest.pop(0)
        try:
            targets.extend(sample_paths(form))
        except LoadUsageError as exc:
            raise fail(Message("cli.usage_error", detail=exc.message), EXIT_USAGE) from None
        except ImportError as exc:
            raise fail(Message("cli.usage_error", detail=str(exc)), EXIT_USAGE) from None
    targets.extend(Path(p) for p in rest)
    if not targets:
        raise fail(Message("cli.usage_error", detail=Message("cli.give_paths")), EXIT_USAGE)
    for p in targets:
        if not p.exists():
            raise fail(Message("cli.usage_error",
                               detail=Message("load.no_such_path", path=str(p))), EXIT_USAGE)
    if sync and not units:
        raise fail(Message("cli.usage_error", detail=Message("cli.sync_needs_unit")), EXIT_USAGE)
    if (units or tables) and not sync:
        raise fail(Message("cli.usage_error", detail=Message("cli.unit_needs_sync")), EXIT_USAGE)
    with cli_store() as store:
        try:
            report = load_paths(store, targets, skip_invalid=skip_invalid, dry_run=dry_run,
                                lang=cli_lang(), table=table,
                                sync_units=units if sync else None, sync_tables=tables or ())
        except LoadUsageError as exc:
            raise fail(Message("cli.usage_error", detail=exc.message), EXIT_USAGE) from None
    if report.written:
        from api.cli.history import audit

        audit("sync" if sync else "load", "load", [],
              {"change": report.change, "files": report.files[:100]})
    if as_json:
        typer.echo(json.dumps(report_json(report), ensure_ascii=False, indent=2))
    else:
        print_report(report)
    if not report.ok:
        raise typer.Exit(EXIT_INVALID)


def report_json(report: LoadReport) -> dict[str, object]:
    """The report as JSON: each problem's reason in both languages (``reason_zh``,
    ``reason_en``), whatever language the CLI prints in."""
    doc = report.model_dump(mode="json")
    doc["total_rows"] = report.total_rows
    doc["rows_per_second"] = round(report.rows_per_second, 1)
    return doc


def issue_table(title: str, issues: list[LoadIssue], total: int) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=say("cli.issues_title", title=title, n=total), show_lines=False,
                  title_justify="left")
    for name in (say("cli.col_file"), say("cli.col_sheet"), say("cli.col_row"),
                 say("cli.col_column"), say("cli.col_code"), say("cli.col_reason")):
        table.add_column(name, overflow="fold")
    lang = cli_lang()
    for i in issues:
        table.add_row(escape(i.file or ""), escape(i.sheet or ""),
                      "" if i.row is None else str(i.row), escape(i.column or ""), i.code,
                      escape(i.reason(lang)))
    Console(stderr=True, width=160).print(table)


def print_report(report: LoadReport) -> None:
    """Errors as a readable table (stderr), then what was written (stdout)."""
    if report.errors:
        title = say("cli.skipped_rows") if report.skip_invalid else say("cli.errors")
        issue_table(title, report.errors, report.error_count)
    if report.warnings:
        issue_table(say("cli.warnings"), report.warnings, report.warning_count)
    if report.truncated:
        typer.echo(say("cli.list_truncated"), err=True)
    rows = report.total_rows
    if not report.ok:
        typer.echo(say("cli.load_invalid", errors=say_n("cli.n_errors", report.error_count),
                       rows=say_n("cli.n_rows", rows)), err=True)
        return
    if report.plan is not None:
        from api.cli.sync_text import print_plan

        print_plan(report.plan)
    if report.dry_run:
        typer.echo(say("cli.load_dry_run", rows=say_n("cli.n_rows", rows),
                       skipped=report.rows_skipped))
        return
    typer.echo(say("cli.loaded", rows=say_n("cli.n_rows", rows), skipped=report.rows_skipped,
                   backend=report.backend, seconds=format(report.seconds.get("total", 0), ".1f"),
                   speed=format(report.rows_per_second, ",.0f")))
    for label, n in report.nodes.items():
        typer.echo(f"  {label:<16}{n:>10}")
    for rel_type, n in report.relationships.items():
        typer.echo(f"  {rel_type:<16}{n:>10}")
    if report.change is not None:
        typer.echo(say("cli.load_change", id=report.change))


def register(app: typer.Typer) -> None:
    """Add ``load`` to ``app``."""
    app.command()(load)
