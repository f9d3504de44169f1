"""Progress bars (rows, rows/s, ETA) on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

from graph.messages import Message, render

Advance = Callable[[int], None]


def _noop(n: int) -> None:
    del n


class Bars:
    """A group of bars; a do-nothing stand-in when disabled (not a TTY, or asked so)."""

    def __init__(self, enabled: bool | None = None, lang: str = "zh") -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.lang = lang
        self._progress: Any = None

    def __enter__(self) -> Bars:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description:<22}"),
                BarColumn(),
                MofNCompleteColumn(),
                _RateColumn(self.lang),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self._progress.__enter__()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.__exit__(et, ev, tb)
            self._progress = None

    def task(self, description: Message, total: int | None = None) -> Advance:
        """A new bar labelled ``description`` (in the bars' language); returns the function
        that advances it by n rows."""
        if self._progress is None:
            return _noop
        progress = self._progress
        task_id = progress.add_task(render(description, self.lang), total=total)

        def advance(n: int) -> None:
            progress.update(task_id, advance=n)

        return advance


def _RateColumn(lang: str) -> Any:  # builds a rich column lazily (rich imported on demand)
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            if speed is None:
                return Text("")
            return Text(render(Message("load.progress_rate", rate=format(speed, ",.0f")), lang))

    return RateColumn()
