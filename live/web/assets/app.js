// mkos web: the live model's page. It polls /api/snapshot, listens to
// /api/events for messages as they cross, posts controls to /api/control
// and talks to the console over /api/console (a WebSocket).
"use strict";

const $ = (id) => document.getElementById(id);
let snap = null;

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
  const r = await fetch("/api/control", { method: "POST", body: cmd });
  $("status").textContent = (await r.text()).trim();
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
}

function renderServices(s) {
  const body = $("services").tBodies[0];
  body.replaceChildren();
  for (const v of s.services || []) {
    const tr = el("tr", undefined, v.state);
    tr.dataset.service = v.name;
    for (const c of [v.name, v.placement, v.state, (v.instances || []).length, v.per_sec.toFixed(1),
      fmtNs(v.p50_ns), fmtNs(v.p99_ns), v.errors, v.restarts]) tr.append(el("td", String(c)));
    const td = el("td");
    td.append(button("crash", "crash " + v.name), button("hang", "hang " + v.name), button("restart", "restart " + v.name));
    tr.append(td);
    body.append(tr);
  }
}

function renderTasks(s) {
  const body = $("tasks").tBodies[0];
  body.replaceChildren();
  for (const t of s.tasks || []) {
    const tr = el("tr");
    for (const c of [t.ep, t.name, t.state, t.waits_on || "", t.prio, fmtNs(t.ran_ns), t.cpu]) tr.append(el("td", String(c)));
    const td = el("td");
    td.append(button("kill", "kill " + t.ep));
    tr.append(td);
    body.append(tr);
  }
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
  const es = new EventSource("/api/events");
  es.onmessage = (m) => {
    const b = JSON.parse(m.data);
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
  };
}

// --- the console: a WebSocket of keys in and screen out -------------------

let ws = null;
function connectConsole() {
  const term = $("console");
  ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/console");
  ws.binaryType = "arraybuffer";
  const dec = new TextDecoder();
  ws.onmessage = (m) => {
    const text = typeof m.data === "string" ? m.data : dec.decode(m.data, { stream: true });
    screenWrite(term, text);
  };
  ws.onclose = () => screenWrite(term, "\r\n[console closed]\r\n");
  term.addEventListener("keydown", (ev) => {
    const k = keyBytes(ev);
    if (k === null) return;
    ev.preventDefault();
    if (ws.readyState === WebSocket.OPEN) ws.send(k);
  });
  term.addEventListener("paste", (ev) => {
    ev.preventDefault();
    ws.send(ev.clipboardData.getData("text").replace(/\n/g, "\r"));
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
    const r = await fetch("/api/snapshot", { cache: "no-store" });
    snap = await r.json();
    if (snap) {
      renderHeader(snap); renderServices(snap); renderTasks(snap); renderCPUs(snap); renderLog(snap); renderDiagram(snap);
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
