"""``dutygraph query ...``: the responsibility queries on the command line.

Commands about units, people and chains live in :mod:`api.cli.query_units`; open loops,
statistics, search and graph neighbourhoods in :mod:`api.cli.query_graph`; the early-warning
list in :mod:`api.cli.query_warnings`; assessment, coverage, risk points and 三重一大
decisions in :mod:`api.cli.query_mechanism`.
"""

from __future__ import annotations

import typer

from api.cli import query_graph, query_mechanism, query_units, query_warnings

query_app = typer.Typer(help="Trace who holds which responsibility (table or --json).",
                        no_args_is_help=True)
query_units.register(query_app)
query_graph.register(query_app)
query_warnings.register(query_app)
query_mechanism.register(query_app)


def register(app: typer.Typer) -> None:
    app.add_typer(query_app, name="query")
