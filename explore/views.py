"""Interactive graph views inline in a notebook, offline: vis-network from the installed
pyvis package, never a CDN.

:func:`show` draws a neighbourhood or paths (:class:`~graph.queries.subgraph.Subgraph`), a
responsibility chain or trace-back, an analysis (the coordination network around its weak
points) or a NetworkX graph. Weak links are red, thick and dashed (colour is not the only
signal): links of a chain nobody was held to account for or nobody held, and links of the
coordination network that a finding names (:func:`explore.analysis.weak_pairs`).

A :class:`View` displays itself as HTML (``_repr_mimebundle_``): a box with a caption line,
the vis-network library, and a script that finds its box by ``document.currentScript`` and
draws into it. The library is guarded by ``window.vis`` so it runs once per page, and
AMD/CommonJS globals are shadowed so it always lands on ``window.vis`` (classic Jupyter
loads require.js). The rendered copies (``explore.render``) keep one copy of the library
per page (:data:`ASSETS_START`/:data:`ASSETS_END` mark it).

Examples
--------
>>> g = nx.Graph()
>>> g.add_node("unit:A", label="Unit", caption="甲区委")
>>> g.add_node("person:P", label="Person", caption="王某明")
>>> g.add_edge("unit:A", "person:P", weak=True)
>>> v = show(g, title="示例")
>>> (v.node_count, v.edge_count, v.weak_count)
(2, 1, 1)
>>> 'data-dutygraph-view="' in v.html() and "https://" not in v.html().split(ASSETS_END)[1]
True
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx

from api.i18n import Lang, Translator, as_lang, translate
from api.views.style import WEAK_COLOR, edge_style, node_style
from api.views.vis import default_options, render_html, vis_asset_dir
from explore.analysis import AnalysisFrames, weak_pairs
from explore.convert import chain_graph
from graph.analytics.findings import CODES
from graph.analytics.report import Analysis
from graph.analytics.structural import evidence_text
from graph.messages import N_, Bilingual
from graph.queries.chain_models import CaseTrace, IssueChain
from graph.queries.subgraph import Subgraph
from graph.schema import SCHEMA

#: Markers around the library in a view's HTML (one copy per rendered page).
ASSETS_START = "<!--dutygraph-vis-assets-->"
ASSETS_END = "<!--/dutygraph-vis-assets-->"
#: Default height of a view in a notebook, in CSS pixels.
HEIGHT = 520
#: At most this many nodes of the coordination network are drawn.
NETWORK_LIMIT = 150
#: Coordination evidence kind → the relationship type whose style draws it.
EVIDENCE_TYPE = {"posts": "SERVES_IN", "portfolios": "IN_CHARGE_OF", "supervision": "SUPERVISES",
                 "referrals": "SENT_TO", "records": "CONCERNS", "hierarchy": "SUBORDINATE_TO"}
#: How each chain-link status is drawn and named (a catalogue code).
STATUS = {
    "held": ("#2e7d32", N_("view.status_held")),
    "present": ("#546e7a", N_("view.status_present")),
    "outside": ("#6a1b9a", N_("view.status_outside")),
    "gap": (WEAK_COLOR, N_("view.status_gap")),
    "missing": (WEAK_COLOR, N_("view.status_missing")),
}
FONT = "Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif"


@cache
def _assets() -> str:
    """vis-network's stylesheet and script, guarded and global, between the markers."""
    css = (vis_asset_dir() / "vis-network.css").read_text(encoding="utf-8")
    js = (vis_asset_dir() / "vis-network.min.js").read_text(encoding="utf-8")
    # The source map is not shipped; a browser with developer tools open would ask for it.
    # (split on "\n" only: the library's strings hold U+2028 and U+2029 literally)
    js = "\n".join(line for line in js.split("\n") if not line.startswith("//# sourceMappingURL"))
    if "</script" in js.lower():  # pragma: no cover - the library would end its own element
        raise ValueError("vis-network.min.js contains </script>")
    return (f"{ASSETS_START}<style>{css}</style><script>(function () {{"
            "if (window.vis && window.vis.Network) { return; }"
            f"var define, exports, module;\n{js}\n}}).call(window);</script>{ASSETS_END}")


def view_options() -> dict[str, Any]:
    """The pages' vis-network options with a fixed layout seed: the same drawing on every
    run (and in the rendered copies)."""
    options = default_options()
    options["layout"]["randomSeed"] = 7
    return options


