"""Indicators and three-colour status (graph/loop): each written form parsed, each status
rule at several dates, and the holdout check of issue #17 — a holder with one of two
required 专题研究 records by mid-year is yellow, with none by the year's end red, with two
green — by the pure rules and end to end (an act written, the duty's progress read back)
on both stores."""

from __future__ import annotations

import pytest

from graph.loop.indicators import parse
from graph.loop.status import LoopRules, Target, count_status, deadline_status, duty_status
from graph.queries.warnings import duty_progress
from graph.scope import EVERYTHING_SCOPE
from graph.store.base import GraphStore, NodeRecord, RelRecord
from loaders.acts import Actor, record_fulfilment

RULES = LoopRules()


@pytest.mark.parametrize(("text", "year", "described"), [
    ("专题研究党风廉政建设不少于2次/年", None, "count 2/year [meeting]"),
    ("≥2次/年", None, "count 2/year"),
    ("每年不少于2次，完成率100%", None, "count 2/year"),
    ("每季度1次", None, "count 1/quarter"),
    ("每季度通报一次", None, "count 1/quarter [report]"),
    ("整改率100%", None, "rate 100%"),
    ("完成率≥95%", None, "rate 95%"),
    ("年底前完成", 2026, "deadline 2026-12-31"),
    ("6月底前", 2026, "deadline 2026-06-30"),
    ("2026年9月30日前", None, "deadline 2026-09-30"),
])
def test_indicator_forms(text: str, year: int | None, described: str) -> None:
    assert parse(text, year=year).describe() == described


def test_text_that_is_no_target_stays_text_with_a_reason() -> None:
    assert parse("每年约谈班子成员全覆盖").reason == "no_number"
    assert parse("年底前完成").reason == "needs_year"  # no year: no date to judge by


_TWICE = Target("count", 2, "year", None, frozenset({"meeting"}), 2026)


@pytest.mark.parametrize(("records", "as_of", "colour", "rule"), [
    ([], "2026-02-01", "green", "on_track"),          # early in the year: nothing due yet
    (["2026-03-01"], "2026-07-15", "yellow", "due_soon"),  # one of two by mid-year
    ([], "2026-07-15", "yellow", "behind"),           # none by mid-year: behind the pace
    ([], "2027-01-01", "red", "failed"),              # none by the year's end
    (["2026-03-01"], "2027-01-01", "red", "failed"),  # one of two by the year's end
    (["2026-03-01", "2026-06-01"], "2026-07-15", "green", "met"),
    (["2026-03-01", "2026-06-01"], "2027-01-01", "green", "met"),
    (["2026-08-01"], "2026-07-15", "yellow", "behind"),  # a later record does not count yet
])
def test_the_holdout_rule_for_a_count(records: list[str], as_of: str, colour: str,
                                      rule: str) -> None:
    status = count_status(_TWICE, records, as_of, RULES)
    assert (status.colour, status.rule) == (colour, rule), status


def test_only_the_counted_actions_count() -> None:
    records = [("2026-03-01", "talk", "fulfilment"), ("2026-04-01", "meeting", "fulfilment"),
               ("2026-05-01", "meeting", "other")]
    status = duty_status(_TWICE, records, [], "2026-07-15", RULES)
    assert status.done == 1 and status.colour == "yellow"


@pytest.mark.parametrize(("due", "done", "as_of", "colour", "rule"), [
    ("2026-12-31", None, "2026-06-01", "green", "on_track"),
    ("2026-12-31", None, "2026-12-15", "yellow", "due_soon"),
    ("2026-12-31", None, "2027-01-10", "red", "overdue"),
    ("2026-12-31", "2026-12-20", "2027-01-10", "green", "done"),
    ("2026-12-31", "2027-01-05", "2027-01-10", "green", "done_late"),
])
def test_deadline_rules(due: str, done: str | None, as_of: str, colour: str,
                        rule: str) -> None:
    status = deadline_status(due, done, as_of, RULES)
    assert (status.colour, status.rule) == (colour, rule), status
    if colour == "red":
        assert status.days_overdue == 10


def test_the_holdout_end_to_end(store: GraphStore) -> None:
    """A duty of 2 专题研究 a year held by one leader, records written through the act,
    the duty's progress read back on the store under test."""
    unit = NodeRecord("Unit", "U1", {"name": "某区委", "kind": "party_committee"})
    leader = NodeRecord("Person", "P1", {"name": "张某"})
    duty = NodeRecord("Duty", "D1", {
        "title": "专题研究党风廉政建设", "responsibility": "primary", "year": 2026,
        "indicator": "专题研究党风廉政建设不少于2次/年", "target_kind": "count", "target": 2,
        "period": "year", "counted_actions": "meeting"})
    store.upsert_nodes([unit, leader, duty])
    store.upsert_relationships([RelRecord.make("HOLDS", leader.uid, duty.uid)])
    actor = Actor("officer", EVERYTHING_SCOPE, None)

    def colour(as_of: str) -> tuple[str, str]:
        [item] = duty_progress(store, duty.uid, as_of=as_of)
        return item.colour, item.rule

    assert colour("2027-01-01") == ("red", "failed")
    record_fulfilment(store, actor, duty.uid, action="专题会议", on="2026-03-01",
                      summary="第一次专题研究")
    assert colour("2026-07-15") == ("yellow", "due_soon")
    record_fulfilment(store, actor, duty.uid, action="meeting", on="2026-06-20",
                      summary="第二次专题研究")
    assert colour("2026-07-15") == ("green", "met")
    assert colour("2027-01-01") == ("green", "met")
