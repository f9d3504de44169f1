"""Render a pyvis network as a page that loads nothing from outside the server.

pyvis's own templates pull vis-network, Bootstrap and tom-select from CDNs. We keep pyvis
for building the network (nodes, edges, options) and render it with our own small
template, taking vis-network from the copy that ships inside the installed pyvis package:
either inlined (a self-contained file, e.g. the analysis report) or referenced under the
server's own static path (``/static/vendor/vis-network/...``).

Large graphs settle quickly because the physics is bounded: positions may be precomputed
(``positions``), ``improvedLayout`` (quadratic in nodes) is off, stabilisation is capped and
physics is switched off once stabilised.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyvis
from pyvis.network import Network

VIS_VERSION = "9.1.2"
STATIC_PREFIX = "/static/vendor/vis-network"


def vis_asset_dir() -> Path:
    """Directory of vis-network inside the installed pyvis package."""
    return Path(pyvis.__file__).parent / "lib" / f"vis-{VIS_VERSION}"


@lru_cache(maxsize=2)
def _asset(name: str) -> str:
    return (vis_asset_dir() / name).read_text(encoding="utf-8")


def default_options(*, hierarchical: bool = False, physics: bool = True) -> dict[str, Any]:
    """vis-network options tuned to settle 1,000 nodes in well under three seconds."""
    opts: dict[str, Any] = {
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "keyboard": {"enabled": True}, "navigationButtons": False,
                        "tooltipDelay": 150},
        "nodes": {"font": {"size": 14, "face": "Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif"}},
        "edges": {"smooth": False, "font": {"size": 10, "align": "middle"}},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -8000, "springLength": 140,
                          "avoidOverlap": 0.1},
            "stabilization": {"enabled": True, "iterations": 200, "updateInterval": 50,
                              "fit": True},
        },
    }
    if hierarchical:
        opts["layout"]["hierarchical"] = {
            "enabled": True, "direction": "UD", "sortMethod": "directed",
            "levelSeparation": 110, "nodeSpacing": 160,
        }
        opts["physics"] = {"enabled": False}
    return opts


def make_network(*, hierarchical: bool = False, physics: bool = True) -> Network:
    """An empty pyvis Network with our options (directed, no CDN resources used)."""
    net = Network(height="100%", width="100%", directed=True, cdn_resources="local")
    net.options = default_options(hierarchical=hierarchical, physics=physics)
    return net


def script_json(value: Any) -> str:
    """JSON to embed in a ``<script>`` element: every ``<`` written as ``\\u003c``.

    Escaping only ``</`` is not enough: ``<!--<script>`` in a stored name switches the HTML
    parser into the script's "double-escaped" state, where the element's own ``</script>``
    no longer ends it, and the page's script is lost. Without any ``<`` the text is inert to
    the HTML parser and still the same JSON (and the same JavaScript value).

    >>> script_json({"name": "</script><!--<script>"})
    '{"name": "\\\\u003c/script>\\\\u003c!--\\\\u003cscript>"}'
    """
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def render_html(
    net: Network,
    *,
    title: str,
    inline_assets: bool,
    lang: str = "zh",
    body_before: str = "",
    nonce: str | None = None,
) -> str:
    """A complete HTML page showing ``net``.

    ``inline_assets=True`` embeds vis-network so the file works anywhere offline; otherwise
    the page references the server's own static copy. ``nonce`` marks the inline script
    for a strict Content-Security-Policy.
    """
    nodes, edges, _heading, _h, _w, options = net.get_network_data()
    data = script_json({"nodes": nodes, "edges": edges})
    opts = (options.replace("<", "\\u003c") if isinstance(options, str)
            else script_json(options))
    nonce_attr = f' nonce="{html.escape(nonce)}"' if nonce else ""
    if inline_assets:
        css = f"<style>{_asset('vis-network.css')}</style>"
        js = f"<script{nonce_attr}>{_asset('vis-network.min.js')}</script>"
    else:
        css = f'<link rel="stylesheet" href="{STATIC_PREFIX}/vis-network.css">'
        js = f'<script src="{STATIC_PREFIX}/vis-network.min.js"></script>'
    return f"""<!DOCTYPE html>
<html lang="{html.escape(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
{css}
<style>
html, body {{ margin: 0; height: 100%; font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei",
  sans-serif; }}
#network {{ position: absolute; top: 0; bottom: 0; left: 0; right: 0; }}
#status {{ position: absolute; right: 8px; bottom: 8px; background: #fff; padding: 2px 6px;
  font-size: 12px; border: 1px solid #ccc; }}
</style>
{js}
</head>
<body>
{body_before}
<div id="network" role="img" aria-label="{html.escape(title)}"></div>
<div id="status" aria-live="polite"></div>
<script{nonce_attr}>
(function () {{
  var data = {data};
  var status = document.getElementById("status");
  var options = {opts};
  var network = new vis.Network(document.getElementById("network"),
    {{nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}}, options);
  var t0 = performance.now();
  function settled() {{
    network.setOptions({{physics: {{enabled: false}}}});
    document.body.setAttribute("data-stabilized", "true");
    status.textContent = data.nodes.length + " / " + data.edges.length + " · " +
      Math.round(performance.now() - t0) + " ms";
  }}
  network.once("stabilizationIterationsDone", settled);
  if (!options.physics || options.physics.enabled === false) {{ settled(); }}
  window.dutygraphNetwork = network;
}})();
</script>
</body>
</html>
"""
