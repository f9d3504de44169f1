"""The ``dutygraph`` command. Each group of commands lives in a module of its own."""

from __future__ import annotations

import typer

from api.cli import analyze, core, export, generate, load, query, security

app = typer.Typer(
    name="dutygraph",
    help="DutyGraph: the 四责协同 responsibility graph (load, query, analyze, serve).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
core.register(app)
load.register(app)
generate.register(app)
query.register(app)
analyze.register(app)
security.register(app)
export.register(app)


def main() -> None:
    app()
