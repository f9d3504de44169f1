// The interactive relationship graph: vis-network (the copy inside pyvis, served by this
// server) fed by the JSON graph API.
//
// Large views stay readable: the view is drawn as a tree from the start node (each node
// under the neighbour that places it — a unit under its superior, a person under the unit
// they serve in); leaves of one kind under one parent are drawn as one group ("村居 ×337",
// opened on request); hubs (nodes with many neighbours) are never grouped and get a label
// big enough to read when the whole view is fitted; positions are computed once (layered
// tree, or rings, or vis-network's levels for chains) and no physics runs. Click selects a
// node (its details and actions appear beside the canvas), double-click or "expand" fetches
// its neighbours, a found path is zoomed to and highlighted.

/* global vis */
import { download, exportPng, stem, toCsv } from "./graph-export.js";
import { INSIDE_LABEL, ringPositions, treePositions } from "./graph-layout.js";
import { fmt, setupMoreHint } from "./ui.js";

const cfg = JSON.parse(document.getElementById("graph-config").textContent);
const S = cfg.strings;
const zh = cfg.lang === "zh";
const container = document.getElementById("network");
const statusEl = document.getElementById("graph-status");
const listEl = document.getElementById("node-list");
const detailsEl = document.getElementById("selection-body");

const PAGE = { unit: "/units/", person: "/people/", issue: "/issues/", case: "/cases/" };
// Labels longer than this are cut (the whole name is in the tooltip, the details and the
// node list).
const LABEL_MAX = 10;
const EDGE_LABELS_MAX = 30;
// A node with this many neighbours is a hub: never grouped, labelled at fit.
const HUB = 10;
// Leaves of one kind under one parent are drawn as one group from this many on.
const GROUP_MIN = 3;
// Members of a selected group listed beside the canvas (the rest are counted; opening the
// group draws them all).
const GROUP_LISTED = 60;
// Font sizes by importance (canvas units): hubs read at fit, groups and the rest when
// zoomed in (vis-network leaves out labels below 5 px on screen).
const FONT = 9;
const GROUP_FONT = 11;
const HUB_FONT = 20;
const HUB_FONT_MAX = 120;
// Hub labels at fit are at least this many pixels high (the goal is 10; a margin for
// the estimate of the drawn size).
const HUB_PX = 11;
const SHAPE_SIZE = 8;
// vis-network's levels (hierarchical layout) are used for chains and paths up to this
// many nodes; larger views keep the layered tree (vis collapses them to a line).
const LEVELS_MAX = 200;
// The mark of a weak node in labels: a full-width "！", which the CJK fonts all have (a
// warning sign they lack would print as an empty box).
const WEAK_MARK = "！";

const nodes = new vis.DataSet();
const edges = new vis.DataSet();
const raw = new Map(); // uid -> node as the API sent it
const rawEdges = new Map(); // edge id -> edge
const more = new Map(); // uid -> neighbours left out by the cap
const expanded = new Set();
const openGroups = new Set(); // keys of groups the user opened
const pathNodes = new Set();
const pathEdges = new Set();
const weakNodes = new Set();
const weakPairs = new Set();
let layout = cfg.layout === "tree" ? "auto" : cfg.layout;
let roots = [];
let network = null;
let model = null; // the drawn view: see build()
let selected = null;
let dimmed = false;
let pathPick = [];

function pairKey(a, b) { return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`; }
function withAsOf(url) {
  if (!cfg.as_of) return url;
  return `${url}${url.includes("?") ? "&" : "?"}as_of=${encodeURIComponent(cfg.as_of)}`;
}
function pageOf(uid) {
  const i = uid.indexOf(":");
  const prefix = uid.slice(0, i);
  const url = PAGE[prefix] ? PAGE[prefix] + encodeURIComponent(uid.slice(i + 1)) : `/nodes/${encodeURIComponent(uid)}`;
  return withAsOf(url);
}
function short(text) { return text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX - 1)}…` : text; }
function kindName(kind) { const st = cfg.nodeStyles[kind]; return st ? st.kind_label : kind; }
function colon() { return zh ? "：" : ": "; }

function setStatus(text, isError = false) {
  statusEl.textContent = text;
  statusEl.classList.toggle("graph-error", isError);
}

