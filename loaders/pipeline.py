"""One load, end to end: read and validate every file, resolve references, then write.

Nothing is written until everything is validated. With any error the load writes nothing
(``ok`` false), unless ``skip_invalid`` is set, in which case the invalid rows, and rows
whose references lead to them, are left out and reported.

A load that writes is a change set of the store's history (:mod:`graph.history`): its
header names the user and every file with its SHA-256, each fact written carries its
source rows, and ``dutygraph loads undo`` can reverse it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from graph.history.undo import chunks
from graph.messages import Message
from graph.settings import get_settings
from graph.store.base import GraphStore
from loaders.changes import digests, load_sources, operator
from loaders.errors import IssueLog, LoadIssue, LoadUsageError
from loaders.progress import Bars
from loaders.readers import discover, read_path, table_list
from loaders.resolve import Resolver
from loaders.rules import check_rules
from loaders.sync import ChangePlan, plan_sync, sync_spec
from loaders.tables import table_named
from loaders.targets import fill_targets
from loaders.titles import fill_titles
from loaders.validate import Collected, SheetValidator, report_duplicates
from loaders.write import count_relationships, write_all

SAMPLE_FORMS = ("csv", "xlsx")


class LoadReport(BaseModel):
    """What a load did (or, with errors or ``dry_run``, would do)."""

    ok: bool = Field(description="No errors, or errors skipped with skip_invalid.")
    written: bool = Field(description="Whether anything was written to the store.")
    dry_run: bool = False
    skip_invalid: bool = False
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
    change: int | None = Field(default=None,
                               description="The change set the load wrote (loads show ID).")
    plan: ChangePlan | None = Field(default=None, description=(
        "With sync: what the load adds, changes and retracts (the --dry-run diff)."))

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
    user: str | None = None,
    table: str | None = None,
    sync_units: Sequence[str] | None = None,
    sync_tables: Sequence[str] = (),
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
    user
        Who the change set is recorded under (default :func:`loaders.changes.operator`).
    table
        Read every file (and sheet) as this table (English or Chinese name), whatever its
        name or header row says.
    sync_units, sync_tables
        Sync (:mod:`loaders.sync`): the input is the whole truth for ``sync_tables``
        (default: the tables it holds) within the subtrees of ``sync_units`` (unit ids, or
        ``*`` for the whole graph); what the graph holds of them there and the input does
        not is retracted. ``None``: an ordinary, additive load.

    Raises
    ------
    LoadUsageError
        A path does not exist.
    """
    t0 = time.perf_counter()
    forced = None
    if table is not None:
        forced = table_named(table)
        if forced is None:
            raise LoadUsageError(Message("load.no_such_table", table=table, tables=table_list()))
    files = discover(Path(p) for p in paths)
    log = IssueLog(cap=max_issues)
    collected = Collected()
    seconds: dict[str, float] = {}
    with Bars(progress, lang) as bars:
        advance = bars.task(Message("load.progress_read"))
        for path, explicit in files:
            for sheet in read_path(path, explicit, log, forced):
                SheetValidator(sheet, collected, log).run(advance)
        report_duplicates(collected, log)
        # Before references are resolved: a duty refused here is then a reference to an
        # invalid row (REF_SKIPPED with skip_invalid), as for any other invalid row.
        fill_targets(collected, log, skip_invalid=skip_invalid)
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
        sync = None
        if report.ok and (sync_units is not None or not dry_run):
            fill_titles(collected, store)
        if report.ok and sync_units is not None:
            spec = sync_spec(sync_units, sync_tables, collected)
            sync = plan_sync(store, collected, spec, log)
            report.plan = sync.plan
        if report.ok and not dry_run:
            size = batch_size or get_settings().batch_size
            total = collected.valid_rows + count_relationships(collected)
            header = store.history.begin(
                "load" if sync is None else "sync", user or operator(),
                sources=load_sources(collected, digests(p for p, _ in files)),
                sync=None if sync is None else sync.plan.sync)
            if sync is not None:
                for part in chunks(sync.retract, size):
                    store.apply_states(header.id, part)
            counts = write_all(store, collected, size,
                               bars.task(Message("load.progress_write"), total),
                               change=header.id)
            store.history.finish(header.id)
            report.change = header.id
            report.written = True
            report.nodes = dict(sorted(counts.nodes.items()))
            report.relationships = dict(sorted(counts.relationships.items()))
            seconds["write"] = time.perf_counter() - t2
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
