"""Core commands: stats, serve and demo."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from api.cli.common import cli_store
from graph.settings import get_settings


def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Counts per node label and relationship type, and the backend in use."""
    with cli_store() as store:
        counts = store.counts().as_dict()
        doc = {"backend": store.backend, **counts}
    if as_json:
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    typer.echo(f"backend: {doc['backend']}")
    typer.echo(f"nodes: {doc['total_nodes']}  relationships: {doc['total_relationships']}")
    for label, n in doc["nodes"].items():
        typer.echo(f"  {label:<16}{n:>10}")
    for rel_type, n in doc["relationships"].items():
        typer.echo(f"  {rel_type:<16}{n:>10}")


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the API and the inspectors' pages for whatever the configured store holds."""
    import uvicorn

    from api.app import create_app

    uvicorn.run(create_app(get_settings()), host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command()(stats)
    app.command()(serve)
