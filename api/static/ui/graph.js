// The interactive relationship graph: vis-network (the copy inside pyvis, served by
// this server) fed by the JSON graph API. Click a node to expand it, double-click to open
// its page, Shift-click two nodes for the path between them. Large views stay readable
// and quick: nodes get precomputed positions (rings by hops, or levels top-down for
// chains) and the physics runs a bounded number of iterations, then stops.

/* global vis */
const cfg = JSON.parse(document.getElementById("graph-config").textContent);
const S = cfg.strings;
const zh = cfg.lang === "zh";
const container = document.getElementById("network");
const statusEl = document.getElementById("graph-status");
const listEl = document.getElementById("node-list");

const PAGE = { unit: "/units/", person: "/people/", issue: "/issues/", case: "/cases/" };
const RING = 230;
const SPACING = 52;
const LABEL_MAX = 16;
const EDGE_LABELS_MAX = 60;
const INSIDE_LABEL = new Set(["box", "ellipse", "circle", "database", "text"]);

const nodes = new vis.DataSet();
const edges = new vis.DataSet();
const raw = new Map(); // uid -> node as the API sent it
const rawEdges = new Map();
const more = new Map(); // uid -> neighbours left out by the cap
const expanded = new Set();
const pathNodes = new Set();
const pathEdges = new Set();
// Filled from the weak-link analysis once it is ready (it may take a while when cold).
const weakNodes = new Set();
const weakPairs = new Set();
let hierarchical = cfg.layout === "hierarchical";
let pathPick = [];
let network = null;

function pairKey(a, b) { return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`; }
// Catalogue texts are printf style: %(name)s / %(name)d placeholders, %% a percent sign.
function fmt(text, params) {
  return text.replace(/%\((\w+)\)[sd]|%%/g, (m, k) => (k ? String(params[k] ?? "") : "%"));
}
function pageOf(uid) {
  const i = uid.indexOf(":");
  const prefix = uid.slice(0, i);
  return PAGE[prefix] ? PAGE[prefix] + encodeURIComponent(uid.slice(i + 1)) : `/nodes/${encodeURIComponent(uid)}`;
}
function short(text) { return text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX - 1)}…` : text; }
function kindName(n) { return zh ? n.kind_zh : n.kind_en; }

function setStatus(text, isError = false) {
  statusEl.textContent = text;
  statusEl.classList.toggle("graph-error", isError);
}

function summary() {
  const visible = nodes.get({ filter: (n) => !n.hidden }).length;
  const cut = Array.from(more.values()).reduce((a, b) => a + b, 0);
  let text = fmt(S.graph_status, { nodes: visible, edges: edges.length });
  if (cut > 0) text += ` · ${fmt(S.graph_more, { n: cut })}`;
  return text;
}

// -- styling ----------------------------------------------------------------------------
function tooltip(n) {
  const el = document.createElement("div");
  const head = document.createElement("strong");
  head.textContent = `${kindName(n)}：${n.caption}`;
  el.append(head);
  const lines = [n.uid, ...Object.entries(n.props || {}).map(([k, v]) => `${k}: ${v}`)];
  if (weakNodes.has(n.uid)) lines.unshift(S.graph_weak_mark || "⚠");
  const m = more.get(n.uid) || 0;
  if (m) lines.push(fmt(S.graph_more, { n: m }));
  for (const line of lines) {
    const div = document.createElement("div");
    div.textContent = line;
    el.append(div);
  }
  return el;
}

function visNode(n, pos) {
  const st = cfg.nodeStyles[n.kind] || { shape: "dot", color: "#888" };
  const weak = weakNodes.has(n.uid);
  const onPath = pathNodes.has(n.uid);
  const m = more.get(n.uid) || 0;
  let label = short(n.caption);
  if (weak) label = `⚠ ${label}`;
  if (m) label += `\n(${fmt(S.graph_more, { n: m })})`;
  const inside = INSIDE_LABEL.has(st.shape);
  const node = {
    id: n.uid,
    label,
    shape: st.shape,
    color: {
      background: st.color,
      border: weak ? cfg.weakColor : onPath ? "#111" : "#2c3e50",
      highlight: { background: st.color, border: "#ffbf47" },
    },
    borderWidth: weak || onPath ? 4 : 1,
    shapeProperties: { borderDashes: weak ? [6, 4] : false },
    font: { face: cfg.font, size: 14, color: inside ? "#fff" : "#1d2329", multi: false },
    size: 14,
    title: tooltip(n),
    kind: n.kind,
  };
  if (pos) { node.x = pos.x; node.y = pos.y; }
  if (hierarchical) node.level = levelOf(n);
  return node;
}

