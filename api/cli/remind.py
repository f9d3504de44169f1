"""``dutygraph remind``: the reminders of the working loop, for a cron job or a systemd
timer — a digest per recipient of the red and yellow items as of a date, written under
``--out`` (default ``$DUTYGRAPH_HOME/reminders/<date>/``), and e-mailed only when an SMTP
server (``DUTYGRAPH_SMTP_*``) and an address list (``--addresses``) are given."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import cli_store
from api.cli.text import cli_lang, say
from api.reports import reminders
from graph.errors import InvalidArgument
from graph.messages import Message
from graph.queries.warnings import MAX_LIMIT, warnings
from graph.settings import get_settings


def _addresses(path: Path | None) -> dict[str, str]:
    """``uid,email`` rows of a CSV file (a header row is allowed)."""
    if path is None:
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidArgument("addresses", Message("remind.unreadable", detail=str(exc))
                              ) from None
    rows = [r for r in csv.reader(text.splitlines()) if len(r) >= 2 and "@" in r[1]]
    return {r[0].strip(): r[1].strip() for r in rows}


def remind_cmd(
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Judge as of this date YYYY-MM-DD (default today).")] = None,
    unit: Annotated[str | None, typer.Option(
        "--unit", "-u", help="Only this unit's subtree: id, uid or name.")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Folder for the digests (default $DUTYGRAPH_HOME/reminders/DATE).")] = None,
    addresses: Annotated[Path | None, typer.Option(
        help="CSV of uid,email: whom to e-mail (with DUTYGRAPH_SMTP_HOST and _FROM set).")
    ] = None,
) -> None:
    """Write a digest of the due-soon and overdue items per recipient; e-mail them when
    configured."""
    settings = get_settings()
    lang = cli_lang()
    with cli_store(settings) as store:
        book = _addresses(addresses)
        result = warnings(store, as_of=as_of, unit=unit, limit=MAX_LIMIT)
    found = reminders.digests(result, lang)
    folder = out or settings.home / "reminders" / result.as_of
    reminders.write(found, folder)
    typer.echo(say("remind.written", n=len(found), path=str(folder)))
    sent = reminders.send(found, book, settings, lang)
    typer.echo(say("remind.sent", n=len(sent)) if settings.smtp_host else
               say("remind.not_configured"))


def register(app: typer.Typer) -> None:
    app.command("remind")(remind_cmd)
