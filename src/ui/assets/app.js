// sluice's dashboard: hash-routed pages over the gateway's own API (the login cookie
// authenticates them; a change also sends x-sluice-ui, see src/api/auth.h). No framework: each
// page renders into <main> and keeps its timers and streams in `page`, closed on the next route.
"use strict";

const tenant = document.querySelector('meta[name="sluice-tenant"]').content;
const admin = document.querySelector('meta[name="sluice-scope"]').content === "all";
const main = document.getElementById("main");
const TERMINAL = new Set(["completed", "failed", "expired", "cancelled"]);
const MAX_LISTED = 5000;  // batches the list page reads (pages of 100, newest first)
const HISTORY = 300;      // points a chart keeps (five minutes at one a second)

let page = { closers: [] };

function escapeHtml(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) =>
    ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function number(value, digits = 0) {
  if (value === undefined || value === null || !isFinite(value)) return "—";
  return Number(value).toLocaleString("en-US", { maximumFractionDigits: digits,
                                                 minimumFractionDigits: digits });
}

function dollars(value) {
  if (value === undefined || value === null) return "—";
  if (value === 0) return "$0";
  if (value < 0.01) return "$" + value.toPrecision(3);  // a few lines cost fractions of a cent
  return "$" + number(value, value < 1 ? 4 : 2);
}

function duration(seconds) {
  if (!isFinite(seconds) || seconds < 0) return "—";
  if (seconds < 90) return Math.round(seconds) + " s";
  if (seconds < 5400) return Math.round(seconds / 60) + " min";
  return (seconds / 3600).toFixed(1) + " h";
}

async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (options.method && options.method !== "GET") headers["x-sluice-ui"] = "1";
  const response = await fetch(path, { ...options, headers, credentials: "same-origin" });
  if (response.status === 401) {
    window.location.assign("/ui/");  // the cookie went stale: back to the login form
    throw new Error("signed out");
  }
  return response;
}

async function json(path, options) {
  const response = await api(path, options);
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message || `HTTP ${response.status}`);
  return body;
}

// What a Batch object says about its pace: done, rates since it started, ETA, cost.
function pace(batch, nowSeconds) {
  const counts = batch.request_counts || { total: 0, completed: 0, failed: 0 };
  const done = counts.completed + counts.failed;
  const started = batch.in_progress_at;
  const ended = batch.completed_at || batch.failed_at || batch.expired_at || batch.cancelled_at;
  const elapsed = started ? (ended || nowSeconds) - started : 0;
  const tokens = batch.usage ? batch.usage.total_tokens : 0;
  const rate = elapsed > 0 ? done / elapsed : 0;
  const running = !TERMINAL.has(batch.status);
  return {
    counts, done,
    share: counts.total > 0 ? done / counts.total : 0,
    failedShare: counts.total > 0 ? counts.failed / counts.total : 0,
    requestsPerSecond: elapsed > 0 ? rate : undefined,
    tokensPerSecond: elapsed > 0 ? tokens / elapsed : undefined,
    eta: running && rate > 0 ? (counts.total - done) / rate : undefined,
    cost: batch.sluice?.cost,
    errors: batch.sluice?.failures || {},
  };
}

function statusBadge(status) {
  return `<span class="status ${escapeHtml(status)}">${escapeHtml(status)}</span>`;
}

function progressBar(p) {
  const ok = (p.share - p.failedShare) * 100;
  return `<span class="bar" title="${number(p.share * 100, 1)} %">` +
    `<span style="width:${ok.toFixed(1)}%;float:left"></span>` +
    `<span class="failed" style="width:${(p.failedShare * 100).toFixed(1)}%;float:left"></span>` +
    `</span> ${number(p.done)} / ${number(p.counts.total)}`;
}

function costText(cost) {
  if (!cost) return "—";
  if (cost.unpriced_results > 0) {
    return `<span class="muted" title="${number(cost.unpriced_results)} answers of models ` +
      `without a price">price unknown</span>`;
  }
  return `${dollars(cost.spent_usd)} / ${dollars(cost.estimated_total_usd)}`;
}

