"""Texts for people, in Chinese or English, from gettext message catalogues (Babel).

The domain returns codes and parameters (:class:`graph.messages.Message`); this package
renders them: :func:`translate` for a code or message, :func:`ntranslate` for plurals,
:class:`Translator` for one language (with the names the schema declares), and the
request's language (:func:`page_lang`, :func:`api_lang`). The pages' Jinja2 environment
uses the same catalogues through ``jinja2.ext.i18n`` (:mod:`api.ui.render`).

Importing this package installs the catalogues as the renderer of
:mod:`graph.messages`, so ``str()`` of any DutyGraph error reads in both languages.
"""

from __future__ import annotations

from api.i18n.catalogues import (
    DEFAULT_LANG,
    LANGS,
    LOCALE_DIR,
    Lang,
    as_lang,
    bilingual,
    ntranslate,
    translate,
    translations,
)
from api.i18n.choose import (
    LANG_COOKIE,
    accepted_lang,
    api_lang,
    json_lang,
    page_lang,
    pick_lang,
)
from api.i18n.translator import Translator
from graph.messages import install_renderer

install_renderer(translate)

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "LANG_COOKIE",
    "LOCALE_DIR",
    "Lang",
    "Translator",
    "accepted_lang",
    "api_lang",
    "as_lang",
    "bilingual",
    "json_lang",
    "ntranslate",
    "page_lang",
    "pick_lang",
    "translate",
    "translations",
]