// -- the tree, the groups and the drawn view ------------------------------------------------
// The tree: breadth-first from the roots; each node hangs under a neighbour one step closer,
// preferably the one its kind's placing relationship points to.
function computeTree() {
  const adj = new Map();
  const link = (a, b) => { if (!adj.has(a)) adj.set(a, new Set()); adj.get(a).add(b); };
  for (const e of rawEdges.values()) {
    if (raw.has(e.src) && raw.has(e.dst) && e.src !== e.dst) { link(e.src, e.dst); link(e.dst, e.src); }
  }
  const depth = new Map();
  const order = [];
  const start = roots.filter((u) => raw.has(u));
  if (!start.length && raw.size) start.push(Array.from(raw.keys()).sort((a, b) => (adj.get(b)?.size || 0) - (adj.get(a)?.size || 0))[0]);
  const visit = (seeds) => {
    const queue = [];
    for (const s of seeds) if (!depth.has(s)) { depth.set(s, 0); queue.push(s); order.push(s); }
    for (let i = 0; i < queue.length; i++) {
      const u = queue[i];
      for (const v of Array.from(adj.get(u) || []).sort()) {
        if (!depth.has(v)) { depth.set(v, depth.get(u) + 1); queue.push(v); order.push(v); }
      }
    }
  };
  visit(start);
  for (const u of Array.from(raw.keys()).sort()) if (!depth.has(u)) visit([u]);
  // Preferred parents: the kind's placing relationship (cfg.treeRel) in its direction.
  const preferred = new Map();
  for (const e of rawEdges.values()) {
    const a = raw.get(e.src); const b = raw.get(e.dst);
    if (!a || !b) continue;
    const ra = cfg.treeRel[a.kind]; const rb = cfg.treeRel[b.kind];
    if (ra && ra[0] === e.type && ra[1] === "out") preferred.set(`${e.src}>${e.dst}`, true);
    if (rb && rb[0] === e.type && rb[1] === "in") preferred.set(`${e.dst}>${e.src}`, true);
  }
  const parent = new Map();
  const children = new Map();
  for (const u of order) {
    const d = depth.get(u);
    if (d === 0) continue;
    const ups = Array.from(adj.get(u) || []).filter((v) => depth.get(v) === d - 1).sort();
    const p = ups.find((v) => preferred.has(`${u}>${v}`)) || ups[0];
    if (p === undefined) continue;
    parent.set(u, p);
    if (!children.has(p)) children.set(p, []);
    children.get(p).push(u);
  }
  return { adj, depth, parent, children, order };
}

function subKind(n) { return n.kind === "Unit" && n.props && n.props.kind ? n.props.kind : ""; }
function groupName(kind, sub) {
  if (sub && cfg.props[kind] && cfg.props[kind].kind) return cfg.props[kind].kind[1][sub] || sub;
  return kindName(kind);
}

// Leaves of one kind (units: of one unit kind) under one parent, unless they are hubs, on
// a found path, expanded or selected by the user, or their group was opened.
function computeGroups(tree) {
  const byKey = new Map();
  for (const u of tree.order) {
    const n = raw.get(u);
    const p = tree.parent.get(u);
    if (p === undefined || (tree.children.get(u) || []).length) continue;
    if ((tree.adj.get(u)?.size || 0) >= HUB || pathNodes.has(u) || expanded.has(u) || u === selected) continue;
    const key = `${p}|${n.kind}|${subKind(n)}`;
    if (openGroups.has(key)) continue;
    if (!byKey.has(key)) byKey.set(key, { key, id: `group:${key}`, parent: p, kind: n.kind, sub: subKind(n), members: [] });
    byKey.get(key).members.push(u);
  }
  const groups = new Map();
  const groupOf = new Map();
  for (const g of byKey.values()) {
    if (g.members.length < GROUP_MIN) continue;
    groups.set(g.id, g);
    for (const u of g.members) groupOf.set(u, g.id);
  }
  return { groups, groupOf };
}

function build() {
  const tree = computeTree();
  const { groups, groupOf } = computeGroups(tree);
  const rep = (u) => groupOf.get(u) || u;
  const reps = [];
  for (const u of tree.order) if (!groupOf.has(u)) reps.push(u);
  for (const g of groups.values()) reps.push(g.id);
  const parentRep = new Map();
  for (const r of reps) {
    const g = groups.get(r);
    const p = g ? g.parent : tree.parent.get(r);
    if (p !== undefined) parentRep.set(r, rep(p));
  }
  // Edges between drawn nodes; those of grouped members are bundled per group and type.
  const bundles = new Map();
  for (const e of rawEdges.values()) {
    if (!raw.has(e.src) || !raw.has(e.dst)) continue;
    const a = rep(e.src); const b = rep(e.dst);
    if (a === b) continue;
    const single = a === e.src && b === e.dst;
    const id = single ? e.id : `bundle|${e.type}|${a}|${b}`;
    if (!bundles.has(id)) bundles.set(id, { id, from: a, to: b, type: e.type, raw: [] });
    bundles.get(id).raw.push(e);
  }
  const degree = (u) => tree.adj.get(u)?.size || 0;
  return { tree, groups, groupOf, rep, reps, parentRep, bundles, degree };
}

