"""Results that carry a text for people: the message, and its renderings for the JSON API.

A result someone reads a sentence from (a unit's vacancy, a missing link of a chain, a
finding's explanation, the label of a statistics bucket) holds the text as a value: a
:class:`~graph.messages.Message` (catalogue code and parameters) or a
:class:`~graph.messages.Bilingual` name the schema declares. Whoever shows the result renders
that value in the reader's language (the pages' ``t.text(...)``, the CLI's language).

For integrators the JSON keeps the ``zh``/``en`` strings it always had. They are filled from
the value when the model is built (:func:`rendered`), by the catalogues :mod:`api.i18n`
installs (the API, the CLI and ``explore`` import it; before that a message renders as its
code and parameters). The value itself is not serialised and not in the JSON schema — the
result's ``code`` is — so a result read back from its JSON has the strings only, and
:meth:`Explained.text` falls back to them.

>>> from graph.messages import Bilingual
>>> v = Explained(message=Bilingual("书记", "secretary"))
>>> v.zh, v.en, v.model_dump()
('书记', 'secretary', {'zh': '书记', 'en': 'secretary'})
>>> Explained.model_validate(v.model_dump()).text("en")
'secretary'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, Field, InstanceOf, model_validator
from pydantic.json_schema import SkipJsonSchema

from graph.messages import Bilingual, Message, render

#: A text as a value: a catalogue message, or a name declared in both languages.
Text = Message | Bilingual

#: A model field holding a :data:`Text`: validated as an instance, left out of the JSON
#: and of its schema (the rendered strings beside it are what integrators read).
TextField = SkipJsonSchema[Annotated[InstanceOf[Message] | InstanceOf[Bilingual] | None,
                                     Field(exclude=True, repr=False)]]


def in_lang(text: Text | None, lang: str) -> str:
    """``text`` in ``lang`` (``zh`` or ``en``); ``""`` for None.

    >>> in_lang(Bilingual("单位", "unit"), "en"), in_lang(None, "zh")
    ('unit', '')
    """
    if text is None:
        return ""
    if isinstance(text, Bilingual):
        return text.pick(lang)
    return render(text, lang)


def rendered(data: Any, source: str, zh: str = "zh", en: str = "en") -> Any:
    """``data`` (a model's input) with ``zh``/``en`` rendered from its ``source`` text.

    For a ``mode="before"`` model validator: input without a :data:`Text` under ``source``
    (a model read back from JSON) is returned unchanged.
    """
    if isinstance(data, Mapping):
        text = data.get(source)
        if isinstance(text, Message | Bilingual):
            return {**data, zh: in_lang(text, "zh"), en: in_lang(text, "en")}
    return data


class Explained(BaseModel):
    """Base of a result with one text: ``message``, rendered into ``zh`` and ``en``."""

    #: The text as a value (not serialised; None for a model read back from JSON).
    message: TextField = None
    zh: str = ""
    en: str = ""

    @model_validator(mode="before")
    @classmethod
    def _render(cls, data: Any) -> Any:
        return rendered(data, "message")

    def text(self, lang: str) -> str:
        """The text in ``lang``: rendered from the message, else the stored string."""
        if self.message is not None:
            return in_lang(self.message, lang)
        return self.en if lang == "en" else self.zh
