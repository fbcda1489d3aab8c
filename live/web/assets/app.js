// mkos web: the live model's page. It polls /api/snapshot, listens to
// /api/events for messages as they cross, posts controls to /api/control
// and talks to the console over /api/console (a WebSocket).
"use strict";

const $ = (id) => document.getElementById(id);
let snap = null;

// The transport. The page talks to `mkos web` over HTTP; a page that runs
// the simulator in the tab (the playground) sets window.mkosAPI to an
// object with the same four methods before this script runs.
const httpAPI = {
  async snapshot() {
    const r = await fetch("/api/snapshot", { cache: "no-store" });
    return r.json();
  },
  async control(cmd) {
    const r = await fetch("/api/control", { method: "POST", body: cmd });
    return (await r.text()).trim();
  },
  events(onBatch) {
    new EventSource("/api/events").onmessage = (m) => onBatch(JSON.parse(m.data));
  },
  // console connects to the console: onOutput gets the screen's text,
  // onClose its end; it returns the function that types.
  console(onOutput, onClose) {
    const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/console");
    ws.binaryType = "arraybuffer";
    const dec = new TextDecoder();
    ws.onmessage = (m) => onOutput(typeof m.data === "string" ? m.data : dec.decode(m.data, { stream: true }));
    ws.onclose = onClose;
    return (text) => { if (ws.readyState === WebSocket.OPEN) ws.send(text); };
  },
};
const api = window.mkosAPI || httpAPI;