// -- styling ------------------------------------------------------------------------------
function propLines(n) {
  const names = cfg.props[n.kind] || {};
  const lines = [`${S.graph_id}${colon()}${n.id}`];
  for (const [k, v] of Object.entries(n.props || {})) {
    if (v === null || v === undefined || v === "" || k === "name" || k === "title") continue;
    const spec = names[k];
    const value = spec && spec[1][v] !== undefined ? spec[1][v] : v;
    lines.push(`${spec ? spec[0] : k}${colon()}${value}`);
  }
  return lines;
}

function tooltip(head, lines) {
  const el = document.createElement("div");
  const strong = document.createElement("strong");
  strong.textContent = head;
  el.append(strong);
  for (const line of lines) {
    const div = document.createElement("div");
    div.textContent = line;
    el.append(div);
  }
  return el;
}

function nodeTooltip(n) {
  const lines = propLines(n);
  if (weakNodes.has(n.uid)) lines.unshift(S.graph_weak_mark);
  const m = more.get(n.uid) || 0;
  if (m) lines.push(fmt(S.graph_more, { n: m }));
  return tooltip(`${kindName(n.kind)}${colon()}${n.caption}`, lines);
}

function visNode(id) {
  const g = model.groups.get(id);
  const kind = g ? g.kind : raw.get(id).kind;
  const st = cfg.nodeStyles[kind] || { shape: "dot", color: "#888" };
  const inside = INSIDE_LABEL.has(st.shape);
  const base = { id, kind, shape: st.shape, size: SHAPE_SIZE };
  if (g) {
    const label = fmt(S.graph_group, { name: groupName(g.kind, g.sub), n: g.members.length });
    return {
      ...base, label, group_of: g.members.length,
      color: { background: "#ffffff", border: "#444444", highlight: { background: "#fff8dc", border: "#ffbf47" } },
      borderWidth: 2, shapeProperties: { borderDashes: [4, 3] },
      font: { face: cfg.font, size: GROUP_FONT, color: "#1d2329" },
      title: tooltip(label, [fmt(S.graph_group_members, { n: g.members.length }), S.graph_open_group]),
    };
  }
  const n = raw.get(id);
  const weak = weakNodes.has(id);
  const onPath = pathNodes.has(id);
  const hub = model.degree(id) >= HUB;
  const m = more.get(id) || 0;
  let label = short(n.caption);
  if (weak) label = `${WEAK_MARK}${label}`;
  // Hubs keep their label short; the count of neighbours left out is in the details.
  if (m && !hub) label += ` (+${m})`;
  return {
    ...base, label, hub,
    color: {
      background: st.color,
      border: weak ? cfg.weakColor : onPath ? "#111" : "#2c3e50",
      highlight: { background: st.color, border: "#ffbf47" },
    },
    borderWidth: weak || onPath ? 4 : hub ? 2 : 1,
    shapeProperties: { borderDashes: weak ? [6, 4] : false },
    font: { face: cfg.font, size: hub ? HUB_FONT : FONT, color: inside ? "#fff" : "#1d2329" },
    title: nodeTooltip(n),
  };
}

function visEdge(b) {
  const st = cfg.edgeStyles[b.type] || { color: "#888", dashes: false, width: 1.5 };
  const weak = b.raw.some((e) => weakPairs.has(pairKey(e.src, e.dst)));
  const onPath = b.raw.some((e) => pathEdges.has(e.id));
  const count = b.raw.length;
  // The tree's own edges (parent to child) are drawn full; the others light, until a node
  // they touch is selected (vis-network then highlights them).
  const inTree = model.parentRep.get(b.from) === b.to || model.parentRep.get(b.to) === b.from;
  const faint = (dimmed && !onPath) || (!inTree && !onPath && !weak && model.bundles.size > 150);
  return {
    id: b.id,
    from: b.from,
    to: b.to,
    type: b.type,
    count,
    arrows: "to",
    // A path drawn on request wins over the weak-link marking (it stays dashed, though).
    color: { color: onPath ? "#111" : weak ? cfg.weakColor : st.color, highlight: "#b8860b", opacity: faint ? (dimmed ? 0.12 : 0.3) : 1 },
    dashes: weak ? [10, 6] : st.dashes,
    width: onPath ? 6 : weak ? 4 : Math.min(6, (st.width || 1.5) + Math.log2(count)),
    label: model.bundles.size <= EDGE_LABELS_MAX ? `${zh ? b.raw[0].label_zh : b.raw[0].label_en}${count > 1 ? ` ×${count}` : ""}` : undefined,
    font: { face: cfg.font, size: 10, align: "middle", color: "#444", strokeWidth: 3 },
  };
}