function errorsText(errors) {
  const entries = Object.entries(errors).sort((a, b) => b[1] - a[1]);
  if (!entries.length) return "";
  return entries.map(([code, n]) => `${escapeHtml(code)} ${number(n)}`).join(", ");
}

// A uPlot chart of `series` (name → colour) over time, in `parent`; push() adds one point.
function timeChart(parent, title, series, unit = "") {
  const box = document.createElement("div");
  box.className = "chart";
  box.dataset.chart = title;
  parent.appendChild(box);
  const data = [[], ...series.map(() => [])];
  const chart = new uPlot({
    title, width: 460, height: 200,
    series: [{}, ...series.map(([label, stroke]) => ({
      label, stroke, width: 2, value: (u, v) => (v === null ? "—" : number(v, 1) + unit) }))],
    axes: [{}, { size: 60 }],
  }, data, box);
  return {
    push(time, values) {
      data[0].push(time);
      values.forEach((v, i) => data[i + 1].push(v));
      if (data[0].length > HISTORY) data.forEach((column) => column.shift());
      chart.setData(data);
    },
    points: () => data[0].length,
  };
}

function every(milliseconds, work) {
  work();
  const timer = setInterval(work, milliseconds);
  page.closers.push(() => clearInterval(timer));
}

// ---- Batches -------------------------------------------------------------------------------

async function listBatches() {
  const all = [];
  let after;
  while (all.length < MAX_LISTED) {
    const query = new URLSearchParams({ limit: "100" });
    if (after) query.set("after", after);
    const list = await json("/v1/batches?" + query);
    all.push(...list.data);
    if (!list.has_more || !list.data.length) break;
    after = list.data[list.data.length - 1].id;
  }
  return all;
}

function batchRow(batch, now) {
  const p = pace(batch, now);
  return `<tr data-batch="${escapeHtml(batch.id)}">` +
    `<td><a href="#/batch/${encodeURIComponent(batch.id)}">${escapeHtml(batch.id)}</a></td>` +
    (admin ? `<td class="tenant">${escapeHtml(batch.sluice?.tenant)}</td>` : "") +
    `<td>${statusBadge(batch.status)}</td>` +
    `<td class="progress">${progressBar(p)}</td>` +
    `<td class="num">${duration(p.eta)}</td>` +
    `<td class="num">${number(p.requestsPerSecond, 1)}</td>` +
    `<td class="num">${number(p.tokensPerSecond, 0)}</td>` +
    `<td class="num cost">${costText(p.cost)}</td>` +
    `<td class="errors">${errorsText(p.errors)}</td>` +
    `<td class="muted">${escapeHtml(batch.metadata?.description || "")}</td></tr>`;
}

async function batchesPage() {
  main.innerHTML = `<h2>Batches${admin ? " (every tenant)" : ""}</h2>` +
    `<p class="muted" id="summary">Loading…</p>` +
    `<table id="batches"><thead><tr><th>Batch</th>${admin ? "<th>Tenant</th>" : ""}` +
    `<th>Status</th><th>Progress</th>` +
    `<th class="num">ETA</th><th class="num">Requests/s</th><th class="num">Tokens/s</th>` +
    `<th class="num">Cost / estimate</th><th>Errors</th><th>Description</th></tr></thead>` +
    `<tbody></tbody></table>`;
  const body = main.querySelector("tbody");
  const summary = main.querySelector("#summary");
  let busy = false;
  let shown = "";
  every(2000, async () => {
    if (busy) return;  // a slow list is not asked for again on top of itself
    busy = true;
    try {
      const batches = await listBatches();
      const now = Date.now() / 1000;
      const rows = batches.map((b) => batchRow(b, now)).join("");
      // Finished batches render the same every time: the DOM is left alone unless a row changed,
      // so a long list stays clickable between refreshes.
      if (rows !== shown) body.innerHTML = shown = rows;
      const running = batches.filter((b) => !TERMINAL.has(b.status)).length;
      summary.textContent = `${batches.length} batches, ${running} running` +
        (batches.length >= MAX_LISTED ? ` (the newest ${MAX_LISTED} shown)` : "");
    } catch (error) {
      summary.innerHTML = `<span class="error">${escapeHtml(error.message)}</span>`;
    } finally {
      busy = false;
    }
  });
}

// ---- One batch -----------------------------------------------------------------------------

