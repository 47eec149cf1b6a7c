// The operator console: wires sign-in, the dashboard socket, the fleet map and table, acting, moderation and the city.

import { api, authMode, setToken, signIn, setUnauthorizedHandler, token } from "./api.js";
import { connectDashboard } from "./socket.js";
import { Fleet, age } from "./fleet.js";
import { FleetTable, syncOptions } from "./table.js";
import { FleetMap } from "./map.js";
import { City } from "./city.js";

const $ = (id) => document.getElementById(id);

const fleet = new Fleet();
const chosen = new Set();
const city = new City();
let socket = null;
let table, map;
const overrides = new Map();    // override_id -> {notice, report}
const submissions = new Map();  // id -> submission
let templates = [];

// ---------- errors, banners, sign-in ----------

function showError(e) {
  $("error-text").textContent = e && e.message ? e.message : String(e);
  $("error").hidden = false;
}
$("error-close").addEventListener("click", () => { $("error").hidden = true; });

function showSignIn() {
  if (socket) { socket.stop(); socket = null; }
  setToken(null);
  $("console").hidden = true;
  $("sign-in").hidden = false;
  $("sign-out").hidden = true;
  $("connection").textContent = "Not signed in";
  $("sign-in-form").username.focus();
}
setUnauthorizedHandler(showSignIn);

$("sign-in-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = e.target;
  $("sign-in-error").textContent = "";
  try {
    await signIn(form.username.value, form.password.value);
    form.password.value = "";
    $("sign-in").hidden = true;
    $("sign-out").hidden = false;
    start();
  } catch (err) {
    $("sign-in-error").textContent = err.message;
  }
});
$("sign-out").addEventListener("click", showSignIn);

async function boot() {
  let mode;
  try { mode = await authMode(); } catch (e) { showError(e); mode = "open"; }
  if (mode === "open") {
    $("open-banner").hidden = false;
    start();
  } else if (token()) {
    $("sign-out").hidden = false;
    start();
  } else {
    showSignIn();
  }
}

// ---------- live connection ----------

function start() {
  $("console").hidden = false;
  table = table ?? new FleetTable(fleet, chosen, updateChosen);
  if (!map) {
    map = new FleetMap($("map"), fleet, city);
    map.onAreaChange = updateArea;
    city.onChange = () => { map.schedule(); renderCity(); };
    fleet.onChange(() => { table.render(); map.schedule(); renderFleetState(); });
    wireAct();
  }
  loadTemplates();
  loadSubmissions();
  city.start(() => fleetCentre(), showError);
  if (socket) socket.stop();
  socket = connectDashboard({ onMessage, onState: renderConnection });
  table.render();
  map.schedule();
}

function renderConnection({ state, attempt, retryInSeconds }) {
  const el = $("connection");
  el.className = `connection ${state}`;
  if (state === "open") el.textContent = "Live: connected to the dashboard stream";
  else if (state === "connecting") el.textContent = attempt ? `Reconnecting (attempt ${attempt})…` : "Connecting…";
  else el.textContent = `Connection lost: reconnecting in ${retryInSeconds} s (attempt ${attempt}). The data shown may be out of date.`;
}

// An override changes what many signs show at once; the server sends one override event, not one sign_update per
// sign, so the page asks for the fleet again (at most once a second).
let fleetRefresh = null;
function refreshFleetSoon() {
  if (fleetRefresh) return;
  fleetRefresh = setTimeout(() => { fleetRefresh = null; socket?.send({ type: "get_all_signs" }); }, 300);
}

function onMessage(m) {
  switch (m.type) {
    case "all_signs":
      fleet.replaceAll(m.signs ?? []);
      trackOverridesShown();
      break;
    case "sign_update": case "sign_connected": case "sign_disconnected": case "sign_offline":
      fleet.upsert(m.sign);
      if (m.type !== "sign_update") activity(`${m.sign?.id}: ${m.type.replace("sign_", "")}`);
      break;
    case "message_sent":
      activity(`Message ${m.message?.message_id} sent to ${m.message?.recipients ?? "?"} signs: ${m.message?.text ?? ""}`);
      // A message to all or a zone reaches signs without a sign_update each: ask for the fleet again (at most once a second).
      refreshFleetSoon();
      break;
    case "message_ack":
      if (m.sign) fleet.upsert(m.sign);
      if (overrides.has(m.message?.message_id)) refreshOverride(m.message.message_id);
      break;
    case "override_activated": case "override_cancelled": {
      const o = m.override;
      if (!o) break;
      const known = overrides.get(o.override_id) ?? {};
      overrides.set(o.override_id, { ...known, notice: o });
      activity(`Override ${o.override_id} ${m.type === "override_activated" ? "activated" : o.status}: ${o.text ?? ""}`);
      refreshOverride(o.override_id);
      refreshFleetSoon();
      break;
    }
    case "new_submission":
      if (m.submission) { submissions.set(m.submission.id, m.submission); renderSubmissions(); }
      break;
    case "submission_approved": case "submission_rejected":
      if (m.submission) { submissions.delete(m.submission.id); renderSubmissions(); }
      break;
    case "collectible_dropped": case "collectible_claimed":
      city.collectible(m.type, m.collectible);
      break;
    case "error":
      showError(new Error(m.message ?? m.code));
      break;
  }
}

