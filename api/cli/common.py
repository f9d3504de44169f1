"""What every CLI command shares: opening the configured store, and turning DutyGraph's
errors into a clear message (in the CLI's language) and an exit code instead of a stack
trace."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import typer

from api.cli.text import say
from graph.errors import DutyGraphError, NotFound, StoreUnavailable
from graph.messages import Message
from graph.settings import Settings, get_settings
from graph.store import GraphStore, open_store

#: Exit codes: 0 ok, 1 invalid input / not found, 2 usage error, 3 database unavailable.
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_UNAVAILABLE = 3


def fail(message: Message, code: int = EXIT_INVALID) -> typer.Exit:
    """Print ``message`` in the CLI's language on stderr and return the exit to raise."""
    typer.echo(say(message), err=True)
    return typer.Exit(code)


@contextlib.contextmanager
def cli_store(settings: Settings | None = None) -> Iterator[GraphStore]:
    """The configured store, closed (and flushed) on the way out; errors become exits."""
    settings = settings or get_settings()
    try:
        store = open_store(settings)
    except StoreUnavailable as exc:
        raise fail(Message("cli.unavailable", detail=exc.message), EXIT_UNAVAILABLE) from None
    except DutyGraphError as exc:
        raise fail(Message("cli.error", detail=exc.message)) from None
    try:
        yield store
    except NotFound as exc:
        raise fail(Message("cli.not_found", detail=exc.message)) from None
    except StoreUnavailable as exc:
        raise fail(Message("cli.unavailable", detail=exc.message), EXIT_UNAVAILABLE) from None
    except DutyGraphError as exc:
        raise fail(Message("cli.error", detail=exc.message)) from None
    finally:
        try:
            store.close()
        except DutyGraphError as exc:  # pragma: no cover - reported, not raised twice
            print(say("cli.warning", detail=exc.message), file=sys.stderr)
