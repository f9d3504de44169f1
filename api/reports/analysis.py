"""The analysis report rendered as JSON, CSV (the findings table) or a self-contained HTML page.

The HTML page works offline: styles, data and vis-network are inlined (vis-network comes
from the pyvis package via :func:`api.views.vis.render_html`), nothing is fetched. Its graph
view shows the coordination network around the weak points: bridges are drawn red, thick
and dashed (colour is not the only signal), single points of failure get a thick dashed
black border and a "⚠" in their label.

Examples
--------
>>> csv_cell("=SUM(A1)"), csv_cell("甲"), csv_cell(3)
("'=SUM(A1)", '甲', '3')
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Iterable
from typing import Any, Literal

import networkx as nx

from api.i18n import Lang, Translator, translate
from api.views.cells import csv_cell
from api.views.style import edge_style, node_style
from api.views.vis import make_network, render_html
from graph.analytics.findings import CODES
from graph.analytics.report import Analysis, Report
from graph.analytics.structural import evidence_text

#: Coordination evidence kind -> the relationship type whose style draws it.
EVIDENCE_TYPE = {"posts": "SERVES_IN", "portfolios": "IN_CHARGE_OF", "supervision": "SUPERVISES",
                 "referrals": "SENT_TO", "records": "CONCERNS", "hierarchy": "SUBORDINATE_TO"}
GRAPH_NODE_LIMIT = 400
CSV_COLUMNS = ("code", "name_zh", "name_en", "severity", "axis", "unit", "ids", "evidence",
               "explanation_zh", "explanation_en")


def report_json(report: Report) -> str:
    """The report model as indented JSON (UTF-8 text, Chinese kept as is)."""
    return report.model_dump_json(indent=2)


def findings_csv(report: Report) -> str:
    """The findings table, one row per finding, formula-injection safe."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    for f in report.findings:
        info = CODES[f.code]
        row = (f.code, info.zh, info.en, f.severity, f.axis, f.unit or "", ";".join(f.ids),
               json.dumps(f.evidence, ensure_ascii=False, sort_keys=True),
               f.explanation_zh, f.explanation_en)
        w.writerow([csv_cell(v) for v in row])
    return buf.getvalue()


# -- HTML ---------------------------------------------------------------------------
ROW_LIMIT = 2000


def report_texts(lang: Lang) -> dict[str, str]:
    """The report's headings and notes in ``lang``, from the catalogues (``report.*``)."""
    return {
        "title": translate("report.title", lang),
        "as_of": translate("report.as_of", lang),
        "scope": translate("report.scope", lang),
        "all": translate("report.all", lang),
        "summary": translate("report.summary", lang),
        "health": translate("report.health", lang),
        "rollup": translate("report.rollup", lang),
        "findings": translate("report.findings", lang),
        "graph": translate("report.graph", lang),
        "legend": translate("report.legend", lang),
        "code": translate("report.code", lang),
        "kind": translate("report.kind", lang),
        "severity": translate("report.severity", lang),
        "unit": translate("report.unit", lang),
        "explanation": translate("report.explanation", lang),
        "score": translate("report.score", lang),
        "level": translate("report.level", lang),
        "reasons": translate("report.reasons", lang),
        "units": translate("report.units", lang),
        "min": translate("report.min", lang),
        "mean": translate("report.mean", lang),
        "weakest": translate("report.weakest", lang),
        "count": translate("report.count", lang),
        "method": translate("report.method", lang),
        "more": translate("report.more", lang, n=ROW_LIMIT),
        "colon": translate("punct.colon", lang),
        "list_sep": translate("punct.list_sep", lang),
    }


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _graph_nodes(analysis: Analysis, limit: int) -> list[str]:
    """The part of the coordination network worth drawing: weak points and weakest units,
    then their neighbours, up to ``limit`` nodes."""
    H = analysis.network
    seeds: list[str] = []
    for a, b in analysis.weak_edges:
        seeds += [a, b]
    seeds += analysis.single_points
    for f in analysis.report.findings:
        if f.axis == "structural":
            seeds += [i for i in f.ids if i in H]
    seeds += [h.uid for h in analysis.report.health[:50]]
    chosen: dict[str, None] = {}
    for v in seeds:
        if v in H and len(chosen) < limit:
            chosen[v] = None
    for v in list(chosen):
        for w in sorted(H.adj[v]):
            if len(chosen) >= limit:
                break
            chosen.setdefault(w, None)
    return list(chosen)