function fmtNs(ns) {
  if (!ns) return "-";
  if (ns < 1e3) return ns + "ns";
  if (ns < 1e6) return (ns / 1e3).toFixed(1) + "µs";
  if (ns < 1e9) return (ns / 1e6).toFixed(1) + "ms";
  return (ns / 1e9).toFixed(2) + "s";
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

async function control(cmd) {
  $("status").textContent = await api.control(cmd);
}

function button(label, cmd) {
  const b = el("button", label);
  b.dataset.cmd = cmd;
  b.onclick = () => control(cmd);
  return b;
}

// --- the tables -----------------------------------------------------------

function renderHeader(s) {
  $("clock").textContent = "t=" + (s.now_ns / 1e9).toFixed(6) + "s";
  const st = $("state");
  st.textContent = s.ended ? "ended" : s.paused ? "paused" : "running";
  st.className = s.ended ? "ended" : s.paused ? "paused" : "";
  $("pause").textContent = s.paused ? "Resume" : "Pause";
  const speed = s.speed > 0 ? String(s.speed) : "max";
  const sel = $("speed");
  if (document.activeElement !== sel && [...sel.options].some((o) => o.value === speed)) sel.value = speed;
}

// syncRows updates a table's body in place, one row per item keyed by
// key(item): cells' texts change, rows and their buttons stay, so a click
// is never lost to a redraw.
function syncRows(body, items, key, cells, buttons, cls) {
  const rows = new Map([...body.rows].map((tr) => [tr.dataset.key, tr]));
  const keep = new Set();
  items.forEach((item, i) => {
    const k = key(item);
    keep.add(k);
    let tr = rows.get(k);
    if (!tr) {
      tr = el("tr");
      tr.dataset.key = k;
      for (let j = 0; j < cells(item).length; j++) tr.append(el("td"));
      const td = el("td");
      td.append(...buttons(item));
      tr.append(td);
    }
    cells(item).forEach((c, j) => {
      if (tr.cells[j].textContent !== String(c)) tr.cells[j].textContent = String(c);
    });
    tr.className = cls ? cls(item) : "";
    if (body.rows[i] !== tr) body.insertBefore(tr, body.rows[i] || null);
  });
  for (const [k, tr] of rows) if (!keep.has(k)) tr.remove();
}

function renderServices(s) {
  syncRows($("services").tBodies[0], s.services || [], (v) => v.name,
    (v) => [v.name, v.placement, v.state, (v.instances || []).length, v.per_sec.toFixed(1),
      fmtNs(v.p50_ns), fmtNs(v.p99_ns), v.errors, v.restarts],
    (v) => [button("crash", "crash " + v.name), button("hang", "hang " + v.name), button("restart", "restart " + v.name)],
    (v) => v.state);
}

// renderTopics lists the bus's topics that have subscribers, with what
// waits in their queues and what overflow dropped (a dropped count turns
// the row "dropped").
function renderTopics(s) {
  const topics = s.topics || [];
  syncRows($("topics").tBodies[0], topics, (tp) => tp.name,
    (tp) => [tp.name, tp.subscribers, tp.queued, tp.dropped], () => [],
    (tp) => (tp.dropped > 0 ? "dropped" : ""));
  $("no-topics").hidden = topics.length > 0;
}

function renderTasks(s) {
  syncRows($("tasks").tBodies[0], s.tasks || [], (t) => t.ep,
    (t) => [t.ep, t.name, t.state, t.waits_on || "", t.prio, fmtNs(t.ran_ns), t.cpu],
    (t) => [button("kill", "kill " + t.ep)]);
}

function renderCPUs(s) {
  const box = $("cpus");
  box.replaceChildren();
  for (const c of s.cpus || []) {
    box.append(el("div", "cpu" + c.id + " " + (100 * c.busy).toFixed(0) + "%  running " + (c.cur || "(idle)") +
      "  queue: " + (c.queue || []).join(" ")));
  }
  drawLanes(s);
}

function renderLog(s) {
  const ol = $("log");
  ol.replaceChildren();
  for (const l of (s.log || []).slice(-30)) {
    ol.append(el("li", (l.t_ns / 1e9).toFixed(6) + "s " + l.kind + " " + l.who + " " + l.detail, l.kind));
  }
}

// --- the CPU lanes: a scrolling timeline, one lane per CPU ---------------

const laneHistory = [];
function colour(name) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return "hsl(" + h + ",60%,55%)";
}
function drawLanes(s) {
  laneHistory.push((s.cpus || []).map((c) => c.cur));
  if (laneHistory.length > 300) laneHistory.shift();
  const cv = $("lanes"), g = cv.getContext("2d");
  const n = Math.max(1, (s.cpus || []).length), h = cv.height / n, w = 2;
  g.clearRect(0, 0, cv.width, cv.height);
  laneHistory.forEach((cols, x) => cols.forEach((cur, i) => {
    if (!cur) return;
    g.fillStyle = colour(cur);
    g.fillRect(x * w, i * h + 2, w, h - 4);
  }));
  g.fillStyle = "#fff";
  (s.cpus || []).forEach((c, i) => g.fillText("cpu" + c.id + " " + (c.cur || "idle"), 4, i * h + 12));
}

// --- the diagram: tasks on a circle, messages drawn as they cross ---------

const NS = "http://www.w3.org/2000/svg";
const pos = {};
function renderDiagram(s) {
  const svg = $("diagram");
  const tasks = s.tasks || [];
  const down = new Set((s.services || []).filter((v) => v.state !== "up").map((v) => v.name));
  svg.querySelectorAll(".node").forEach((n) => n.remove());
  const cx = 300, cy = 210, r = 170;
  tasks.forEach((t, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, tasks.length) - Math.PI / 2;
    const x = cx + r * Math.cos(a), y = cy + r * Math.sin(a);
    pos[t.name] = [x, y];
    const svc = (t.services || []).length > 0;
    const g = document.createElementNS(NS, "g");
    g.setAttribute("class", "node" + (svc ? " svc" : "") + (svc && t.services.some((n) => down.has(n)) ? " down" : ""));
    g.dataset.name = t.name;
    const rect = document.createElementNS(NS, "rect");
    rect.setAttribute("x", x - 40); rect.setAttribute("y", y - 11);
    rect.setAttribute("width", 80); rect.setAttribute("height", 22); rect.setAttribute("rx", 4);
    const text = document.createElementNS(NS, "text");
    text.setAttribute("x", x); text.setAttribute("y", y);
    text.textContent = t.name + " " + t.ep;
    g.append(rect, text);
    svg.append(g);
  });
  for (const v of s.services || []) {
    if (v.placement !== "kernel") continue;
    pos[v.name] = [cx, cy];
  }
}
function drawMessage(e) {
  const a = pos[e.from], b = pos[e.to];
  if (!a || !b) return;
  const line = document.createElementNS(NS, "line");
  line.setAttribute("class", "msg" + (e.errno ? " err" : ""));
  line.setAttribute("x1", a[0]); line.setAttribute("y1", a[1]);
  line.setAttribute("x2", b[0]); line.setAttribute("y2", b[1]);
  $("diagram").prepend(line);
  setTimeout(() => line.remove(), 600);
}

