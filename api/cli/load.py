"""``dutygraph load``: input files (or the shipped sample) into the configured store.

Exit codes: 0 loaded (or, with ``--dry-run``, valid); 1 invalid input, nothing written;
2 usage error (no such path, unknown option; ``--initial`` refused: a database that is not
empty, or a server ``ops/neo4j/neo4jctl`` does not run); 3 database unavailable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import EXIT_INVALID, EXIT_USAGE, cli_store, fail
from graph.settings import get_settings
from graph.store import GraphStore
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
        bool, typer.Option("--dry-run", help="Validate only; write nothing.")
    ] = False,
    initial: Annotated[
        bool, typer.Option("--initial", help="First load of an EMPTY Neo4j database run by "
                           "ops/neo4j/neo4jctl: neo4j-admin import (stops and restarts the "
                           "server). See docs/loading.md.")
    ] = False,
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
        except (LoadUsageError, ImportError) as exc:
            raise fail(f"用法错误 / usage error: {exc}", EXIT_USAGE) from None
    targets.extend(Path(p) for p in rest)
    if not targets:
        raise fail("用法错误 / usage error: give PATH... or --sample", EXIT_USAGE)
    for p in targets:
        if not p.exists():
            raise fail(f"用法错误 / usage error: 没有这个文件或目录 / no such file or folder: {p}",
                       EXIT_USAGE)
    settings = get_settings()
    if initial and not settings.neo4j_uri:
        raise fail("用法错误 / usage error: --initial 只用于 Neo4j（设置 NEO4J_URI）/ --initial "
                   "is for Neo4j only (set NEO4J_URI)", EXIT_USAGE)
    with cli_store(settings) as store:
        try:
            if initial:
                report = _load_initial(store, targets, skip_invalid, dry_run)
            else:
                report = load_paths(store, targets, skip_invalid=skip_invalid, dry_run=dry_run)
        except LoadUsageError as exc:
            raise fail(f"用法错误 / usage error: {exc}", EXIT_USAGE) from None
    if as_json:
        typer.echo(json.dumps(report_json(report), ensure_ascii=False, indent=2))
    else:
        print_report(report)
    if not report.ok:
        raise typer.Exit(EXIT_INVALID)


def _load_initial(store: GraphStore, targets: list[Path], skip_invalid: bool,
                  dry_run: bool) -> LoadReport:
    from graph.store.neo4j_ctl import ManagedNeo4j
    from loaders.initial import load_initial

    return load_initial(store, targets, ManagedNeo4j.from_env(), skip_invalid=skip_invalid,
                        dry_run=dry_run)


def report_json(report: LoadReport) -> dict[str, object]:
    doc = report.model_dump(mode="json")
    doc["total_rows"] = report.total_rows
    doc["rows_per_second"] = round(report.rows_per_second, 1)
    return doc


def _issue_table(title: str, issues: list[LoadIssue], total: int) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{title} ({total})", show_lines=False, title_justify="left")
    for name in ("文件 file", "工作表 sheet", "行 row", "列 column", "代码 code", "原因 reason"):
        table.add_column(name, overflow="fold")
    for i in issues:
        table.add_row(i.file or "", i.sheet or "", "" if i.row is None else str(i.row),
                      i.column or "", i.code, f"{i.reason_zh}\n{i.reason_en}")
    Console(stderr=True, width=160).print(table)


def print_report(report: LoadReport) -> None:
    """Errors as a readable table (stderr), then what was written (stdout)."""
    if report.errors:
        title = "跳过的行 skipped" if report.skip_invalid else "错误 errors"
        _issue_table(title, report.errors, report.error_count)
    if report.warnings:
        _issue_table("提示 warnings", report.warnings, report.warning_count)
    if report.truncated:
        typer.echo("（仅列出部分问题 / list truncated; see the counts）", err=True)
    rows = report.total_rows
    if not report.ok:
        typer.echo(f"输入无效，未写入任何数据 / invalid input, nothing written: "
                   f"{report.error_count} errors in {rows} rows", err=True)
        return
    if report.dry_run:
        typer.echo(f"校验通过（未写入）/ valid, dry run: {rows} rows, "
                   f"{report.rows_skipped} would be skipped")
        return
    how = " (neo4j-admin import, --initial)" if report.initial else ""
    typer.echo(f"已导入 / loaded: {rows} rows ({report.rows_skipped} skipped) into "
               f"{report.backend}{how} in {report.seconds.get('total', 0):.1f}s "
               f"({report.rows_per_second:,.0f} rows/s)")
    for label, n in report.nodes.items():
        typer.echo(f"  {label:<16}{n:>10}")
    for rel_type, n in report.relationships.items():
        typer.echo(f"  {rel_type:<16}{n:>10}")


def register(app: typer.Typer) -> None:
    """Add ``load`` to ``app``."""
    app.command()(load)
