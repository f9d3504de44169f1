"""The message catalogues and the one function that turns a code into text.

The catalogues are gettext files managed with Babel: ``locale/<lang>/LC_MESSAGES/messages.po``
is the source (edited by people, updated by ``scripts/i18n update``), ``messages.mo`` its
compiled form (``scripts/i18n compile``), committed so that a fresh clone works offline
without a build step and the running code needs only the standard library's
:mod:`gettext`. Message ids are stable codes (``ui.search``, ``error.not_found``), not
English sentences: both languages are translations of the code, and both must be complete
(``tests/api/i18n`` fails otherwise).

Every text is a printf-style template formatted with its parameters, always, as Jinja2's
"new style" gettext does: placeholders are ``%(name)s`` and a literal percent sign is ``%%``.
"""

from __future__ import annotations

import functools
import gettext
import logging
from pathlib import Path
from typing import Any, Literal

from graph.messages import AllOf, AnyOf, Bilingual, Message

log = logging.getLogger(__name__)

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


def as_lang(value: str | None) -> Lang:
    """``en`` for English, Chinese for anything else (the default language).

    >>> as_lang("en"), as_lang("zh"), as_lang("fr"), as_lang(None)
    ('en', 'zh', 'zh', 'zh')
    """
    return "en" if value == "en" else "zh"


@functools.cache
def translations(lang: Lang) -> gettext.GNUTranslations:
    """The compiled catalogue of ``lang`` (read once per process)."""
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as fh:
        return gettext.GNUTranslations(fh)


def translate(message: str | Message, lang: str, /, **params: Any) -> str:
    """The text of a code or :class:`~graph.messages.Message` in ``lang``.

    Parameters
    ----------
    message
        A catalogue code (``ui.search``) or a message carrying its code and parameters.
    lang
        ``zh`` or ``en`` (anything else reads as Chinese).
    **params
        Placeholder values, added to those of the message. Messages, bilingual values and
        lists among them are rendered in the same language.

    >>> translate("ui.search", "en"), translate("ui.search", "zh")
    ('Search', '搜索')
    >>> translate(Message("error.not_found", kind=Bilingual("单位", "unit"), id="X"), "en")
    'There is no unit with the id “X”.'
    >>> [translate(Message("ui.duties_n", count=n), "en") for n in (1, 2)]
    ['1 duty', '2 duties']
    """
    if isinstance(message, Message):
        code, count, values = message.code, message.count, {**message.params, **params}
    else:
        code, count, values = message, None, dict(params)
    language = as_lang(lang)
    catalogue = translations(language)
    if count is None:
        text = catalogue.gettext(code)
    else:
        text = catalogue.ngettext(code, code, count)
        values.setdefault("num", count)
    rendered = {k: _value(v, language) for k, v in values.items()}
    try:
        return text % rendered
    except (KeyError, ValueError, TypeError):
        # A page must not fail over a wrong parameter: the text shows unformatted, the
        # log says which entry (the catalogue tests check the entries' placeholders).
        log.error("catalogue entry %r (%s) does not format with %r", code, language, values)
        return text


def ntranslate(code: str, count: int, lang: str, /, **params: Any) -> str:
    """The plural form of ``code`` for ``count`` (its ``%(num)d``) in ``lang``.

    >>> ntranslate("ui.gaps_n", 1, "en"), ntranslate("ui.gaps_n", 3, "zh")
    ('1 accountability gap', '3 个问责缺口')
    """
    return translate(Message(code, count=count, **params), lang)


def bilingual(message: str | Message, /, **params: Any) -> str:
    """Chinese, then English (once when they are the same): for logs and the CLI's
    messages that must be readable whatever language was chosen."""
    zh, en = translate(message, "zh", **params), translate(message, "en", **params)
    return zh if zh == en else f"{zh} / {en}"


def _value(value: Any, lang: Lang) -> Any:
    if isinstance(value, Message):
        return translate(value, lang)
    if isinstance(value, Bilingual):
        return value.pick(lang)
    if isinstance(value, AnyOf):
        return translate("punct.or_sep", lang).join(str(_value(v, lang)) for v in value)
    if isinstance(value, AllOf):
        return translate("punct.and_sep", lang).join(str(_value(v, lang)) for v in value)
    if isinstance(value, list | tuple):
        return translate("punct.list_sep", lang).join(str(_value(v, lang)) for v in value)
    return value