async function failedLines(batch, into) {
  if (!batch.error_file_id) {
    into.innerHTML = `<p class="muted">${TERMINAL.has(batch.status) ? "No failed lines."
      : "Failed lines are listed when the batch ends (its error file)."}</p>`;
    return;
  }
  const response = await api(`/v1/files/${encodeURIComponent(batch.error_file_id)}/content`);
  const text = await response.text();
  const lines = text.split("\n").filter(Boolean).map((line) => JSON.parse(line));
  const rows = lines.slice(0, 200).map((line) => {
    const error = line.error || line.response?.body?.error || {};
    const status = line.response?.status_code;
    return `<tr><td>${escapeHtml(line.custom_id)}</td><td>${escapeHtml(status ?? "")}</td>` +
      `<td>${escapeHtml(error.code || error.type || "")}</td>` +
      `<td>${escapeHtml(error.message || "")}</td></tr>`;
  }).join("");
  into.innerHTML = `<h2>Failed lines (${number(lines.length)})</h2>` +
    `<table id="failed"><thead><tr><th>custom_id</th><th>Status</th><th>Code</th>` +
    `<th>Message</th></tr></thead><tbody>${rows}</tbody></table>` +
    (lines.length > 200 ? `<p class="muted">The first 200 are shown; download the error ` +
      `file for all.</p>` : "");
}

function fileLink(id, label) {
  if (!id) return "";
  return `<a class="button" download="${escapeHtml(id)}.jsonl" ` +
    `href="/v1/files/${encodeURIComponent(id)}/content">${label}</a>`;
}

async function batchPage(id) {
  main.innerHTML = `<h2>Batch ${escapeHtml(id)} <span id="status"></span></h2>` +
    `<div class="cards" id="cards"></div><div class="actions" id="actions"></div>` +
    `<div class="charts" id="charts"></div><div id="failed-lines"></div>`;
  const cards = main.querySelector("#cards");
  const actions = main.querySelector("#actions");
  const charts = main.querySelector("#charts");
  const progress = timeChart(charts, "Lines done", [["completed", "#2e9d58"],
                                                   ["failed", "#d2453b"]]);
  const throughput = timeChart(charts, "Throughput", [["requests/s", "#2f6fde"]]);
  const tokens = timeChart(charts, "Tokens/s", [["tokens/s", "#8a5cd1"]]);
  let previous;
  let ended = false;

  function show(batch) {
    const now = Date.now() / 1000;
    const p = pace(batch, now);
    main.querySelector("#status").innerHTML = statusBadge(batch.status);
    cards.innerHTML = [
      ["Progress", progressBar(p)], ["ETA", duration(p.eta)],
      ["Requests/s", number(p.requestsPerSecond, 1)], ["Tokens/s", number(p.tokensPerSecond)],
      ["Input tokens", number(batch.usage?.input_tokens)],
      ["Output tokens", number(batch.usage?.output_tokens)],
      ["Cost / estimate", costText(p.cost)], ["Errors", errorsText(p.errors) || "none"],
    ].map(([label, value]) => `<div class="card"><span class="muted">${label}</span>` +
      `<b data-card="${label}">${value}</b></div>`).join("");
    const live = previous && now > previous.time ? now - previous.time : 0;
    const doneNow = p.counts.completed + p.counts.failed;
    const tokensNow = batch.usage?.total_tokens || 0;
    progress.push(now, [p.counts.completed, p.counts.failed]);
    throughput.push(now, [live ? (doneNow - previous.done) / live : null]);
    tokens.push(now, [live ? (tokensNow - previous.tokens) / live : null]);
    previous = { time: now, done: doneNow, tokens: tokensNow };
    const cancellable = ["validating", "in_progress"].includes(batch.status);
    actions.innerHTML = fileLink(batch.output_file_id, "Download output") +
      fileLink(batch.error_file_id, "Download errors") +
      (cancellable ? `<button class="danger" id="cancel">Cancel batch</button>` : "");
    const cancel = actions.querySelector("#cancel");
    if (cancel) {
      cancel.addEventListener("click", async () => {
        cancel.disabled = true;
        try {
          show(await json(`/v1/batches/${encodeURIComponent(id)}/cancel`, { method: "POST" }));
        } catch (error) {
          actions.insertAdjacentHTML("beforeend",
            `<span class="error">${escapeHtml(error.message)}</span>`);
        }
      });
    }
    if (TERMINAL.has(batch.status) && !ended) {
      ended = true;
      failedLines(batch, main.querySelector("#failed-lines")).catch((error) => {
        main.querySelector("#failed-lines").innerHTML =
          `<p class="error">${escapeHtml(error.message)}</p>`;
      });
    }
  }

  try {
    show(await json(`/v1/batches/${encodeURIComponent(id)}`));
  } catch (error) {
    main.innerHTML = `<p class="error">${escapeHtml(error.message)}</p>`;
    return;
  }
  if (ended) return;
  failedLines({ status: "in_progress" }, main.querySelector("#failed-lines"));
  const events = new EventSource(`/v1/batches/${encodeURIComponent(id)}/events`);
  page.closers.push(() => events.close());
  const onEvent = (event) => {
    const batch = JSON.parse(event.data);
    show(batch);
    if (TERMINAL.has(batch.status)) events.close();
  };
  events.addEventListener("status", onEvent);
  events.addEventListener("progress", onEvent);
}