function renderFleetState() {
  $("no-signs").hidden = fleet.signs.size > 0;
  let online = 0;
  for (const s of fleet.signs.values()) if (s.status === "online") online++;
  $("summary").textContent = `${fleet.signs.size} signs · ${online} online · ${fleet.signs.size - online} offline`;
  const zones = fleet.zones();
  syncOptions($("act-zone"), zones, null);
  renderSubmissionZones(zones);
}

function fleetCentre() {
  let n = 0, lng = 0, lat = 0;
  for (const s of fleet.signs.values()) if (s.coordinates) { n++; lng += s.coordinates[0]; lat += s.coordinates[1]; }
  return n ? [lng / n, lat / n] : null;
}

function activity(text) {
  const li = document.createElement("li");
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  const list = $("activity");
  list.prepend(li);
  while (list.children.length > 50) list.lastChild.remove();
}

// ---------- act: messages and overrides ----------

function updateChosen() { $("chosen-count").textContent = String(chosen.size); }

function updateArea() {
  const a = map.area, d = map.drawing;
  $("area-info").textContent = a?.circle ? `circle of ${a.circle.radius_m} m`
    : a?.polygon ? `polygon of ${a.polygon.length - 1} points` : "none";
  $("draw-hint").textContent = d?.mode === "circle" ? (d.center ? "Click the edge of the circle." : "Click the centre of the circle.")
    : d?.mode === "polygon" ? `Click the corners (${d.points.length} so far), then Finish polygon or double-click.` : "";
  $("draw-finish").disabled = !(d?.mode === "polygon" && d.points.length >= 3);
  $("draw-clear").disabled = !a && !d;
  $("draw-circle").setAttribute("aria-pressed", String(d?.mode === "circle"));
  $("draw-polygon").setAttribute("aria-pressed", String(d?.mode === "polygon"));
  if (a) document.querySelector('input[name="target"][value="area"]').checked = true;
}

function wireAct() {
  $("draw-circle").addEventListener("click", () => map.startDrawing("circle"));
  $("draw-polygon").addEventListener("click", () => map.startDrawing("polygon"));
  $("draw-finish").addEventListener("click", () => map.finishPolygon());
  $("draw-clear").addEventListener("click", () => map.clearArea());
  $("act-template").addEventListener("change", renderVariables);
  $("send-message").addEventListener("click", () => act("message"));
  $("raise-override").addEventListener("click", () => act("override"));
}

async function loadTemplates() {
  try {
    templates = (await api("GET", "/api/templates")) ?? [];
    const select = $("act-template");
    const chosenTemplate = select.value;
    select.replaceChildren(new Option("none: plain text", ""), ...templates.map((t) => new Option(`${t.name} (${t.category})`, t.id)));
    select.value = chosenTemplate;
  } catch (e) { showError(e); }
}

function renderVariables() {
  const id = $("act-template").value;
  const box = $("act-variables");
  box.replaceChildren();
  $("act-text-label").hidden = !!id;
  $("act-preview").hidden = !id;
  if (!id) return;
  const template = templates.find((t) => t.id === id);
  for (const name of template?.placeholders ?? []) {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.dataset.variable = name;
    input.addEventListener("input", schedulePreview);
    label.append(`${name} `, input);
    box.appendChild(label);
  }
  schedulePreview();
}

let previewTimer = null;
function schedulePreview() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(preview, 200);
}

async function preview() {
  const id = $("act-template").value;
  if (!id) return;
  const variables = currentVariables();
  for (const [language, el] of [["en", $("preview-en")], ["es", $("preview-es")]]) {
    try {
      const rendered = await api("POST", `/api/templates/${encodeURIComponent(id)}/render`, { variables, language });
      el.textContent = rendered.text;
      el.classList.remove("missing");
    } catch (e) {
      el.textContent = e.message;
      el.classList.add("missing");
    }
  }
}

function currentVariables() {
  const variables = {};
  for (const input of $("act-variables").querySelectorAll("input[data-variable]")) variables[input.dataset.variable] = input.value;
  return variables;
}

