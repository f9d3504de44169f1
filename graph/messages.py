"""Texts for people as values: a catalogue code and its parameters, rendered later.

The domain never holds sentences. It returns a :class:`Message` — the id of an entry of the
message catalogues (``api/i18n/locale``) and the parameters to put into it — and whoever
shows it (the pages, the JSON API, the CLI) renders it in Chinese or English with
:func:`api.i18n.translate`. A parameter may itself be a :class:`Message` (rendered in the
same language), a :class:`Bilingual` pair (names the schema declares in both languages), a
list or tuple of those (joined as the language joins lists), or a plain value.

``str()`` of a message is readable without knowing the language (logs, tracebacks): both
languages once :mod:`api.i18n` is imported — it installs the catalogues' renderer here —
and the code with its parameters before that.

>>> m = Message("reason.not_a_date", value="2017-02-30")
>>> m.code, m.params
('reason.not_a_date', {'value': '2017-02-30'})
>>> Message("error.text", text="x") == Message("error.text", text="x")
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

#: Renders a message in one language ("zh" or "en"); installed by :mod:`api.i18n`.
Renderer = Callable[["Message", str], str]
_renderer: Renderer | None = None


class Message:
    """A catalogue code, its parameters and, for plurals, the count that picks the form.

    Parameters
    ----------
    code
        The catalogue id, ``area.name`` (``error.not_found``, ``load.BAD_DATE``).
    count
        For plural entries: the number choosing the form (``1 duty`` / ``2 duties``); it
        is also the ``num`` parameter.
    **params
        Values of the ``%(name)s`` placeholders of the entry.
    """

    __slots__ = ("code", "count", "params")

    def __init__(self, code: str, /, *, count: int | None = None, **params: Any) -> None:
        self.code = code
        self.count = count
        self.params: dict[str, Any] = params

    def render(self, lang: str) -> str:
        """The text in ``lang`` (``zh`` or ``en``)."""
        return render(self, lang)

    def __str__(self) -> str:
        zh, en = self.render("zh"), self.render("en")
        return zh if zh == en else f"{zh} / {en}"

    def __repr__(self) -> str:
        args = [repr(self.code)]
        if self.count is not None:
            args.append(f"count={self.count!r}")
        args += [f"{k}={v!r}" for k, v in self.params.items()]
        return f"Message({', '.join(args)})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Message) and other.code == self.code
                and other.count == self.count and other.params == self.params)

    __hash__ = None  # type: ignore[assignment]  # parameters are a mutable dict


class Bilingual:
    """A value that exists in both languages as data (a kind's name from the schema).

    >>> Bilingual("单位", "unit").pick("en")
    'unit'
    """

    __slots__ = ("en", "zh")

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en

    def pick(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def __str__(self) -> str:
        return self.zh if self.zh == self.en else f"{self.zh} / {self.en}"

    def __repr__(self) -> str:
        return f"Bilingual({self.zh!r}, {self.en!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Bilingual) and (other.zh, other.en) == (self.zh, self.en)

    def __hash__(self) -> int:
        return hash((self.zh, self.en))


class AnyOf(tuple[Any, ...]):
    """Alternatives, joined as the language says "or" (单位或人员 / unit or person).

    A plain list or tuple parameter is joined as an enumeration (、 / ,).
    """

    __slots__ = ()


class AllOf(tuple[Any, ...]):
    """Conditions that hold together, joined as the language says "and" (无书记、无责任清单 /
    no secretary and no duties)."""

    __slots__ = ()


def plural(code: str, count: int, /, **params: Any) -> Message:
    """A message whose form depends on ``count`` (``1 duty``, ``2 duties``).

    The catalogue entry has plural forms (``msgid_plural``); ``count`` is its ``num``.
    """
    return Message(code, count=count, **params)


def N_(code: str) -> str:
    """``code`` itself: marks a catalogue code kept for later (a table of codes), so that
    ``scripts/i18n extract`` finds it."""
    return code


def as_message(value: str | Message) -> Message:
    """``value`` as a message: a plain text becomes ``error.text`` (shown as written).

    Plain texts are what a backend or a library reports (a driver's error, an ``OSError``);
    DutyGraph's own conditions have codes.
    """
    return value if isinstance(value, Message) else Message("error.text", text=value)


def install_renderer(renderer: Renderer) -> None:
    """Make :func:`render` (and ``str()`` of messages and errors) use ``renderer``."""
    global _renderer
    _renderer = renderer


def render(message: Message, lang: str) -> str:
    """``message`` in ``lang`` with the installed renderer, or its code and parameters."""
    if _renderer is not None:
        return _renderer(message, lang)
    return plain(message)


def plain(message: Message) -> str:
    """The code and parameters, for when no catalogue is at hand.

    >>> plain(Message("error.not_found", kind="Unit", id="X"))
    "error.not_found(kind='Unit', id='X')"
    >>> plain(Message("error.text", text="disk full"))
    'disk full'
    """
    if message.code == "error.text":
        return str(message.params.get("text", ""))
    params: Mapping[str, Any] = message.params
    if message.count is not None:
        params = {"num": message.count, **params}
    inner = ", ".join(f"{k}={_plain_value(v)}" for k, v in params.items())
    return f"{message.code}({inner})"


def _plain_value(value: Any) -> str:
    if isinstance(value, Message):
        return plain(value)
    if isinstance(value, Bilingual):
        return repr(str(value))
    return repr(value)
