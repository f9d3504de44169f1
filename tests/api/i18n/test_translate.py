"""Rendering codes and messages: parameters in the same language, plurals, punctuation,
and ``str()`` of errors in both languages."""

from __future__ import annotations

from api.i18n import Translator, bilingual, ntranslate, translate
from graph.dates import parse_date
from graph.errors import InvalidArgument, NotFound, SchemaError
from graph.messages import AnyOf, Bilingual, Message, plural
from graph.schema import SCHEMA


def test_parameters_are_rendered_in_the_same_language() -> None:
    exc = NotFound("Unit", "X9")
    assert translate(exc.message, "zh") == "没有编号为“X9”的单位。"
    assert translate(exc.message, "en") == "There is no unit with the id “X9”."
    m = Message("error.ambiguous_id", id="X1", candidates=["unit:X1", "person:X1"])
    assert "unit:X1、person:X1" in translate(m, "zh")
    assert "unit:X1, person:X1" in translate(m, "en")
    either = AnyOf([Bilingual("单位", "unit"), Bilingual("人员", "person")])
    assert translate(Message("load.REF_NOT_FOUND", value="Q", detail=either), "zh") \
        == "找不到编号为“Q”的单位或人员（本次导入和图谱中均没有）"
    assert translate(Message("load.REF_NOT_FOUND", value="Q", detail=either), "en") \
        == "no unit or person with id 'Q' in this load or in the graph"


def test_plurals_follow_the_language() -> None:
    assert [ntranslate("ui.duties_n", n, "en") for n in (0, 1, 2)] \
        == ["0 duties", "1 duty", "2 duties"]
    assert [ntranslate("ui.duties_n", n, "zh") for n in (1, 2)] == ["1 项责任", "2 项责任"]
    assert translate(plural("ui.gaps_n", 1), "en") == "1 accountability gap"
    assert Translator("en").n("ui.results_for", 1, q="嘉定") == "1 result for “嘉定”"


def test_a_bad_date_reads_in_each_language_with_its_punctuation() -> None:
    try:
        parse_date("2017-02-30")
    except InvalidArgument as exc:
        zh, en = translate(exc.message, "zh"), translate(exc.message, "en")
    assert zh == "参数“as_of”有误：没有“2017-02-30”这一天"
    assert en == "Invalid “as_of”: there is no such day as “2017-02-30”"
    assert "：" not in en and "有误" not in en and "Invalid" not in zh


def test_str_of_an_error_is_readable_in_both_languages() -> None:
    """The CLI and the logs print exceptions: ``str()`` gives both languages."""
    text = str(NotFound("Person", "P0"))
    assert "没有编号为“P0”的人员。" in text and "There is no person with the id “P0”." in text
    try:
        SCHEMA.node("Nope")
    except SchemaError as exc:
        assert str(exc) == bilingual(exc.message)
        assert "未知的节点类型“Nope”" in str(exc) and "unknown node label “Nope”" in str(exc)
    # A backend's own text is kept as written, in both.
    raw = Message("error.text", text="disk full")
    assert str(InvalidArgument("x", "disk full")) == bilingual(
        Message("error.invalid_argument", field="x", reason=raw))
    assert "disk full" in translate(raw, "zh") and "disk full" in translate(raw, "en")


def test_an_entry_that_does_not_format_still_shows() -> None:
    """A wrong parameter must not break a page: the text shows, unformatted (and is logged)."""
    assert translate("ui.duty_list_title", "en") == "Duty items"
    assert translate(Message("error.not_found", id="X"), "en") \
        == "There is no %(kind)s with the id “%(id)s”."