function targetBody(kind) {
  const target = document.querySelector('input[name="target"]:checked').value;
  if (target === "all") return { all: true };
  if (target === "zone") {
    if (!$("act-zone").value) throw new Error("Choose a zone (no sign has a zone yet).");
    return { zone: $("act-zone").value };
  }
  if (target === "signs") {
    if (!chosen.size) throw new Error("Choose signs in the table first.");
    return { sign_ids: [...chosen] };
  }
  if (kind === "message") throw new Error("Messages go to signs, a zone or all; draw areas are for overrides.");
  if (!map.area) throw new Error("Draw a circle or polygon on the map first.");
  return { area: map.area };
}

async function act(kind) {
  $("act-result").textContent = "";
  let body;
  try {
    body = targetBody(kind);
    const id = $("act-template").value;
    if (id) { body.template_id = id; body.variables = currentVariables(); }
    else body.text = $("act-text").value;
    if (kind === "override") {
      body.severity = $("act-severity").value;
      if ($("act-headline").value.trim()) body.headline = $("act-headline").value.trim();
    }
  } catch (e) { showError(e); return; }
  try {
    if (kind === "message") {
      const report = await api("POST", "/api/messages", body);
      $("act-result").textContent = `Message ${report.message_id} sent to ${report.deliveries?.length ?? 0} signs.`;
    } else {
      const report = await api("POST", "/api/overrides", body);
      overrides.set(report.override_id, { notice: overrides.get(report.override_id)?.notice, report });
      $("act-result").textContent = `Override ${report.override_id} raised on ${report.covered} signs.`;
      renderOverrides();
      refreshOverride(report.override_id);
    }
  } catch (e) { showError(e); }
}

// Overrides already shown by signs when the console opens are tracked too.
function trackOverridesShown() {
  for (const s of fleet.signs.values()) {
    const d = s.current_display;
    if (d?.kind === "override" && d.id && !overrides.has(d.id)) { overrides.set(d.id, {}); refreshOverride(d.id); }
  }
}

const refreshing = new Map();
function refreshOverride(id) {
  // At most one request in flight per override, and one more queued behind it.
  const state = refreshing.get(id);
  if (state) { state.again = true; return; }
  const entry = { again: false };
  refreshing.set(id, entry);
  (async () => {
    do {
      entry.again = false;
      try {
        const report = await api("GET", `/api/overrides/${encodeURIComponent(id)}`);
        overrides.set(id, { ...overrides.get(id), report });
      } catch (e) { if (e.status !== 404) showError(e); }
      renderOverrides();
      await new Promise((r) => setTimeout(r, 250));
    } while (entry.again);
    refreshing.delete(id);
  })();
}

// Tallies also fill from polling, in case acks arrive while the socket is reconnecting.
setInterval(() => {
  for (const [id, o] of overrides) {
    if (o.report?.status === "active" && (o.report.acked < o.report.covered || o.report.unreachable?.length)) refreshOverride(id);
  }
}, 2000);

function renderOverrides() {
  const list = $("overrides");
  const items = [...overrides.entries()].reverse().map(([id, o]) => {
    const r = o.report, n = o.notice;
    const li = document.createElement("li");
    li.dataset.overrideId = id;
    const status = r?.status ?? n?.status ?? "…";
    li.className = `override ${status}`;
    const title = document.createElement("p");
    title.innerHTML = "";
    const strong = document.createElement("strong");
    strong.textContent = r?.headline ?? n?.headline ?? r?.text ?? n?.text ?? id;
    title.append(strong, ` · ${status} · ${id}`);
    li.appendChild(title);
    if (r) {
      const tally = document.createElement("p");
      tally.className = "tally";
      tally.textContent = `${r.acked} of ${r.covered} signs acknowledged`;
      const meter = document.createElement("progress");
      meter.max = Math.max(1, r.covered);
      meter.value = r.acked;
      meter.setAttribute("aria-label", `Acknowledgements for ${id}`);
      li.append(tally, meter);
      if (r.status === "active" && r.unreachable?.length) {
        const un = document.createElement("p");
        un.className = "unreachable";
        un.textContent = `Unreachable (${r.unreachable.length}): ${r.unreachable.slice(0, 50).join(", ")}${r.unreachable.length > 50 ? " …" : ""}`;
        li.appendChild(un);
      }
      const waiting = (r.not_acked ?? []).filter((s) => !(r.unreachable ?? []).includes(s));
      if (r.status === "active" && waiting.length) {
        const w = document.createElement("p");
        w.textContent = `Waiting for (${waiting.length}): ${waiting.slice(0, 50).join(", ")}${waiting.length > 50 ? " …" : ""}`;
        li.appendChild(w);
      }
    }
    if (status === "active") {
      const cancel = document.createElement("button");
      cancel.type = "button";
      cancel.className = "danger";
      cancel.textContent = "Cancel override";
      cancel.setAttribute("aria-label", `Cancel override ${id}`);
      cancel.addEventListener("click", async () => {
        try {
          const report = await api("DELETE", `/api/overrides/${encodeURIComponent(id)}`);
          overrides.set(id, { ...overrides.get(id), report });
          renderOverrides();
        } catch (e) { showError(e); }
      });
      li.appendChild(cancel);
    }
    return li;
  });
  list.replaceChildren(...items);
}

