"""An in-memory set of input rows, filled by the declarative sample modules.

Values are canonical (English codes, ISO dates, ints); :mod:`loaders.sample.build` turns
them into the two shipped forms. The helpers check the invariants the loaders would reject
(duplicate ids, dangling references) early, so a mistake in the sample data fails the build
rather than a user's first ``dutygraph load --sample``.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from loaders.sample.names import NameBook
from loaders.sample.tables import TABLES

Row = dict[str, Any]


class Dataset:
    """Rows per table plus small indexes the sample modules need while building."""

    def __init__(self, seed: int = 2018) -> None:
        # Reproducible variety, not security: a seeded PRNG is what we want.
        self.rng = random.Random(seed)  # noqa: S311
        self.names = NameBook(random.Random(seed + 1))  # noqa: S311
        self.rows: dict[str, list[Row]] = {t.name: [] for t in TABLES}
        self.units: dict[str, Row] = {}
        self.people: dict[str, Row] = {}
        self._ids: dict[str, set[str]] = defaultdict(set)
        self._seq: dict[str, int] = defaultdict(int)

    # -- identities ------------------------------------------------------------------
    def next_id(self, prefix: str, width: int = 3) -> str:
        self._seq[prefix] += 1
        return f"{prefix}{self._seq[prefix]:0{width}d}"

    def _add(self, table: str, row: Row) -> Row:
        if "id" in row:
            if row["id"] in self._ids[table]:
                raise ValueError(f"duplicate id {row['id']!r} in {table}")
            self._ids[table].add(row["id"])
        self.rows[table].append(row)
        return row

    # -- tables ----------------------------------------------------------------------
    def unit(self, uid: str, name: str, kind: str, level: int,
             parent: str | None = None, code: str | None = None) -> str:
        if parent is not None and parent not in self.units:
            raise ValueError(f"unit {uid}: parent {parent} not declared before it")
        if uid in self.people:
            raise ValueError(f"id {uid} used by a person too")
        row = self._add("units", {"id": uid, "name": name, "kind": kind, "level": level,
                                  "parent_id": parent, "code": code})
        self.units[uid] = row
        return uid

    def person(self, pid: str, title: str, name: str | None = None) -> str:
        if pid in self.units:
            raise ValueError(f"id {pid} used by a unit too")
        row = self._add("people", {"id": pid, "name": name or self.names.name(), "title": title})
        self.people[pid] = row
        return pid

    def post(self, person: str, unit: str, role: str, start: str | None,
             end: str | None = None) -> None:
        self._check(person, unit)
        self._add("posts", {"person_id": person, "unit_id": unit, "role": role,
                            "start": start, "end": end})

    def portfolio(self, person: str, unit: str, portfolio: str, start: str | None,
                  end: str | None = None) -> None:
        self._check(person, unit)
        self._add("portfolios", {"person_id": person, "unit_id": unit, "portfolio": portfolio,
                                 "start": start, "end": end})

    def supervise(self, supervisor: str, unit: str, mode: str) -> None:
        self._check(supervisor, unit)
        self._add("supervision", {"supervisor_id": supervisor, "unit_id": unit, "mode": mode})

    def duty(self, did: str, title: str, responsibility: str, holder: str, *,
             list_: str = "responsibility", aspect: str | None = None,
             indicator: str | None = None, year: int | None = None,
             parent: str | None = None) -> str:
        self._check(holder)
        self._add("duties", {"id": did, "title": title, "responsibility": responsibility,
                             "holder_id": holder, "list": list_, "aspect": aspect,
                             "indicator": indicator, "year": year, "parent_id": parent})
        return did

    def add(self, table: str, **row: Any) -> str:
        """A row of any other table, given by column name."""
        self._add(table, row)
        return str(row.get("id", ""))

    def _check(self, *refs: str) -> None:
        for ref in refs:
            if ref not in self.units and ref not in self.people:
                raise ValueError(f"unknown unit or person {ref!r}")

    # -- helpers for the declarative modules -------------------------------------------
    def team(self, unit: str, roles: Iterable[tuple[str, str]], start: str = "2016-01-01",
             prefix: str | None = None) -> dict[str, list[str]]:
        """People serving in ``unit`` with the given (role, job title); returns role → ids."""
        out: dict[str, list[str]] = defaultdict(list)
        for role, title in roles:
            pid = self.next_id(prefix or f"P-{unit}-", 2)
            self.person(pid, title)
            self.post(pid, unit, role, start)
            out[role].append(pid)
        return out

    def children(self, unit: str) -> list[str]:
        return [u for u, r in self.units.items() if r["parent_id"] == unit]
