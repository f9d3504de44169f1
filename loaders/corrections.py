"""Corrections: set, delete or add single facts, with a reason, as one change set.

``dutygraph set UID PROP=VALUE --reason ...``, ``dutygraph delete FACT --reason ...`` and a
change-set file (``dutygraph correct FILE``; the API's ``POST /api/corrections``) all come
here as a :class:`CorrectionRequest`::

    {"reason": "任职日期录入错误",
     "changes": [
       {"op": "set", "fact": "person:P1", "values": {"title": "区长"}},
       {"op": "set", "fact": "person:P1-SERVES_IN->unit:JD[secretary|2016-01-01]",
        "values": {"start": "2016-02-01"}},
       {"op": "delete", "fact": "issue:I-9"},
       {"op": "add", "fact": "person:P2-SERVES_IN->unit:JD",
        "values": {"role": "书记", "start": "2019-01-01"}}]}

Every value goes through the loader's converter for its property (types, enums, dates,
ranges, lengths: :mod:`loaders.values`), required properties stay set, facts must exist (or,
to be added, must not), relationships must join kinds the schema allows and nodes that
exist: everything is checked before anything is written, and every problem is reported like
a load's (:class:`loaders.errors.LoadIssue`; ``row``: the change's position, ``column``: the
property). Setting a relationship's key property (a post's ``start``) replaces it with the
relationship of the new key. Corrected facts keep the rows that asserted them and gain the
correction (``_sources`` token ``<change>``); added facts have the correction alone.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from graph.errors import DutyGraphError, kind_name
from graph.history.facts import FactKey, FactState, fact_id, parse_fact_id
from graph.history.record import record
from graph.schema import SCHEMA, split_uid
from graph.store.base import GraphStore, RelRecord
from graph.store.history import StateWrite
from loaders.errors import IssueLog, LoadIssue
from loaders.values import BadValue, converter, is_blank, to_text

Op = Literal["set", "delete", "add"]
#: Where the problems of a correction typed on the command line are located.
COMMAND_LINE = "command line"


class Correction(BaseModel):
    """One change: ``op`` on ``fact`` (a uid or ``src-TYPE->dst[key]``) with ``values``."""

    op: Op
    fact: str = Field(max_length=1000)
    values: dict[str, Any] = Field(default_factory=dict)


class CorrectionRequest(BaseModel):
    """A change-set file: why, and the changes (all or none are written)."""

    reason: str = Field(min_length=1, max_length=2000)
    changes: list[Correction] = Field(min_length=1, max_length=10_000)


class CorrectionReport(BaseModel):
    """What a correction did (``change``), or why nothing was written (``errors``)."""

    ok: bool
    written: bool = False
    dry_run: bool = False
    change: int | None = None
    facts: list[str] = Field(default_factory=list, description="Facts written or deleted.")
    counts: dict[str, dict[str, int]] = Field(default_factory=dict)
    error_count: int = 0
    errors: list[LoadIssue] = Field(default_factory=list)


class _Checker:
    def __init__(self, store: GraphStore, request: CorrectionRequest, source: str,
                 log: IssueLog) -> None:
        self.store = store
        self.request = request
        self.source = source
        self.log = log
        self.writes: dict[FactKey, StateWrite] = {}

    def err(self, code: str, n: int, column: str | None = None, **kw: Any) -> None:
        self.log.error(code, file=self.source, row=n, column=column, **kw)

    def values(self, n: int, owner: str, raw: dict[str, Any], *, node: bool
               ) -> dict[str, Any] | None:
        """Converted values (``None`` for a value to clear), or None after an error."""
        kind = SCHEMA.node(owner) if node else SCHEMA.rel(owner)
        out: dict[str, Any] = {}
        ok = True
        for name, value in raw.items():
            if name not in kind.prop_names:
                self.err("UNKNOWN_PROPERTY", n, name, detail=name,
                         names="、".join(kind.prop_names) or "-")
                ok = False
                continue
            if is_blank(value):
                out[name] = None
                continue
            try:
                out[name] = converter(kind.prop(name))(value)
            except BadValue as bad:
                self.err(bad.code, n, name, value=None if bad.value is None
                         else to_text(bad.value), detail=bad.detail)
                ok = False
        return out if ok else None

    def required(self, n: int, owner: str, props: dict[str, Any], *, node: bool) -> bool:
        kind = SCHEMA.node(owner) if node else SCHEMA.rel(owner)
        missing = [p.name for p in kind.properties if p.required and props.get(p.name) is None]
        for name in missing:
            self.err("REQUIRED", n, name)
        return not missing

    def run(self) -> None:
        parsed: list[tuple[int, Correction, FactKey]] = []
        for n, c in enumerate(self.request.changes, start=1):
            try:
                parsed.append((n, c, parse_fact_id(c.fact)))
            except DutyGraphError as exc:
                self.err("BAD_FACT", n, "fact", value=c.fact, detail=exc.message)
        keys = [k for _, _, k in parsed]
        ends = {u for k in keys if not isinstance(k, str) for u in k[1:3]}
        now = self.store.fact_states([*keys, *ends])
        added_nodes = {k for _, c, k in parsed if c.op == "add" and isinstance(k, str)}
        deleted_nodes = {k for _, c, k in parsed if c.op == "delete" and isinstance(k, str)}
        seen: set[FactKey] = set()
        for n, c, key in parsed:
            if key in seen:
                self.err("DUPLICATE_FACT", n, "fact", value=fact_id(key))
                continue
            seen.add(key)
            getattr(self, f"_{c.op}")(n, c, key, now.get(key), now, added_nodes, deleted_nodes)

    # -- the three operations ---------------------------------------------------------
    def _delete(self, n: int, c: Correction, key: FactKey, state: FactState | None,
                *_: Any) -> None:
        if state is None:
            self.err("FACT_NOT_FOUND", n, "fact", value=fact_id(key))
            return
        self.writes[key] = StateWrite(key, None, expect=state.change)

    def _set(self, n: int, c: Correction, key: FactKey, state: FactState | None,
             now: dict[FactKey, FactState], added: set[str], deleted: set[str]) -> None:
        if state is None:
            self.err("FACT_NOT_FOUND", n, "fact", value=fact_id(key))
            return
        owner = split_uid(key)[0] if isinstance(key, str) else key[0]
        values = self.values(n, owner, c.values, node=isinstance(key, str))
        if values is None:
            return
        props = {k: v for k, v in {**state.props, **values}.items() if v is not None}
        if not self.required(n, owner, props, node=isinstance(key, str)):
            return
        new = FactState(props, None, state.sources)
        if isinstance(key, str):
            self.writes[key] = StateWrite(key, new, expect=state.change)
            return
        moved = RelRecord.make(key[0], key[1], key[2], props).key
        if moved == key[3]:
            self.writes[key] = StateWrite(key, new, expect=state.change)
            return
        # A key property changed: the relationship of the new key replaces this one.
        target = (key[0], key[1], key[2], moved)
        if target in now:
            self.err("FACT_EXISTS", n, "fact", value=fact_id(target))
            return
        self.writes[key] = StateWrite(key, None, expect=state.change)
        self.writes[target] = StateWrite(target, FactState(props, None, state.sources),
                                         expect="absent")

    def _add(self, n: int, c: Correction, key: FactKey, state: FactState | None,
             now: dict[FactKey, FactState], added: set[str], deleted: set[str]) -> None:
        node = isinstance(key, str)
        owner = split_uid(key)[0] if isinstance(key, str) else key[0]
        values = self.values(n, owner, c.values, node=node)
        if values is None:
            return
        props = {k: v for k, v in values.items() if v is not None}
        if not self.required(n, owner, props, node=node):
            return
        if not isinstance(key, str):
            key = (key[0], key[1], key[2], RelRecord.make(key[0], key[1], key[2], props).key)
            state = now.get(key) or self.store.fact_states([key]).get(key)
            for end in key[1:3]:
                if (end not in now and end not in added) or end in deleted:
                    label, node_id = split_uid(end)
                    self.err("REF_NOT_FOUND", n, "fact", value=node_id,
                             detail=kind_name(label))
                    return
        if state is not None:
            self.err("FACT_EXISTS", n, "fact", value=fact_id(key))
            return
        self.writes[key] = StateWrite(key, FactState(props, None, None), expect="absent")


def check(store: GraphStore, request: CorrectionRequest, *, source: str = COMMAND_LINE,
          max_issues: int = 1000) -> tuple[list[StateWrite], IssueLog]:
    """The writes of ``request`` (without provenance yet) and every problem found."""
    log = IssueLog(cap=max_issues)
    checker = _Checker(store, request, source, log)
    checker.run()
    return list(checker.writes.values()), log


def apply(store: GraphStore, request: CorrectionRequest, user: str, *,
          source: str = COMMAND_LINE, dry_run: bool = False) -> CorrectionReport:
    """Check ``request`` and, when it is valid and not a dry run, write it as one change
    set (kind ``correction``) in one transaction."""
    writes, log = check(store, request, source=source)
    report = CorrectionReport(ok=log.error_count == 0, dry_run=dry_run,
                              error_count=log.error_count, errors=log.errors,
                              facts=[fact_id(w.key) for w in writes])
    if not report.ok or dry_run:
        return report
    done = record(store, "correction", user, writes, reason=request.reason).header
    report.written, report.change, report.counts = True, done.id, done.counts
    return report