// Chains read top-down with the city on top: units by their level, anything else one step
// below the nearest unit it is linked to.
function levelOf(id) {
  const g = model.groups.get(id);
  const n = raw.get(g ? g.members[0] : id);
  if (n.kind === "Unit" && n.props && Number.isInteger(n.props.level)) return n.props.level * 2;
  let best = null;
  for (const other of model.tree.adj.get(n.uid) || []) {
    const o = raw.get(other);
    if (o && o.kind === "Unit" && o.props && Number.isInteger(o.props.level)) {
      const l = o.props.level * 2 + 1;
      best = best === null ? l : Math.min(best, l);
    }
  }
  return best === null ? (model.tree.depth.get(n.uid) || 0) * 2 + 1 : best;
}

function useLevels() { return layout === "hierarchical" && model.reps.length <= LEVELS_MAX; }

function options() {
  const opts = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    interaction: { hover: true, keyboard: { enabled: true, bindToWindow: false }, navigationButtons: false, tooltipDelay: 150, multiselect: false },
    nodes: { font: { face: cfg.font } },
    edges: { smooth: false, selectionWidth: 2 },
    physics: { enabled: false },
  };
  if (useLevels()) {
    opts.layout.hierarchical = { enabled: true, direction: "UD", sortMethod: "directed", levelSeparation: 110, nodeSpacing: 150, treeSpacing: 160, blockShifting: true, edgeMinimization: true, parentCentralization: true, shakeTowards: "roots" };
  }
  return opts;
}

// -- drawing ------------------------------------------------------------------------------
function visibleKinds() { return new Set(Array.from(document.querySelectorAll('#filter-kinds input[name="kind"]:checked')).map((c) => c.value)); }
function visibleRels() { return new Set(Array.from(document.querySelectorAll('#filter-rels input[name="rel"]:checked')).map((c) => c.value)); }

function styledNodes() {
  const kinds = visibleKinds();
  return model.reps.map((r) => {
    const v = visNode(r);
    v.hidden = !kinds.has(v.kind);
    v.opacity = dimmed && !pathNodes.has(r) ? 0.25 : 1;
    return v;
  });
}

function styledEdges(hiddenNodes) {
  const rels = visibleRels();
  return Array.from(model.bundles.values()).map((b) => {
    const v = visEdge(b);
    v.hidden = !rels.has(b.type) || hiddenNodes.has(b.from) || hiddenNodes.has(b.to);
    return v;
  });
}

// Positions (unless vis-network's levels place the nodes), with hub fonts large enough to
// read when the view is fitted: the fit's zoom is known from the layout's extent, so the
// hubs' font grows until it is (and the layout is made again with the bigger labels).
function positioned(list) {
  const byId = new Map(list.map((v) => [v.id, v]));
  if (useLevels()) {
    for (const v of list) v.level = levelOf(v.id);
    return list;
  }
  const w = container.clientWidth || 800;
  const h = container.clientHeight || 600;
  let hubFont = HUB_FONT;
  let best = null;
  for (let round = 0; round < 8; round++) {
    for (const v of list) if (v.hub) v.font.size = hubFont;
    const { pos, box } = layout === "radial" ? ringPositions(model, byId)
      : treePositions(model, byId, w / h);
    let minX = Infinity; let maxX = -Infinity; let minY = Infinity; let maxY = -Infinity;
    for (const v of list) {
      if (v.hidden) continue;
      const p = pos.get(v.id); const b = box.get(v.id);
      minX = Math.min(minX, p.x - b.w / 2); maxX = Math.max(maxX, p.x + b.w / 2);
      minY = Math.min(minY, p.y - b.h / 2); maxY = Math.max(maxY, p.y + b.h / 2);
    }
    // vis-network's fit: 10% margin, never zoomed in beyond 1.
    const scale = Math.min(1, w / (1.1 * (maxX - minX || 1)), h / (1.1 * (maxY - minY || 1)));
    if (!best || hubFont * scale > best.px) best = { px: hubFont * scale, font: hubFont, pos };
    if (hubFont * scale >= HUB_PX || hubFont >= HUB_FONT_MAX) break;
    hubFont = Math.min(HUB_FONT_MAX, Math.ceil((hubFont * HUB_PX) / (hubFont * scale)));
  }
  for (const v of list) {
    if (v.hub) v.font.size = best.font;
    const p = best.pos.get(v.id);
    v.x = p.x; v.y = p.y;
  }
  window.dutygraph.layoutPx = best.px;
  return list;
}

