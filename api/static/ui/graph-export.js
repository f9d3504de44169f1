// Downloads made in the browser from the graph page's current view: the relationships as
// CSV (headers in the page's language, cells never formulas) and a picture for print — A4
// landscape at 300 dpi, the view drawn again at that size with its title, date, counts and
// legend (not a copy of the screen).

/* global vis */
import { fmt } from "./ui.js";

const PNG = { width: 3508, height: 2480, margin: 90, header: 230, legend: 620 };

export function download(name, href) {
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

// The relationships of the current view (every node, grouped or not), one row each, with
// headers in the page's language. ``g``: the page's state (see graph.js).
export function toCsv(g) {
  const { raw, rawEdges, weakNodes, weakPairs, S, zh, kindName, pairKey } = g;
  const head = [S.csv_src, S.csv_src_kind, S.csv_src_name, S.csv_rel, S.csv_type, S.csv_dst, S.csv_dst_kind, S.csv_dst_name, S.csv_weak];
  const rows = [head];
  const linked = new Set();
  for (const e of rawEdges.values()) {
    const a = raw.get(e.src); const b = raw.get(e.dst);
    if (!a || !b) continue;
    linked.add(a.uid); linked.add(b.uid);
    rows.push([a.id, kindName(a.kind), a.caption, zh ? e.label_zh : e.label_en, e.type, b.id, kindName(b.kind), b.caption,
      weakPairs.has(pairKey(e.src, e.dst)) ? "1" : ""]);
  }
  for (const n of raw.values()) if (!linked.has(n.uid)) rows.push([n.id, kindName(n.kind), n.caption, "", "", "", "", "", weakNodes.has(n.uid) ? "1" : ""]);
  // BOM so spreadsheet programs read the Chinese as UTF-8.
  return "\ufeff" + rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

export function stem(cfg) { return `dutygraph-${(cfg.start && cfg.start.id) || "graph"}`.replace(/[^\w\u4e00-\u9fff-]+/g, "_"); }

function drawSymbol(ctx, shape, color, x, y, r) {
  ctx.fillStyle = color;
  ctx.strokeStyle = "#2c3e50";
  ctx.lineWidth = 2;
  ctx.beginPath();
  if (shape === "box" || shape === "square") ctx.rect(x - r, y - r * (shape === "box" ? 0.65 : 1), 2 * r, shape === "box" ? 1.3 * r : 2 * r);
  else if (shape === "ellipse") ctx.ellipse(x, y, r, r * 0.65, 0, 0, 2 * Math.PI);
  else if (shape === "diamond") { ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath(); }
  else if (shape === "triangle") { ctx.moveTo(x, y - r); ctx.lineTo(x + r, y + r * 0.8); ctx.lineTo(x - r, y + r * 0.8); ctx.closePath(); }
  else if (shape === "hexagon") { for (let i = 0; i < 6; i++) { const a = (Math.PI / 3) * i; ctx[i ? "lineTo" : "moveTo"](x + r * Math.cos(a), y + r * Math.sin(a)); } ctx.closePath(); }
  else if (shape === "star") { for (let i = 0; i < 10; i++) { const a = -Math.PI / 2 + (Math.PI / 5) * i; const rr = i % 2 ? r * 0.45 : r; ctx[i ? "lineTo" : "moveTo"](x + rr * Math.cos(a), y + rr * Math.sin(a)); } ctx.closePath(); }
  else ctx.arc(x, y, r * 0.8, 0, 2 * Math.PI);
  ctx.fill();
  ctx.stroke();
}

// A picture for print: A4 landscape at 300 dpi, the view drawn again at that size (not a
// copy of the screen), with the title, the date, the counts and the legend.
export function exportPng(g) {
  const { network, nodes, edges, cfg, options, summary } = g;
  const S = cfg.strings;
  if (!network) return Promise.resolve(null);
  const P = PNG;
  const cw = P.width - P.legend - 3 * P.margin;
  const ch = P.height - P.header - 2 * P.margin;
  const holder = document.createElement("div");
  holder.style.position = "fixed";
  holder.style.left = "-20000px";
  holder.style.top = "0";
  holder.style.width = `${cw}px`;
  holder.style.height = `${ch}px`;
  document.body.append(holder);
  const positions = network.getPositions();
  const copyNodes = new vis.DataSet(nodes.get({ filter: (n) => !n.hidden }).map((n) => ({ ...n, x: positions[n.id].x, y: positions[n.id].y, level: undefined })));
  const copyEdges = new vis.DataSet(edges.get({ filter: (e) => !e.hidden }));
  const opts = options();
  delete opts.layout.hierarchical;
  opts.interaction = { dragNodes: false, hover: false };
  const net = new vis.Network(holder, { nodes: copyNodes, edges: copyEdges }, opts);
  net.on("beforeDrawing", (ctx) => { ctx.save(); ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height); ctx.restore(); });
  return new Promise((resolve) => {
    net.once("afterDrawing", () => {
      // Fit without vis-network's limit on zooming in: the picture fills the page.
      let minX = Infinity; let maxX = -Infinity; let minY = Infinity; let maxY = -Infinity;
      for (const id of copyNodes.getIds()) {
        const b = net.getBoundingBox(id);
        minX = Math.min(minX, b.left); maxX = Math.max(maxX, b.right); minY = Math.min(minY, b.top); maxY = Math.max(maxY, b.bottom);
      }
      const scale = 0.96 * Math.min(cw / (maxX - minX || 1), ch / (maxY - minY || 1));
      net.moveTo({ position: { x: (minX + maxX) / 2, y: (minY + maxY) / 2 }, scale, animation: false });
      net.once("afterDrawing", () => {
        const out = document.createElement("canvas");
        out.width = P.width;
        out.height = P.height;
        const ctx = out.getContext("2d");
        ctx.fillStyle = "#fff";
        ctx.fillRect(0, 0, out.width, out.height);
        ctx.fillStyle = "#1d2329";
        ctx.textBaseline = "top";
        ctx.font = `bold 72px ${cfg.font}`;
        ctx.fillText(cfg.title || "", P.margin, P.margin);
        ctx.font = `40px ${cfg.font}`;
        ctx.fillStyle = "#444";
        const today = new Date().toISOString().slice(0, 10);
        ctx.fillText(`${fmt(S.graph_png_title, { date: cfg.as_of || today, exported: today })} · ${summary().replace(/ · \d+ ms$/, "")}`, P.margin, P.margin + 100);
        ctx.strokeStyle = "#1d2329";
        ctx.lineWidth = 3;
        ctx.beginPath(); ctx.moveTo(P.margin, P.header); ctx.lineTo(P.width - P.margin, P.header); ctx.stroke();
        ctx.drawImage(holder.querySelector("canvas"), P.margin, P.header + P.margin, cw, ch);
        // The legend: the kinds in the picture, the weak-link, group and path marks.
        const lx = P.width - P.legend - P.margin;
        let ly = P.header + P.margin;
        ctx.fillStyle = "#1d2329";
        ctx.font = `bold 44px ${cfg.font}`;
        ctx.fillText(S.graph_legend, lx, ly);
        ly += 80;
        ctx.font = `36px ${cfg.font}`;
        const kinds = new Set(copyNodes.get().map((n) => n.kind));
        for (const [kind, st] of Object.entries(cfg.nodeStyles)) {
          if (!kinds.has(kind)) continue;
          drawSymbol(ctx, st.shape, st.color, lx + 24, ly + 20, 20);
          ctx.fillStyle = "#1d2329";
          ctx.fillText(st.kind_label, lx + 70, ly);
          ly += 64;
        }
        const mark = (color, dash, width, text) => {
          ctx.save(); ctx.strokeStyle = color; ctx.lineWidth = width; ctx.setLineDash(dash);
          ctx.beginPath(); ctx.moveTo(lx, ly + 20); ctx.lineTo(lx + 50, ly + 20); ctx.stroke(); ctx.restore();
          ctx.fillStyle = "#1d2329"; ctx.fillText(text, lx + 70, ly); ly += 64;
        };
        mark(cfg.weakColor, [14, 8], 8, S.graph_weak_mark);
        mark("#111", [], 10, S.graph_path_legend);
        ctx.save(); ctx.setLineDash([10, 6]); ctx.strokeStyle = "#444"; ctx.lineWidth = 4; ctx.strokeRect(lx + 2, ly + 4, 46, 32); ctx.restore();
        ctx.fillStyle = "#1d2329"; ctx.fillText(S.graph_group_legend, lx + 70, ly);
        ctx.font = `30px ${cfg.font}`;
        ctx.fillStyle = "#666";
        ctx.fillText(S.graph_png_footer, P.margin, P.height - P.margin + 10);
        net.destroy();
        holder.remove();
        resolve(out);
      });
      net.redraw();
    });
  });
}
