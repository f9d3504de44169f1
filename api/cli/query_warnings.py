"""``dutygraph query warnings``: the early-warning list of the workbench and of
``GET /api/warnings`` on the command line (a table, ``--json`` the same model as the API,
or ``--output FILE.csv|FILE.xlsx`` the same table as the downloads)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from api.cli import output as out
from api.cli.common import cli_store
from api.cli.text import cli_lang, say
from api.reports.warnings import COLOUR_TEXT, TYPE_TEXT, rule_text, to_csv, to_xlsx
from graph.errors import InvalidArgument
from graph.messages import Message
from graph.queries.warnings import COLOURS, MAX_LIMIT, TYPES, WarningList, warnings


def warnings_cmd(
    unit: Annotated[str | None, typer.Option(
        "--unit", "-u", help="Only this unit's subtree: id, uid or name.")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Judge as of this date YYYY-MM-DD (default today).")] = None,
    type_: Annotated[list[str] | None, typer.Option(
        "--type", "-t", help="Item types (repeatable): " + ", ".join(TYPES))] = None,
    status: Annotated[list[str] | None, typer.Option(
        "--status", "-s", help="Colours (repeatable): " + ", ".join(COLOURS)
        + "; default red and yellow.")] = None,
    holder: Annotated[str | None, typer.Option(
        help="Only items whose next actor is this node or whose name contains this.")] = None,
    limit: Annotated[int, typer.Option(help="Rows per page.")] = 50,
    offset: Annotated[int, typer.Option(help="Rows to skip.")] = 0,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write every item (no paging) to FILE.csv or FILE.xlsx.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """The early-warning list (三色预警): red and yellow items first, with the rule behind
    each colour."""
    suffix = output.suffix.lower() if output else None
    with cli_store() as store:
        if suffix not in (None, ".csv", ".xlsx"):
            raise InvalidArgument("output", Message("reason.one_of",
                                                    expected=[".csv", ".xlsx"]))
        whole = output is not None
        result = warnings(store, as_of=as_of, unit=unit, types=type_, colours=status,
                          holder=holder, limit=MAX_LIMIT if whole else limit,
                          offset=0 if whole else offset)
    if output is not None:
        where = result.unit.caption if result.unit else "*"
        data = (to_csv(result.items, cli_lang()) if suffix == ".csv"
                else to_xlsx(result, cli_lang(), where))
        output.write_bytes(data)
        typer.echo(say("cli.warnings_written", n=len(result.items), path=str(output)))
        return
    if not out.emit(result, as_json):
        _table(result)


def _table(result: WarningList) -> None:
    lang = cli_lang()
    scope = escape(result.unit.caption) if result.unit else say("cli.all")
    table = Table(title=say("cli.warnings_title", scope=scope, date=result.as_of))
    for code in ("loop.col.colour", "loop.col.type", "loop.col.item", "loop.col.unit",
                 "loop.col.holder", "loop.col.rule", "loop.col.due",
                 "loop.col.days_overdue"):
        table.add_column(say(code))
    for i in result.items:
        table.add_row(say(COLOUR_TEXT[i.colour]), say(TYPE_TEXT[i.type]), out.ref(i.node),
                      out.ref(i.unit), out.ref(i.holder), escape(rule_text(i, lang)),
                      i.due_on or "—", str(i.days_overdue or ""))
    console = out.console()
    console.print(table)
    counts = ", ".join(f"{say(TYPE_TEXT[t])} {say(COLOUR_TEXT['red'])}{c.red}/"
                       f"{say(COLOUR_TEXT['yellow'])}{c.yellow}"
                       for t, c in result.counts.items())
    console.print(say("cli.warnings_total", total=result.total, counts=counts))


def register(app: typer.Typer) -> None:
    app.command("warnings")(warnings_cmd)
