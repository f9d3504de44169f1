"""One load, end to end: read and validate every file, resolve references, then write.

Nothing is written until everything is validated. With any error the load writes nothing
(``ok`` false), unless ``skip_invalid`` is set, in which case the invalid rows, and rows
whose references lead to them, are left out and reported.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, Field

from graph.messages import Message
from graph.settings import get_settings
from graph.store.base import GraphStore
from loaders.errors import IssueLog, LoadIssue, LoadUsageError
from loaders.progress import Bars
from loaders.readers import discover, read_path
from loaders.resolve import Resolver
from loaders.rules import check_rules
from loaders.titles import fill_titles
from loaders.validate import Collected, SheetValidator, report_duplicates
from loaders.write import WriteCounts, count_relationships, write_all

SAMPLE_FORMS = ("csv", "xlsx")
#: How validated rows reach the store: (store, rows, batch size, progress) -> what was written.
Writer = Callable[[GraphStore, Collected, int, Callable[[int], None] | None], WriteCounts]


class LoadReport(BaseModel):
    """What a load did (or, with errors or ``dry_run``, would do)."""

    ok: bool = Field(description="No errors, or errors skipped with skip_invalid.")
    written: bool = Field(description="Whether anything was written to the store.")
    dry_run: bool = False
    skip_invalid: bool = False
    initial: bool = Field(default=False, description="An initial load (load --initial): "
                          "Neo4j's offline import into an empty database.")
    backend: str
    files: list[str] = Field(default_factory=list)
    rows_read: dict[str, int] = Field(default_factory=dict, description="Data rows per table.")
    rows_valid: int = 0
    rows_skipped: int = 0
    nodes: dict[str, int] = Field(default_factory=dict, description="Nodes written per label.")
    relationships: dict[str, int] = Field(default_factory=dict,
                                          description="Relationships written per type.")
    error_count: int = 0
    warning_count: int = 0
    errors: list[LoadIssue] = Field(default_factory=list)
    warnings: list[LoadIssue] = Field(default_factory=list)
    truncated: bool = Field(default=False, description="More issues than listed (see the counts).")
    seconds: dict[str, float] = Field(default_factory=dict, description="Time per phase.")

    @property
    def total_rows(self) -> int:
        return sum(self.rows_read.values())

    @property
    def rows_per_second(self) -> float:
        total = self.seconds.get("total", 0.0)
        return self.total_rows / total if total > 0 else 0.0


def load_paths(
    store: GraphStore,
    paths: Iterable[Path | str],
    *,
    skip_invalid: bool = False,
    dry_run: bool = False,
    progress: bool | None = None,
    batch_size: int | None = None,
    max_issues: int = 1000,
    lang: str = "zh",
    writer: Writer = write_all,
) -> LoadReport:
    """Load files and folders (CSV, XLSX, JSON, JSONL) into ``store``.

    Parameters
    ----------
    store
        Where to write (either backend).
    paths
        Files and folders; folders are searched recursively.
    skip_invalid
        Write the valid rows and report the rest, instead of writing nothing.
    dry_run
        Validate only.
    progress
        Progress bars on stderr: None shows them when stderr is a terminal.
    batch_size
        Records per write; default ``DUTYGRAPH_BATCH_SIZE``.
    max_issues
        Errors (and, separately, warnings) listed in the report; all are counted.
    lang
        Language of the progress bars' labels (``zh`` or ``en``).
    writer
        What writes the validated rows (default :func:`loaders.write.write_all`; the
        initial load of :mod:`loaders.initial` writes import files instead). Its
        ``WriteCounts.seconds`` phases are added to the report's.

    Raises
    ------
    LoadUsageError
        A path does not exist.
    """
    t0 = time.perf_counter()
    files = discover(Path(p) for p in paths)
    log = IssueLog(cap=max_issues)
    collected = Collected()
    seconds: dict[str, float] = {}
    with Bars(progress, lang) as bars:
        advance = bars.task(Message("load.progress_read"))
        for path, explicit in files:
            for sheet in read_path(path, explicit, log):
                SheetValidator(sheet, collected, log).run(advance)
        report_duplicates(collected, log)
        t1 = time.perf_counter()
        seconds["read"] = t1 - t0

        resolver = Resolver(collected, store, log, skip_invalid)
        resolver.query_store(lambda total: bars.task(Message("load.progress_lookup"), total))
        resolver.run()
        check_rules(collected, log, skip_invalid=skip_invalid)
        t2 = time.perf_counter()
        seconds["resolve"] = t2 - t1

        report = LoadReport(
            ok=log.error_count == 0 or skip_invalid,
            written=False,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            backend=store.backend,
            files=[str(p) for p, _ in files],
            rows_read=dict(sorted(collected.read.items())),
            rows_valid=collected.valid_rows,
        )
        report.rows_skipped = report.total_rows - report.rows_valid
        if report.ok and not dry_run:
            fill_titles(collected, store)
            total = collected.valid_rows + count_relationships(collected)
            counts = writer(store, collected, batch_size or get_settings().batch_size,
                            bars.task(Message("load.progress_write"), total))
            report.written = True
            report.nodes = dict(sorted(counts.nodes.items()))
            report.relationships = dict(sorted(counts.relationships.items()))
            seconds["write"] = time.perf_counter() - t2
            seconds.update(counts.seconds)
    seconds["total"] = time.perf_counter() - t0
    report.seconds = {k: round(v, 3) for k, v in seconds.items()}
    report.error_count, report.warning_count = log.error_count, log.warning_count
    report.errors, report.warnings, report.truncated = log.errors, log.warnings, log.truncated
    return report


def sample_paths(form: str = "csv") -> list[Path]:
    """The shipped sample data in ``form`` (csv or xlsx)."""
    if form not in SAMPLE_FORMS:
        raise LoadUsageError(Message("load.unknown_sample_form", form=form))
    from loaders import sample

    # The sample package (loaders/sample) provides sample_paths(form) -> list[Path].
    paths: list[Path] = sample.sample_paths(form)  # type: ignore[attr-defined,unused-ignore]
    return list(paths)


def load_sample(store: GraphStore, form: str = "csv", **kwargs: object) -> LoadReport:
    """Load the shipped sample data (see :func:`load_paths` for the options)."""
    return load_paths(store, sample_paths(form), **kwargs)  # type: ignore[arg-type]
