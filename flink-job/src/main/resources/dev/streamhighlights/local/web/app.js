// The highlights page: plain DOM and SVG, no libraries. Everything that comes from the database
// goes into the page as text nodes or attribute values, never as HTML.
"use strict";

const POLL_MS = 3000;
const CHANNEL_POLL_MS = 5000;
const PAGE = 50;
const MAX_SHOWN = 500;
const BEFORE_MS = 5 * 60 * 1000;
const AFTER_MS = 3 * 60 * 1000;
const PERIODS = { "1h": 3600e3, "6h": 6 * 3600e3, "24h": 24 * 3600e3, "7d": 7 * 86400e3, "30d": 30 * 86400e3 };
const RANGES = [["15m", 15], ["1h", 60], ["3h", 180], ["6h", 360], ["24h", 1440]];
const SVG_NS = "http://www.w3.org/2000/svg";

const state = { route: null, shown: PAGE, generation: 0, timer: null, knownIds: null, busy: false };

// ---------- DOM helpers (text only) ----------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  for (const c of children) {
    if (c == null || c === false) continue;
    node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  for (const c of children) {
    if (c == null) continue;
    node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return node;
}

function setAttrs(node, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === "on") {
      for (const [event, fn] of Object.entries(v)) node.addEventListener(event, fn);
    } else {
      node.setAttribute(k, String(v));
    }
  }
}

function tooltip(text) {
  return svg("title", {}, text);
}

// ---------- formatting ----------

const dateTime = new Intl.DateTimeFormat(undefined, {
  weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit",
});
const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const clockSeconds = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

function fmtTime(ms) {
  return typeof ms === "number" ? dateTime.format(new Date(ms)) : "unknown time";
}

function ago(ms) {
  if (typeof ms !== "number") return "";
  const s = Math.round((Date.now() - ms) / 1000);
  if (s < 0) return "in the future";
  if (s < 60) return "just now";
  if (s < 3600) return Math.floor(s / 60) + " min ago";
  if (s < 86400) return Math.floor(s / 3600) + " h ago";
  const d = Math.floor(s / 86400);
  return d + (d === 1 ? " day ago" : " days ago");
}

function num(x, digits) {
  return typeof x === "number" && isFinite(x) ? x.toFixed(digits) : "?";
}

// ---------- routing ----------

function parseRoute() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const q = hash.indexOf("?");
  const path = q < 0 ? hash : hash.slice(0, q);
  const params = new URLSearchParams(q < 0 ? "" : hash.slice(q + 1));
  if (path.startsWith("/channel/")) {
    let channel;
    try {
      channel = decodeURIComponent(path.slice("/channel/".length));
    } catch (e) {
      channel = path.slice("/channel/".length);
    }
    return { view: "channel", channel, range: params.get("range") || "1h" };
  }
  return {
    view: path === "/top" ? "top" : "newest",
    channel: params.get("channel") || "",
    period: params.get("period") || (path === "/top" ? "24h" : "all"),
    from: params.get("from") || "",
    to: params.get("to") || "",
  };
}

function listHash(view, channel, period, from, to) {
  const p = new URLSearchParams();
  if (channel) p.set("channel", channel);
  if (period !== (view === "top" ? "24h" : "all")) p.set("period", period);
  if (period === "custom") {
    if (from) p.set("from", from);
    if (to) p.set("to", to);
  }
  const qs = p.toString();
  return "#" + (view === "top" ? "/top" : "/") + (qs ? "?" + qs : "");
}

function channelHash(channel, range) {
  return "#/channel/" + encodeURIComponent(channel) + (range && range !== "1h" ? "?range=" + range : "");
}

// ---------- API ----------

async function api(path) {
  let response;
  try {
    response = await fetch(path, { headers: { Accept: "application/json" } });
  } catch (e) {
    throw new Error("the page's server is not reachable");
  }
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    // not JSON: reported below
  }
  if (!response.ok) throw new Error((body && body.error) || "HTTP " + response.status);
  return body;
}

function setLive(ok, text) {
  const live = document.getElementById("live");
  live.className = "live " + (ok ? "on" : "down");
  live.textContent = text;
}