def _json(value: Any) -> str:
    # "</" cannot end the script element when the data sits inside it.
    return json.dumps(value, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


@dataclass
class View:
    """A graph ready to draw: vis-network nodes, edges and options, a title and a caption
    (in ``lang``).

    Displays inline in Jupyter (and VS Code); :meth:`save` writes a standalone page.
    """

    title: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    options: dict[str, Any] = field(default_factory=view_options)
    #: A line under the title (legend, what was left out).
    note: str = ""
    height: int = HEIGHT
    lang: Lang = "zh"

    @property
    def node_count(self) -> int:
        return len(self.nodes)

    @property
    def edge_count(self) -> int:
        return len(self.edges)

    @property
    def weak_count(self) -> int:
        """Edges drawn as weak links."""
        return sum(1 for e in self.edges if e.get("weak"))

    def _data(self) -> dict[str, Any]:
        edges = [{k: v for k, v in e.items() if k != "weak"} for e in self.edges]
        return {"nodes": self.nodes, "edges": edges}

    def key(self) -> str:
        """A stable id of the drawing (same data, same id: the rendered copies are stable)."""
        text = _json([self.title, self._data(), self.options, self.height])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    def html(self) -> str:
        """The HTML fragment a notebook output shows (library included)."""
        key = self.key()
        caption = html.escape(self.title)
        counts = translate("view.counts", self.lang, nodes=self.node_count,
                           edges=self.edge_count)
        if self.weak_count:
            counts += " · " + translate("view.weak_count", self.lang, n=self.weak_count)
        note = html.escape(" · ".join(x for x in (counts, self.note) if x))
        script = f"""(function () {{
  var me = document.currentScript;
  var box = me && me.previousElementSibling;
  if (!box || box.getAttribute("data-dutygraph-view") !== "{key}") {{
    box = document.querySelector('[data-dutygraph-view="{key}"]:not([data-drawn])');
  }}
  box.setAttribute("data-drawn", "true");
  var data = {_json(self._data())};
  var options = {_json(self.options)};
  var network = new vis.Network(box, {{nodes: new vis.DataSet(data.nodes),
    edges: new vis.DataSet(data.edges)}}, options);
  function settled() {{
    network.setOptions({{physics: {{enabled: false}}}});
    box.setAttribute("data-stabilized", "true");
  }}
  network.once("stabilizationIterationsDone", settled);
  if (!options.physics || options.physics.enabled === false) {{ settled(); }}
}})();"""
        return (
            f'<div class="dutygraph-view-box" style="font-family:{FONT};margin:4px 0">'
            f"{_assets()}"
            f'<div style="font-weight:bold;font-size:14px">{caption}</div>'
            f'<div style="font-size:12px;color:#555;margin-bottom:4px">{note}</div>'
            f'<div data-dutygraph-view="{key}" role="img" aria-label="{caption}" '
            f'style="position:relative;width:100%;height:{self.height}px;'
            f'border:1px solid #ccc;background:#fff"></div>'
            f"<script>{script}</script></div>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        text = f"<{self.title}: {self.node_count} nodes, {self.edge_count} edges>"
        return {"text/html": self.html(), "text/plain": text}

    def save(self, path: str | Path) -> Path:
        """A standalone page of this view (library inlined, opens offline)."""
        from pyvis.network import Network

        net = Network(directed=True, cdn_resources="local")
        for n in self.nodes:
            net.add_node(n["id"], **{k: v for k, v in n.items() if k != "id"})
        for e in self.edges:
            net.add_edge(e["from"], e["to"], **{k: v for k, v in e.items()
                                                 if k not in ("from", "to", "weak")})
        net.options = self.options
        out = Path(path)
        out.write_text(render_html(net, title=self.title, inline_assets=True), encoding="utf-8")
        return out


# -- building views ------------------------------------------------------------------------
def _node(uid: str, label: str, caption: str, lang: Lang, *, tooltip: str = "",
          **extra: Any) -> dict[str, Any]:
    if label in SCHEMA.labels:
        style = node_style(label, lang)
        shape, color, kind = style["shape"], style["color"], style["kind_label"]
    else:
        shape, color, kind = "box", {"background": "#ffffff", "border": WEAK_COLOR}, ""
    node = {"id": uid, "label": caption, "shape": shape, "color": color,
            "title": "\n".join(x for x in (f"{kind} {caption}".strip(), uid, tooltip) if x)}
    node.update(extra)
    return node


def _edge(src: str, dst: str, rel_type: str | None, lang: Lang, *, weak: bool,
          label: str = "", tooltip: str = "", arrows: str = "to") -> dict[str, Any]:
    if rel_type in SCHEMA.rel_types:
        style = edge_style(rel_type, lang, weak=weak)
    else:
        style = {"color": WEAK_COLOR if weak else "#78909c", "dashes": weak,
                 "width": 4 if weak else 1.5, "label": ""}
    return {"from": src, "to": dst, "color": style["color"], "dashes": style["dashes"],
            "width": style["width"], "arrows": arrows, "label": label,
            "title": tooltip or label or style["label"], "weak": weak}


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def subgraph_view(sub: Subgraph, *, title: str | None = None,
                  weak: Iterable[tuple[str, str]] = (), height: int = HEIGHT,
                  lang: Lang = "zh") -> View:
    """A neighbourhood or paths; ``weak`` pairs of uids (either order) are drawn red."""
    weak_set = {_pair(a, b) for a, b in weak}
    roots = set(sub.roots)
    labels = len(sub.edges) <= 150  # edge labels cost more to draw than anything else
    nodes = [_node(n.uid, n.label, n.caption + (f" (+{sub.more[n.uid]})" if n.uid in sub.more
                                                 else ""), lang,
                   borderWidth=4 if n.uid in roots else 1) for n in sub.nodes]
    edges = []
    for e in sub.edges:
        rel = SCHEMA.rel(e.type)
        edges.append(_edge(e.src, e.dst, e.type, lang, weak=_pair(e.src, e.dst) in weak_set,
                           label=(rel.en if lang == "en" else rel.zh) if labels else "",
                           tooltip=str(Bilingual(rel.zh, rel.en))))
    note = translate("views.truncated", lang, n=sum(sub.more.values())) if sub.truncated else ""
    if len(sub.roots) == 2 and sub.roots[0] != sub.roots[1] and not sub.paths:
        note = translate("views.no_path", lang)
    return View(title or translate("view.graph_title", lang), nodes, edges, note=note,
                height=height, lang=lang)


def chain_view(chain: IssueChain | CaseTrace, *, title: str | None = None,
               height: int = HEIGHT, lang: Lang = "zh") -> View:
    """A responsibility chain or trace-back as a star; links nobody answered for are red."""
    g = chain_graph(chain, lang)
    subject = chain.case if isinstance(chain, CaseTrace) else chain.issue
    nodes = [_node(u, a["label"], a["caption"], lang, borderWidth=4 if u == subject.uid else 1)
             for u, a in g.nodes(data=True)]
    category = Translator(lang).enum
    edges = []
    for u, v, d in g.edges(data=True):
        color, status = STATUS.get(d["status"], ("#78909c", None))
        label = (f"{category('accountability_category', d['category']) or d['role']} · "
                 f"{translate(status, lang) if status else d['status']}")
        edge = _edge(u, v, None, lang, weak=d["weak"], label=label)
        if not d["weak"]:
            edge["color"] = color
        edges.append(edge)
    if isinstance(chain, CaseTrace):
        default = translate("view.trace_title", lang, caption=chain.case.caption,
                            date=chain.as_of)
    else:
        default = translate("view.chain_title", lang, caption=chain.issue.caption,
                            date=chain.as_of)
    options = view_options()
    options["physics"]["barnesHut"]["springLength"] = 200
    options["edges"]["font"]["size"] = 12
    return View(title or default, nodes, edges, options,
                note=translate("view.chain_note", lang), height=height, lang=lang)


def _network_nodes(analysis: Analysis, around: Iterable[str] | None, limit: int) -> list[str]:
    H = analysis.network
    if around is not None:
        seeds = [u for u in around if u in H]
    else:
        seeds = [u for pair in weak_pairs(analysis) for u in pair]
        seeds += analysis.single_points
        seeds += [h.uid for h in analysis.report.health if h.score < 100]
    chosen: dict[str, None] = {}
    for u in seeds:
        if len(chosen) >= limit:
            break
        chosen.setdefault(u, None)
    for u in list(chosen):
        for w in sorted(H.adj[u]):
            if len(chosen) >= limit:
                return list(chosen)
            chosen.setdefault(w, None)
    return list(chosen)


def network_view(analysis: Analysis, *, around: Iterable[str] | None = None,
                 limit: int = NETWORK_LIMIT, title: str | None = None,
                 height: int = HEIGHT, lang: Lang = "zh") -> View:
    """The coordination network around ``around`` (uids) or, by default, around its weak
    points, at most ``limit`` nodes. Weak links red; single points of failure with a dashed
    black border and ⚠; a unit's health score in its tooltip."""
    H = analysis.network
    keep = _network_nodes(analysis, around, limit)
    kept = set(keep)
    weak = weak_pairs(analysis)
    spof = set(analysis.single_points)
    score = {h.uid: h.score for h in analysis.report.health}
    nodes = []
    for u in keep:
        a = H.nodes[u]
        caption = str(a.get("caption") or u)
        extra: dict[str, Any] = {}
        if u in spof:
            style = node_style(str(a.get("label") or "Unit"), lang)
            extra = {"borderWidth": 5, "shapeProperties": {"borderDashes": [6, 4]},
                     "color": {"background": style["color"], "border": "#000000"}}
            caption = "⚠ " + caption
        tip = translate("view.health", lang, score=format(score[u], "g")) if u in score else ""
        nodes.append(_node(u, str(a.get("label") or "Unit"), caption, lang, tooltip=tip,
                           **extra))
    edges = []
    for a, b, d in H.edges(data=True):
        if a not in kept or b not in kept:
            continue
        ev: dict[str, int] = d.get("evidence", {})
        main = max(ev, key=lambda k: (ev[k], k)) if ev else "posts"
        codes = sorted(weak.get(_pair(a, b), ()))
        sep = translate("punct.list_sep", lang)
        names = sep.join(translate(CODES[c].message, lang) if c in CODES else c for c in codes)
        edges.append(_edge(a, b, EVIDENCE_TYPE.get(main, "SERVES_IN"), lang, weak=bool(codes),
                           label=names, arrows="",
                           tooltip=sep.join(translate(m, lang) for m in evidence_text(ev))))
    note = translate("view.spof_note", lang) if spof & kept else ""
    options = view_options()
    # Tighter than the pages' defaults: a notebook cell is about 950 pixels wide.
    options["physics"]["barnesHut"].update(gravitationalConstant=-3000, springLength=100,
                                           centralGravity=0.3, avoidOverlap=0.2)
    options["nodes"]["font"]["size"] = 16
    return View(title or translate("view.network_title", lang, date=analysis.report.as_of),
                nodes, edges, options, note=note, height=height, lang=lang)


def graph_view(g: nx.Graph, *, title: str | None = None, height: int = HEIGHT,
               lang: Lang = "zh") -> View:
    """Any NetworkX graph whose nodes have ``label``/``caption`` (edges ``type``, ``weak``)."""
    nodes = [_node(str(u), str(a.get("label", "")), str(a.get("caption") or u), lang)
             for u, a in g.nodes(data=True)]
    edges = [_edge(str(u), str(v), d.get("type"), lang, weak=bool(d.get("weak")),
                   arrows="to" if g.is_directed() else "")
             for u, v, d in g.edges(data=True)]
    return View(title or translate("view.graph_title", lang), nodes, edges, height=height,
                lang=lang)


def show(obj: Any, *, title: str | None = None, height: int = HEIGHT,
         weak: Iterable[tuple[str, str]] = (), around: Iterable[str] | None = None,
         limit: int = NETWORK_LIMIT, lang: str | None = None) -> View:
    """An inline view of a graph-shaped result (see the module docstring).

    Parameters
    ----------
    obj
        A Subgraph, an IssueChain or CaseTrace, an analysis, or a NetworkX graph.
    title
        The caption above the view (a default per kind, in ``lang``).
    height
        In CSS pixels; the width follows the notebook.
    weak
        Subgraph only: uid pairs to draw as weak links.
    around, limit
        Analysis only: draw the coordination network around these uids (default: its weak
        points), at most ``limit`` nodes.
    lang
        The language of the labels and notes (``zh`` or ``en``): by default an analysis's
        own (:attr:`AnalysisFrames.lang`), else Chinese.
    """
    if lang is None:
        lang = obj.lang if isinstance(obj, AnalysisFrames) else "zh"
    language = as_lang(lang)
    if isinstance(obj, Subgraph):
        return subgraph_view(obj, title=title, weak=weak, height=height, lang=language)
    if isinstance(obj, IssueChain | CaseTrace):
        return chain_view(obj, title=title, height=height, lang=language)
    if isinstance(obj, AnalysisFrames | Analysis):
        analysis = obj.analysis if isinstance(obj, AnalysisFrames) else obj
        return network_view(analysis, around=around, limit=limit, title=title, height=height,
                            lang=language)
    if isinstance(obj, nx.Graph):
        return graph_view(obj, title=title, height=height, lang=language)
    raise TypeError(f"cannot draw {type(obj).__name__}: show() takes a subgraph, a chain, "
                    "an analysis or a NetworkX graph")
