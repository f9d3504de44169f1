"""Read operations of the responsibility chain of an issue and the trace-back (倒查) of a
case.

The rows both backends return and the protocol they implement: Cypher in
:mod:`graph.store.cypher.chain`, a walk of the embedded graph in
:mod:`graph.store.walks.chain`.
"""

from __future__ import annotations

from typing import Protocol, TypedDict

from graph.scope import Scope
from graph.store.ops.common import Props


class HolderRow(TypedDict):
    node: Props | None
    outline: bool


class InChargeRow(TypedDict):
    person: Props | None
    outline: bool
    #: The unit in charge of: the chain's unit, or its parent.
    unit: Props
    portfolio: str | None
    start: str | None
    end: str | None


class SecretaryRow(TypedDict):
    person: Props | None
    outline: bool
    role: str | None
    start: str | None
    end: str | None


class ChainSupervisorRow(TypedDict):
    unit: Props | None
    outline: bool
    mode: str | None


class UnitChainRow(TypedDict):
    """The unit part of a chain as of a date: the unit (``None`` when none is recorded or
    in scope) and who held each link there."""

    unit: Props | None
    in_charge: list[InChargeRow]
    parent_in_charge: list[InChargeRow]
    secretaries: list[SecretaryRow]
    supervisors: list[ChainSupervisorRow]


class IssueChainRow(UnitChainRow):
    node: Props
    as_of: str
    owners: list[HolderRow]


class OriginRow(TypedDict):
    """An issue a case originated from (``None`` when the scope hides it) and its owners."""

    node: Props | None
    owners: list[HolderRow]


class TraceDecisionRow(TypedDict):
    node: Props
    targets: list[HolderRow]
    cases: list[Props]
    deciders: list[Props]


class CaseTraceRow(UnitChainRow):
    node: Props
    as_of: str
    involved: list[HolderRow]
    issues: list[OriginRow]
    decisions: list[TraceDecisionRow]


class ChainOps(Protocol):
    """The read operations of the responsibility chain of an issue and the trace-back (倒查) of a case."""

    def issue_chain(self, uid: str, today: str, scope: Scope) -> IssueChainRow | None:
        """Issue ``uid``, its owners and the holders of its unit's chain as of its
        ``found_on`` (else ``today``), each holder marked outline or hidden by ``scope``;
        ``None`` when the issue is missing or out of scope."""
        ...

    def case_trace(self, uid: str, today: str, scope: Scope) -> CaseTraceRow | None:
        """Case ``uid``, the people involved, its originating issues and their owners, the
        accountability decided for it and its unit's chain as of its ``occurred_on`` (else
        ``today``), marked by ``scope`` as :meth:`issue_chain`; ``None`` when the case is
        missing or out of scope."""
        ...
