"""The language the CLI prints in, and the helpers that print in it.

``dutygraph --lang en ...`` or ``DUTYGRAPH_LANG=en`` chooses English; Chinese is the
default. The main callback (:mod:`api.cli`) sets the language once per invocation; every
command renders its texts from the catalogues (:mod:`api.i18n`) with :func:`say`.
"""

from __future__ import annotations

from typing import Any

from rich.markup import escape

from api.i18n import DEFAULT_LANG, Lang, Translator, as_lang, ntranslate, translate
from graph.messages import Message

_current: dict[str, Lang] = {"lang": DEFAULT_LANG}


def set_lang(lang: str) -> None:
    """Print in ``lang`` (``zh`` or ``en``) from now on."""
    _current["lang"] = as_lang(lang)


def cli_lang() -> Lang:
    """The language the CLI prints in."""
    return _current["lang"]


def say(message: str | Message, **params: Any) -> str:
    """A catalogue code or message in the CLI's language."""
    return translate(message, cli_lang(), **params)


def say_n(code: str, count: int, **params: Any) -> str:
    """The plural form of ``code`` for ``count`` in the CLI's language."""
    return ntranslate(code, count, cli_lang(), **params)


def enum_text(enum: str, code: str | None) -> str:
    """An enum value as its label in the CLI's language and its code (``主体责任 primary``);
    ``—`` when empty, the code itself when the schema does not know it (escaped for Rich)."""
    if not code:
        return "—"
    label = Translator(cli_lang()).enum(enum, code)
    if label == code:
        return escape(code)
    return escape(say("cli.enum_value", label=label, code=code))