function draw(fitTo = null) {
  const t0 = performance.now();
  document.body.dataset.stabilized = "false";
  model = build();
  const list = positioned(styledNodes());
  const hidden = new Set(list.filter((v) => v.hidden).map((v) => v.id));
  nodes.clear();
  edges.clear();
  nodes.add(list);
  edges.add(styledEdges(hidden));
  if (network) network.destroy();
  // vis-network fits the whole view to the canvas while it takes the data (every node has
  // its position), before its first frame; a focus is fitted before that frame too, so
  // the first frame drawn is the finished view (a second one costs as much again).
  network = new vis.Network(container, { nodes, edges }, options());
  window.dutygraph.network = network;
  bindEvents();
  const focus = (fitTo || []).map((u) => model.rep(u)).filter((id) => nodes.get(id));
  if (focus.length) network.fit({ nodes: Array.from(new Set(focus)), animation: false });
  network.once("afterDrawing", () => markStable(t0));
  renderList();
  renderLegendCounts();
  if (selected && !nodes.get(selected)) selected = null;
  if (selected) { network.selectNodes([selected]); renderDetails(selected); }
}

function markStable(t0) {
  const ms = Math.round(performance.now() - t0);
  window.dutygraph.timing.push(ms);
  document.body.dataset.stabilized = "true";
  setStatus(`${summary()} · ${ms} ms`);
}

// Counts of what is shown: a group counts its members; hidden kinds and relationship
// kinds are not counted.
function summary() {
  const kinds = visibleKinds();
  const rels = visibleRels();
  let shown = 0;
  let grouped = 0;
  let groupCount = 0;
  for (const r of model.reps) {
    const g = model.groups.get(r);
    const kind = g ? g.kind : raw.get(r).kind;
    if (!kinds.has(kind)) continue;
    if (g) { shown += g.members.length; grouped += g.members.length; groupCount += 1; } else shown += 1;
  }
  let rels_ = 0;
  for (const e of rawEdges.values()) {
    const a = raw.get(e.src); const b = raw.get(e.dst);
    if (a && b && rels.has(e.type) && kinds.has(a.kind) && kinds.has(b.kind)) rels_ += 1;
  }
  let text = fmt(S.graph_status, { nodes: shown, edges: rels_ });
  if (groupCount) text += ` ${fmt(S.graph_status_grouped, { n: grouped, groups: groupCount })}`;
  const cut = Array.from(more.values()).reduce((a, b) => a + b, 0);
  if (cut > 0) text += ` · ${fmt(S.graph_more, { n: cut })}`;
  return text;
}

function renderLegendCounts() {
  const counts = new Map();
  for (const n of raw.values()) counts.set(n.kind, (counts.get(n.kind) || 0) + 1);
  document.querySelectorAll("[data-count-kind]").forEach((el) => {
    const n = counts.get(el.dataset.countKind) || 0;
    el.textContent = n ? String(n) : "";
    el.closest("label").classList.toggle("legend-absent", n === 0);
  });
}

function restyle() {
  if (!network) return;
  const list = styledNodes();
  const hidden = new Set(list.filter((v) => v.hidden).map((v) => v.id));
  nodes.update(list.map((v) => { const { x, y, font, ...rest } = v; return { ...rest, font: { ...font, size: nodes.get(v.id)?.font?.size || font.size } }; }));
  edges.update(styledEdges(hidden));
  renderList();
}

// -- data -----------------------------------------------------------------------------------
function filterParams() {
  const params = new URLSearchParams();
  const kinds = Array.from(document.querySelectorAll('#filter-kinds input[name="kind"]'));
  const rels = Array.from(document.querySelectorAll('#filter-rels input[name="rel"]'));
  if (kinds.some((c) => !c.checked)) kinds.filter((c) => c.checked).forEach((c) => params.append("label", c.value));
  if (rels.some((c) => !c.checked)) rels.filter((c) => c.checked).forEach((c) => params.append("rel_type", c.value));
  if (cfg.as_of) params.set("as_of", cfg.as_of);
  return params;
}