function visEdge(e) {
  const st = cfg.edgeStyles[e.type] || { color: "#888", dashes: false, width: 1.5 };
  const weak = weakPairs.has(pairKey(e.src, e.dst));
  const onPath = pathEdges.has(e.id);
  return {
    id: e.id,
    from: e.src,
    to: e.dst,
    type: e.type,
    arrows: "to",
    // A path drawn on request wins over the weak-link marking (it stays dashed, though).
    color: { color: onPath ? "#111" : weak ? cfg.weakColor : st.color, highlight: "#ffbf47" },
    dashes: weak ? [10, 6] : st.dashes,
    width: onPath ? 6 : weak ? 4 : st.width || 1.5,
    label: rawEdges.size <= EDGE_LABELS_MAX ? (zh ? e.label_zh : e.label_en) : undefined,
    font: { face: cfg.font, size: 10, align: "middle", color: "#444", strokeWidth: 3 },
  };
}

// Hierarchical levels: units by their level (city = 0 on top), everything else one step
// below the nearest unit it is linked to, so chains read top-down.
function levelOf(n) {
  if (n.kind === "Unit" && n.props && Number.isInteger(n.props.level)) return n.props.level * 2;
  let best = null;
  for (const e of rawEdges.values()) {
    const other = e.src === n.uid ? e.dst : e.dst === n.uid ? e.src : null;
    const o = other && raw.get(other);
    if (o && o.kind === "Unit" && o.props && Number.isInteger(o.props.level)) {
      const l = o.props.level * 2 + 1;
      best = best === null ? l : Math.min(best, l);
    }
  }
  return best === null ? (n.hops || 0) * 2 + 1 : best;
}

// -- layout -----------------------------------------------------------------------------
// A radial tree: rings by hops from the centre, and each node inside the angular sector
// of its parent, sized by how many nodes hang below it — so the edges of the tree are short
// spokes instead of chords across the view. Linear time: a 1,000-node view is placed at
// once and needs no physics.
function ringPositions(list, centre) {
  const hops = new Map(list.map((n) => [n.uid, n.hops || 0]));
  const byLevel = new Map();
  for (const n of list) {
    const h = n.hops || 0;
    if (!byLevel.has(h)) byLevel.set(h, []);
    byLevel.get(h).push(n.uid);
  }
  const levels = Array.from(byLevel.keys()).sort((a, b) => a - b);
  // The BFS tree: each node's parent is its first neighbour one hop closer.
  const parent = new Map();
  const edgesSorted = Array.from(rawEdges.values()).sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const e of edgesSorted) {
    for (const [a, b] of [[e.src, e.dst], [e.dst, e.src]]) {
      if (hops.has(a) && hops.has(b) && hops.get(b) === hops.get(a) + 1 && !parent.has(b)) parent.set(b, a);
    }
  }
  const children = new Map();
  const roots = [];
  for (const level of levels) {
    for (const u of byLevel.get(level).sort()) {
      const p = parent.get(u);
      if (p === undefined) { roots.push(u); continue; }
      if (!children.has(p)) children.set(p, []);
      children.get(p).push(u);
    }
  }
  // Leaves below each node, deepest level first.
  const weight = new Map();
  for (const level of [...levels].reverse()) {
    for (const u of byLevel.get(level)) {
      const kids = children.get(u) || [];
      weight.set(u, Math.max(1, kids.reduce((acc, k) => acc + weight.get(k), 0)));
    }
  }
  // Ring radii: far enough apart, and long enough for the nodes on them.
  const radius = new Map();
  let r = 0;
  for (const level of levels) {
    const count = byLevel.get(level).length;
    if (level === 0 && count === 1) { radius.set(level, 0); continue; }
    // Crowded rings pack tighter: at that zoom the labels are unreadable anyway.
    const spacing = count > 300 ? 22 : count > 100 ? 34 : SPACING;
    r = Math.max(r + RING, (count * spacing) / (2 * Math.PI));
    radius.set(level, r);
  }
  const pos = new Map();
  const place = (u, from, to) => {
    const level = hops.get(u);
    const rad = radius.get(level);
    const a = (from + to) / 2;
    pos.set(u, rad === 0 ? { x: centre.x, y: centre.y } : { x: centre.x + rad * Math.cos(a), y: centre.y + rad * Math.sin(a) });
    const kids = children.get(u) || [];
    const total = kids.reduce((acc, k) => acc + weight.get(k), 0);
    let start = from;
    for (const k of kids) {
      const span = ((to - from) * weight.get(k)) / total;
      place(k, start, start + span);
      start += span;
    }
  };
  const total = roots.reduce((acc, u) => acc + weight.get(u), 0);
  let start = 0;
  for (const u of roots) {
    const span = (2 * Math.PI * weight.get(u)) / total;
    place(u, start, start + span);
    start += span;
  }
  return pos;
}

