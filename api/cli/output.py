"""How the query commands print: JSON on request, else Rich tables and lines.

Rich reads ``[...]`` in printed strings as markup, so every value that comes from the graph
(names, titles, ids, codes, free text) goes through :func:`text` or :func:`ref`, which
escape it: a unit named ``[/]`` or ``[bold]`` prints as written instead of failing with a
``MarkupError`` or restyling the line. Markup written here (``[dim]``) stays markup.
"""

from __future__ import annotations

from typing import Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from api.cli.text import cli_lang, enum_text, say
from api.i18n import Translator
from graph.queries.models import NodeRef
from graph.texts import Text, in_lang


def console() -> Console:
    return Console(soft_wrap=False)


def emit(result: BaseModel, as_json: bool) -> bool:
    """Print ``result`` as JSON (non-ASCII kept) and return True when asked for it (the
    caller then skips the tables)."""
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    return as_json


def text(value: Any, empty: str = "—") -> str:
    """``value`` as literal text for Rich (markup escaped); ``empty`` for None or ""."""
    return empty if value is None or value == "" else escape(str(value))


def ref(node: NodeRef | None) -> str:
    """A node as ``caption uid`` (the uid dimmed), or ``—``."""
    return "—" if node is None else f"{escape(node.caption)} [dim]{escape(node.uid)}[/dim]"


def enum(name: str, code: str | None) -> str:
    """A code of the schema's enum ``name`` as its label in the CLI's language and the code;
    the code as stored when the schema does not know it."""
    return enum_text(name, code)


def kind(label: str) -> str:
    """A node kind's name in the CLI's language (escaped)."""
    return escape(Translator(cli_lang()).kind(label))


def said(value: Text | None, empty: str = "—") -> str:
    """A text a result carries (a catalogue message or a name the schema declares) in the
    CLI's language, escaped; ``empty`` for None."""
    return text(in_lang(value, cli_lang()), empty)


def span(start: str | None, end: str | None) -> str:
    """A tenure, ``start ~ end`` (``…`` for an open bound)."""
    return f"{text(start, '…')} ~ {text(end, '…')}"


def yes(flag: bool) -> str:
    return say("cli.yes") if flag else say("cli.no")


def table(title: str, cols: tuple[str, ...]) -> Table:
    """A table with the column headings ``cols`` (``title`` is markup: escape its data)."""
    t = Table(title=title)
    for col in cols:
        t.add_column(col)
    return t


def show(out: Console, t: Table) -> None:
    """Print a table, or one line saying it is empty (empty grids are only noise)."""
    if t.row_count:
        out.print(t)
    else:
        out.print("[dim]" + say("cli.empty_table", title=t.title) + "[/dim]")
