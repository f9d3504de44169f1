"""Dates as the graph keeps them: ISO-8601 strings (``YYYY-MM-DD``) in both stores, so that
comparisons and as-of filters behave identically in Cypher and in Python. An unset date is
``None`` (the stores never keep an empty string: :func:`graph.store.base.clean_props`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from graph.errors import InvalidArgument
from graph.messages import Message

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def today() -> str:
    return dt.date.today().isoformat()


def parse_date(value: str | dt.date | None, field: str = "as_of") -> str | None:
    """An ISO date string, or None; raises InvalidArgument for anything else.

    >>> parse_date("2017-03-01"), parse_date(None)
    ('2017-03-01', None)
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if not _ISO.match(value):
        raise InvalidArgument(field, Message("reason.not_a_date", value=value))
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise InvalidArgument(field, Message("reason.no_such_date", value=value)) from None


def as_of_or_today(value: str | dt.date | None) -> str:
    return parse_date(value) or today()


def active(props: Mapping[str, Any], as_of: str) -> bool:
    """Whether a tenure (``start``/``end`` ISO dates, either open) covers ``as_of``.

    The one rule for tenures everywhere (queries, analytics, both stores): an unset bound
    is open.

    >>> active({"start": "2016-01-01", "end": "2018-12-31"}, "2017-06-01")
    True
    >>> active({"start": "2019-01-01"}, "2017-06-01")
    False
    >>> active({"start": None, "end": None}, "2017-06-01")
    True
    """
    start, end = props.get("start"), props.get("end")
    return (not start or start <= as_of) and (not end or as_of <= end)


def dated_by(value: Any, as_of: str) -> bool:
    """Whether a date (or an unset one, which always counts) is on or before ``as_of``.

    >>> dated_by("2017-01-01", "2018-01-01"), dated_by(None, "2018-01-01")
    (True, True)
    """
    return not value or str(value) <= as_of
