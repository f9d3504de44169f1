"""The 三重一大 threshold rule, shared by the decision register and the analytics.

A decision of a kind the rule covers (by default 重大项目安排 and 大额资金使用) whose amount
exceeds the threshold must be taken collectively (党委会/党组会; 上港: 党委会前置研究 for
projects above 10万元). The threshold is the one configured for the decision's unit or its
nearest unit above that has one (``decision_thresholds``: unit uid → yuan), else the
default (``decision_threshold``, 100,000 yuan).

>>> threshold_for(["unit:C1", "unit:SIPG", "unit:SH"], {"unit:SIPG": 50_000.0}, 100_000.0)
50000.0
>>> needs_collective({"kind": "large_fund", "amount": 280000.0}, ["large_fund"], 100_000.0)
True
>>> needs_collective({"kind": "large_fund", "amount": 100000.0}, ["large_fund"], 100_000.0)
False
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

#: The mode recording a collective decision (schema enum ``decision_mode``).
COLLECTIVE = "collective"


def threshold_for(chain: Iterable[str], thresholds: Mapping[str, float],
                  default: float) -> float:
    """The threshold of the first unit of ``chain`` (the unit, then those above it) that
    has one configured, else ``default``."""
    for uid in chain:
        if uid in thresholds:
            return float(thresholds[uid])
    return float(default)


def needs_collective(decision: Mapping[str, Any], kinds: Iterable[str],
                     threshold: float) -> bool:
    """Whether the decision falls under the rule: a covered kind, amount above threshold."""
    amount = decision.get("amount")
    return decision.get("kind") in set(kinds) and amount is not None and float(amount) > threshold


def breaks_rule(decision: Mapping[str, Any], kinds: Iterable[str], threshold: float) -> bool:
    """Under the rule and not recorded as taken collectively."""
    return needs_collective(decision, kinds, threshold) and decision.get("mode") != COLLECTIVE