// ---------- moderation ----------

async function loadSubmissions() {
  try {
    const pending = (await api("GET", "/api/submissions?status=pending&limit=500")) ?? [];
    submissions.clear();
    for (const s of pending) submissions.set(s.id, s);
    renderSubmissions();
  } catch (e) { showError(e); }
}

function renderSubmissionZones(zones) {
  for (const select of document.querySelectorAll("select[data-approve-target]")) {
    const values = ["all"].concat(zones.map((z) => `zone:${z}`));
    const current = [...select.options].map((o) => o.value);
    if (current.length === values.length && current.every((v, i) => v === values[i])) continue;
    const chosenValue = select.value;
    select.replaceChildren(...values.map((v) => new Option(v === "all" ? "all signs" : `zone ${v.slice(5)}`, v)));
    if (values.includes(chosenValue)) select.value = chosenValue;
  }
}

function renderSubmissions() {
  $("no-submissions").hidden = submissions.size > 0;
  const items = [...submissions.values()].map((s) => {
    const li = document.createElement("li");
    li.dataset.submissionId = s.id;
    const text = document.createElement("p");
    const who = document.createElement("strong");
    who.textContent = s.name;
    text.append(who, `: ${s.text}`);
    const meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = `${s.source ?? "web"}${s.zone ? ` · prefers zone ${s.zone}` : ""} · ${age(s.created_at)}`;
    const label = document.createElement("label");
    const select = document.createElement("select");
    select.dataset.approveTarget = s.id;
    label.append("Show on ", select);
    const approve = document.createElement("button");
    approve.type = "button";
    approve.textContent = "Approve";
    approve.setAttribute("aria-label", `Approve the submission from ${s.name}`);
    approve.addEventListener("click", () => moderate(s.id, "approve", select.value));
    const reject = document.createElement("button");
    reject.type = "button";
    reject.className = "danger";
    reject.textContent = "Reject";
    reject.setAttribute("aria-label", `Reject the submission from ${s.name}`);
    reject.addEventListener("click", () => moderate(s.id, "reject"));
    li.append(text, meta, label, approve, " ", reject);
    return li;
  });
  $("submissions").replaceChildren(...items);
  renderSubmissionZones(fleet.zones());
  for (const select of document.querySelectorAll("select[data-approve-target]")) {
    const s = submissions.get(select.dataset.approveTarget);
    if (s?.zone && [...select.options].some((o) => o.value === `zone:${s.zone}`) && !select.dataset.touched) select.value = `zone:${s.zone}`;
    select.addEventListener("change", () => { select.dataset.touched = "1"; }, { once: true });
  }
}

async function moderate(id, action, target) {
  const body = action === "approve" ? (target?.startsWith("zone:") ? { zone: target.slice(5) } : { all: true }) : {};
  try {
    const result = await api("POST", `/api/submissions/${encodeURIComponent(id)}/${action}`, body);
    submissions.delete(id);
    renderSubmissions();
    activity(`Submission ${id} ${action === "approve" ? "approved" : "rejected"}${result?.message_id ? ` (message ${result.message_id})` : ""}`);
  } catch (e) { showError(e); }
}

// ---------- city ----------

function renderCity() {
  const events = [...city.events.values()];
  $("no-events").hidden = events.length > 0;
  $("events").replaceChildren(...events.map((e) => {
    const li = document.createElement("li");
    li.dataset.eventId = e.id;
    const n = e.participant_count ?? 0;
    li.textContent = `${e.title} · ${e.category ?? ""} · ${n} ${n === 1 ? "participant" : "participants"}`;
    return li;
  }));
  $("no-collectibles").hidden = city.feed.length > 0;
  $("collectibles").replaceChildren(...city.feed.map((f) => {
    const li = document.createElement("li");
    li.dataset.collectibleId = f.collectible.id;
    const event = city.events.get(f.collectible.event_id);
    const where = event ? event.title : f.collectible.event_id;
    li.textContent = f.type === "collectible_claimed"
      ? `${new Date(f.at).toLocaleTimeString()} claimed: ${f.collectible.name} (${f.collectible.rarity}) by ${f.collectible.claimed_by} at ${where}`
      : `${new Date(f.at).toLocaleTimeString()} dropped: ${f.collectible.name} (${f.collectible.rarity}) at ${where}`;
    return li;
  }));
}

boot();
