"""One language's view of the catalogues and of the names the schema declares.

Names of node kinds, relationship kinds, properties and enum values are data of
:mod:`graph.schema`, declared there once in both languages; everything else comes from the
message catalogues (:mod:`api.i18n.catalogues`).

>>> Translator("zh").enum("responsibility", "dual")
'一岗双责'
>>> Translator("en").kind("Unit")
'unit'
>>> Translator("en").n("ui.duties_n", 2)
'2 duties'
"""

from __future__ import annotations

from typing import Any

from api.i18n.catalogues import Lang, ntranslate, translate
from graph.errors import SchemaError
from graph.messages import Message
from graph.schema import SCHEMA
from graph.texts import Text, in_lang


class Translator:
    """Catalogue texts and schema names in one language (``t`` in the templates)."""

    def __init__(self, lang: Lang) -> None:
        self.lang: Lang = lang

    def text(self, message: str | Message, **params: Any) -> str:
        """A code or message rendered in this language (see :func:`translate`)."""
        return translate(message, self.lang, **params)

    def n(self, code: str, count: int, **params: Any) -> str:
        """The plural form of ``code`` for ``count``."""
        return ntranslate(code, count, self.lang, **params)

    @property
    def other(self) -> Lang:
        return "en" if self.lang == "zh" else "zh"

    # -- names declared by the schema ---------------------------------------------------
    def kind(self, label: str) -> str:
        """The name of a node kind (``Unit`` → 单位 / unit)."""
        try:
            node = SCHEMA.node(label)
        except SchemaError:
            return label
        return node.zh if self.lang == "zh" else node.en

    def rel(self, rel_type: str) -> str:
        """The name of a relationship kind (``SUPERVISES`` → 监督 / supervises)."""
        try:
            rel = SCHEMA.rel(rel_type)
        except SchemaError:
            return rel_type
        return rel.zh if self.lang == "zh" else rel.en

    def enum(self, enum_name: str, code: Any) -> str:
        """The label of an enum value; the code itself when it is unknown or empty."""
        if code is None or code == "":
            return ""
        try:
            return SCHEMA.enum(enum_name).label(str(code), self.lang)
        except SchemaError:
            return str(code)

    def prop(self, label: str, name: str) -> str:
        """The name of a node property (``Issue.found_on`` → 发现日期 / found on)."""
        try:
            p = SCHEMA.node(label).prop(name)
        except SchemaError:
            return name
        return p.zh if self.lang == "zh" else p.en

    def prop_value(self, label: str, name: str, value: Any) -> str:
        """A property value as shown: enum codes become labels, the rest as written."""
        if value is None:
            return ""
        try:
            p = SCHEMA.node(label).prop(name)
        except SchemaError:
            return str(value)
        if p.enum:
            return self.enum(p.enum, value)
        return str(value)

    def said(self, value: Text | None) -> str:
        """A text a result carries (a catalogue message, or a name the schema declares: a
        vacancy, a finding's explanation, a bucket's label) in this language; ``""`` for
        None."""
        return in_lang(value, self.lang)