async function fetchJson(url) {
  const resp = await fetch(url, { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await resp.json(); } catch (err) { body = null; }
  if (!resp.ok) {
    const msg = body ? body.message || (zh ? body.message_zh : body.message_en) || body.error : `HTTP ${resp.status}`;
    const error = new Error(msg);
    error.status = resp.status;
    error.body = body;
    throw error;
  }
  return body;
}

function remember(view) {
  for (const n of view.nodes) raw.set(n.uid, n);
  for (const e of view.edges) rawEdges.set(e.id, e);
  for (const [uid, m] of Object.entries(view.more || {})) {
    // An expanded node's count comes from its own neighbourhood; keep the smallest.
    more.set(uid, more.has(uid) ? Math.min(more.get(uid), m) : m);
  }
}

async function load(uid) {
  setStatus(S.loading);
  raw.clear(); rawEdges.clear(); more.clear(); expanded.clear(); openGroups.clear();
  const params = filterParams();
  params.set("depth", String(cfg.depth));
  params.set("limit", String(cfg.limit));
  try {
    const view = await fetchJson(`${cfg.api.neighbourhood}${encodeURIComponent(uid)}?${params}`);
    roots = [uid];
    expanded.add(uid);
    remember(view);
    if (layout === "hierarchical" && raw.size > LEVELS_MAX) setStatus(S.graph_layout_fallback);
    draw();
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
    remember(view);
    if (view.more && view.more[uid]) more.set(uid, view.more[uid]);
    selected = uid;
    draw([uid, ...view.nodes.map((n) => n.uid)]);
  } catch (err) {
    setStatus(fmt(S.graph_error, { reason: err.message }), true);
  }
}

function openGroup(groupId) {
  const g = model.groups.get(groupId);
  if (!g) return;
  openGroups.add(g.key);
  selected = null;
  draw([g.parent, ...g.members]);
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
    if (raw.size === 0) {
      if (cfg.layout === "auto") layout = "hierarchical";
      roots = [a];
    }
    remember(view);
    dimmed = raw.size > pathNodes.size;
    document.getElementById("path-clear").hidden = !dimmed;
    draw(Array.from(pathNodes));
    network.once("afterDrawing", () => setStatus(`${summary()} · ${fmt(S.graph_path_found, { from: raw.get(a)?.caption || a, to: raw.get(b)?.caption || b, n: view.paths.length })}`));
  } catch (err) {
    setStatus(fmt(S.graph_error, { reason: err.message }), true);
  }
}

function clearPath() {
  pathNodes.clear(); pathEdges.clear();
  dimmed = false;
  document.getElementById("path-clear").hidden = true;
  restyle();
  network.fit({ animation: false });
}

// -- selection, list, events -----------------------------------------------------------------
function button(text, onClick, testid) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  if (testid) b.dataset.testid = testid;
  b.addEventListener("click", onClick);
  return b;
}

function renderDetails(id) {
  detailsEl.replaceChildren();
  if (!id || !model) { const p = document.createElement("p"); p.className = "muted"; p.textContent = S.graph_select_hint; detailsEl.append(p); return; }
  const g = model.groups.get(id);
  const head = document.createElement("p");
  head.className = "selection-head";
  const actions = document.createElement("div");
  actions.className = "graph-toolbar";
  if (g) {
    head.textContent = fmt(S.graph_group, { name: groupName(g.kind, g.sub), n: g.members.length });
    const list = document.createElement("ul");
    list.className = "node-list scroll-panel";
    for (const u of g.members.slice(0, GROUP_LISTED)) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = pageOf(u);
      a.textContent = raw.get(u).caption;
      li.append(a);
      list.append(li);
    }
    actions.append(button(S.graph_open_group, () => openGroup(id), "open-group"));
    detailsEl.append(head, actions, list);
    setupMoreHint(list);
    if (g.members.length > GROUP_LISTED) {
      const rest = document.createElement("p");
      rest.className = "muted";
      rest.dataset.testid = "group-rest";
      rest.textContent = fmt(S.graph_more, { n: g.members.length - GROUP_LISTED });
      detailsEl.append(rest);
    }
    return;
  }
  const n = raw.get(id);
  head.textContent = `${kindName(n.kind)}${colon()}${n.caption}`;
  const dl = document.createElement("ul");
  dl.className = "selection-props";
  const lines = [...propLines(n), fmt(S.graph_neighbours, { n: model.degree(id) })];
  if (more.get(id)) lines.push(fmt(S.graph_more, { n: more.get(id) }));
  if (weakNodes.has(id)) lines.unshift(S.graph_weak_mark);
  for (const line of lines) { const li = document.createElement("li"); li.textContent = line; dl.append(li); }
  const open = document.createElement("a");
  open.className = "button";
  open.href = pageOf(id);
  open.textContent = S.graph_open_page;
  actions.append(
    button(S.graph_expand, () => expand(id), "expand-node"), open,
    button(S.graph_set_from, () => setPathEnd("path-from", n), "set-from"),
    button(S.graph_set_to, () => setPathEnd("path-to", n), "set-to"),
  );
  detailsEl.append(head, actions, dl);
}

