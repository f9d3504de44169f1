"""``dutygraph set FACT PROP=VALUE... --reason``, ``dutygraph delete FACT --reason`` and
``dutygraph correct FILE``: corrections as change sets (:mod:`loaders.corrections`).

Validated like a load (a bad value is reported with the change's position and property,
and nothing is written; exit 1), recorded in the history (``dutygraph loads show ID``;
``dutygraph loads undo ID`` reverses it) and in the audit log.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import orjson
import typer
from pydantic import ValidationError

from api.cli.common import EXIT_INVALID, EXIT_USAGE, cli_store, fail
from api.cli.history import audit
from api.cli.load import issue_table
from api.cli.text import say
from graph.history.facts import fact_nodes
from graph.messages import Message
from loaders.changes import operator
from loaders.corrections import Correction, CorrectionReport, CorrectionRequest, apply

ReasonOpt = Annotated[str, typer.Option("--reason", help="Why (recorded in the history and "
                                        "the audit log).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a JSON report.")]
DryOpt = Annotated[bool, typer.Option("--dry-run", help="Validate only; write nothing.")]


def _run(request: CorrectionRequest, source: str, command: str, as_json: bool,
         dry_run: bool) -> None:
    with cli_store() as store:
        report = apply(store, request, operator(), source=source, dry_run=dry_run)
    if report.written:
        audit("correction", command, fact_nodes(report.facts),
              {"change": report.change, "reason": request.reason, "facts": report.facts[:100]})
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        _print(report)
    if not report.ok:
        raise typer.Exit(EXIT_INVALID)


def _print(report: CorrectionReport) -> None:
    if report.errors:
        issue_table(say("cli.errors"), report.errors, report.error_count)
        typer.echo(say("history.correction_invalid", n=report.error_count), err=True)
        return
    if report.dry_run:
        typer.echo(say("history.correction_valid", n=len(report.facts)))
        return
    typer.echo(say("history.corrected", id=report.change, n=len(report.facts)))
    for fact in report.facts:
        typer.echo(f"  {fact}")


def set_values(
    fact: Annotated[str, typer.Argument(help="A uid, or src-TYPE->dst[key].")],
    values: Annotated[list[str], typer.Argument(help="PROP=VALUE (empty VALUE clears it).")],
    reason: ReasonOpt,
    as_json: JsonOpt = False,
    dry_run: DryOpt = False,
) -> None:
    """Set properties of a node or relationship (validated like a load; recorded)."""
    parsed: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise fail(Message("cli.usage_error", detail=Message("history.bad_assignment",
                                                                 item=item)), EXIT_USAGE)
        parsed[name.strip()] = value
    request = CorrectionRequest(reason=reason, changes=[
        Correction(op="set", fact=fact, values=parsed)])
    _run(request, say("history.command_line"), "set", as_json, dry_run)


def delete(
    fact: Annotated[str, typer.Argument(help="A uid (the node and its relationships), or "
                                        "src-TYPE->dst[key].")],
    reason: ReasonOpt,
    as_json: JsonOpt = False,
    dry_run: DryOpt = False,
) -> None:
    """Delete a node (with its relationships) or a relationship (recorded; undoable)."""
    request = CorrectionRequest(reason=reason, changes=[Correction(op="delete", fact=fact)])
    _run(request, say("history.command_line"), "delete", as_json, dry_run)


def correct(
    file: Annotated[Path, typer.Argument(help="A change-set file (JSON): {\"reason\": ..., "
                                         "\"changes\": [{\"op\", \"fact\", \"values\"}]}.")],
    reason: Annotated[str | None, typer.Option("--reason", help="Overrides the file's.")]
    = None,
    as_json: JsonOpt = False,
    dry_run: DryOpt = False,
) -> None:
    """Apply a change-set file of corrections: all of them, or none."""
    try:
        doc = orjson.loads(file.read_bytes())
        if reason is not None and isinstance(doc, dict):
            doc["reason"] = reason
        request = CorrectionRequest.model_validate(doc)
    except OSError as exc:
        raise fail(Message("cli.usage_error", detail=str(exc)), EXIT_USAGE) from None
    except (orjson.JSONDecodeError, ValidationError) as exc:
        detail = json.dumps(exc.errors(include_url=False), ensure_ascii=False, default=str) \
            if isinstance(exc, ValidationError) else str(exc)
        raise fail(Message("history.bad_change_file", file=str(file), detail=detail)) from None
    _run(request, file.name, "correct", as_json, dry_run)


def register(app: typer.Typer) -> None:
    app.command("set")(set_values)
    app.command("delete")(delete)
    app.command("correct")(correct)
