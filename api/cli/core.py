"""Core commands: stats, serve and demo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import cli_store, fail
from api.cli.text import say, say_n
from graph.messages import Message
from graph.settings import Settings, get_settings


def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Counts per node label and relationship type, and the backend in use."""
    with cli_store() as store:
        counts = store.counts().as_dict()
        doc = {"backend": store.backend, **counts}
    if as_json:
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    typer.echo(say("cli.backend", backend=doc["backend"]))
    typer.echo(say("cli.totals", nodes=doc["total_nodes"], rels=doc["total_relationships"]))
    for label, n in doc["nodes"].items():
        typer.echo(f"  {label:<16}{n:>10}")
    for rel_type, n in doc["relationships"].items():
        typer.echo(f"  {rel_type:<16}{n:>10}")


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(
        min=1, max=64, help="Server processes (2 uses both cores of a 2-core machine; "
                            "best with Neo4j, each process holds its own embedded graph).")] = 1,
) -> None:
    """Serve the API and the inspectors' pages for whatever the configured store holds."""
    import uvicorn

    from api.app import create_app
    from api.cli.security import require_users

    settings = get_settings()
    require_users(settings)  # logins on and nobody can log in: refuse, say how to add one
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    else:
        # Worker processes build their own app (and store) from the same environment.
        uvicorn.run("api.app:create_app", factory=True, workers=workers, host=host, port=port,
                    log_level="info")


def demo_home(settings: Settings) -> Path:
    """Where the demo keeps its graph: ``DUTYGRAPH_HOME`` when set, else a ``demo``
    directory beside the default home (so the demo never mixes with real data)."""
    if "home" in settings.model_fields_set:
        return settings.home
    return settings.home / "demo"


def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    reload_sample: Annotated[bool, typer.Option(
        "--reload-sample", help="Load the sample again even if the store holds data.")] = False,
) -> None:
    """Load the bundled sample into the embedded store and serve it (no Neo4j needed)."""
    import uvicorn

    from api.app import create_app
    from loaders import load_sample

    base = get_settings()
    settings = base.model_copy(update={"neo4j_uri": None, "home": demo_home(base)})
    with cli_store(settings) as store:
        if reload_sample or store.counts().total_nodes == 0:
            typer.echo(say("cli.loading_sample", path=str(settings.home)))
            report = load_sample(store, progress=False)
            if not report.ok:
                raise fail(Message("cli.sample_failed"))
            store.flush()
        counts = store.counts()
        typer.echo(say("cli.demo_store", path=str(settings.home),
                       nodes=say_n("ui.n_nodes", counts.total_nodes),
                       rels=say_n("ui.n_relationships", counts.total_relationships)))
        from api.cli.security import ensure_demo_admin

        ensure_demo_admin(settings)  # random password printed once, never a fixed default
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"  # noqa: S104
        typer.echo(say("cli.demo_url", url=url))
        uvicorn.run(create_app(settings, store=store), host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command()(stats)
    app.command()(serve)
    app.command()(demo)
