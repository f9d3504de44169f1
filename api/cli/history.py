"""``dutygraph loads list | show ID | diff ID [ID2] | undo ID`` and ``dutygraph provenance
FACT``: the history of change sets, their diffs, undo, and where a fact comes from.

Every command that changes the graph (a load, an undo, a correction) is also appended to
the audit log of ``DUTYGRAPH_HOME`` under the operator's name (:func:`audit`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from api.cli import output as out
from api.cli.common import cli_store, fail
from api.cli.text import say, say_n
from graph.errors import DutyGraphError
from graph.history.diff import ChangeDiff, FactDiff, diff
from graph.history.facts import parse_fact_id
from graph.history.model import ChangeHeader
from graph.history.provenance import Provenance, SourceRow, provenance_of
from graph.history.undo import UndoRefused, header_or_404, plan_undo, undo
from graph.messages import N_, Message
from graph.settings import get_settings
from loaders.changes import operator

loads_app = typer.Typer(help="The history of loads, syncs, corrections, acts and undos: list, "
                        "show, diff, undo.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
LimitOpt = Annotated[int, typer.Option("--limit", min=1, max=100_000,
                                       help="Facts listed at most.")]


# -- the audit log ------------------------------------------------------------------------
def audit(action: str, command: str, ids: Sequence[str], detail: dict[str, Any]) -> None:
    """Append a change made from the command line to the audit log (a warning if the log
    cannot be written: the change itself is done and recorded in the history)."""
    from api.security.audit import AuditLog

    try:
        AuditLog.from_settings(get_settings()).append(operator(), action, f"cli:{command}",
                                                      list(ids), detail)
    except (OSError, DutyGraphError) as exc:
        print(say("cli.audit_failed", detail=str(exc)), file=sys.stderr)


# -- texts --------------------------------------------------------------------------------
#: Texts of the kinds of change sets, of what a change did to a fact, and of its counts.
KINDS = {"load": N_("history.kind_load"), "sync": N_("history.kind_sync"),
         "correction": N_("history.kind_correction"), "act": N_("history.kind_act"),
         "undo": N_("history.kind_undo")}
OUTCOMES = {"added": N_("history.o_added"), "changed": N_("history.o_changed"),
            "reasserted": N_("history.o_reasserted"), "deleted": N_("history.o_deleted")}
COUNTS = {"added": N_("history.added"), "changed": N_("history.changed"),
          "reasserted": N_("history.reasserted"), "deleted": N_("history.deleted")}


def kind_text(kind: str) -> str:
    return say(KINDS.get(kind, KINDS["load"]))


def status_text(h: ChangeHeader) -> str:
    if h.undone_by is not None:
        return say("history.status_undone", by=h.undone_by)
    return say("history.status_done") if h.status == "done" else say("history.status_open")


def source_text(row: SourceRow) -> str:
    """``people.xlsx › 人员 › 第5行 (#3)``, or ``更正 #9：reason``."""
    if row.file is None:
        if row.kind == "correction":
            return say("history.source_correction", id=row.change, reason=row.reason or "")
        return say("history.source_change", id=row.change)
    parts = [row.file, *([row.sheet] if row.sheet else []),
             say(Message("load.where_row", row=row.row))]
    return say("load.where_sep").join(parts) + f" (#{row.change})"


def _value(v: Any) -> str:
    return "—" if v is None else str(v)


def _counts_text(counts: dict[str, dict[str, int]]) -> str:
    parts = [say(COUNTS[o], n=sum(c.values())) for o, c in counts.items() if o in COUNTS]
    return say("punct.list_sep").join(parts) or say("history.nothing")


def outcome_text(outcome: str) -> str:
    return say(OUTCOMES[outcome])


# -- printing -----------------------------------------------------------------------------
def print_headers(headers: list[ChangeHeader]) -> None:
    t = out.table(say("history.list_title"), (
        say("history.col_id"), say("history.col_kind"), say("history.col_user"),
        say("history.col_at"), say("history.col_status"), say("history.col_files"),
        say("history.col_counts")))
    for h in headers:
        files = ", ".join(escape(name) for name, _ in h.files) or out.text(h.reason)
        t.add_row(f"#{h.id}", kind_text(h.kind), out.text(h.user), h.at, status_text(h),
                  files, _counts_text(h.counts))
    out.show(out.console(), t)


def print_header(h: ChangeHeader) -> None:
    typer.echo(say("history.header", id=h.id, kind=kind_text(h.kind), user=h.user, at=h.at,
                   status=status_text(h)))
    if h.reason:
        typer.echo(say("history.reason", reason=h.reason))
    if h.undoes is not None:
        typer.echo(say("history.undoes", id=h.undoes))
    if h.sync is not None:
        typer.echo(say("history.sync_spec", units=", ".join(h.sync.units),
                       tables=", ".join(h.sync.tables)))
    if h.sources:
        t = out.table(say("history.files"), (say("cli.col_file"), say("cli.col_sheet"),
                                             say("history.col_table"), "SHA-256"))
        for s in h.sources:
            t.add_row(escape(s.name), out.text(s.sheet), s.table, s.sha256)
        out.show(out.console(), t)
    typer.echo(say("history.counts", counts=_counts_text(h.counts)))


def fact_row(d: FactDiff) -> tuple[str, str, str, str]:
    if d.fields:
        what = "; ".join(f"{escape(k)}: {escape(_value(a))} → {escape(_value(b))}"
                         for k, (a, b) in d.fields.items())
    elif d.outcome == "deleted" and d.before:
        what = "; ".join(f"{escape(k)}={escape(_value(v))}" for k, v in d.before.items())
    elif d.after:
        what = "; ".join(f"{escape(k)}={escape(_value(v))}" for k, v in d.after.items())
    else:
        what = ""
    rows = d.sources_before if d.outcome == "deleted" else d.sources_after
    return (outcome_text(d.outcome), escape(d.fact), what,
            escape("; ".join(source_text(r) for r in rows[:3])))


def print_diff(result: ChangeDiff, limit: int) -> None:
    counts = say("punct.list_sep").join(
        f"{outcome_text(k)} {v}" for k, v in result.counts.items()) or say("history.nothing")
    title = (say("history.diff_one", id=result.first) if result.first == result.last
             else say("history.diff_range", first=result.first, last=result.last))
    t = out.table(f"{title} ({escape(counts)})", (
        say("history.col_outcome"), say("history.col_fact"), say("history.col_values"),
        say("history.col_sources")))
    for d in result.facts[:limit]:
        t.add_row(*fact_row(d))
    if t.row_count:
        Console(width=200).print(t)
    else:
        out.show(out.console(), t)
    shown = min(limit, len(result.facts))
    hidden = sum(result.counts.values()) - shown
    if hidden > 0:
        typer.echo(say_n("history.more_facts", hidden))


def print_provenance(p: Provenance) -> None:
    typer.echo(say("history.provenance_of", fact=p.fact))
    if p.change is None:
        typer.echo(say("history.no_provenance"))
        return
    typer.echo(say("history.last_written", id=p.change, kind=kind_text(p.kind or "load"),
                   user=p.user or "-", at=p.at or "-"))
    for row in p.sources:
        line = source_text(row)
        if row.sha256:
            line += f"  sha256:{row.sha256[:16]}…"
        typer.echo("  " + line)


# -- commands -----------------------------------------------------------------------------
@loads_app.command("list")
def loads_list(as_json: JsonOpt = False,
               limit: Annotated[int, typer.Option("--limit", min=1)] = 50) -> None:
    """Change sets, newest first: id, kind, user, time, status, files, counts."""
    with cli_store() as store:
        headers = store.history.headers()[:limit]
    if as_json:
        typer.echo(json.dumps([h.model_dump(mode="json") for h in headers],
                              ensure_ascii=False, indent=2))
        return
    print_headers(headers)


@loads_app.command("show")
def loads_show(change: int, as_json: JsonOpt = False, limit: LimitOpt = 50) -> None:
    """One change set: who, when, files with SHA-256, counts, and its diff."""
    with cli_store() as store:
        header = header_or_404(store, change)
        result = diff(store, change, limit=max(limit, 1000) if as_json else limit)
    if as_json:
        typer.echo(json.dumps({"header": header.model_dump(mode="json"),
                               "diff": result.model_dump(mode="json")},
                              ensure_ascii=False, indent=2))
        return
    print_header(header)
    print_diff(result, limit)


@loads_app.command("diff")
def loads_diff(change: int, last: Annotated[int | None, typer.Argument()] = None,
               as_json: JsonOpt = False, limit: LimitOpt = 50) -> None:
    """What change set ID did (with ID2: what ID to ID2 did together), fact by fact."""
    with cli_store() as store:
        result = diff(store, change, last, limit=max(limit, 1000) if as_json else limit)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    print_diff(result, limit)


@loads_app.command("undo")
def loads_undo(
    change: int,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
    = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be undone.")]
    = False,
    force_open: Annotated[bool, typer.Option(
        "--force-open", help="Undo a change set that never finished (a load cut short).")]
    = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (recorded).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Undo a change set: its facts back to their earlier state (itself recorded)."""
    with cli_store() as store:
        try:
            plan = plan_undo(store, change, force_open=force_open)
        except UndoRefused as exc:
            raise fail(exc.message) from None
        if plan.dependencies:
            raise fail(plan.refusal())
        counts = plan.counts()
        if dry_run or not (yes or as_json):
            typer.echo(say("history.undo_plan", id=change, deleted=counts["deleted"],
                           restored=counts["restored"]))
        if dry_run:
            return
        if not (yes or as_json) and not typer.confirm(say("history.confirm_undo", id=change)):
            raise typer.Exit(1)
        try:
            done = undo(store, change, operator(), reason=reason, force_open=force_open)
        except UndoRefused as exc:
            raise fail(exc.message) from None
    audit("undo", "loads undo", [], {"change": done.id, "undoes": change, "reason": reason})
    if as_json:
        typer.echo(done.model_dump_json(indent=2))
        return
    typer.echo(say("history.undone", id=change, change=done.id,
                   counts=_counts_text(done.counts)))


def provenance(fact: str, as_json: JsonOpt = False) -> None:
    """Where a fact comes from: the change set that last wrote it and its source rows."""
    try:
        key = parse_fact_id(fact)
    except DutyGraphError as exc:
        raise fail(Message("cli.error", detail=exc.message)) from None
    with cli_store() as store:
        found = provenance_of(store, [key]).get(key)
    if found is None:
        raise fail(Message("history.no_such_fact", fact=fact))
    if as_json:
        typer.echo(found.model_dump_json(indent=2))
        return
    print_provenance(found)


def register(app: typer.Typer) -> None:
    app.add_typer(loads_app, name="loads")
    app.command("provenance")(provenance)
