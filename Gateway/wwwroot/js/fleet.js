// The fleet as the console knows it: one record per sign, updated from the dashboard socket.
// Changes only mark the store dirty; the page redraws at most once per animation frame.

export class Fleet {
  constructor() {
    this.signs = new Map();
    this.version = 0;
    this.listeners = [];
    this.scheduled = false;
  }

  /** Replaces every sign (the all_signs snapshot). */
  replaceAll(signs) {
    this.signs.clear();
    for (const sign of signs) this.signs.set(sign.id, sign);
    this.changed();
  }

  /** Adds or replaces one sign (sign_update, sign_connected, sign_disconnected, sign_offline). */
  upsert(sign) {
    if (!sign || !sign.id) return;
    this.signs.set(sign.id, sign);
    this.changed();
  }

  zones() {
    const zones = new Set();
    for (const sign of this.signs.values()) if (sign.zone) zones.add(sign.zone);
    return [...zones].sort();
  }

  /** Calls listener(fleet) once per animation frame after any number of changes. */
  onChange(listener) { this.listeners.push(listener); }

  changed() {
    this.version += 1;
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      for (const listener of this.listeners) listener(this);
    });
  }
}

/** What a sign shows now, in words. */
export function displayText(sign) {
  const d = sign.current_display;
  if (!d || d.kind === "idle") return "nothing (idle)";
  const label = d.kind === "override" ? "OVERRIDE" : d.kind;
  return d.text ? `${label}: ${d.text}` : label;
}

/** "12 s ago" style age of an ISO time, or "never". */
export function age(iso, now = Date.now()) {
  if (!iso) return "never";
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleString();
}
