// Where the graph's nodes go: a layered tree of nested shelves (the default) or rings by
// depth, computed from the view's tree (graph.js builds it) and the size vis-network will
// give each node, so that nothing overlaps and parents stay above their children. Pure
// functions of their arguments: no DOM, no network.

// Shapes that draw their label inside (the others draw it below).
export const INSIDE_LABEL = new Set(["box", "ellipse", "circle", "database", "text"]);
// Room between neighbours and between the layers of the tree (canvas units).
const GAP_X = 10;
const GAP_Y = 22;

export function textWidth(text, size) {
  let w = 0;
  // CJK and symbols (！, ×) are about one em wide in the CJK fonts, Latin letters less.
  for (const ch of text) w += ch.codePointAt(0) >= 0x2000 ? size : size * 0.62;
  return w;
}

// The size vis-network gives a node (label inside the box and ellipse shapes, below the
// others), in canvas units: the layout leaves room for it.
export function boxOf(v) {
  const fs = v.font.size;
  const lines = String(v.label).split("\n");
  // 6% more than the estimate: a box drawn wider than planned would touch its neighbour.
  const tw = 1.06 * Math.max(...lines.map((l) => textWidth(l, fs)));
  const th = lines.length * fs * 1.15;
  if (v.shape === "ellipse") return { w: tw + th + 24, h: 2 * (th + 10) };
  if (INSIDE_LABEL.has(v.shape)) return { w: tw + 14, h: th + 14 };
  const s = 2 * v.size + 4;
  return { w: Math.max(s, tw + 4), h: s + 1.25 * th + 8 };
}

// A layered tree of nested shelves: each node on top of the block of its children, the
// children's blocks packed in rows below it; the start node's block is shaped like the
// canvas. Parents stay above their children, so the tree reads as a tree.
export function treePositions(model, visById, aspect) {
  const kids = new Map();
  const tops = [];
  const rank = (id) => { const v = visById.get(id); return `${v.group_of ? 1 : 0}|${v.kind}|${v.label}`; };
  for (const r of model.reps) {
    const p = model.parentRep.get(r);
    if (p === undefined || !visById.has(p)) { tops.push(r); continue; }
    if (!kids.has(p)) kids.set(p, []);
    kids.get(p).push(r);
  }
  for (const list of kids.values()) list.sort((a, b) => (rank(a) < rank(b) ? -1 : 1));
  const box = new Map(model.reps.map((r) => [r, boxOf(visById.get(r))]));
  const block = new Map();
  const pack = (items, target) => {
    const rows = [];
    let row = null;
    for (const c of items) {
      const b = block.get(c);
      if (!row || (row.w + GAP_X + b.w > target && row.items.length)) { row = { items: [], w: -GAP_X, h: 0 }; rows.push(row); }
      row.items.push(c);
      row.w += GAP_X + b.w;
      row.h = Math.max(row.h, b.h);
    }
    return rows;
  };
  const measure = (r, shape) => {
    const own = box.get(r);
    const list = kids.get(r) || [];
    for (const c of list) measure(c, 1.6);
    if (!list.length) { block.set(r, { w: own.w, h: own.h, rows: [] }); return; }
    const area = list.reduce((a, c) => a + (block.get(c).w + GAP_X) * (block.get(c).h + GAP_Y), 0);
    const widest = Math.max(...list.map((c) => block.get(c).w));
    const target = Math.max(own.w, widest, Math.sqrt(area * shape));
    const rows = pack(list, target);
    const w = Math.max(own.w, ...rows.map((x) => x.w));
    const h = own.h + GAP_Y + rows.reduce((a, x) => a + x.h, 0) + GAP_Y * (rows.length - 1);
    block.set(r, { w, h, rows });
  };
  const fitPack = (items, cw, ch) => {
    // The row width whose packing fills a cw × ch box best (the top of the tree).
    const widest = Math.max(...items.map((c) => block.get(c).w));
    const total = items.reduce((a, c) => a + block.get(c).w + GAP_X, 0);
    let bestRows = null; let bestScore = -1;
    for (let i = 0; i <= 24; i++) {
      const target = widest + ((total - widest) * i) / 24;
      const rows = pack(items, target);
      const w = Math.max(...rows.map((x) => x.w));
      const h = rows.reduce((a, x) => a + x.h, 0) + GAP_Y * (rows.length - 1);
      const score = Math.min(cw / w, ch / h);
      if (score > bestScore) { bestScore = score; bestRows = rows; }
    }
    return bestRows;
  };
  const measureTop = (r) => {
    const own = box.get(r);
    const list = kids.get(r) || [];
    for (const c of list) measure(c, 1.6);
    if (!list.length) { block.set(r, { w: own.w, h: own.h, rows: [] }); return; }
    // Tallest first within each kind: shelves waste less height.
    list.sort((a, b) => (visById.get(a).kind === visById.get(b).kind ? block.get(b).h - block.get(a).h : 0));
    const rows = fitPack(list, aspect, 1);
    const w = Math.max(own.w, ...rows.map((x) => x.w));
    const h = own.h + GAP_Y + rows.reduce((a, x) => a + x.h, 0) + GAP_Y * (rows.length - 1);
    block.set(r, { w, h, rows });
  };
  if (tops.length === 1) measureTop(tops[0]);
  else for (const t of tops) measure(t, aspect);
  const pos = new Map();
  const place = (r, x, y) => {
    const b = block.get(r);
    const own = box.get(r);
    pos.set(r, { x: x + b.w / 2, y: y + own.h / 2 });
    let cy = y + own.h + GAP_Y;
    for (const row of b.rows) {
      let cx = x + (b.w - row.w) / 2;
      for (const c of row.items) {
        place(c, cx, cy);
        cx += block.get(c).w + GAP_X;
      }
      cy += row.h + GAP_Y;
    }
  };
  // Several trees (nodes not linked to the start): side by side, in rows.
  const area = tops.reduce((a, t) => a + (block.get(t).w + GAP_X) * (block.get(t).h + GAP_Y), 0);
  const rows = pack(tops, Math.max(...tops.map((t) => block.get(t).w), Math.sqrt(area * aspect)));
  let y = 0;
  for (const row of rows) {
    let x = -row.w / 2;
    for (const t of row.items) { place(t, x, y); x += block.get(t).w + GAP_X; }
    y += row.h + GAP_Y * 2;
  }
  return { pos, box };
}

