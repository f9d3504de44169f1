"""The cases of a unit's subtree, on both stores (the sample)."""

from __future__ import annotations

import pytest

from graph.errors import NotFound
from graph.queries.cases import cases_in_subtree
from graph.store import GraphStore


def test_cases_of_a_subtree_newest_first(sample_store: GraphStore) -> None:
    cases = cases_in_subtree(sample_store, "JD", limit=1000)
    assert cases.unit.uid == "unit:JD" and cases.unit.caption == "嘉定区委"
    assert cases.total == len(cases.items) == 16  # C-JD-001..015 and C-JD-100
    dates = [c.occurred_on or "" for c in cases.items]
    assert dates == sorted(dates, reverse=True)
    assert {c.case.uid for c in cases.items} == {f"case:C-JD-{n:03d}" for n in
                                                 (*range(1, 16), 100)}
    first = cases_in_subtree(sample_store, "unit:JD", limit=3)
    assert first.total == 16 and first.items == cases.items[:3]
    for ref in ("unit:NOPE", "person:P-JD-01", ""):
        with pytest.raises(NotFound):
            cases_in_subtree(sample_store, ref)


def test_scope(sample_store: GraphStore) -> None:
    """A 嘉定 user sees 嘉定's list whole; 闵行's unit is NotFound to them, and so is the
    city, which lies above their scope."""
    jd = sample_store.reads.scope_of(["unit:JD"])
    assert cases_in_subtree(sample_store, "JD", scope=jd) == cases_in_subtree(sample_store, "JD")
    for unit in ("MH", "SH"):
        with pytest.raises(NotFound):
            cases_in_subtree(sample_store, unit, scope=jd)
    mh = sample_store.reads.scope_of(["unit:MH"])
    assert [c.case.id for c in cases_in_subtree(sample_store, "MH", scope=mh).items] == [
        "C-MH-03", "C-MH-02", "C-MH-01"]
