"""Read operations of what follows a case (倒查 and 案后治理).

The rows both backends return and the protocol they implement: Cypher in
:mod:`graph.store.cypher.casework`, a walk of the embedded graph in
:mod:`graph.store.walks.casework`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypedDict

from graph.scope import Scope
from graph.store.ops.common import Props


class PostCaseRow(TypedDict):
    """An issue or project that FOLLOWS_CASE the case (案后治理)."""

    node: Props
    #: ``Issue`` or ``Project``.
    label: str
    #: Who leads it: the issue's owners (ASSIGNED_TO), the project's leaders (LED_BY).
    leads: list[Props]


class CaseworkRow(TypedDict):
    """The facts of a case's trace-back beyond its unit's chain."""

    #: Persons the case NAMES_RESPONSIBLE (directly responsible besides those involved).
    responsible: list[Props]
    post_case: list[PostCaseRow]
    #: ``[body uid, person uid]``: who served in each supervising body on the date.
    body_people: list[list[str]]


class CaseworkOps(Protocol):
    """The read operations of what follows a case (倒查 and 案后治理)."""

    def case_casework(self, uid: str, bodies: Sequence[str], as_of: str,
                      scope: Scope) -> CaseworkRow:
        """Of case ``uid``: the persons it names as directly responsible and the issues and
        projects that follow it (both in ``scope``), and who served in each of ``bodies``
        (unit uids: its supervising discipline bodies) on ``as_of``."""
        ...
