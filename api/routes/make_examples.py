"""Regenerate ``examples.json`` from the bundled sample: ``python -m api.routes.make_examples``.

Every documented query runs on the sample loaded into an in-memory store; lists are cut to
two items so the OpenAPI document shows the shape, not the data.
"""

from __future__ import annotations

import json
from typing import Any

from api.routes.examples import EXAMPLES_FILE


def _trim(value: Any, keep: int = 2) -> Any:
    """Lists cut to ``keep`` items, recursively, so an example shows the shape, not the data."""
    if isinstance(value, list):
        return [_trim(v, keep) for v in value[:keep]]
    if isinstance(value, dict):
        return {k: _trim(v, keep) for k, v in value.items()}
    return value


def build_examples() -> dict[str, Any]:
    """Run every documented query on the bundled sample and keep a trimmed answer."""
    from api.routes.acts import ActResult
    from api.routes.analytics import CodeDoc, FindingsPage, HealthPage, RollupPage, Summary
    from api.routes.subgraphs import to_view
    from api.views.style import legend
    from graph.analytics import CODES, analyze_store
    from graph.history.provenance import provenance_of
    from graph.queries.assessment import assessment_history, rotation, score_trends
    from graph.queries.chain import case_trace, issue_chain
    from graph.queries.coverage import coverage
    from graph.queries.holders import unit_holders, unit_overview
    from graph.queries.loops import open_loops
    from graph.queries.person import person_profile
    from graph.queries.prevention import decision_register, owned_controls, risk_register
    from graph.queries.search import search
    from graph.queries.stats import accountability_stats
    from graph.queries.subgraph import neighbourhood, shortest_paths
    from graph.queries.warnings import duty_progress, rollup, timeliness, warnings
    from graph.store.embedded import EmbeddedStore
    from loaders import load_sample

    store = EmbeddedStore(None)
    load_sample(store, progress=False)
    as_of = "2026-01-01"
    report = analyze_store(store, as_of=as_of, unit="MH").report
    found = [f for f in report.findings if f.code == "V_REFERRAL_OPEN"] or report.findings
    scores = [h.score for h in report.health]
    models: dict[str, Any] = {
        "unit_holders": unit_holders(store, "SIPG", as_of="2017-12-31"),
        "unit_overview": unit_overview(store, "JD"),
        "person_profile": person_profile(store, "P-JD-01", as_of="2017-06-30"),
        "issue_chain": issue_chain(store, "I-SIPG-01"),
        "case_trace": case_trace(store, "C-JD-100"),
        "open_loops": open_loops(store, as_of=as_of, limit=2),
        "warnings": warnings(store, as_of=as_of, unit="MH", limit=2),
        "rollup": rollup(store, "unit:MH", as_of=as_of, subtree=True),
        "duty_progress": duty_progress(store, "duty:D-MH-01", as_of="2018-06-30"),
        "timeliness": timeliness(store, as_of=as_of, unit="MH"),
        # A write's answer (the acts are not run on the sample here).
        "act": ActResult(act="reply", uid="referral:RF-MH-05", by="mh-officer",
                         at="2026-01-05T09:30:00+00:00",
                         data_version="3f1c2a4e-8b7d-4c1e-9a2f-5d6e7f8a9b0c", change=12),
        "accountability_stats": accountability_stats(store, unit="JD"),
        "search": search(store, "嘉定", limit=2),
        "graph_neighbourhood": to_view(neighbourhood(store, "unit:SIPG-JW", limit=3)),
        "graph_path": to_view(shortest_paths(store, "unit:JD-JW", "unit:SH", limit=1)),
        "graph_legend": legend("zh"),
        "unit_assessments": assessment_history(store, "JWDW-H04", as_of="2026-12-01"),
        "person_assessments": assessment_history(store, "P-JD-T05-01", as_of="2026-12-01"),
        "rotation": rotation(store, "JWDW", as_of="2018-12-31"),
        "score_trends": score_trends(store, "JD", as_of="2026-12-01"),
        "coverage": coverage(store, "JWDW", as_of="2018-06-30"),
        "risk_register": risk_register(store, "SIPG-C02", as_of="2018-06-30"),
        "owned_controls": owned_controls(store, "P-SIPG-C02-01", as_of="2018-06-30"),
        "decision_register": decision_register(store, "SIPG", subtree=True,
                                               as_of="2018-06-30"),
        "provenance": provenance_of(store, ["person:P-JD-01"])["person:P-JD-01"],
        "analytics_codes": [CodeDoc(code=c.code, axis=c.axis, zh=c.zh, en=c.en)
                            for c in CODES.values()],
        "analytics_findings": FindingsPage(
            as_of=report.as_of, scope=report.scope, scope_caption=report.scope_caption,
            total=len(found), counts={found[0].code: len(found)} if found else {},
            severity_counts={s: sum(f.severity == s for f in found)
                             for s in ("high", "medium", "low")},
            limit=2, offset=0, items=found[:2]),
        "analytics_health": HealthPage(as_of=report.as_of, scope=report.scope,
                                       total=len(report.health), limit=2, offset=0,
                                       items=report.health[:2]),
        "analytics_rollup": RollupPage(as_of=report.as_of, scope=report.scope,
                                       total=len(report.rollup), limit=2, offset=0,
                                       items=report.rollup[:2]),
        "analytics_summary": Summary(
            as_of=report.as_of, scope=report.scope, scope_caption=report.scope_caption,
            counts=report.counts, severity_counts=report.severity_counts, units=len(scores),
            mean_score=round(sum(scores) / len(scores), 2) if scores else None,
            weakest=report.health[:2], metrics=report.metrics, config=report.config),
    }
    out: dict[str, Any] = {}
    for name, value in models.items():
        if isinstance(value, list):
            dumped: Any = [v.model_dump(mode="json") for v in value]
        elif hasattr(value, "model_dump"):
            dumped = value.model_dump(mode="json")
        else:
            dumped = value
        out[name] = dumped if name in ("analytics_codes", "graph_legend") else _trim(dumped)
    return out


def main() -> None:
    data = build_examples()
    EXAMPLES_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
                             + "\n", encoding="utf-8")
    print(f"wrote {len(data)} examples to {EXAMPLES_FILE}")


if __name__ == "__main__":
    main()