// New neighbours of an expanded node: a fan pointing away from the centre of the view.
function fanPositions(uids, around) {
  const pos = new Map();
  const out = Math.atan2(around.y, around.x) || 0;
  const n = uids.length;
  const radius = Math.max(170, (n * SPACING) / Math.PI);
  const spread = Math.min(Math.PI * 1.6, Math.max(Math.PI / 3, n * 0.35));
  uids.forEach((u, i) => {
    const a = n === 1 ? out : out - spread / 2 + (spread * i) / (n - 1);
    pos.set(u, { x: around.x + radius * Math.cos(a), y: around.y + radius * Math.sin(a) });
  });
  return pos;
}

// Above this many nodes the precomputed rings are the layout: no physics at all.
const PHYSICS_MAX_NODES = 500;

function physicsOptions(count) {
  // Bounded: fewer iterations the more nodes there are (positions are already sensible).
  const iterations = count > 200 ? 60 : 150;
  return {
    enabled: count <= PHYSICS_MAX_NODES,
    solver: "barnesHut",
    barnesHut: { gravitationalConstant: -6000, springLength: 130, springConstant: 0.03, avoidOverlap: 0.2, damping: 0.4 },
    stabilization: { enabled: true, iterations, updateInterval: 25, fit: true },
    maxVelocity: 40,
    minVelocity: 1,
  };
}

function options(count) {
  const opts = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    interaction: { hover: true, keyboard: { enabled: true, bindToWindow: false }, navigationButtons: false, tooltipDelay: 150, multiselect: false },
    nodes: { font: { face: cfg.font } },
    edges: { smooth: false },
    physics: hierarchical ? { enabled: false } : physicsOptions(count),
  };
  if (hierarchical) {
    opts.layout.hierarchical = { enabled: true, direction: "UD", sortMethod: "directed", levelSeparation: 120, nodeSpacing: 150, treeSpacing: 180, blockShifting: true, edgeMinimization: count < 400, parentCentralization: true, shakeTowards: "roots" };
  }
  return opts;
}

// -- data -------------------------------------------------------------------------------
function filterParams() {
  const params = new URLSearchParams();
  const kinds = Array.from(document.querySelectorAll('#filter-kinds input[name="kind"]'));
  const rels = Array.from(document.querySelectorAll('#filter-rels input[name="rel"]'));
  if (kinds.some((c) => !c.checked)) kinds.filter((c) => c.checked).forEach((c) => params.append("label", c.value));
  if (rels.some((c) => !c.checked)) rels.filter((c) => c.checked).forEach((c) => params.append("rel_type", c.value));
  return params;
}

