"""Why pydantic refused a value, as a catalogue message: for the API's refused parameters
(:mod:`api.errors`) and the analytics configuration (:mod:`graph.analytics.config`).

Pydantic's own texts are English only; the error types DutyGraph's parameters and settings
meet have a ``reason.*`` entry in the catalogues, the others keep pydantic's text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.messages import Message


def validation_reason(err: Mapping[str, Any]) -> Message | None:
    """The catalogue's reason for one of FastAPI's (pydantic's) validation errors, when
    its type is one DutyGraph's parameters meet; None for the others.

    >>> validation_reason({"type": "less_than_equal", "ctx": {"le": 3}})
    Message('reason.at_most', max=3)
    >>> validation_reason({"type": "something_else"}) is None
    True
    """
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    kind = err.get("type")
    if kind == "missing":
        return Message("reason.required")
    if kind == "string_too_long":
        return Message("reason.too_long", max=ctx.get("max_length"))
    if kind == "string_too_short":
        return Message("reason.too_short", min=ctx.get("min_length"))
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return Message("reason.not_an_integer")
    if kind in ("float_parsing", "float_type"):
        return Message("reason.not_a_number")
    if kind in ("bool_parsing", "bool_type"):
        return Message("reason.not_a_bool")
    if kind == "greater_than_equal":
        return Message("reason.at_least", min=ctx.get("ge"))
    if kind == "less_than_equal":
        return Message("reason.at_most", max=ctx.get("le"))
    if kind == "greater_than":
        return Message("reason.greater_than", min=ctx.get("gt"))
    if kind == "less_than":
        return Message("reason.less_than", max=ctx.get("lt"))
    if kind == "string_pattern_mismatch":
        return Message("reason.pattern", pattern=ctx.get("pattern"))
    if kind in ("literal_error", "enum"):
        return Message("reason.one_of", expected=ctx.get("expected"))
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return Message("reason.not_a_date", value=err.get("input"))
    return None


def reason_of(err: Mapping[str, Any]) -> Message:
    """The reason of one pydantic error: the catalogue's (:func:`validation_reason`), a
    message a validator raised (``ValueError(Message(...))``), else pydantic's text.

    >>> reason_of({"type": "value_error", "msg": "Value error, x",
    ...            "ctx": {"error": ValueError(Message("reason.required"))}})
    Message('reason.required')
    >>> reason_of({"type": "odd", "msg": "Odd value"})
    Message('error.text', text='Odd value')
    """
    error = (err.get("ctx") or {}).get("error")
    if isinstance(error, ValueError) and error.args and isinstance(error.args[0], Message):
        return error.args[0]
    return validation_reason(err) or Message("error.text", text=str(err.get("msg")))
