"""Measure findings against known weak links (the generator's ``planted.json``).

A planted weak link is found when a finding of its code names all its ids. For structural
codes it is enough that the planted first id (the person or unit that is the single point
of failure) appears in a finding of that code: in the coordination network a person's duty
records can bypass one of their posts, so the person is the cut rather than that one edge.

Examples
--------
>>> from graph.analytics.findings import Finding
>>> from graph.messages import Message
>>> f = Finding.make("S_BRIDGE", "medium", ["person:A", "unit:B"], unit="unit:B",
...                  evidence={}, explanation=Message("finding.S_BRIDGE"))
>>> planted = [{"code": "S_BRIDGE", "ids": ["person:A", "unit:B"]},
...            {"code": "S_BRIDGE", "ids": ["person:Z", "unit:B"]}]
>>> s = score(planted, [f])["S_BRIDGE"]
>>> s["recalled"], s["precision"], s["missed"][0]["ids"][0]
(1, 1.0, 'person:Z')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from graph.analytics.findings import CODES, Finding


def matches(planted: Mapping[str, Any], finding: Finding) -> bool:
    """Whether ``finding`` reports the planted weak link."""
    if planted["code"] != finding.code:
        return False
    if set(planted["ids"]) <= set(finding.ids):
        return True
    return str(planted["code"]).startswith("S_") and planted["ids"][0] in finding.ids


def score(
    planted: Sequence[Mapping[str, Any]], findings: Sequence[Finding]
) -> dict[str, dict[str, Any]]:
    """Per code: planted, found, recalled, missed (the planted entries) and precision
    (findings matching a planted one / findings; None when nothing was found)."""
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_code[f.code].append(f)
    out = {}
    for code in CODES:
        plants = [p for p in planted if p["code"] == code]
        found = by_code[code]
        hit = [p for p in plants if any(matches(p, f) for f in found)]
        true = [f for f in found if any(matches(p, f) for p in plants)]
        out[code] = {"planted": len(plants), "found": len(found), "recalled": len(hit),
                     "missed": [dict(p) for p in plants if p not in hit],
                     "precision": round(len(true) / len(found), 3) if found else None}
    return out
