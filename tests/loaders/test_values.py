"""Cell values: dates, whole numbers, enums, multi-valued cells, references, formula text."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graph.schema import SCHEMA
from loaders.values import (
    BadValue,
    converter,
    parse_date,
    parse_int,
    parse_ref,
    split_multi,
    to_text,
)


@pytest.mark.parametrize("raw", [
    "2017-03-01", "2017/3/1", "2017/03/01", "2017年3月1日", "2017年03月01日", "2017.3.1",
    "2017-3-1", " 2017-03-01 ", "20170301", "2017-03-01 00:00:00", "２０１７年３月１日",
    42795, 42795.0, dt.datetime(2017, 3, 1, 0, 0), dt.date(2017, 3, 1),
])
def test_date_forms(raw: Any) -> None:
    assert parse_date(raw) == "2017-03-01"


@pytest.mark.parametrize("raw", ["2017-02-30", "2017-13-01", "2017/2/29", "yesterday", "3/1/2017",
                                 "2017-03", True, -5])
def test_impossible_or_unknown_dates_are_rejected(raw: Any) -> None:
    with pytest.raises(BadValue) as exc:
        parse_date(raw)
    assert exc.value.code == "BAD_DATE"


def test_leap_day() -> None:
    assert parse_date("2016/2/29") == "2016-02-29"


@pytest.mark.parametrize(("raw", "value"), [
    ("2017", 2017), (2017, 2017), (2017.0, 2017), ("2017年", 2017), ("第一种形态", 1),
    ("第2种形态", 2), ("三", 3), (" 4 ", 4), ("１", 1),
])
def test_whole_numbers(raw: Any, value: int) -> None:
    assert parse_int(raw) == value


@pytest.mark.parametrize("raw", ["2017.5", 1.5, "abc", True])
def test_not_whole_numbers(raw: Any) -> None:
    with pytest.raises(BadValue) as exc:
        parse_int(raw)
    assert exc.value.code == "BAD_INT"


def test_range_from_the_schema() -> None:
    form = converter(SCHEMA.node("Accountability").prop("form"))
    assert form("4") == 4
    with pytest.raises(BadValue) as exc:
        form("5")
    assert exc.value.code == "OUT_OF_RANGE"


_ENUM_CASES = [
    (e.name, text, v.code)
    for e in SCHEMA.enums
    for v in e.values
    for text in (v.code, v.zh, v.en, *v.aliases)
]


@pytest.mark.parametrize(("enum", "text", "code"), _ENUM_CASES)
def test_every_enum_code_label_and_alias(enum: str, text: str, code: str) -> None:
    prop = next(p for _, p in SCHEMA.iter_properties() if p.enum == enum)
    assert converter(prop)(text) == code


@pytest.mark.parametrize(("text", "code"), [
    ("主体责任", "primary"), ("监督责任", "supervisory"), ("第一责任人责任", "first"),
    ("第一责任", "first"), ("一岗双责", "dual"), ("班子成员“一岗双责”", "dual"),
    ("党委（党组）主体责任", "primary"),
])
def test_design_responsibility_short_forms(text: str, code: str) -> None:
    assert SCHEMA.enum("responsibility").parse(text) == code


def test_unknown_enum_value_lists_the_choices() -> None:
    with pytest.raises(BadValue) as exc:
        converter(SCHEMA.node("Duty").prop("responsibility"))("次要责任")
    assert exc.value.code == "BAD_ENUM"
    assert "一岗双责(dual)" in exc.value.detail.zh and "dual" in exc.value.detail.en


@pytest.mark.parametrize("raw", ["JD;MH", "JD；MH", "JD、MH", "JD,MH", "JD，MH", " JD ; MH ;",
                                 ["JD", "MH"]])
def test_multi_valued_cells(raw: Any) -> None:
    assert split_multi(raw) == ("JD", "MH")


@pytest.mark.parametrize("raw", ["=SUM(A1:A3)", "+86 21", "-1", "@cmd", "=HYPERLINK(\"x\")"])
def test_formula_like_text_is_kept_verbatim(raw: str) -> None:
    text_prop = SCHEMA.node("Issue").prop("title")
    assert converter(text_prop)(raw) == raw


def test_integral_float_ids_lose_their_fraction() -> None:
    assert to_text(1001.0) == "1001"


def test_references() -> None:
    up = ("Unit", "Person")
    assert parse_ref("JD", up) == (None, "JD")
    assert parse_ref("unit:JD", up) == ("Unit", "JD")
    assert parse_ref("PERSON:P1", up) == ("Person", "P1")
    assert parse_ref("单位：JD", up) == ("Unit", "JD")
    assert parse_ref("JD:01", up) == (None, "JD:01")  # not a kind: part of the id
    with pytest.raises(BadValue) as exc:
        parse_ref("person:P1", ("Unit",))
    assert exc.value.code == "BAD_PREFIX"
