"""``dutygraph load --sync``: the input is the whole truth for some tables within some unit
subtrees, so what the graph holds of those tables there and the input no longer contains is
retracted.

Which facts a table holds: its nodes, and the relationships its reference columns make
(each relationship type belongs to one table). A fact lies within the subtrees when its
*owner* does -- the row's own node for a node table (a duty for ``HOLDS``), the unit end of
a relationship table's row (``posts``: the unit served in) -- by the scope rules every
query applies (:mod:`graph.scope`). A node the input still refers to (a person its posts
name) is kept, with a warning. Retracted facts are deleted in the load's change set (kind
``sync``), which records each one's last state: ``dutygraph loads undo`` brings them back.

The plan (what would be added, changed, asserted again and retracted, with ids and source
rows) is what ``--dry-run`` prints.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field

from graph.history.facts import FactKey, FactState, fact_id, fact_kind, same_values
from graph.history.model import SyncSpec
from graph.history.provenance import SourceRow, headers_by_id, source_rows
from graph.messages import Message
from graph.schema import uid_of
from graph.scope import EVERYTHING, EVERYTHING_SCOPE, Scope, unit_uids
from graph.store.base import GraphStore
from graph.store.history import StateWrite
from loaders.errors import IssueLog, LoadUsageError
from loaders.readers import table_list
from loaders.tables import TABLES, Table, table_named
from loaders.validate import FIRST_VALUE, Collected
from loaders.write import iter_rel_rows

#: Facts listed per outcome in a plan (all are counted).
LISTED = 1000
End = Literal["src", "dst"]


@dataclass(frozen=True, slots=True)
class InputFact:
    """A fact the input asserts: its key, properties and first source (index, row)."""

    key: FactKey
    props: dict[str, Any]
    source: int
    row: int


def input_facts(collected: Collected) -> Iterator[InputFact]:
    """Every node and relationship the validated rows assert."""
    for t in TABLES:
        if t.node is None:
            continue
        names = t.prop_names
        for r in collected.rows[t.name]:
            props = {n: v for n, v in zip(names, r[FIRST_VALUE:FIRST_VALUE + len(names)],
                                          strict=True) if v is not None}
            yield InputFact(uid_of(t.node, r[2]), props, r[0], r[1])
    for rel, names, row in iter_rel_rows(collected, change=0):
        _, source, line = row[-1].split(".")
        values = row[3:3 + len(names)]
        props = {n: v for n, v in zip(names, values, strict=True) if v is not None}
        yield InputFact((rel, row[0], row[1], row[2]), props, int(source), int(line))


def owner_ends(table: Table) -> dict[str, End]:
    """Relationship type -> the end that owns it, for the relationships ``table`` makes."""
    if table.rel is not None:
        return {table.rel: "dst"}  # posts, portfolios, supervision: the unit (supervised)
    out: dict[str, End] = {}
    for col in table.ref_columns:
        assert col.ref is not None
        # The referenced node takes ``col.ref.end``; the row's own node the other end.
        out[col.ref.rel] = "src" if col.ref.end == "dst" else "dst"
    return out


class FactChange(BaseModel):
    """One fact of a plan: what it is, where the input has it, and what changes."""

    fact: str
    kind: str = Field(description="Label or relationship type.")
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    fields: dict[str, list[Any]] = Field(default_factory=dict,
                                         description="Changed properties: [before, after].")
    sources: list[SourceRow] = Field(default_factory=list,
                                     description="The rows that asserted a retracted fact.")


class ChangePlan(BaseModel):
    """What a ``--sync`` load adds, changes, asserts again, retracts and keeps."""

    sync: SyncSpec
    counts: dict[str, int] = Field(default_factory=dict)
    added: list[FactChange] = Field(default_factory=list)
    changed: list[FactChange] = Field(default_factory=list)
    retracted: list[FactChange] = Field(default_factory=list)
    kept: list[FactChange] = Field(default_factory=list, description=(
        "Facts the tables no longer hold but the input still refers to: not retracted."))
    truncated: bool = False


@dataclass
class Sync:
    """A planned sync: the plan to show and the writes that retract."""

    plan: ChangePlan
    retract: list[StateWrite] = field(default_factory=list)


def sync_spec(units: Sequence[str], tables: Sequence[str], collected: Collected) -> SyncSpec:
    """The spec of ``--sync --unit ... --tables ...``: tables by their English names
    (default: every table the input holds), units as uids (``*``: the whole graph)."""
    names: list[str] = []
    for text in tables:
        t = table_named(text)
        if t is None:
            raise LoadUsageError(Message("load.no_such_table", table=text, tables=table_list()))
        names.append(t.name)
    if not names:
        names = sorted({s.table.name for s in collected.sources})
    roots = unit_uids(units)
    return SyncSpec(units=[EVERYTHING] if roots is None else sorted(set(roots)),
                    tables=sorted(set(names)))


def scope_of(store: GraphStore, spec: SyncSpec) -> Scope:
    if spec.units == [EVERYTHING]:
        return EVERYTHING_SCOPE
    missing = [u for u in spec.units if store.get_node(u) is None]
    if missing:
        raise LoadUsageError(Message("load.sync_no_unit", units=missing))
    return Scope.of_roots(spec.units)


def plan_sync(store: GraphStore, collected: Collected, spec: SyncSpec, log: IssueLog) -> Sync:
    """The plan of a sync and its retractions (nothing is written)."""
    tables = [t for t in TABLES if t.name in spec.tables]
    labels = {t.node for t in tables if t.node is not None}
    owners: dict[str, End] = {}
    for t in tables:
        owners.update(owner_ends(t))
    scope = scope_of(store, spec)
    facts = list(input_facts(collected))
    asserted = {f.key for f in facts}
    referenced = {u for f in facts if not isinstance(f.key, str) for u in f.key[1:3]}
    existing = [k for k in store.fact_keys(labels, owners) if k not in asserted]

    def owner(key: FactKey) -> str:
        if isinstance(key, str):
            return key
        return key[1] if owners[key[0]] == "src" else key[2]

    if not scope.everything:
        seen = store.reads.visible({owner(k) for k in existing}, scope)
        existing = [k for k in existing if owner(k) in seen]
    within = existing
    states = store.fact_states(within)
    headers = headers_by_id(store)
    plan = ChangePlan(sync=spec)
    out = Sync(plan)
    for key in sorted(within, key=lambda k: (isinstance(k, str), fact_id(k))):
        state = states.get(key)
        if state is None:
            continue
        item = FactChange(fact=fact_id(key), kind=fact_kind(key),
                          sources=source_rows(state.sources, headers))
        if isinstance(key, str) and key in referenced:
            plan.kept.append(item)
            log.warning("SYNC_KEPT", detail=fact_id(key))
            continue
        plan.retracted.append(item)
        out.retract.append(StateWrite(key, None, expect=state.change))
    _compare(store, collected, facts, plan)
    plan.counts["retracted"] = len(plan.retracted)
    plan.counts["kept"] = len(plan.kept)
    for name in ("added", "changed", "retracted", "kept"):
        items: list[FactChange] = getattr(plan, name)
        if len(items) > LISTED:
            plan.truncated = True
            del items[LISTED:]
    return out


def _compare(store: GraphStore, collected: Collected, facts: list[InputFact],
             plan: ChangePlan) -> None:
    """Sort the input's facts into added, changed and asserted again."""
    now: dict[FactKey, FactState] = store.fact_states(f.key for f in facts)
    counts = {"added": 0, "changed": 0, "reasserted": 0}
    seen: set[FactKey] = set()
    for f in facts:
        if f.key in seen:
            continue
        seen.add(f.key)
        src = collected.sources[f.source]
        state = now.get(f.key)
        item = FactChange(fact=fact_id(f.key), kind=fact_kind(f.key), file=src.file,
                          sheet=src.sheet, row=f.row)
        if state is None:
            counts["added"] += 1
            plan.added.append(item)
        elif same_values(state.props, f.props):
            counts["reasserted"] += 1
        else:
            counts["changed"] += 1
            names = sorted(set(state.props) | set(f.props))
            item.fields = {n: [state.props.get(n), f.props.get(n)] for n in names
                           if state.props.get(n) != f.props.get(n)}
            plan.changed.append(item)
    plan.counts.update(counts)