// Rings by depth, each node inside the angular sector of its parent, sized by the leaves
// below it.
export function ringPositions(model, visById) {
  const depthOf = (r) => { const g = model.groups.get(r); return g ? model.tree.depth.get(g.members[0]) : model.tree.depth.get(r); };
  const kids = new Map();
  const tops = [];
  for (const r of model.reps) {
    const p = model.parentRep.get(r);
    if (p === undefined) { tops.push(r); continue; }
    if (!kids.has(p)) kids.set(p, []);
    kids.get(p).push(r);
  }
  const weight = new Map();
  const w = (r) => {
    if (!weight.has(r)) weight.set(r, Math.max(1, (kids.get(r) || []).reduce((a, c) => a + w(c), 0)));
    return weight.get(r);
  };
  const box = new Map(model.reps.map((r) => [r, boxOf(visById.get(r))]));
  const byDepth = new Map();
  for (const r of model.reps) { const d = depthOf(r) || 0; byDepth.set(d, (byDepth.get(d) || 0) + box.get(r).w + GAP_X); }
  const radius = new Map();
  let rad = 0;
  for (const d of Array.from(byDepth.keys()).sort((a, b) => a - b)) {
    if (d === 0 && tops.length === 1) { radius.set(0, 0); continue; }
    rad = Math.max(rad + 200, byDepth.get(d) / (2 * Math.PI));
    radius.set(d, rad);
  }
  const pos = new Map();
  const place = (r, from, to) => {
    const a = (from + to) / 2;
    const rr = radius.get(depthOf(r) || 0) || 0;
    pos.set(r, { x: rr * Math.cos(a), y: rr * Math.sin(a) });
    const list = kids.get(r) || [];
    const total = list.reduce((acc, c) => acc + w(c), 0);
    let start = from;
    for (const c of list) { const span = ((to - from) * w(c)) / total; place(c, start, start + span); start += span; }
  };
  const total = tops.reduce((a, t) => a + w(t), 0);
  let start = 0;
  for (const t of tops) { const span = (2 * Math.PI * w(t)) / total; place(t, start, start + span); start += span; }
  return { pos, box };
}
