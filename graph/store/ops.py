"""The read operations every backend implements, declared once.

The domain (``graph.queries``, ``graph.analytics``, the API) asks a store for data only
through :class:`ReadOps` (``store.reads``) and the core methods of
:class:`graph.store.base.GraphStore`; it never asks which backend it holds. Each operation
has one implementation per backend -- Cypher in :mod:`graph.store.cypher`, a walk of the
``MultiDiGraph`` in :mod:`graph.store.walks` -- returning the typed rows of
:mod:`graph.store.rows`, and the shared shaping in ``graph.queries`` turns rows into
results. The contract tests run every operation on both stores and compare.

Every operation that reads nodes a user may or may not see takes a :class:`Scope` and
applies it where it selects: an out-of-scope subject reads as missing, and lists, counts,
limits and paths only ever contain what the scope lets the user see.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from graph.scope import Scope
from graph.store.rows import CaseworkRow, DecisionFactsRow, OverviewRow, PanelRow


class ReadOps(Protocol):
    """Typed reads of the graph, one method per operation (see the module docstring)."""

    # -- scope -------------------------------------------------------------------------
    def scope_of(self, units: Sequence[str] | None) -> Scope:
        """The scope of a user whose entries name ``units`` (unit uids; ``None`` for
        everything): the units that exist, the discipline bodies supervising them at the
        same level, and the units above them."""
        ...

    def visible(self, uids: Iterable[str], scope: Scope) -> set[str]:
        """The subset of ``uids`` (of any kind) that exist and are in ``scope``."""
        ...

    def outline(self, uids: Iterable[str], scope: Scope) -> set[str]:
        """The subset of ``uids`` above ``scope`` that it shows in outline (names only)."""
        ...

    def subtree(self, unit_uid: str) -> frozenset[str]:
        """Uids of the unit and every unit transitively SUBORDINATE_TO it (empty when
        ``unit_uid`` names no unit)."""
        ...

    # -- units -------------------------------------------------------------------------
    def unit_panels(self, uid: str, as_of: str, *, up: bool, scope: Scope) -> list[PanelRow]:
        """The holders panel of unit ``uid`` as of ``as_of``, and with ``up`` of every unit
        above it (outline rows above the scope), nearest first; ``[]`` when the unit is
        missing or out of scope."""
        ...

    def unit_overview(self, uid: str, scope: Scope) -> OverviewRow | None:
        """Descendants of unit ``uid`` grouped by (level, kind), and its children."""
        ...

    # -- accountability statistics --------------------------------------------------------
    def accountability_facts(self, units: Sequence[str] | None,
                             scope: Scope) -> list[DecisionFactsRow]:
        """Every accountability decision in ``scope`` with the facts the subtree rule reads;
        with ``units`` only decisions with one of those units among their facts (a superset
        of the rule's answer, which the shaping computes)."""
        ...

    # -- what follows a case ----------------------------------------------------------
    def case_casework(self, uid: str, bodies: Sequence[str], as_of: str,
                      scope: Scope) -> CaseworkRow:
        """Of case ``uid``: the persons it names as directly responsible and the issues and
        projects that follow it (both in ``scope``), and who served in each of ``bodies``
        (unit uids: its supervising discipline bodies) on ``as_of``."""
        ...