function setPathEnd(inputId, n) {
  const input = document.getElementById(inputId);
  input.value = n.caption;
  input.dataset.uid = n.uid;
  input.dataset.caption = n.caption;
}

function select(id) {
  selected = id;
  if (network && nodes.get(id)) network.selectNodes([id]);
  renderDetails(id);
  window.dutygraph.selected = id;
}

function renderList() {
  listEl.replaceChildren();
  const kinds = visibleKinds();
  for (const r of model.reps) {
    const g = model.groups.get(r);
    const kind = g ? g.kind : raw.get(r).kind;
    if (!kinds.has(kind)) continue;
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.uid = r;
    if (g) {
      b.textContent = fmt(S.graph_group, { name: groupName(g.kind, g.sub), n: g.members.length });
    } else {
      const n = raw.get(r);
      const m = more.get(r) || 0;
      b.textContent = `${weakNodes.has(r) ? WEAK_MARK : ""}${kindName(n.kind)}${colon()}${n.caption}${m ? ` (+${m})` : ""}`;
    }
    b.addEventListener("click", () => { select(r); network.focus(r, { animation: false, scale: Math.max(network.getScale(), 0.8) }); });
    li.append(b);
    if (!g) {
      const link = document.createElement("a");
      link.href = pageOf(r);
      link.textContent = " ↗";
      link.setAttribute("aria-label", fmt(S.open_page_node, { name: raw.get(r).caption }));
      li.append(link);
    }
    listEl.append(li);
  }
}

function bindEvents() {
  network.on("click", (params) => {
    if (!params.nodes.length) return;
    const id = params.nodes[0];
    if (params.event && params.event.srcEvent && params.event.srcEvent.shiftKey && raw.has(id)) {
      pathPick = [...pathPick, id].slice(-2);
      if (pathPick[0]) setPathEnd("path-from", raw.get(pathPick[0]));
      if (pathPick[1]) setPathEnd("path-to", raw.get(pathPick[1]));
      return;
    }
    select(id);
  });
  network.on("doubleClick", (params) => {
    if (!params.nodes.length) return;
    const id = params.nodes[0];
    if (model.groups.has(id)) openGroup(id);
    else expand(id);
  });
  network.on("deselectNode", () => { selected = null; renderDetails(null); });
  // A white background so the exported PNG is readable.
  network.on("beforeDrawing", (ctx) => {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });
}

// -- measures (the benchmark and the tests read them) --------------------------------------
// Drawn node boxes that overlap another drawn box, and the label size of every hub on
// screen at the current zoom.
function measure() {
  const ids = nodes.getIds({ filter: (n) => !n.hidden });
  const boxes = ids.map((id) => ({ id, ...network.getBoundingBox(id) })).sort((a, b) => a.left - b.left);
  const overlapping = new Set();
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].left < a.right; j++) {
      const b = boxes[j];
      if (b.top < a.bottom && a.top < b.bottom) { overlapping.add(a.id); overlapping.add(b.id); }
    }
  }
  const scale = network.getScale();
  const hubs = Array.from(raw.keys()).filter((u) => model.degree(u) >= HUB);
  const px = hubs.map((u) => { const v = nodes.get(model.rep(u)); return v && !v.hidden ? v.font.size * scale : 0; });
  return {
    nodes: raw.size,
    drawn: ids.length,
    groups: model.groups.size,
    overlapping: overlapping.size,
    overlap_pct: ids.length ? (100 * overlapping.size) / ids.length : 0,
    hubs: hubs.length,
    hubs_labelled: px.filter((p) => p >= 10).length,
    min_hub_label_px: px.length ? Math.min(...px) : null,
    scale,
  };
}

