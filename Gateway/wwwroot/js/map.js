// The map: signs, zones (convex hulls), civic events, collectibles and the drawn override area on a canvas,
// projected from the coordinates themselves (no tiles). Redrawn at most once per animation frame.

const EARTH_RADIUS_M = 6371008.8;

export function haversineMeters([lng1, lat1], [lng2, lat2]) {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad, dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Andrew's monotone chain: the convex hull of [x, y] points, counter-clockwise. */
export function convexHull(points) {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const cross = (o, a, b) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower = [], upper = [];
  for (const q of p) { while (lower.length >= 2 && cross(lower.at(-2), lower.at(-1), q) <= 0) lower.pop(); lower.push(q); }
  for (const q of p.reverse()) { while (upper.length >= 2 && cross(upper.at(-2), upper.at(-1), q) <= 0) upper.pop(); upper.push(q); }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

function zoneColor(zone) {
  let h = 0;
  for (const c of zone) h = (h * 31 + c.charCodeAt(0)) % 360;
  return `hsl(${h} 60% 40%)`;
}

export class FleetMap {
  constructor(canvas, fleet, city) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.fleet = fleet;
    this.city = city;
    this.area = null;          // {circle:{center,radius_m}} or {polygon:[[lng,lat],...]}
    this.drawing = null;       // {mode:"circle", center?} or {mode:"polygon", points:[]}
    this.pointer = null;
    this.onAreaChange = () => {};
    this.scheduled = false;
    canvas.addEventListener("click", (e) => this.click(e));
    canvas.addEventListener("dblclick", () => this.finishPolygon());
    canvas.addEventListener("mousemove", (e) => { if (this.drawing) { this.pointer = this.toLngLat(e); this.schedule(); } });
    window.addEventListener("resize", () => this.schedule());
  }

  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => { this.scheduled = false; this.draw(); });
  }

  startDrawing(mode) {
    this.drawing = mode === "circle" ? { mode } : { mode, points: [] };
    this.area = null;
    this.onAreaChange();
    this.schedule();
  }

  clearArea() { this.drawing = null; this.area = null; this.onAreaChange(); this.schedule(); }

  finishPolygon() {
    if (!this.drawing || this.drawing.mode !== "polygon" || this.drawing.points.length < 3) return;
    const ring = this.drawing.points.map(round);
    ring.push(ring[0]);
    this.area = { polygon: ring };
    this.drawing = null;
    this.onAreaChange();
    this.schedule();
  }

  click(e) {
    if (!this.drawing || !this.projection) return;
    const point = this.toLngLat(e);
    if (this.drawing.mode === "circle") {
      if (!this.drawing.center) { this.drawing.center = point; }
      else {
        const radius = Math.max(1, Math.round(haversineMeters(this.drawing.center, point)));
        this.area = { circle: { center: round(this.drawing.center), radius_m: radius } };
        this.drawing = null;
      }
    } else {
      this.drawing.points.push(point);
    }
    this.onAreaChange();
    this.schedule();
  }

  toLngLat(e) {
    const rect = this.canvas.getBoundingClientRect();
    const x = (e.clientX - rect.left) * (this.canvas.width / rect.width);
    const y = (e.clientY - rect.top) * (this.canvas.height / rect.height);
    return this.projection.invert(x, y);
  }

  project() {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    const add = ([lng, lat]) => {
      minX = Math.min(minX, lng); maxX = Math.max(maxX, lng); minY = Math.min(minY, lat); maxY = Math.max(maxY, lat);
    };
    for (const s of this.fleet.signs.values()) if (s.coordinates) add(s.coordinates);
    for (const e of this.city.events.values()) if (e.coordinates) add(e.coordinates);
    if (minX === Infinity) return null;
    const k = Math.cos(((minY + maxY) / 2) * Math.PI / 180) || 1;
    const spanX = Math.max((maxX - minX) * k, 0.002), spanY = Math.max(maxY - minY, 0.002);
    const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
    const { width, height } = this.canvas;
    const pad = 40;
    const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
    return {
      point: ([lng, lat]) => [width / 2 + (lng - cx) * k * scale, height / 2 - (lat - cy) * scale],
      invert: (x, y) => [cx + (x - width / 2) / (k * scale), cy - (y - height / 2) / scale],
      metersToPixels: (m) => (m / 111320) * scale,
    };
  }

  draw() {
    const { ctx, canvas } = this;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = "#f4f6f8";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    const p = this.projection = this.project();
    if (!p) {
      ctx.fillStyle = "#555";
      ctx.font = "16px system-ui, sans-serif";
      ctx.fillText("No signs with coordinates yet.", 20, 30);
      this.canvas.setAttribute("aria-label", "Map: no signs with coordinates yet");
      return;
    }

    // Zones: convex hull (or a ring around one or two signs) per zone, labelled.
    const byZone = new Map();
    for (const s of this.fleet.signs.values()) {
      if (!s.coordinates || !s.zone) continue;
      if (!byZone.has(s.zone)) byZone.set(s.zone, []);
      byZone.get(s.zone).push(p.point(s.coordinates));
    }
    ctx.lineWidth = 1.5;
    ctx.font = "12px system-ui, sans-serif";
    for (const [zone, points] of byZone) {
      const color = zoneColor(zone);
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.setLineDash([6, 4]);
      const hull = convexHull(points);
      ctx.beginPath();
      if (hull.length >= 3) {
        hull.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
        ctx.closePath();
      } else {
        const [x, y] = hull[0];
        const [x2, y2] = hull.at(-1);
        ctx.ellipse((x + x2) / 2, (y + y2) / 2, Math.abs(x2 - x) / 2 + 14, Math.abs(y2 - y) / 2 + 14, 0, 0, Math.PI * 2);
      }
      ctx.stroke();
      ctx.setLineDash([]);
      const top = hull.reduce((a, b) => (b[1] < a[1] ? b : a));
      ctx.fillText(zone, top[0] + 4, top[1] - 8);
    }

    // Signs.
    let online = 0, offline = 0;
    for (const s of this.fleet.signs.values()) {
      if (!s.coordinates) continue;
      const [x, y] = p.point(s.coordinates);
      const isOnline = s.status === "online";
      if (isOnline) online++; else offline++;
      ctx.beginPath();
      ctx.arc(x, y, 4, 0, Math.PI * 2);
      ctx.fillStyle = isOnline ? "#1a7f37" : "#9aa0a6";
      ctx.fill();
      if (s.current_display?.kind === "override") { ctx.strokeStyle = "#c62828"; ctx.lineWidth = 2.5; ctx.stroke(); }
      else if (!isOnline) { ctx.strokeStyle = "#444"; ctx.lineWidth = 1; ctx.stroke(); }
    }

    // Civic events and their live collectibles.
    ctx.font = "12px system-ui, sans-serif";
    for (const e of this.city.events.values()) {
      if (!e.coordinates) continue;
      const [x, y] = p.point(e.coordinates);
      const n = e.participant_count ?? 0;
      ctx.beginPath();
      ctx.arc(x, y, 8 + Math.min(20, Math.sqrt(n) * 3), 0, Math.PI * 2);
      ctx.strokeStyle = "#6a1b9a";
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.fillStyle = "#6a1b9a";
      ctx.fillText(`${e.title} (${n})`, x + 12, y + 4);
      const drops = this.city.liveDrops(e.id);
      drops.forEach((c, i) => {
        const dx = x - 10 - i * 10, dy = y - 14;
        ctx.beginPath();
        ctx.moveTo(dx, dy - 5); ctx.lineTo(dx + 5, dy); ctx.lineTo(dx, dy + 5); ctx.lineTo(dx - 5, dy); ctx.closePath();
        ctx.fillStyle = c.rarity === "legendary" ? "#e65100" : c.rarity === "rare" ? "#1565c0" : "#f9a825";
        ctx.fill();
      });
    }

    // The override area (drawn or being drawn).
    ctx.strokeStyle = "#c62828";
    ctx.fillStyle = "rgba(198, 40, 40, 0.12)";
    ctx.lineWidth = 2;
    const area = this.area;
    if (area?.circle) {
      const [x, y] = p.point(area.circle.center);
      ctx.beginPath();
      ctx.arc(x, y, p.metersToPixels(area.circle.radius_m), 0, Math.PI * 2);
      ctx.fill(); ctx.stroke();
    } else if (area?.polygon) {
      ctx.beginPath();
      area.polygon.map(p.point).forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.closePath(); ctx.fill(); ctx.stroke();
    }
    const d = this.drawing;
    if (d?.mode === "circle" && d.center) {
      const [x, y] = p.point(d.center);
      const r = this.pointer ? p.metersToPixels(haversineMeters(d.center, this.pointer)) : 3;
      ctx.setLineDash([4, 4]); ctx.beginPath(); ctx.arc(x, y, r, 0, Math.PI * 2); ctx.stroke(); ctx.setLineDash([]);
    } else if (d?.mode === "polygon" && d.points.length) {
      ctx.setLineDash([4, 4]);
      ctx.beginPath();
      const pts = d.points.concat(this.pointer ? [this.pointer] : []).map(p.point);
      pts.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.stroke();
      ctx.setLineDash([]);
    }
    this.canvas.setAttribute("aria-label",
      `Map of ${online + offline} signs: ${online} online, ${offline} offline, in ${byZone.size} zones; ${this.city.events.size} civic events`);
  }
}

function round([lng, lat]) { return [Math.round(lng * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6]; }