function showNotice(text, kind) {
  const notice = document.getElementById("notice");
  notice.hidden = !text;
  notice.className = "notice" + (kind ? " " + kind : "");
  notice.textContent = text || "";
}

// ---------- charts ----------

/** A small bar chart of the 10 s counts around a highlight, its surge window marked. */
function momentChart(h, activity) {
  const W = 360, H = 96, top = 14, bottom = 16, left = 2, right = 2;
  const from = activity.from, to = activity.to;
  const wm = activity.windowMillis || (h.windowEnd - h.windowStart) || 10000;
  const windows = activity.windows || [];
  let max = 1;
  for (const w of windows) max = Math.max(max, w[1]);
  if (typeof h.movingAverage === "number") max = Math.max(max, h.movingAverage);
  max *= 1.12;
  const x = (t) => left + ((t - from) / (to - from)) * (W - left - right);
  const y = (c) => H - bottom - (c / max) * (H - top - bottom);
  const root = svg("svg", { class: "chart moment", viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": "messages per 10 seconds around the moment" });
  root.appendChild(svg("rect", { class: "bg", x: 0, y: 0, width: W, height: H - bottom + 2, rx: 4 }));
  const sx = x(h.windowStart), ex = x(h.windowEnd);
  root.appendChild(svg("rect", { class: "surge", x: sx, y: 0, width: Math.max(2, ex - sx), height: H - bottom + 2 },
    tooltip("surge window " + clockSeconds.format(new Date(h.windowStart)) + "–" + clockSeconds.format(new Date(h.windowEnd)))));
  let peak = null;
  for (const [start, count, partial] of windows) {
    const inSurge = start >= h.windowStart && start < h.windowEnd;
    const bx = x(start), bw = Math.max(1, x(start + wm) - bx - 1);
    const cls = "bar" + (inSurge ? " in-surge" : "") + (partial ? " partial" : "");
    root.appendChild(svg("rect", { class: cls, x: bx + 0.5, y: y(count), width: bw, height: Math.max(0.5, y(0) - y(count)) },
      tooltip(clockSeconds.format(new Date(start)) + " · " + count + " messages" + (partial ? " (watch started: may be short)" : ""))));
    if (inSurge) peak = { x: bx + bw / 2, y: y(count), count };
  }
  if (typeof h.movingAverage === "number") {
    const ay = y(h.movingAverage);
    root.appendChild(svg("line", { class: "avg", x1: left, x2: W - right, y1: ay, y2: ay },
      tooltip("moving average " + num(h.movingAverage, 1))));
  }
  if (peak) {
    root.appendChild(svg("text", { class: "axis", x: Math.min(W - 14, peak.x), y: Math.max(10, peak.y - 3), "text-anchor": "middle" }, String(peak.count)));
  }
  root.appendChild(svg("text", { class: "axis", x: left, y: H - 3 }, "−" + Math.round((h.windowStart - from) / 60000) + " min"));
  root.appendChild(svg("text", { class: "axis", x: (sx + ex) / 2, y: H - 3, "text-anchor": "middle" }, clock.format(new Date(h.windowStart))));
  root.appendChild(svg("text", { class: "axis", x: W - right, y: H - 3, "text-anchor": "end" }, "+" + Math.round((to - h.windowEnd) / 60000) + " min"));
  return root;
}

const NICE_TICKS = [60e3, 5 * 60e3, 10 * 60e3, 15 * 60e3, 30 * 60e3, 3600e3, 2 * 3600e3, 3 * 3600e3, 6 * 3600e3];

/** A channel's activity as an area, its highlights as markers on it. */
function channelChart(activity, highlights, onMarker) {
  const W = 1100, H = 250, top = 16, bottom = 22, left = 36, right = 8;
  const from = activity.from, to = activity.to;
  const wm = activity.windowMillis || 10000;
  const counts = new Map();
  let max = 1;
  for (const [start, count] of activity.windows) {
    counts.set(start, count);
    max = Math.max(max, count);
  }
  max *= 1.1;
  const x = (t) => left + ((t - from) / (to - from)) * (W - left - right);
  const y = (c) => H - bottom - (c / max) * (H - top - bottom);
  const root = svg("svg", { class: "chart channel-chart", viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": "messages per 10 seconds" });
  root.appendChild(svg("rect", { class: "bg", x: left, y: top - 6, width: W - left - right, height: H - top - bottom + 6, rx: 4 }));
  const step = niceStep(max / 4);
  for (let v = step; v < max; v += step) {
    root.appendChild(svg("line", { class: "grid", x1: left, x2: W - right, y1: y(v), y2: y(v) }));
    root.appendChild(svg("text", { class: "axis", x: left - 5, y: y(v) + 3, "text-anchor": "end" }, String(v)));
  }
  const tick = NICE_TICKS.find((t) => (to - from) / t <= 8) || 12 * 3600e3;
  for (let t = Math.ceil(from / tick) * tick; t < to; t += tick) {
    root.appendChild(svg("line", { class: "grid", x1: x(t), x2: x(t), y1: top - 6, y2: H - bottom }));
    // A label too close to an edge would be cut off.
    if (x(t) > left + 24 && x(t) < W - right - 24) {
      root.appendChild(svg("text", { class: "axis", x: x(t), y: H - 6, "text-anchor": "middle" }, clock.format(new Date(t))));
    }
  }
  // Windows without messages are not stored: between stored ones the count is 0. Before the first
  // stored window the job may not have watched: nothing is drawn there.
  const start = activity.windows.length ? Math.max(from, activity.windows[0][0]) : to;
  let d = "M" + x(start).toFixed(1) + "," + y(0).toFixed(1);
  const first = Math.floor(start / wm) * wm;
  for (let t = first; t < to; t += wm) {
    const c = counts.get(t) || 0;
    const x0 = Math.max(x(start), x(t)), x1 = Math.min(x(to), x(t + wm));
    d += "L" + x0.toFixed(1) + "," + y(c).toFixed(1) + "L" + x1.toFixed(1) + "," + y(c).toFixed(1);
  }
  d += "L" + x(to).toFixed(1) + "," + y(0).toFixed(1) + "Z";
  root.appendChild(svg("path", { class: "area", d }));
  for (const h of highlights) {
    if (h.windowStart < from || h.windowStart >= to) continue;
    const mx = x(h.windowStart + (h.windowEnd - h.windowStart) / 2);
    const my = y(Math.min(max, typeof h.count === "number" ? h.count : 0));
    root.appendChild(svg("line", { class: "marker", x1: mx, x2: mx, y1: my, y2: H - bottom }));
    root.appendChild(svg("circle", { class: "marker-dot", cx: mx, cy: my, r: 5.5, on: { click: () => onMarker(h) } },
      tooltip(fmtTime(h.detectedAt) + " · " + h.count + " msgs (avg " + num(h.movingAverage, 1) + ", score " + num(h.score, 1) + ")")));
  }
  return root;
}

function niceStep(raw) {
  const p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

// Curves load when their card scrolls into view: the first view asks only for what it shows.
const chartObserver = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (!entry.isIntersecting) continue;
    chartObserver.unobserve(entry.target);
    loadMomentChart(entry.target);
  }
}, { rootMargin: "200px" });

async function loadMomentChart(box) {
  const h = box._highlight;
  if (typeof h.windowStart !== "number" || typeof h.windowEnd !== "number" || h.channel == null) {
    box.replaceChildren(el("div", { class: "chart-empty" }, "no window stored for this highlight"));
    return;
  }
  const params = new URLSearchParams({ channel: h.channel, from: h.windowStart - BEFORE_MS, to: h.windowEnd + AFTER_MS });
  try {
    const activity = await api("/api/activity?" + params);
    box.replaceChildren(activity.windows.length
      ? momentChart(h, activity)
      : el("div", { class: "chart-empty" }, "no chat activity stored around this moment"));
    performance.mark("curve");
  } catch (e) {
    box.replaceChildren(el("div", { class: "chart-empty" }, "curve not available: " + e.message));
  }
}

// ---------- cards ----------

function safeUrl(url) {
  if (typeof url !== "string") return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch (e) {
    return null;
  }
}

function clipPart(h) {
  const clip = h.clip && typeof h.clip === "object" ? h.clip : {};
  const status = typeof clip.status === "string" ? clip.status : "unknown";
  const part = el("div", { class: "clip" }, el("span", { class: "status " + status.replace(/[^a-z-]/g, "") }, status.replace(/-/g, " ")));
  const url = safeUrl(clip.url);
  const twitchEmbed = url && new URL(url).hostname === "clips.twitch.tv" && /^[A-Za-z0-9_-]{1,100}$/.test(clip.id || "");
  if (twitchEmbed) {
    const play = el("button", { type: "button", class: "primary play", on: { click: () => {
      // Twitch's player loads only when asked: the page itself needs nothing from the internet.
      const src = "https://clips.twitch.tv/embed?clip=" + encodeURIComponent(clip.id) + "&parent=" + encodeURIComponent(location.hostname) + "&autoplay=true";
      part.after(el("iframe", { class: "player", src, allowfullscreen: "", title: "Twitch clip" }));
      play.remove();
    } } }, "▶ Play clip");
    part.appendChild(play);
  }
  if (url) {
    part.appendChild(el("a", { href: url, target: "_blank", rel: "noopener noreferrer", class: "clip-link" }, twitchEmbed ? "Open on Twitch ↗" : "Open clip ↗"));
  } else if (clip.error) {
    part.appendChild(el("span", { class: "error", title: String(clip.error) }, String(clip.error)));
  } else if (status !== "created") {
    part.appendChild(el("span", { class: "error" }, "no clip"));
  }
  return part;
}

function card(h, rank) {
  const ratio = typeof h.count === "number" && typeof h.movingAverage === "number" && h.movingAverage > 0
    ? (h.count / h.movingAverage).toFixed(1) + "×" : null;
  const seconds = typeof h.windowEnd === "number" ? Math.round((h.windowEnd - h.windowStart) / 1000) : 10;
  const channel = h.channel == null ? "(no channel)" : String(h.channel);
  const agoNode = el("span", { class: "ago" }, ago(h.detectedAt));
  agoNode._t = h.detectedAt;
  const box = el("div", { class: "chart-box" }, el("div", { class: "chart-empty" }, "loading curve…"));
  box._highlight = h;
  const node = el("article", { class: "card" },
    el("div", { class: "card-head" },
      rank ? el("span", { class: "rank" }, "#" + rank) : null,
      el("div", { class: "who" },
        el("a", { class: "channel", href: channelHash(channel), title: channel }, channel),
        el("div", { class: "when" }, el("time", { datetime: typeof h.detectedAt === "number" ? new Date(h.detectedAt).toISOString() : null }, fmtTime(h.detectedAt)), " · ", agoNode)),
      el("div", { class: "score", title: "how far above the channel's usual chat the window was" }, el("strong", {}, num(h.score, 1)), el("span", {}, "score"))),
    box,
    el("div", { class: "why" },
      el("span", { class: "count" }, String(h.count) + " msgs / " + seconds + " s"),
      el("span", { class: "vs" }, "vs average " + num(h.movingAverage, 1)),
      ratio ? el("span", { class: "times" }, ratio) : null),
    el("div", { class: "tags" },
      el("span", { class: "tag", title: "the surge rule that fired" }, String(h.rule) + " rule"),
      el("span", { class: "tag" }, h.surges === 1 ? "1 surge window" : String(h.surges) + " surge windows"),
      typeof h.clipSeconds === "number" ? el("span", { class: "tag" }, h.clipSeconds + " s clip") : null),
    clipPart(h));
  node._id = h.id;
  chartObserver.observe(box);
  return node;
}

/** Shows `list` in `container`, keeping the cards that did not change (and their curves). */
function renderCards(container, list, ranked, markFresh) {
  const existing = new Map();
  for (const c of container.children) existing.set(c._key, c);
  const wanted = list.map((h, i) => {
    const key = (ranked ? i + ":" : "") + JSON.stringify(h);
    let node = existing.get(key);
    if (node) {
      existing.delete(key);
    } else {
      node = card(h, ranked ? i + 1 : null);
      node._key = key;
      if (markFresh && !markFresh.has(h.id)) node.classList.add("fresh");
    }
    return node;
  });
  for (const node of existing.values()) node.remove();
  let ref = container.firstChild;
  for (const node of wanted) {
    if (node === ref) ref = ref.nextSibling;
    else container.insertBefore(node, ref);
  }
  for (const agoNode of container.querySelectorAll(".ago")) agoNode.textContent = ago(agoNode._t);
}

// ---------- views ----------

function periodRange(route) {
  if (route.period === "custom") {
    const from = route.from ? new Date(route.from).getTime() : NaN;
    const to = route.to ? new Date(route.to).getTime() : NaN;
    return { from: isFinite(from) ? from : null, to: isFinite(to) ? to : null };
  }
  const span = PERIODS[route.period];
  return { from: span ? Date.now() - span : null, to: null };
}

function periodLabel(route) {
  if (route.period === "custom") return "in the chosen period";
  const option = document.querySelector(`#period option[value="${route.period in PERIODS ? route.period : "all"}"]`);
  return option ? option.textContent : "";
}

function renderListView(route) {
  const view = document.getElementById("view");
  const top = route.view === "top";
  const heading = el("div", { class: "heading" },
    el("h1", {}, top ? "Top moments" : "Newest highlights"),
    el("span", { class: "sub" }, (top ? "by score, " : "") + periodLabel(route) + (route.channel ? " · channel " + route.channel : "")));
  const cards = el("div", { class: "cards", id: "cards" });
  const more = el("div", { class: "more" });
  view.replaceChildren(heading, cards, more);
  state.knownIds = null;
  return { cards, more };
}

async function refreshList(route, parts, generation) {
  const range = periodRange(route);
  const params = new URLSearchParams({ order: route.view === "top" ? "top" : "newest", limit: state.shown });
  if (route.channel) params.set("channel", route.channel);
  if (range.from != null) params.set("from", Math.floor(range.from));
  if (range.to != null) params.set("to", Math.floor(range.to));
  const data = await api("/api/highlights?" + params);
  if (generation !== state.generation) return;
  const list = data.highlights;
  renderCards(parts.cards, list, route.view === "top", state.knownIds);
  state.knownIds = new Set(list.map((h) => h.id));
  parts.more.replaceChildren();
  if (!list.length) {
    const hint = route.channel
      ? "No highlights of channel “" + route.channel + "” " + periodLabel(route) + "."
      : "No highlights " + periodLabel(route) + ".";
    const empty = el("div", { class: "empty" }, hint);
    if (route.channel || route.period !== "all") {
      empty.appendChild(el("div", {}, el("button", { type: "button", on: { click: () => { location.hash = listHash(route.view, "", "all"); } } }, "Show all highlights")));
    } else {
      empty.appendChild(el("div", {}, "A running job stores them here; the page shows them as they come."));
    }
    parts.more.appendChild(empty);
  } else if (list.length >= state.shown && state.shown < MAX_SHOWN) {
    parts.more.appendChild(el("button", { type: "button", on: { click: () => { state.shown += PAGE; tick(true); } } }, "Show more"));
  } else if (list.length >= MAX_SHOWN) {
    parts.more.appendChild(el("span", { class: "sub" }, "Showing the first " + MAX_SHOWN + "; narrow the channel or period to see others."));
  }
  if (!document.body.dataset.ready) performance.mark("first-view");
  document.body.dataset.ready = "list";
}

function renderChannelView(route) {
  const view = document.getElementById("view");
  const rangeSelect = el("select", { id: "range", "aria-label": "range", on: { change: (e) => { location.hash = channelHash(route.channel, e.target.value); } } },
    ...RANGES.map(([value]) => el("option", { value, selected: value === route.range ? "" : null }, value === "15m" ? "15 minutes" : value.replace("h", " h"))));
  const isLogin = /^[a-z0-9_]{1,25}$/i.test(route.channel);
  const chartBox = el("div", { class: "chart-box" }, el("div", { class: "chart-empty" }, "loading activity…"));
  const summary = el("span", { class: "sub" });
  const cards = el("div", { class: "cards", id: "cards" });
  view.replaceChildren(el("div", { class: "channel-page" },
    el("div", { class: "heading" },
      el("a", { href: "#/" }, "← all highlights"),
      el("h1", { class: "channel-name" }, route.channel),
      isLogin ? el("a", { href: "https://www.twitch.tv/" + encodeURIComponent(route.channel), target: "_blank", rel: "noopener noreferrer" }, "twitch.tv ↗") : null),
    el("section", { class: "panel" },
      el("div", { class: "panel-head" }, el("span", { class: "grow" }, "Messages per 10 s, up to the newest stored window"),
        el("span", { class: "legend" }, el("span", {}, el("i", { class: "l-area" }), "chat rate"), el("span", {}, el("i", { class: "l-mark" }), "highlight")),
        rangeSelect),
      chartBox,
      summary),
    el("div", { class: "heading" }, el("h1", {}, "Highlights of this channel"), el("span", { class: "sub" }, "newest first")),
    cards));
  state.knownIds = null;
  return { chartBox, summary, cards };
}

async function refreshChannel(route, parts, generation) {
  const minutes = (RANGES.find(([v]) => v === route.range) || RANGES[1])[1];
  const activity = await api("/api/activity?" + new URLSearchParams({ channel: route.channel, span: minutes }));
  const inRange = await api("/api/highlights?" + new URLSearchParams({
    channel: route.channel, from: activity.from - 60000, to: activity.to + 60000, limit: 500 }));
  const recent = await api("/api/highlights?" + new URLSearchParams({ channel: route.channel, limit: state.shown }));
  if (generation !== state.generation) return;
  const byId = new Map();
  const onMarker = (h) => {
    const target = [...parts.cards.children].find((c) => c._id === h.id);
    if (target) {
      target.scrollIntoView({ behavior: "smooth", block: "center" });
      target.classList.remove("fresh");
      void target.offsetWidth;
      target.classList.add("fresh");
    }
  };
  parts.chartBox.replaceChildren(activity.windows.length || inRange.highlights.length
    ? channelChart(activity, inRange.highlights, onMarker)
    : el("div", { class: "chart-empty" }, "no chat activity stored for this channel in this range"));
  const total = activity.windows.reduce((s, w) => s + w[1], 0);
  parts.summary.textContent = fmtTime(activity.from) + " – " + fmtTime(activity.to) + " · " + total.toLocaleString() + " messages · " +
    inRange.highlights.length + (inRange.highlights.length === 1 ? " highlight" : " highlights") + " in this range";
  for (const h of recent.highlights) byId.set(h.id, h);
  renderCards(parts.cards, recent.highlights, false, state.knownIds);
  state.knownIds = new Set(recent.highlights.map((h) => h.id));
  if (!recent.highlights.length) {
    parts.cards.replaceChildren(el("div", { class: "empty" }, "No highlights stored for this channel."));
  }
  document.body.dataset.ready = "channel";
}

// ---------- the loop ----------

let parts = null;

function route() {
  const r = parseRoute();
  state.route = r;
  state.generation++;
  state.shown = PAGE;
  delete document.body.dataset.ready;
  document.getElementById("nav-newest").classList.toggle("active", r.view === "newest");
  document.getElementById("nav-top").classList.toggle("active", r.view === "top");
  document.getElementById("filters").hidden = r.view === "channel";
  if (r.view === "channel") {
    document.title = r.channel + " · Stream Highlights";
    parts = renderChannelView(r);
  } else {
    document.title = (r.view === "top" ? "Top moments" : "Highlights") + " · Stream Highlights";
    syncFilters(r);
    parts = renderListView(r);
  }
  tick(true);
}

async function tick(now) {
  clearTimeout(state.timer);
  const r = state.route;
  const generation = state.generation;
  if (!now && document.hidden) {
    setLive(true, "paused while hidden");
  } else if (!state.busy || now) {
    state.busy = true;
    try {
      if (r.view === "channel") await refreshChannel(r, parts, generation);
      else await refreshList(r, parts, generation);
      if (generation === state.generation) {
        setLive(true, "live · " + clockSeconds.format(new Date()));
        if (document.getElementById("notice").classList.contains("error")) showNotice(state.statusNotice || "");
      }
    } catch (e) {
      if (generation === state.generation) {
        setLive(false, "not updating");
        showNotice(e.message, "error");
      }
    } finally {
      state.busy = false;
    }
  }
  if (generation === state.generation) {
    state.timer = setTimeout(() => tick(false), r.view === "channel" ? CHANNEL_POLL_MS : POLL_MS);
  }
}

// ---------- filters ----------

function syncFilters(r) {
  const input = document.getElementById("channel-filter");
  if (document.activeElement !== input) input.value = r.channel;
  document.getElementById("period").value = r.period in PERIODS || r.period === "custom" ? r.period : "all";
  document.getElementById("custom-range").hidden = r.period !== "custom";
  document.getElementById("from").value = r.from;
  document.getElementById("to").value = r.to;
}

function applyFilters() {
  const r = state.route;
  const view = r.view === "channel" ? "newest" : r.view;
  const hash = listHash(view,
    document.getElementById("channel-filter").value.trim(),
    document.getElementById("period").value,
    document.getElementById("from").value,
    document.getElementById("to").value);
  if (hash !== location.hash) location.hash = hash;
}

function wireFilters() {
  const input = document.getElementById("channel-filter");
  let debounce = null;
  input.addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = setTimeout(applyFilters, 350);
  });
  input.addEventListener("change", () => { clearTimeout(debounce); applyFilters(); });
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") { clearTimeout(debounce); applyFilters(); } });
  document.getElementById("period").addEventListener("change", () => {
    document.getElementById("custom-range").hidden = document.getElementById("period").value !== "custom";
    applyFilters();
  });
  document.getElementById("from").addEventListener("change", applyFilters);
  document.getElementById("to").addEventListener("change", applyFilters);
  document.getElementById("clear").addEventListener("click", () => {
    input.value = "";
    location.hash = listHash(state.route.view === "top" ? "top" : "newest", "", state.route.view === "top" ? "24h" : "all");
  });
  document.getElementById("nav-top").addEventListener("click", (e) => {
    // Keep the channel filter when switching between the newest and the top moments.
    const r = state.route;
    if (r.view !== "channel" && r.channel) {
      e.preventDefault();
      location.hash = listHash("top", r.channel, "24h");
    }
  });
  document.getElementById("nav-newest").addEventListener("click", (e) => {
    const r = state.route;
    if (r.view !== "channel" && r.channel) {
      e.preventDefault();
      location.hash = listHash("newest", r.channel, "all");
    }
  });
}

async function loadChannels() {
  try {
    const data = await api("/api/channels");
    const list = document.getElementById("channel-list");
    list.replaceChildren(...data.channels.filter((c) => c.channel != null).map((c) =>
      el("option", { value: c.channel }, c.highlights + (c.highlights === 1 ? " highlight" : " highlights"))));
  } catch (e) {
    // The datalist is a convenience; the list view reports errors.
  }
}

async function loadStatus() {
  try {
    const status = await api("/api/status");
    document.getElementById("db-name").textContent = "“" + status.database + "”";
    if (status.missingIndexes && status.missingIndexes.length) {
      state.statusNotice = "MongoDB has no index on highlights for " + status.missingIndexes.join(", ") +
        ". The job creates them when it starts; this page only reads, so it works without them but loads a large collection slowly.";
      if (!document.getElementById("notice").classList.contains("error")) showNotice(state.statusNotice);
    }
  } catch (e) {
    // reported by the list
  }
}

wireFilters();
window.addEventListener("hashchange", route);
document.addEventListener("visibilitychange", () => { if (!document.hidden) tick(true); });
route();
loadStatus();
loadChannels();
setInterval(loadChannels, 60000);
