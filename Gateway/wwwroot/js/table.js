// The fleet table: filtered, sorted, paginated (only one page of rows is ever in the DOM).

import { displayText, age } from "./fleet.js";

const PAGE_SIZE = 100;

const sorters = {
  id: (s) => s.id,
  zone: (s) => s.zone ?? "",
  status: (s) => s.status,
  battery: (s) => s.battery ?? -1,
  signal_strength: (s) => s.signal_strength ?? -999,
  crowd_count: (s) => s.crowd_count ?? -1,
  display: (s) => displayText(s),
  last_seen: (s) => s.last_seen ?? "",
};

export class FleetTable {
  constructor(fleet, chosen, onChosenChange) {
    this.fleet = fleet;
    this.chosen = chosen;
    this.onChosenChange = onChosenChange;
    this.sortKey = "id";
    this.sortDir = 1;
    this.page = 0;
    this.body = document.getElementById("fleet-rows");
    this.filterText = document.getElementById("filter-text");
    this.filterStatus = document.getElementById("filter-status");
    this.filterZone = document.getElementById("filter-zone");
    this.count = document.getElementById("fleet-count");
    this.pageInfo = document.getElementById("page-info");
    this.prev = document.getElementById("page-prev");
    this.next = document.getElementById("page-next");
    this.rows = [];

    for (const th of document.querySelectorAll("#fleet-table th[data-sort]")) {
      th.querySelector("button").addEventListener("click", () => {
        const key = th.dataset.sort;
        this.sortDir = this.sortKey === key ? -this.sortDir : 1;
        this.sortKey = key;
        this.render();
      });
    }
    for (const input of [this.filterText, this.filterStatus, this.filterZone]) {
      input.addEventListener("input", () => { this.page = 0; this.render(); });
    }
    this.prev.addEventListener("click", () => { this.page = Math.max(0, this.page - 1); this.render(); });
    this.next.addEventListener("click", () => { this.page += 1; this.render(); });
    document.getElementById("select-page").addEventListener("change", (e) => {
      for (const sign of this.rows) { if (e.target.checked) this.chosen.add(sign.id); else this.chosen.delete(sign.id); }
      this.onChosenChange();
      this.render();
    });
    this.body.addEventListener("change", (e) => {
      const id = e.target.dataset.signId;
      if (!id) return;
      if (e.target.checked) this.chosen.add(id); else this.chosen.delete(id);
      this.onChosenChange();
    });
    // Ages ("12 s ago") move on even when nothing arrives.
    setInterval(() => this.render(), 5000);
  }

  filtered() {
    const text = this.filterText.value.trim().toLowerCase();
    const status = this.filterStatus.value;
    const zone = this.filterZone.value;
    const out = [];
    for (const s of this.fleet.signs.values()) {
      if (status && s.status !== status) continue;
      if (zone && s.zone !== zone) continue;
      if (text && !(s.id.toLowerCase().includes(text) || (s.name ?? "").toLowerCase().includes(text) || (s.zone ?? "").toLowerCase().includes(text))) continue;
      out.push(s);
    }
    const key = sorters[this.sortKey];
    const dir = this.sortDir;
    out.sort((a, b) => {
      const x = key(a), y = key(b);
      if (x < y) return -dir;
      if (x > y) return dir;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    return out;
  }

  render() {
    const zones = this.fleet.zones();
    syncOptions(this.filterZone, zones, "any");
    const all = this.filtered();
    const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
    this.page = Math.min(this.page, pages - 1);
    this.rows = all.slice(this.page * PAGE_SIZE, (this.page + 1) * PAGE_SIZE);
    const now = Date.now();
    const fragment = document.createDocumentFragment();
    for (const s of this.rows) fragment.appendChild(this.row(s, now));
    this.body.replaceChildren(fragment);
    this.count.textContent = `${all.length} of ${this.fleet.signs.size} signs`;
    this.pageInfo.textContent = `Page ${this.page + 1} of ${pages}`;
    this.prev.disabled = this.page === 0;
    this.next.disabled = this.page >= pages - 1;
    for (const th of document.querySelectorAll("#fleet-table th[data-sort]")) {
      th.setAttribute("aria-sort", th.dataset.sort === this.sortKey ? (this.sortDir > 0 ? "ascending" : "descending") : "none");
    }
  }

  row(s, now) {
    const tr = document.createElement("tr");
    tr.dataset.signId = s.id;
    tr.className = s.status;
    const choose = document.createElement("input");
    choose.type = "checkbox";
    choose.dataset.signId = s.id;
    choose.checked = this.chosen.has(s.id);
    choose.setAttribute("aria-label", `Choose ${s.id}`);
    tr.appendChild(cell(choose));
    const name = document.createElement("span");
    name.append(s.id);
    if (s.name && s.name !== s.id) {
      const small = document.createElement("small");
      small.textContent = s.name;
      name.append(document.createElement("br"), small);
    }
    tr.appendChild(cell(name, "sign"));
    tr.appendChild(cell(s.zone ?? "—", "zone"));
    const badge = document.createElement("span");
    badge.className = `badge ${s.status}`;
    badge.textContent = s.status;
    const status = document.createElement("span");
    status.append(badge, " ", s.connected ? "socket open" : "no socket");
    tr.appendChild(cell(status, "status"));
    tr.appendChild(cell(s.battery == null ? "—" : `${s.battery}%`, "battery", s.battery != null && s.battery < 20 ? "low" : ""));
    tr.appendChild(cell(s.signal_strength == null ? "—" : `${s.signal_strength} dBm`, "signal"));
    const crowd = s.crowd_density == null && s.crowd_count == null ? "—"
      : `${s.crowd_density ?? "?"} · ${s.crowd_count ?? "?"}`;
    tr.appendChild(cell(crowd, "crowd", s.crowd_density === "critical" || s.crowd_density === "high" ? s.crowd_density : ""));
    tr.appendChild(cell(displayText(s), "display", s.current_display?.kind === "override" ? "override" : ""));
    const seen = cell(age(s.last_seen, now), "last-seen");
    if (s.last_seen) seen.title = s.last_seen;
    tr.appendChild(seen);
    return tr;
  }
}

function cell(content, name, extra) {
  const td = document.createElement("td");
  if (name) td.dataset.col = name;
  if (extra) td.classList.add(extra);
  if (content instanceof Node) td.appendChild(content); else td.textContent = content;
  return td;
}

/** Keeps a select's options equal to values (after a first "any"/placeholder option), preserving the choice. */
export function syncOptions(select, values, first) {
  const wanted = (first === null ? [] : [""]).concat(values);
  const current = [...select.options].map((o) => o.value);
  if (current.length === wanted.length && current.every((v, i) => v === wanted[i])) return;
  const chosen = select.value;
  select.replaceChildren(...wanted.map((v) => {
    const option = document.createElement("option");
    option.value = v;
    option.textContent = v === "" ? first : v;
    return option;
  }));
  if (wanted.includes(chosen)) select.value = chosen;
}
