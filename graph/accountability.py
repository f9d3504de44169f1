"""Which accountability decisions discharge which link of a trace-back (倒查).

Every link of a case's chain answers to one accountability category (DESIGN.md §4, §8):
the persons directly responsible to 直接责任 (``direct``), the member in charge to 重要领导责任
(``important_leadership``), the secretary to 主要领导责任 (``primary_leadership``), the
Party organisation to 全面领导责任 (``overall_leadership``) and the supervising discipline
body to 监督责任 (``supervisory``). A link is *held* only by a decision of its own category:
a 直接责任 decision against a member in charge does not discharge that member's 重要领导责任.

Where a district's practice records some categories as equivalent, the equivalences are
configured once, for the trace and the analytics alike: ``DUTYGRAPH_CATEGORY_EQUIVALENCES``
holds a JSON object mapping a link's category to the further categories that discharge it,
e.g. ``{"important_leadership": ["primary_leadership"]}`` (a 主要领导责任 decision against
the member in charge then holds their link too). A link's own category always discharges it.

>>> discharging("direct", {})
frozenset({'direct'})
>>> sorted(discharging("important_leadership",
...                    equivalences({"important_leadership": ["primary_leadership"]})))
['important_leadership', 'primary_leadership']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graph.errors import InvalidArgument
from graph.messages import Message
from graph.schema import SCHEMA

#: Link category -> the categories that discharge it besides its own.
Equivalences = Mapping[str, frozenset[str]]


def equivalences(mapping: Mapping[str, Iterable[str]] | None) -> dict[str, frozenset[str]]:
    """Validated equivalences: every key and value an accountability category code.

    Raises
    ------
    InvalidArgument
        An unknown category (the message lists the allowed codes, in both languages).
    """
    codes = SCHEMA.enum("accountability_category").codes
    out: dict[str, frozenset[str]] = {}
    for key, values in (mapping or {}).items():
        extra = frozenset(values)
        unknown = sorted(c for c in {key, *extra} if c not in codes)
        if unknown:
            raise InvalidArgument("category_equivalences", Message(
                "reason.unknown_category", codes=unknown, expected=list(codes)))
        out[key] = extra
    return out


def configured() -> dict[str, frozenset[str]]:
    """The equivalences of the settings (``DUTYGRAPH_CATEGORY_EQUIVALENCES``)."""
    from graph.settings import get_settings

    return equivalences(get_settings().category_equivalences)


def discharging(link_category: str, eq: Equivalences) -> frozenset[str]:
    """The decision categories that hold a link of ``link_category``: its own and the
    configured equivalents."""
    return frozenset({link_category}) | eq.get(link_category, frozenset())
