"""A view of the working loop brought up to date after a write (``LoopView.patched``) lists
exactly what a view read afresh from the new facts lists, in the same order."""

from __future__ import annotations

import copy

from graph.loop.status import LoopRules
from graph.queries.warnings import LoopView
from graph.scope import EVERYTHING_SCOPE
from graph.store.base import GraphStore

DAY = "2026-12-01"


def _uids(view: LoopView) -> list[tuple[str, str, str]]:
    return [(str(j.node["uid"]), j.status.colour, "" if j.holder is None
             else str(j.holder["uid"])) for j in view.items(DAY)]


def test_patched_view_equals_a_fresh_one(sample_store: GraphStore) -> None:
    rules = LoopRules.from_settings()
    rows = sample_store.reads.loop_facts(2026, None, EVERYTHING_SCOPE)
    before = LoopView(copy.deepcopy(rows), 2026, rules)
    before.items(DAY)  # judged before the write, as a running server has it
    # The write: one subject gone, one answered (an overdue order replied to), one new.
    orders = [r for r in rows if r["kind"] == "order" and not r["node"].get("replied_on")]
    assert len(orders) >= 2, "the sample has open orders"
    gone, answered = orders[0], copy.deepcopy(orders[1])
    answered["node"]["replied_on"] = DAY
    answered["node"]["status"] = "replied"
    added = copy.deepcopy(orders[0])
    added["node"]["uid"] = "supervisionorder:OD-NEW"
    after_rows = [r for r in rows if r["node"]["uid"] not in
                  (gone["node"]["uid"], answered["node"]["uid"])] + [answered, added]
    touched = [gone["node"]["uid"], answered["node"]["uid"], "supervisionorder:OD-NEW"]
    patched = before.patched(touched, [answered, added])
    fresh = LoopView(after_rows, 2026, rules)
    assert _uids(patched) == _uids(fresh)
    assert [j.sort_key() for j in patched.items(DAY)] == [j.sort_key() for j in fresh.items(DAY)]
    assert _uids(patched) != _uids(before)  # the write changed the list
