// Behaviour shared by every inspector page: instant search suggestions (an ARIA
// combobox fed by the server's HTML fragment) for the search box and the name fields,
// sortable tables, printing (every panel expanded) and "+N more" hints on scroll panels.
// Plain ES module, no build step, nothing loaded from outside the server.

const DEBOUNCE_MS = 150;

const AS_OF = document.body.dataset.asOf || "";

// Catalogue texts are printf style: %(name)s / %(name)d placeholders, %% a percent sign.
export function fmt(text, params) {
  return text.replace(/%\((\w+)\)[sd]|%%/g, (m, k) => (k ? String(params[k] ?? "") : "%"));
}

// A name field ("fill" mode) keeps the name it shows and submits the uid of the node
// picked from the suggestions; a name typed without picking is resolved by the server.
function setupNameField(input) {
  const form = input.form;
  if (!form) return;
  input.addEventListener("input", () => { delete input.dataset.uid; delete input.dataset.caption; });
  form.addEventListener("submit", () => {
    if (input.name && input.dataset.uid && input.dataset.caption === input.value.trim()) {
      const hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = input.name;
      hidden.value = input.dataset.uid;
      input.removeAttribute("name");
      form.append(hidden);
    }
  });
}

export function setupSuggest(input, onPick) {
  const list = document.getElementById(input.getAttribute("aria-controls"));
  const url = input.dataset.suggestUrl;
  if (!list || !url) return;
  const fill = input.dataset.suggestMode === "fill";
  let timer = 0;
  let seq = 0;
  let active = -1;

  const options = () => Array.from(list.querySelectorAll('li[role="option"]:not([aria-disabled])'));
  const close = () => {
    // A suggestion still on its way must not open the list again.
    clearTimeout(timer);
    seq += 1;
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (i) => {
    const opts = options();
    opts.forEach((o, j) => o.setAttribute("aria-selected", String(j === i)));
    active = i;
    if (i >= 0 && opts[i]) {
      input.setAttribute("aria-activedescendant", opts[i].id);
      opts[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };
  const go = (li) => {
    if (!li) return;
    if (fill && li.dataset.uid) {
      input.value = li.dataset.caption;
      input.dataset.uid = li.dataset.uid;
      input.dataset.caption = li.dataset.caption;
      close();
      if (onPick) onPick(li.dataset.uid, li.dataset.caption);
      return;
    }
    if (li.dataset.href) window.location.assign(li.dataset.href);
  };

  async function fetchSuggestions() {
    const q = input.value.trim();
    if (!q) { close(); return; }
    const mine = ++seq;
    try {
      const params = new URLSearchParams({ q });
      if (fill) params.set("mode", "fill");
      if (input.dataset.suggestKind) params.set("kind", input.dataset.suggestKind);
      if (AS_OF) params.set("as_of", AS_OF);
      const resp = await fetch(`${url}?${params}`, { headers: { Accept: "text/html" } });
      if (!resp.ok || mine !== seq) return;
      const html = await resp.text();
      if (mine !== seq) return;
      list.innerHTML = html;
      // Ids must be unique per page (two search boxes on the home page).
      list.querySelectorAll('li[role="option"]').forEach((li, i) => { li.id = `${list.id}-${i}`; });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    } catch (err) {
      close();
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, DEBOUNCE_MS);
  });
  input.addEventListener("keydown", (ev) => {
    const opts = options();
    if (ev.key === "ArrowDown" && !list.hidden && opts.length) {
      ev.preventDefault();
      highlight((active + 1) % opts.length);
    } else if (ev.key === "ArrowUp" && !list.hidden && opts.length) {
      ev.preventDefault();
      highlight(active <= 0 ? opts.length - 1 : active - 1);
    } else if (ev.key === "Enter" && active >= 0 && opts[active]) {
      ev.preventDefault();
      go(opts[active]);
    } else if (ev.key === "Escape") {
      close();
    }
  });
  list.addEventListener("mousedown", (ev) => {
    const li = ev.target.closest('li[role="option"]');
    if (li) { ev.preventDefault(); go(li); }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
}

function cellValue(row, index, type) {
  const cell = row.cells[index];
  if (!cell) return "";
  const raw = cell.dataset.value ?? cell.textContent.trim();
  if (type === "number" || type === "rank") {
    const n = parseFloat(raw);
    return Number.isNaN(n) ? -Infinity : n;
  }
  return raw;
}

function setupSortable(table) {
  const headers = Array.from(table.querySelectorAll("thead th[data-sort]"));
  const collator = new Intl.Collator(document.documentElement.lang || "zh-CN", { numeric: true });
  headers.forEach((th, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.append(...th.childNodes);
    th.append(button);
    button.addEventListener("click", () => {
      const type = th.dataset.sort;
      const asc = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach((h) => h.setAttribute("aria-sort", "none"));
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        const x = cellValue(a, index, type);
        const y = cellValue(b, index, type);
        const c = typeof x === "number" ? x - y : collator.compare(x, y);
        return asc ? c : -c;
      });
      body.append(...rows);
    });
  });
}

// Parts of a page that take longer (the weak-link analysis) arrive as HTML fragments.
async function loadFragment(el) {
  try {
    const resp = await fetch(el.dataset.fragment, { headers: { Accept: "text/html" } });
    if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
    el.innerHTML = await resp.text();
    el.querySelectorAll("table.sortable").forEach(setupSortable);
  } catch (err) {
    const p = document.createElement("p");
    p.className = "graph-error";
    p.textContent = el.dataset.error || String(err);
    el.replaceChildren(p);
  } finally {
    el.setAttribute("aria-busy", "false");
    el.dataset.loaded = "true";
  }
}

// -- printing ------------------------------------------------------------------------------
// A printout shows everything: collapsed details open and scroll panels at full height
// (restored afterwards). The print stylesheet hides the chrome and adds the header.
const reopen = [];
function beforePrint() {
  document.querySelectorAll("details:not([open])").forEach((d) => { d.open = true; reopen.push(d); });
  document.body.classList.add("printing");
}
function afterPrint() {
  while (reopen.length) reopen.pop().open = false;
  document.body.classList.remove("printing");
}
window.addEventListener("beforeprint", beforePrint);
window.addEventListener("afterprint", afterPrint);
document.querySelectorAll("[data-print]").forEach((b) => b.addEventListener("click", () => window.print()));

// -- "+N more" on scroll panels -------------------------------------------------------------
// A panel that scrolls says how many of its items are below the fold; the hint expands it.
// Panels filled or shown later (the graph's node list, its folded sidebar) are counted
// again when their items change or their size does.
export function setupMoreHint(panel) {
  const template = document.body.dataset.moreText || "+%(n)s";
  const hint = document.createElement("button");
  hint.type = "button";
  hint.className = "more-hint";
  hint.dataset.testid = "more-hint";
  hint.hidden = true;
  panel.after(hint);
  const update = () => {
    // A panel not drawn (its sidebar folded away) has no fold to count below.
    if (!panel.getClientRects().length) { hint.hidden = true; return; }
    const bottom = panel.getBoundingClientRect().bottom;
    const hidden = Array.from(panel.children).filter((li) => li.getClientRects().length && li.getBoundingClientRect().top >= bottom - 4).length;
    hint.hidden = hidden === 0 || panel.classList.contains("expanded");
    hint.textContent = fmt(template, { n: hidden });
  };
  let pending = false;
  const later = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; update(); });
  };
  hint.addEventListener("click", () => { panel.classList.add("expanded"); update(); });
  panel.addEventListener("scroll", later, { passive: true });
  window.addEventListener("resize", later);
  new MutationObserver(later).observe(panel, { childList: true });
  new ResizeObserver(later).observe(panel);
  update();
}

document.querySelectorAll("input[data-suggest-url]").forEach((input) => setupSuggest(input));
document.querySelectorAll('input[data-suggest-mode="fill"]').forEach(setupNameField);
document.querySelectorAll("table.sortable").forEach(setupSortable);
document.querySelectorAll("[data-fragment]").forEach(loadFragment);
document.querySelectorAll(".scroll-panel").forEach(setupMoreHint);