async function fetchJson(url) {
  const resp = await fetch(url, { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await resp.json(); } catch (err) { body = null; }
  if (!resp.ok) {
    const msg = body ? (zh ? body.message_zh : body.message_en) || body.error : `HTTP ${resp.status}`;
    throw new Error(msg);
  }
  return body;
}

function remember(view) {
  const fresh = [];
  for (const n of view.nodes) {
    if (!raw.has(n.uid)) fresh.push(n);
    raw.set(n.uid, n);
  }
  const freshEdges = [];
  for (const e of view.edges) {
    if (!rawEdges.has(e.id)) freshEdges.push(e);
    rawEdges.set(e.id, e);
  }
  for (const [uid, m] of Object.entries(view.more || {})) {
    // An expanded node's count comes from its own neighbourhood; keep the smallest.
    more.set(uid, more.has(uid) ? Math.min(more.get(uid), m) : m);
  }
  for (const uid of view.roots || []) if (!(uid in (view.more || {})) && expanded.has(uid)) more.delete(uid);
  return { fresh, freshEdges };
}

function markStable(t0) {
  const ms = Math.round(performance.now() - t0);
  window.dutygraph.timing.push(ms);
  document.body.dataset.stabilized = "true";
  setStatus(`${summary()} · ${ms} ms`);
}

function draw(view) {
  const t0 = performance.now();
  document.body.dataset.stabilized = "false";
  remember(view);
  const list = Array.from(raw.values());
  const pos = hierarchical ? new Map() : ringPositions(list, { x: 0, y: 0 });
  nodes.clear();
  edges.clear();
  nodes.add(list.map((n) => visNode(n, pos.get(n.uid))));
  edges.add(Array.from(rawEdges.values()).map(visEdge));
  applyFilters(false);
  const opts = options(list.length);
  if (network) network.destroy();
  network = new vis.Network(container, { nodes, edges }, opts);
  window.dutygraph.network = network;
  bindEvents();
  if (hierarchical || list.length > PHYSICS_MAX_NODES) {
    network.once("afterDrawing", () => { network.fit(); markStable(t0); });
  } else {
    network.once("stabilizationIterationsDone", () => {
      network.setOptions({ physics: { enabled: false } });
      markStable(t0);
    });
  }
  renderList();
}

function merge(view, around) {
  const t0 = performance.now();
  const { fresh, freshEdges } = remember(view);
  const pos = hierarchical ? new Map() : fanPositions(fresh.map((n) => n.uid), around || { x: 0, y: 0 });
  nodes.update(fresh.map((n) => visNode(n, pos.get(n.uid))));
  edges.update(freshEdges.map(visEdge));
  // Existing nodes may have changed: "N more" counts, weak and path marks.
  restyle();
  if (hierarchical) network.setOptions(options(raw.size));
  markStable(t0);
}

async function load(uid) {
  setStatus(S.loading);
  raw.clear(); rawEdges.clear(); more.clear(); expanded.clear();
  const params = filterParams();
  params.set("depth", String(cfg.depth));
  params.set("limit", String(cfg.limit));
  try {
    const view = await fetchJson(`${cfg.api.neighbourhood}${encodeURIComponent(uid)}?${params}`);
    expanded.add(uid);
    draw(view);
  } catch (err) {
    setStatus(fmt(S.graph_error, { reason: err.message }), true);
  }
}

async function expand(uid) {
  if (!raw.has(uid)) return;
  setStatus(S.loading);
  const params = filterParams();
  params.set("depth", "1");
  params.set("limit", String(cfg.limit));
  try {
    const view = await fetchJson(`${cfg.api.neighbourhood}${encodeURIComponent(uid)}?${params}`);
    expanded.add(uid);
    more.delete(uid);
    if (view.more && view.more[uid]) more.set(uid, view.more[uid]);
    const at = network.getPositions([uid])[uid];
    merge(view, at);
  } catch (err) {
    setStatus(fmt(S.graph_error, { reason: err.message }), true);
  }
}

async function findPath(a, b) {
  setStatus(S.loading);
  try {
    const view = await fetchJson(`${cfg.api.path}?${new URLSearchParams({ from: a, to: b })}`);
    if (!view.paths || view.paths.length === 0) {
      setStatus(S.graph_path_none, true);
      return;
    }
    pathNodes.clear(); pathEdges.clear();
    view.paths.forEach((p) => p.forEach((u) => pathNodes.add(u)));
    const onPath = (e) => view.paths.some((p) => p.some((u, i) => i > 0 && pairKey(p[i - 1], u) === pairKey(e.src, e.dst)));
    view.edges.filter(onPath).forEach((e) => pathEdges.add(e.id));
    if (!network || raw.size === 0) {
      hierarchical = true;
      draw(view);
    } else {
      const anchor = network.getPositions([a])[a] || { x: 0, y: 0 };
      merge(view, anchor);
    }
    setStatus(`${summary()} · ${S.graph_path_from} ${a} → ${S.graph_path_to} ${b}`);
  } catch (err) {
    setStatus(fmt(S.graph_error, { reason: err.message }), true);
  }
}

// -- filters, list, events ---------------------------------------------------------------
function applyFilters(updateStatus = true) {
  const kinds = new Set(Array.from(document.querySelectorAll('#filter-kinds input[name="kind"]:checked')).map((c) => c.value));
  const rels = new Set(Array.from(document.querySelectorAll('#filter-rels input[name="rel"]:checked')).map((c) => c.value));
  nodes.update(nodes.get().map((n) => ({ id: n.id, hidden: !kinds.has(n.kind) })));
  edges.update(edges.get().map((e) => ({ id: e.id, hidden: !rels.has(e.type) })));
  if (updateStatus) { renderList(); setStatus(summary()); }
}

function renderList() {
  listEl.replaceChildren();
  const visible = nodes.get({ filter: (n) => !n.hidden });
  for (const v of visible) {
    const n = raw.get(v.id);
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.uid = n.uid;
    const m = more.get(n.uid) || 0;
    button.textContent = `${weakNodes.has(n.uid) ? "⚠ " : ""}${kindName(n)}：${n.caption}${m ? ` (+${m})` : ""}`;
    button.title = fmt(S.graph_expand_node, { name: n.caption });
    button.addEventListener("click", () => { network.selectNodes([n.uid]); network.focus(n.uid, { animation: false, scale: 1 }); expand(n.uid); });
    const link = document.createElement("a");
    link.href = pageOf(n.uid);
    link.textContent = " ↗";
    link.setAttribute("aria-label", fmt(S.open_page_node, { name: n.caption }));
    li.append(button, link);
    listEl.append(li);
  }
}

function bindEvents() {
  network.on("click", (params) => {
    if (!params.nodes.length) return;
    const uid = params.nodes[0];
    if (params.event && params.event.srcEvent && params.event.srcEvent.shiftKey) {
      pathPick = [...pathPick, uid].slice(-2);
      document.getElementById("path-from").value = pathPick[0] || "";
      document.getElementById("path-to").value = pathPick[1] || "";
      return;
    }
    expand(uid);
  });
  network.on("doubleClick", (params) => {
    if (params.nodes.length) window.location.assign(pageOf(params.nodes[0]));
  });
  // A white background so the exported PNG is readable.
  network.on("beforeDrawing", (ctx) => {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });
}

function download(name, href) {
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
}

function csvCell(value) {
  let s = value === undefined || value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`; // never a formula in a spreadsheet
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCsv() {
  const head = ["src_uid", "src_kind", "src_name", "relationship", "type", "dst_uid", "dst_kind", "dst_name", "weak"];
  const rows = [head];
  const linked = new Set();
  for (const e of rawEdges.values()) {
    const a = raw.get(e.src); const b = raw.get(e.dst);
    if (!a || !b) continue;
    linked.add(a.uid); linked.add(b.uid);
    rows.push([a.uid, kindName(a), a.caption, zh ? e.label_zh : e.label_en, e.type, b.uid, kindName(b), b.caption,
      weakPairs.has(pairKey(e.src, e.dst)) ? "1" : ""]);
  }
  for (const n of raw.values()) if (!linked.has(n.uid)) rows.push([n.uid, kindName(n), n.caption, "", "", "", "", "", weakNodes.has(n.uid) ? "1" : ""]);
  // BOM so spreadsheet programs read the Chinese as UTF-8.
  return "\ufeff" + rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

function stem() { return `dutygraph-${(cfg.start && cfg.start.id) || "graph"}`.replace(/[^\w\u4e00-\u9fff-]+/g, "_"); }

document.getElementById("export-png").addEventListener("click", () => {
  if (!network) return;
  const canvas = container.querySelector("canvas");
  download(`${stem()}.png`, canvas.toDataURL("image/png"));
});
document.getElementById("export-csv").addEventListener("click", () => {
  const blob = new Blob([toCsv()], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  download(`${stem()}.csv`, url);
  setTimeout(() => URL.revokeObjectURL(url), 5000);
});
document.getElementById("graph-fit").addEventListener("click", () => network && network.fit());
document.getElementById("filter-kinds").addEventListener("change", () => applyFilters());
document.getElementById("filter-rels").addEventListener("change", () => applyFilters());
document.getElementById("path-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const a = document.getElementById("path-from").value.trim();
  const b = document.getElementById("path-to").value.trim();
  if (a && b) findPath(a, b);
});
document.getElementById("graph-hier").addEventListener("change", (ev) => {
  hierarchical = ev.target.checked;
  if (raw.size) {
    const view = { nodes: Array.from(raw.values()), edges: Array.from(rawEdges.values()), more: Object.fromEntries(more), roots: [] };
    draw(view);
  }
});

async function loadWeak() {
  if (!cfg.weak_url) return;  // the user's role does not include the analysis
  try {
    const marks = await fetchJson(cfg.weak_url);
    marks.nodes.forEach((u) => weakNodes.add(u));
    marks.pairs.forEach(([a, b]) => weakPairs.add(pairKey(a, b)));
    window.dutygraph.weakLoaded = true;
    if (raw.size) restyle();
  } catch (err) {
    window.dutygraph.weakLoaded = false;
  }
}

function restyle() {
  nodes.update(Array.from(raw.values()).map((n) => {
    const v = visNode(n, null);
    delete v.x; delete v.y;
    return v;
  }));
  edges.update(Array.from(rawEdges.values()).map(visEdge));
  applyFilters(false);
  renderList();
}

window.dutygraph = { network: null, nodes, edges, raw, timing: [], load, expand, findPath, toCsv };
document.body.dataset.stabilized = "false";
if (cfg.start && cfg.target) {
  hierarchical = true;
  findPath(cfg.start.uid, cfg.target.uid).then(loadWeak);
} else if (cfg.start) {
  if (cfg.layout === "auto") hierarchical = false;
  load(cfg.start.uid).then(loadWeak);  // the analysis must not delay the first view
} else {
  loadWeak();
}