// --- the event stream --------------------------------------------------------

function listen() {
  api.events((b) => {
    const ol = $("ipc");
    for (const e of b.ipc || []) {
      drawMessage(e);
      let text = e.from + " → " + e.to + "." + e.op;
      if (e.failed) text += " → failed " + e.errno;
      else if (e.replied) text += " → reply " + e.errno;
      ol.append(el("li", text));
    }
    while (ol.children.length > 40) ol.firstChild.remove();
    ol.scrollTop = ol.scrollHeight;
  });
}

// --- the console: a WebSocket of keys in and screen out -------------------

function connectConsole() {
  const term = $("console");
  const type = api.console((text) => screenWrite(term, text), () => screenWrite(term, "\r\n[console closed]\r\n"));
  term.addEventListener("keydown", (ev) => {
    const k = keyBytes(ev);
    if (k === null) return;
    ev.preventDefault();
    type(k);
  });
  term.addEventListener("paste", (ev) => {
    ev.preventDefault();
    type(ev.clipboardData.getData("text").replace(/\n/g, "\r"));
  });
  term.focus();
}
function keyBytes(ev) {
  if (ev.ctrlKey && ev.key.length === 1) {
    const c = ev.key.toLowerCase().charCodeAt(0);
    if (c >= 97 && c <= 122) return String.fromCharCode(c - 96);
    return null;
  }
  switch (ev.key) {
    case "Enter": return "\r";
    case "Backspace": return "\x7f";
    case "Tab": return "\t";
    case "Escape": return "\x1b";
  }
  return ev.key.length === 1 && !ev.metaKey ? ev.key : null;
}
// screenWrite applies the few controls a line discipline sends: CR, LF,
// backspace (\b), and drops other escape sequences.
let line = "";
function screenWrite(term, text) {
  text = text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
  let done = term.dataset.done || "";
  for (const ch of text) {
    if (ch === "\n") { done += line + "\n"; line = ""; }
    else if (ch === "\r") { /* the line is redrawn from its start only by \b here */ }
    else if (ch === "\b") line = line.slice(0, -1);
    else if (ch === "\x07") { /* bell */ }
    else line += ch;
  }
  if (done.length > 65536) done = done.slice(-65536);
  term.dataset.done = done;
  term.textContent = done + line;
  term.scrollTop = term.scrollHeight;
}

// --- the loop -----------------------------------------------------------------

async function poll() {
  try {
    snap = await api.snapshot();
    if (snap) {
      renderHeader(snap); renderServices(snap); renderTopics(snap); renderTasks(snap); renderCPUs(snap); renderLog(snap); renderDiagram(snap);
    }
  } catch (e) {
    $("state").textContent = "disconnected";
  }
  setTimeout(poll, 250);
}

$("pause").onclick = () => control(snap && snap.paused ? "resume" : "pause");
$("step").onclick = () => control("step");
$("speed").onchange = (ev) => control("speed " + ev.target.value);
$("console").onclick = () => $("console").focus();
connectConsole();
listen();
poll();