def graph_network(analysis: Analysis, lang: Lang = "zh", limit: int = GRAPH_NODE_LIMIT) -> Any:
    """A pyvis network of the coordination network around the weak points."""
    H: nx.Graph = analysis.network
    nodes = _graph_nodes(analysis, limit)
    keep = set(nodes)
    spof = set(analysis.single_points)
    weak = {frozenset(e) for e in analysis.weak_edges}
    score = {h.uid: h.score for h in analysis.report.health}
    net = make_network()
    score_word = translate("report.score", lang)
    for v in nodes:
        a = H.nodes[v]
        label = str(a.get("caption") or v)
        style = node_style(str(a.get("label") or "Unit"), lang)
        title = f"{label} ({v})"
        if v in score:
            title += f" · {score_word} {score[v]:g}"
        opts: dict[str, Any] = {"shape": style["shape"], "color": style["color"],
                                "group": style["group"], "title": title}
        if v in spof:
            # Not colour alone: a thick dashed black border and a warning sign in the label.
            opts.update(borderWidth=5, shapeProperties={"borderDashes": [6, 4]},
                        color={"background": style["color"], "border": "#000000"})
            label = "⚠ " + label
        net.add_node(v, label=label, **opts)
    for a, b, d in H.edges(data=True):
        if a not in keep or b not in keep:
            continue
        ev: dict[str, int] = d.get("evidence", {})
        main = max(ev, key=lambda k: (ev[k], k)) if ev else "posts"
        style = edge_style(EVIDENCE_TYPE.get(main, "SERVES_IN"), lang,
                           weak=frozenset((a, b)) in weak)
        style["arrows"] = ""
        style["title"] = translate("punct.list_sep", lang).join(
            translate(m, lang) for m in evidence_text(ev))
        net.add_edge(a, b, **style)
    return net


def _table(head: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    th = "".join(f"<th scope=\"col\">{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def report_html(analysis: Analysis, lang: Lang = "zh") -> str:
    """A self-contained HTML report: summary, findings, health ranking, roll-up, graph."""
    r = analysis.report
    t = {k: _e(v) for k, v in report_texts(lang).items()}
    captions = {h.uid: h.caption for h in r.health}
    tr = Translator(lang)
    severity = tr.enum
    summary_rows = [(f"<code>{_e(c)}</code>", _e(tr.said(CODES[c].message)), str(n))
                    for c, n in r.counts.items()]
    bc = r.metrics.get("coordination_network", {}).get("betweenness", {})
    findings_rows = [
        (f"<code>{_e(f.code)}</code>", _e(tr.said(CODES[f.code].message)),
         f'<span class="sev-{f.severity}">{_e(severity("severity", f.severity))}</span>',
         _e(captions.get(f.unit or "", f.unit or "")),
         _e(tr.said(f.explanation)))
        for f in r.findings[:ROW_LIMIT]
    ]
    health_rows = [
        (_e(h.caption), _e(h.level), f"<strong>{h.score:g}</strong>",
         _e(t["list_sep"].join(sorted({d.code for d in h.deductions}))))
        for h in r.health[:ROW_LIMIT] if h.deductions
    ]
    rollup_rows = [
        (_e(s.caption), str(s.units), f"{s.min_score:g}", f"{s.mean_score:g}",
         _e(t["list_sep"].join(f"{w.caption}({w.score:g})" for w in s.weakest)))
        for s in r.rollup[:ROW_LIMIT]
    ]
    more = f"<p>{t['more']}</p>" if len(r.findings) > ROW_LIMIT else ""
    scope = _e(r.scope_caption) if r.scope_caption else t["all"]
    body = f"""<style>
main {{ max-width: 1200px; margin: 0 auto; padding: 1em; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 1.5em; font-size: 14px; }}
th, td {{ border: 1px solid #ccc; padding: 4px 6px; text-align: left; vertical-align: top; }}
th {{ background: #f3f3f3; }}
.sev-high {{ color: #a00000; font-weight: bold; }}
.sev-medium {{ color: #8a5a00; }}
#network {{ position: relative !important; height: 80vh; border: 1px solid #ccc; }}
#status {{ position: fixed !important; }}
</style>
<main>
<h1>{t['title']}</h1>
<p>{t['as_of']} {_e(r.as_of)} · {t['scope']}{t['colon']}{scope} ·
{t['method']}{t['colon']}{_e(bc.get('method'))} {_e(bc.get('k', ''))}</p>
<h2>{t['summary']}</h2>
{_table([t['code'], t['kind'], t['count']], summary_rows)}
<h2>{t['health']}</h2>
{_table([t['unit'], t['level'], t['score'], t['reasons']], health_rows)}
<h2>{t['rollup']}</h2>
{_table([t['unit'], t['units'], t['min'], t['mean'], t['weakest']], rollup_rows)}
<h2>{t['findings']}</h2>
{more}
{_table([t['code'], t['kind'], t['severity'], t['unit'], t['explanation']], findings_rows)}
<h2>{t['graph']}</h2>
<p>{t['legend']}</p>
</main>"""
    return render_html(graph_network(analysis, lang), title=translate("report.title", lang),
                       inline_assets=True, lang=lang, body_before=body)


def render(analysis: Analysis, fmt: Literal["json", "csv", "html"], lang: Lang = "zh") -> str:
    """The report in the requested format."""
    if fmt == "json":
        return report_json(analysis.report)
    if fmt == "csv":
        return findings_csv(analysis.report)
    return report_html(analysis, lang)
