"""The everyday acts (loaders/acts.py) as change sets of the history, on both stores: an act
is listed, diffed and undone like a load (undo restores the checksum, provenance included),
its undo is refused while a later act depends on it, a refused act leaves no trace, and the
step it makes is known uid by uid to the incremental analysis."""

from __future__ import annotations

import pytest

from graph.checksum import graph_checksum
from graph.history.diff import diff
from graph.history.facts import FactState
from graph.history.provenance import provenance_of
from graph.history.undo import UndoRefused, undo
from graph.scope import EVERYTHING_SCOPE
from graph.store.base import GraphStore, NodeRecord, RelRecord
from graph.store.history import Conflict
from loaders.acts import Actor, record_fulfilment, reply, verify
from loaders.change import record_change
from loaders.corrections import Correction, CorrectionRequest, apply

ADMIN = Actor("admin", EVERYTHING_SCOPE, None)


def _world(store: GraphStore) -> None:
    """A discipline body, a leader holding a duty, and a referral sent to the leader --
    written as a correction, so every fact carries provenance like loaded facts do."""
    facts = [
        Correction(op="add", fact="unit:JW", values={"name": "区纪委", "kind": "discipline_body",
                                                    "level": 1}),
        Correction(op="add", fact="person:P1", values={"name": "张某"}),
        Correction(op="add", fact="duty:D1", values={
            "title": "专题研究党风廉政建设", "responsibility": "primary", "year": 2026}),
        Correction(op="add", fact="person:P1-HOLDS->duty:D1"),
        Correction(op="add", fact="referral:RF1", values={
            "title": "廉情抄告", "issued_on": "2026-01-05", "due_on": "2026-02-05",
            "status": "open"}),
        Correction(op="add", fact="referral:RF1-ISSUED_BY->unit:JW"),
        Correction(op="add", fact="referral:RF1-SENT_TO->person:P1"),
    ]
    report = apply(store, CorrectionRequest(reason="测试数据", changes=facts), "setup")
    assert report.written, report.errors


def _checksum(store: GraphStore) -> str:
    return graph_checksum(store, provenance=True)


def test_an_act_is_a_change_set_and_undo_restores_the_checksum(store: GraphStore) -> None:
    _world(store)
    before = _checksum(store)
    done = record_fulfilment(store, ADMIN, "duty:D1", action="meeting", on="2026-03-01",
                             summary="第一次专题研究")
    record = done.nodes[0].uid
    header = store.history.header(done.change)
    assert header is not None and store.history.headers()[0].id == done.change
    assert (header.kind, header.user, header.reason, header.status) == (
        "act", "admin", "record", "done")
    assert header.counts["added"] == {"BY": 1, "FULFILS": 1, "Record": 1}
    # The diff lists what the act wrote; the record's provenance names the act.
    changes = diff(store, done.change)
    assert {(f.fact, f.outcome) for f in changes.facts} == {
        (record, "added"), (f"{record}-FULFILS->duty:D1", "added"),
        (f"{record}-BY->person:P1", "added")}
    p = provenance_of(store, [record])[record]
    assert (p.change, p.kind, p.user) == (done.change, "act", "admin")
    # Undone, the graph is exactly what it was before (provenance included).
    back = undo(store, done.change, "admin")
    assert back.undoes == done.change and store.get_node(record) is None
    assert _checksum(store) == before


def test_undo_of_a_reply_is_refused_while_its_verification_stands(store: GraphStore) -> None:
    _world(store)
    before = _checksum(store)
    replied = reply(store, ADMIN, "referral:RF1", text="已整改", replied_on="2026-01-20",
                    replied_by="person:P1")
    after_reply = _checksum(store)
    changes = {f.fact: f for f in diff(store, replied.change).facts}
    assert changes["referral:RF1"].outcome == "changed"
    assert changes["referral:RF1"].fields["status"] == ["open", "replied"]
    assert changes["referral:RF1-REPLIED_BY->person:P1"].outcome == "added"
    verified = verify(store, ADMIN, "referral:RF1", accept=True, text="属实", on="2026-01-25")
    assert verified.change > replied.change
    with pytest.raises(UndoRefused) as refused:
        undo(store, replied.change, "admin")
    assert f"#{verified.change}" in str(refused.value.message.params["later"])
    assert _checksum(store) != after_reply  # refused: nothing written
    undo(store, verified.change, "admin")
    assert _checksum(store) == after_reply
    undo(store, replied.change, "admin")
    assert _checksum(store) == before
    node = store.get_node("referral:RF1")
    assert node is not None and node.props["status"] == "open" and "reply" not in node.props


def test_a_refused_act_writes_nothing_and_leaves_no_change_set(store: GraphStore) -> None:
    _world(store)
    before, headers = _checksum(store), store.history.headers()
    node = store.get_node("referral:RF1")
    assert node is not None
    # The item changed since the act read it (another process replied): the guard fails.
    with pytest.raises(Conflict):
        record_change(store, "admin", "reply",
                      [NodeRecord("Referral", "RF1", {**node.props, "status": "replied"})],
                      read={"referral:RF1": FactState({}, headers[0].id + 100)})
    # A relationship to a node that does not exist.
    with pytest.raises(Exception, match="P404"):
        record_change(store, "admin", "reply", [],
                      [RelRecord.make("REPLIED_BY", "referral:RF1", "person:P404")])
    assert _checksum(store) == before
    assert store.history.headers() == headers


def test_an_act_marks_its_version_step_uid_by_uid(store: GraphStore) -> None:
    _world(store)
    version = store.data_version()
    done = record_fulfilment(store, ADMIN, "duty:D1", action="meeting", on="2026-03-01",
                             summary="专题研究")
    assert done.before == version and done.after == store.data_version()
    step = store.changes_since(version)
    assert step is not None
    assert step.nodes == {done.nodes[0].uid}
    assert step.ends == {done.nodes[0].uid, "duty:D1", "person:P1"}
