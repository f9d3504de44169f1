"""How ``dutygraph load --sync`` prints its plan: what it adds, changes and retracts, each
fact with its id and its source rows (the input's row, or the rows that asserted a
retracted fact)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from api.cli import output as out
from api.cli.history import outcome_text, source_text
from api.cli.text import say, say_n
from loaders.sync import ChangePlan, FactChange

#: Facts printed per outcome (``--json`` has up to :data:`loaders.sync.LISTED`).
SHOWN = 50


def _where(item: FactChange) -> str:
    if item.file is not None:
        parts = [item.file, *([item.sheet] if item.sheet else []),
                 say("load.where_row", row=item.row)]
        return escape(say("load.where_sep").join(parts))
    return escape("; ".join(source_text(r) for r in item.sources[:3]))


def print_plan(plan: ChangePlan) -> None:
    """The plan's counts, then the facts of each outcome (the first :data:`SHOWN`)."""
    c = plan.counts
    typer.echo(say("sync.summary", units=", ".join(plan.sync.units),
                   tables=", ".join(plan.sync.tables), added=c.get("added", 0),
                   changed=c.get("changed", 0), reasserted=c.get("reasserted", 0),
                   retracted=c.get("retracted", 0), kept=c.get("kept", 0)))
    console = Console(width=200)
    for name, outcome in (("added", "added"), ("changed", "changed"),
                          ("retracted", "deleted"), ("kept", None)):
        items: list[FactChange] = getattr(plan, name)
        if not items:
            continue
        title = say("sync.kept") if outcome is None else outcome_text(outcome)
        t = out.table(f"{title} ({c.get(name, len(items))})", (
            say("history.col_fact"), say("history.col_values"), say("history.col_sources")))
        for item in items[:SHOWN]:
            fields = "; ".join(f"{escape(k)}: {escape(str(a))} → {escape(str(b))}"
                               for k, (a, b) in item.fields.items())
            t.add_row(escape(item.fact), fields, _where(item))
        console.print(t)
        if c.get(name, len(items)) > SHOWN:
            typer.echo(say_n("history.more_facts", c.get(name, len(items)) - SHOWN))
