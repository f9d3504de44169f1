"""The ``dutygraph`` command. Each group of commands lives in a module of its own."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from api.cli import (
    analyze,
    core,
    corrections,
    export,
    generate,
    history,
    load,
    query,
    remind,
    security,
)
from api.cli.text import set_lang

app = typer.Typer(
    name="dutygraph",
    help="DutyGraph: the 四责协同 responsibility graph (load, query, analyze, serve).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Language(StrEnum):
    zh = "zh"
    en = "en"


@app.callback()
def options(
    lang: Annotated[Language, typer.Option(
        "--lang", envvar="DUTYGRAPH_LANG",
        help="Language of the output: zh (default) or en.")] = Language.zh,
) -> None:
    """DutyGraph: the 四责协同 responsibility graph (load, query, analyze, serve)."""
    set_lang(lang.value)


core.register(app)
load.register(app)
generate.register(app)
query.register(app)
analyze.register(app)
security.register(app)
export.register(app)
remind.register(app)
history.register(app)
corrections.register(app)


def main() -> None:
    app()
