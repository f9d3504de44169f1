"""The coordination analysis as DataFrames: findings, counts, health, roll-up, weak links.

Wraps :class:`graph.analytics.report.Analysis` (what ``dutygraph analyze`` computes) without
changing it: every frame is built from the report on access, so a finding code added to the
analytics appears here with no change. Names and explanations are rendered from the message
catalogues (:mod:`api.i18n`): ``name`` and ``explanation`` in the frames' language (``lang``,
Chinese by default; :meth:`AnalysisFrames.in_lang`), and both languages in ``name_zh`` /
``name_en`` and ``explanation_zh`` / ``explanation_en``.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("unit:A", label="Unit", id="A", name="甲区委", kind="party_committee", level=1)
>>> a = analyze_graph(G, as_of="2024-01-01")
>>> "H_NO_SECRETARY" in set(a.findings["code"]), list(a.findings.columns[:4])
(True, ['code', 'name', 'name_zh', 'name_en'])
>>> a.findings["name"].iloc[0], a.in_lang("en").findings["name"].iloc[0]
('无现任书记', 'no current secretary')
>>> h = a.health.iloc[0]
>>> h["uid"], bool(h["score"] < 100), "H_NO_SECRETARY" in h["reasons"]
('unit:A', True, True)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import networkx as nx
import pandas as pd

from api.i18n import Lang, as_lang, translate
from graph.analytics.config import AnalyticsConfig, load_config
from graph.analytics.findings import CODES
from graph.analytics.report import Analysis, Report, analyze
from graph.frames import to_frame
from graph.texts import in_lang


def _names(codes: pd.Series, lang: Lang) -> pd.DataFrame:
    """The name (in ``lang``, then in both languages) and axis of finding codes (empty text
    for an unknown code)."""
    info = [CODES.get(c) for c in codes]
    return pd.DataFrame({
        "name": [translate(i.message, lang) if i else "" for i in info],
        "name_zh": [translate(i.message, "zh") if i else "" for i in info],
        "name_en": [translate(i.message, "en") if i else "" for i in info],
        "axis": [i.axis if i else "" for i in info],
    }, index=codes.index)


@dataclass(frozen=True)
class AnalysisFrames:
    """One analysis, its parts as DataFrames (fresh copies on each access), with names and
    explanations in ``lang`` (``zh`` or ``en``)."""

    analysis: Analysis
    lang: Lang = "zh"

    def in_lang(self, lang: str) -> AnalysisFrames:
        """The same analysis with its texts in ``lang`` (``zh`` or ``en``)."""
        return replace(self, lang=as_lang(lang))

    @property
    def report(self) -> Report:
        """The report model (what the CLI's ``--format json`` prints)."""
        return self.analysis.report

    @property
    def as_of(self) -> str:
        return self.analysis.report.as_of

    @property
    def network(self) -> nx.Graph:
        """The coordination network (units and people, evidence per edge)."""
        return self.analysis.network

    @property
    def single_points(self) -> list[str]:
        """Articulation points that cut units off (single points of failure)."""
        return list(self.analysis.single_points)

    @property
    def findings(self) -> pd.DataFrame:
        """One row per finding, most severe first: code, its names, severity, unit, ids,
        evidence (a dict per row) and the explanation (in :attr:`lang`, then in both
        languages)."""
        f = to_frame(self.report.findings, flatten=False)
        if f.empty:
            return pd.DataFrame(columns=["code", "name", "name_zh", "name_en", "axis",
                                         "severity", "unit", "ids", "evidence", "explanation",
                                         "explanation_zh", "explanation_en"])
        names = _names(f["code"], self.lang)[["name", "name_zh", "name_en"]]
        explanation = pd.Series([in_lang(x.explanation, self.lang)
                                 for x in self.report.findings], index=f.index,
                                name="explanation")
        rest = f.drop(columns=["code"])
        at = rest.columns.get_loc("explanation_zh")
        return pd.concat([f[["code"]], names, rest.iloc[:, :at], explanation,
                          rest.iloc[:, at:]], axis=1)

    @property
    def counts(self) -> pd.DataFrame:
        """Findings per code (every code, zero included) with names and axis."""
        c = pd.DataFrame({"code": list(self.report.counts),
                          "count": list(self.report.counts.values())})
        return pd.concat([c[["code"]], _names(c["code"], self.lang), c[["count"]]], axis=1)

    @property
    def health(self) -> pd.DataFrame:
        """One row per unit in scope, weakest first: score, findings and the codes that
        cost points (``reasons``)."""
        h = to_frame(self.report.health, flatten=False)
        if h.empty:
            return h
        h["reasons"] = [", ".join(d["code"] for d in ds) for ds in h["deductions"]]
        return h

    @property
    def rollup(self) -> pd.DataFrame:
        """One row per subtree: units, minimum and mean score, its weakest units."""
        return to_frame(self.report.rollup, flatten=False)

    @property
    def weak_links(self) -> pd.DataFrame:
        """Edges of the coordination network that are weak links (see :func:`weak_pairs`),
        with the codes of the findings that name them."""
        rows = []
        for (a, b), codes in sorted(weak_pairs(self.analysis).items()):
            rows.append({"a": a, "a_caption": self.network.nodes[a].get("caption", a),
                         "b": b, "b_caption": self.network.nodes[b].get("caption", b),
                         "codes": ", ".join(sorted(codes))})
        return pd.DataFrame(rows, columns=["a", "a_caption", "b", "b_caption", "codes"])


def analysis_frames(analysis: Analysis, lang: str = "zh") -> AnalysisFrames:
    """Wrap an analysis (``graph.analytics.report.analyze``/``analyze_store``), its texts in
    ``lang``."""
    return AnalysisFrames(analysis, as_lang(lang))


def analyze_graph(G: nx.MultiDiGraph, *, as_of: str | None = None, unit: str | None = None,
                  config: AnalyticsConfig | None = None, lang: str = "zh") -> AnalysisFrames:
    """The analysis of a NetworkX projection, e.g. an edited copy of
    ``DutyGraph.projection()`` for a what-if (``config``: the environment's by default,
    as in the CLI; texts in ``lang``)."""
    return AnalysisFrames(analyze(G, as_of=as_of, unit=unit, config=config or load_config()),
                          as_lang(lang))


#: The code given to a bridge that cuts units off (``Analysis.weak_edges``).
BRIDGE = "S_BRIDGE"


def weak_pairs(analysis: Analysis) -> dict[tuple[str, str], set[str]]:
    """The weak links of the coordination network, each with the codes that make it weak.

    An edge is weak when it is a bridge cutting units off (``analysis.weak_edges``) or when
    a finding's ``ids`` name both of its ends: an open referral between the discipline body
    and the leader it was sent to, a unit in no member's charge and its parent, a discipline
    body and the team it has no contact with, a member without records (or overloaded) and
    the unit. Findings about one node (a single point of failure) mark no edge. Pairs are
    sorted ``(a, b)`` with ``a < b``.
    """
    H = analysis.network
    found: dict[tuple[str, str], set[str]] = {}
    for a, b in analysis.weak_edges:
        found.setdefault((min(a, b), max(a, b)), set()).add(BRIDGE)
    for f in analysis.report.findings:
        named = sorted({i for i in f.ids if i in H})
        for i, a in enumerate(named):
            for b in named[i + 1:]:
                if H.has_edge(a, b):
                    found.setdefault((a, b), set()).add(f.code)
    return found