// ---- Metrics (deployments, traffic) --------------------------------------------------------

// Prometheus' text format: [{name, labels, value}] (comments and histograms' buckets kept as
// they are; only what the pages read is used).
function parseMetrics(text) {
  const samples = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = line.match(/^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/);
    if (!match) continue;
    const labels = {};
    for (const pair of (match[2] || "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]] = pair[2].replace(/\\(.)/g, "$1");
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

async function metrics() {
  const response = await fetch("/metrics");
  return parseMetrics(await response.text());
}

function sumBy(samples, name, key, filter = () => true) {
  const sums = new Map();
  for (const s of samples) {
    if (s.name !== name || !filter(s.labels)) continue;
    const k = key(s.labels);
    sums.set(k, (sums.get(k) || 0) + s.value);
  }
  return sums;
}

function deploymentsPage() {
  main.innerHTML = `<h2>Deployments</h2><table id="deployments"><thead><tr><th>Deployment</th>` +
    `<th>Breaker</th><th class="num">In flight</th><th class="num">Latency (avg)</th>` +
    `<th class="num">Requests available</th><th class="num">Tokens available</th>` +
    `<th class="num">429s</th><th class="num">Retries</th></tr></thead><tbody></tbody></table>` +
    `<div class="charts" id="charts"></div>`;
  const body = main.querySelector("tbody");
  const charts = main.querySelector("#charts");
  const headroom = new Map();  // deployment → chart of what each budget could grant
  every(2000, async () => {
    const samples = await metrics();
    const now = Date.now() / 1000;
    const one = (name, labels = {}) => sumBy(samples, name, (l) => l.deployment,
      (l) => Object.entries(labels).every(([k, v]) => l[k] === v));
    const inFlight = one("sluice_upstream_in_flight");
    const seconds = one("sluice_upstream_request_duration_seconds_sum");
    const answered = one("sluice_upstream_request_duration_seconds_count");
    const limited = one("sluice_upstream_rate_limited_total");
    const retries = one("sluice_upstream_retries_total");
    const requests = one("sluice_deployment_available", { budget: "requests" });
    const tokens = one("sluice_deployment_available", { budget: "tokens" });
    const breaker = new Map(samples.filter((s) => s.name === "sluice_deployment_breaker_state" &&
      s.value === 1).map((s) => [s.labels.deployment, s.labels.state]));
    const names = [...new Set(samples.filter((s) => s.labels.deployment)
      .map((s) => s.labels.deployment))].sort();
    body.innerHTML = names.map((d) => `<tr data-deployment="${escapeHtml(d)}">` +
      `<td>${escapeHtml(d)}</td><td>${escapeHtml(breaker.get(d) || "—")}</td>` +
      `<td class="num">${number(inFlight.get(d) || 0)}</td>` +
      `<td class="num">${answered.get(d) ? number(seconds.get(d) / answered.get(d) * 1000) +
        " ms" : "—"}</td>` +
      `<td class="num">${number(requests.get(d))}</td><td class="num">${number(tokens.get(d))}` +
      `</td><td class="num">${number(limited.get(d) || 0)}</td>` +
      `<td class="num">${number(retries.get(d) || 0)}</td></tr>`).join("") ||
      `<tr><td colspan="8" class="muted">No deployment has been used yet.</td></tr>`;
    for (const d of names) {
      if (!headroom.has(d)) {
        headroom.set(d, timeChart(charts, `${d}: available`, [["requests", "#2f6fde"],
                                                             ["tokens/100", "#8a5cd1"]]));
      }
      const t = tokens.get(d);
      headroom.get(d).push(now, [requests.get(d) ?? null, t === undefined ? null : t / 100]);
    }
  });
}

function trafficPage() {
  main.innerHTML = `<h2>Interactive traffic by tenant</h2><table id="traffic"><thead><tr>` +
    `<th>Tenant</th><th>Route</th><th class="num">Requests</th><th class="num">Errors</th>` +
    `<th class="num">Requests/s</th></tr></thead><tbody></tbody></table>` +
    `<div class="charts" id="charts"></div>`;
  const body = main.querySelector("tbody");
  const charts = main.querySelector("#charts");
  const proxied = new Set(["/v1/chat/completions", "/v1/completions", "/v1/embeddings",
                           "/v1/messages"]);
  let previous;
  let chart;
  let tenantsCharted = [];
  every(2000, async () => {
    const samples = (await metrics()).filter((s) => s.name === "sluice_http_requests_total" &&
      proxied.has(s.labels.route) && (admin || s.labels.tenant === tenant));
    const now = Date.now() / 1000;
    const key = (l) => `${l.tenant}\t${l.route}`;
    const total = sumBy(samples, "sluice_http_requests_total", key);
    const errors = sumBy(samples, "sluice_http_requests_total", key,
      (l) => Number(l.status) >= 400);
    const rate = (k) => previous && previous.total.has(k)
      ? (total.get(k) - previous.total.get(k)) / (now - previous.time) : undefined;
    body.innerHTML = [...total.keys()].sort().map((k) => {
      const [who, route] = k.split("\t");
      return `<tr data-tenant="${escapeHtml(who)}"><td>${escapeHtml(who)}</td>` +
        `<td>${escapeHtml(route)}</td><td class="num">${number(total.get(k))}</td>` +
        `<td class="num">${number(errors.get(k) || 0)}</td>` +
        `<td class="num">${number(rate(k), 1)}</td></tr>`;
    }).join("") || `<tr><td colspan="5" class="muted">No interactive requests yet.</td></tr>`;
    const byTenant = sumBy(samples, "sluice_http_requests_total", (l) => l.tenant);
    const tenants = [...byTenant.keys()].sort();
    if (!chart || tenants.join() !== tenantsCharted.join()) {
      charts.innerHTML = "";
      const colours = ["#2f6fde", "#2e9d58", "#d9912b", "#8a5cd1", "#d2453b", "#1aa3a3"];
      chart = timeChart(charts, "Requests/s by tenant",
        tenants.map((t, i) => [t, colours[i % colours.length]]));
      tenantsCharted = tenants;
    }
    chart.push(now, tenants.map((t) => previous && previous.byTenant.has(t)
      ? (byTenant.get(t) - previous.byTenant.get(t)) / (now - previous.time) : null));
    previous = { time: now, total, byTenant };
  });
}

// ---- Routing -------------------------------------------------------------------------------

function route() {
  page.closers.forEach((close) => close());
  page = { closers: [] };
  const hash = window.location.hash || "#/batches";
  const [, name, id] = hash.match(/^#\/([a-z]+)(?:\/(.+))?$/) || [];
  document.querySelectorAll("header nav a").forEach((a) =>
    a.classList.toggle("active", a.dataset.page === (name === "batch" ? "batches" : name)));
  if (name === "batch" && id) return batchPage(decodeURIComponent(id));
  if (name === "deployments") return deploymentsPage();
  if (name === "traffic") return trafficPage();
  return batchesPage();
}

document.getElementById("who").textContent = admin ? `${tenant} (admin: every tenant)` : tenant;
window.addEventListener("hashchange", route);
route();