// -- exports ----------------------------------------------------------------------------------
// What the downloads read of the page's state.
function state() {
  return { raw, rawEdges, weakNodes, weakPairs, S, zh, kindName, pairKey, network, nodes, edges, cfg, options, summary };
}
document.getElementById("export-png").addEventListener("click", async () => {
  const canvas = await exportPng(state());
  if (canvas) download(`${stem(cfg)}.png`, canvas.toDataURL("image/png"));
});
document.getElementById("export-csv").addEventListener("click", () => {
  const blob = new Blob([toCsv(state())], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  download(`${stem(cfg)}.csv`, url);
  setTimeout(() => URL.revokeObjectURL(url), 5000);
});
document.getElementById("graph-fit").addEventListener("click", () => network && network.fit({ animation: false }));
document.getElementById("filter-kinds").addEventListener("change", () => { if (model) draw(); });
document.getElementById("filter-rels").addEventListener("change", () => { if (model) { restyle(); setStatus(summary()); } });
document.getElementById("path-clear").addEventListener("click", clearPath);

// -- the path form: names or picked suggestions ---------------------------------------------
const choicesEl = document.getElementById("path-choices");
async function endOf(inputId) {
  const input = document.getElementById(inputId);
  const text = input.value.trim();
  if (!text) return null;
  if (input.dataset.uid && input.dataset.caption === text) return input.dataset.uid;
  const body = await fetchJson(`${cfg.api.resolve}?${new URLSearchParams({ q: text })}`);
  if (body.node) {
    setPathEnd(inputId, body.node);
    return body.node.uid;
  }
  choicesEl.hidden = false;
  const p = document.createElement("p");
  if (body.choices.length) {
    p.textContent = fmt(S.graph_name_choose, { text });
    const ul = document.createElement("ul");
    ul.className = "choices";
    for (const c of body.choices) {
      const li = document.createElement("li");
      li.append(button(`${c.caption} · ${kindName(c.label)} · ${c.id}`, () => { setPathEnd(inputId, c); choicesEl.hidden = true; choicesEl.replaceChildren(); }));
      ul.append(li);
    }
    choicesEl.replaceChildren(p, ul);
  } else {
    p.textContent = body.message;
    choicesEl.replaceChildren(p);
  }
  return undefined;
}

document.getElementById("path-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  choicesEl.hidden = true;
  choicesEl.replaceChildren();
  const a = await endOf("path-from");
  if (a === undefined) return;
  const b = await endOf("path-to");
  if (a && b) findPath(a, b);
});

// -- the sidebar can be folded away (tablets) -------------------------------------------------
const layoutEl = document.getElementById("graph-layout");
const toggle = document.getElementById("side-toggle");
function setSide(open) {
  layoutEl.classList.toggle("side-closed", !open);
  toggle.setAttribute("aria-expanded", String(open));
}
toggle.addEventListener("click", () => { setSide(layoutEl.classList.contains("side-closed")); if (network) setTimeout(() => network.fit({ animation: false }), 50); });
if (window.matchMedia("(max-width: 900px)").matches) setSide(false);

async function loadWeak() {
  if (!cfg.weak_url) return; // the user's role does not include the analysis
  try {
    const marks = await fetchJson(cfg.weak_url);
    marks.nodes.forEach((u) => weakNodes.add(u));
    marks.pairs.forEach(([a, b]) => weakPairs.add(pairKey(a, b)));
    window.dutygraph.weakLoaded = true;
    // A weak node's label gains its mark: lay the view out again with the longer labels.
    if (raw.size && Array.from(raw.keys()).some((u) => weakNodes.has(u))) draw(selected ? [selected] : null);
    else if (raw.size) restyle();
  } catch (err) {
    window.dutygraph.weakLoaded = false;
  }
}

window.dutygraph = {
  network: null, nodes, edges, raw, timing: [], load, expand, findPath, measure, select, openGroup,
  toCsv: () => toCsv(state()), exportPng: () => exportPng(state()), model: () => model,
};
document.body.dataset.stabilized = "false";
if (cfg.start && cfg.target) {
  roots = [cfg.start.uid];
  findPath(cfg.start.uid, cfg.target.uid).then(loadWeak);
} else if (cfg.start) {
  load(cfg.start.uid).then(loadWeak); // the analysis must not delay the first view
} else {
  loadWeak();
}
