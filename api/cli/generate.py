"""``dutygraph generate``: synthetic datasets at district or city scale (loaders.synthetic)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import typer

from api.cli.common import EXIT_USAGE, fail
from api.cli.text import say
from graph.messages import Message


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""

    @app.command("generate")
    def generate_cmd(
        scale: str = typer.Option(
            "district", "--scale", help="district (~150k nodes) or city (~2M nodes)."),
        out: Path = typer.Option(..., "--out", help="Folder to write the CSV files into."),
        seed: int = typer.Option(1, "--seed", help="Same seed, same bytes."),
        fmt: str = typer.Option("csv", "--format", help="Output format (csv)."),
        as_of: str = typer.Option(
            "2026-11-26", "--as-of",
            help="Generation date: the five-year window ends here; planted gaps are as of it."),
    ) -> None:
        """Write a synthetic dataset with planted weak links (DIR/planted.json).

        生成合成数据集（含预埋薄弱环节，见 planted.json），用 dutygraph load DIR 导入。
        """
        from loaders.synthetic import SCALES, generate

        if scale not in SCALES:
            raise fail(Message("cli.unknown_scale", scale=scale), EXIT_USAGE)
        if fmt != "csv":
            raise fail(Message("cli.unsupported_format", format=fmt, formats="csv"),
                       EXIT_USAGE)
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            raise fail(Message("reason.not_a_date", value=as_of), EXIT_USAGE) from None
        if out.exists() and any(out.iterdir()):
            typer.echo(say("cli.non_empty_folder", path=str(out)), err=True)
        t0 = time.perf_counter()
        manifest = generate(out, scale, seed=seed, as_of=day)
        seconds = time.perf_counter() - t0
        typer.echo(say("cli.generated", nodes=format(manifest["nodes"], ","),
                       rels=format(manifest["relationships"], ","), seconds=format(seconds, ".1f"),
                       path=str(out), planted=sum(manifest["planted"].values())))
