"""Resolving references against this load's rows and what the graph already holds.

A bare id is looked up under every kind its column may point at; a ``unit:``/``person:``
prefix fixes the kind. The store is asked in batches (``existing_uids``), only for uids the
input does not settle, and not at all when the graph is empty. A reference is:

* resolved when exactly one candidate exists;
* ``REF_AMBIGUOUS`` when a Unit and a Person both have that id;
* ``REF_NOT_FOUND`` when none does;
* ``REF_SKIPPED`` (with ``skip_invalid``) when it names a row that was dropped as invalid;
  dropping it may in turn drop rows that refer to *it*, so resolution repeats until no more
  rows drop. Without ``skip_invalid`` a reference to an invalid row counts as resolved, so
  the one real error is not buried under follow-on errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from graph.messages import AnyOf, Bilingual, Message
from graph.schema import SCHEMA, split_uid, uid_of
from graph.store.base import GraphStore
from loaders.errors import IssueLog
from loaders.tables import TABLES, Column, Table
from loaders.validate import FIRST_VALUE, Collected, Row

#: Uids per ``existing_uids`` call.
LOOKUP_BATCH = 10_000
_PREFIX_LABEL = {n.prefix: n.label for n in SCHEMA.nodes}
_UID_PREFIX = {n.label: f"{n.prefix}:" for n in SCHEMA.nodes}


def split_ref(ref: str) -> tuple[str | None, str]:
    """(label, id) of a canonical reference (``unit:JD``) or (None, id) of a bare one."""
    if ":" not in ref:
        return None, ref
    prefix, sep, rest = ref.partition(":")
    if sep:
        label = _PREFIX_LABEL.get(prefix)
        if label is not None:
            return label, rest
    return None, ref


def ref_slots(table: Table) -> list[tuple[int, Column]]:
    first = FIRST_VALUE + len(table.value_columns)
    return [(first + i, c) for i, c in enumerate(table.ref_columns)]


def _values(value: Any) -> Iterable[str]:
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


class Resolver:
    def __init__(self, collected: Collected, store: GraphStore, log: IssueLog,
                 skip_invalid: bool) -> None:
        self.c = collected
        self.store = store
        self.log = log
        self.skip_invalid = skip_invalid
        self.in_store: set[str] = set()
        #: Rows dropped per table (indices into collected.rows[table]).
        self.dropped: dict[str, set[int]] = {t.name: set() for t in TABLES}

    # -- the store -----------------------------------------------------------------
    def query_store(
        self, progress: Callable[[int], Callable[[int], None]] | None = None
    ) -> None:
        """Ask the store about every candidate uid the input does not settle.

        ``progress(total)``, called once there is something to ask, returns the function
        that advances a progress bar.
        """
        if self.store.counts().total_nodes == 0:
            return
        wanted: set[str] = set()
        ids = self.c.ids
        for t in TABLES:
            slots = ref_slots(t)
            for row in self.c.rows[t.name]:
                for i, col in slots:
                    assert col.ref is not None
                    for ref in _values(row[i]):
                        label, node_id = split_ref(ref)
                        labels = (label,) if label else col.ref.labels
                        if len(labels) == 1 and node_id in ids[labels[0]]:
                            continue  # settled by the input; one kind cannot be ambiguous
                        for lb in labels:
                            wanted.add(uid_of(lb, node_id))
        batch = sorted(wanted)
        advance = progress(len(batch)) if progress and batch else None
        for start in range(0, len(batch), LOOKUP_BATCH):
            chunk = batch[start:start + LOOKUP_BATCH]
            self.in_store |= self.store.existing_uids(chunk)
            if advance:
                advance(len(chunk))

    # -- one reference -------------------------------------------------------------
    def resolve(self, ref: str, labels: tuple[str, ...]) -> tuple[str | None, str | None]:
        """(uid, None) or (None, error code)."""
        label, node_id = split_ref(ref)
        if label is None and len(labels) == 1 and node_id in self.c.ids[labels[0]]:
            return _UID_PREFIX[labels[0]] + node_id, None  # the common case, fast
        cands = (label,) if label else labels
        hits: list[str] = []
        skipped = False
        for lb in cands:
            uid = _UID_PREFIX[lb] + node_id
            if node_id in self.c.ids[lb] or uid in self.in_store:
                hits.append(uid)
            elif node_id in self.c.invalid[lb]:
                skipped = True
                if not self.skip_invalid:
                    hits.append(uid)
        if len(hits) == 1:
            return hits[0], None
        if len(hits) > 1:
            return None, "REF_AMBIGUOUS"
        return None, "REF_SKIPPED" if skipped else "REF_NOT_FOUND"

    def _row(self, t: Table, row: Row, slots: list[tuple[int, Column]]) -> Row | None:
        """The row with uids for references, or None (each failure logged)."""
        values: list[Any] | None = None
        bad = False
        for i, col in slots:
            v = row[i]
            if v is None:
                continue
            labels = col.ref.labels  # type: ignore[union-attr]
            if values is None:
                values = list(row)
            if v.__class__ is tuple:
                out = []
                for ref in v:
                    uid, code = self.resolve(ref, labels)
                    if code is not None:
                        bad = True
                        self._report(t, row, col, ref, code)
                    out.append(uid)
                values[i] = tuple(out)
            else:
                uid, code = self.resolve(v, labels)
                if code is not None:
                    bad = True
                    self._report(t, row, col, v, code)
                values[i] = uid
        if bad:
            return None
        return row if values is None else tuple(values)

    # -- all rows ------------------------------------------------------------------
    def check(self) -> int:
        """One pass (skip_invalid) over rows not yet dropped; returns how many it dropped."""
        dropped_now = 0
        for t in TABLES:
            slots = ref_slots(t)
            if not slots:
                continue
            dropped = self.dropped[t.name]
            for idx, row in enumerate(self.c.rows[t.name]):
                if idx in dropped or self._row(t, row, slots) is not None:
                    continue
                dropped.add(idx)
                dropped_now += 1
                if t.node is not None:
                    self.c.ids[t.node].discard(row[2])
                    self.c.invalid[t.node].add(row[2])
        return dropped_now

    def _report(self, t: Table, row: Row, col: Column, ref: str, code: str) -> None:
        assert col.ref is not None
        src = self.c.sources[row[0]]
        _, node_id = split_ref(ref)
        kinds: AnyOf | Message = AnyOf(
            Bilingual(SCHEMA.node(lb).zh, SCHEMA.node(lb).en) for lb in col.ref.labels)
        if code == "REF_AMBIGUOUS":
            kinds = Message("load.unit_and_person")
        self.log.error(code, file=src.file, sheet=src.sheet, row=row[1],
                       column=src.header(col.name),
                       value=node_id if code == "REF_AMBIGUOUS" else ref, detail=kinds)

    def run(self) -> None:
        """Rewrite references as uids, logging each that does not resolve.

        With skip_invalid, rows are first dropped until nothing more drops (each failure
        logged once, as its row drops); the rewrite then meets no failures.
        """
        if self.skip_invalid:
            while self.check():
                pass
        for t in TABLES:
            slots = ref_slots(t)
            if not slots:
                continue
            rows = self.c.rows[t.name]
            dropped = self.dropped[t.name]
            out: list[Row] = []
            for idx, row in enumerate(rows):
                if idx in dropped:
                    continue
                new = self._row(t, row, slots)
                # (strict mode: a failed row is kept as is; nothing will be written anyway)
                out.append(row if new is None else new)
            rows[:] = out
            dropped.clear()


def caption_of(uid: str, captions: dict[str, str], store: GraphStore) -> str:
    """The name/title of a node from this load (``captions``) or the store, else its id."""
    hit = captions.get(uid)
    if hit is not None:
        return hit
    node = store.get_node(uid)
    text = node.caption if node is not None else split_uid(uid)[1]
    captions[uid] = text
    return text
