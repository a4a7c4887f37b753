"use strict";
// The studio page: the scenario desk, runs with their summary and charts, pinned
// variants and their comparison. Every word comes from the server (the glossary);
// every number is formatted by the server as the reports format it.

const $ = (id) => document.getElementById(id);
const query = new URLSearchParams(location.search);
const state = { lang: ["en", "zh"].includes(query.get("lang")) ? query.get("lang") : SETTINGS.lang, words: {}, scenario: null, result: null, pinned: [], comparison: null };

function withToken(url) {
  if (!SETTINGS.token) return url;
  return url + (url.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(SETTINGS.token);
}

async function api(path, body) {
  const options = body === undefined ? {} : { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } };
  const response = await fetch(withToken(path), options);
  const data = await response.json();
  if (!response.ok) throw new Error((state.lang === "zh" && data.error_zh) || data.error || response.statusText);
  return data;
}

function fileUrl(path) {
  return withToken("/api/file?path=" + encodeURIComponent(path));
}

function showMessage(text) {
  const box = $("message");
  box.textContent = text || "";
  box.hidden = !text;
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

async function loadWords() {
  state.words = await api("/api/words?lang=" + state.lang);
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  const w = state.words;
  const set = (id, key) => { $(id).textContent = w[key]; };
  set("title", "studio"); set("lang-switch", "language"); set("w-scenarios", "scenarios");
  set("w-levers", "levers"); set("w-lever", "lever"); set("w-value", "value"); set("w-unit", "unit");
  set("w-source", "source"); set("w-replications", "replications"); set("w-seed", "seed");
  set("run", "run"); set("reset", "reset"); set("save", "save"); set("w-summary", "summary");
  set("pin", "pin"); set("export-zh", "export_zh"); set("export", "export"); set("w-charts", "charts");
  set("export-compare", "export");
  set("w-pinned", "pinned"); set("compare", "compare_pinned"); set("w-own", "own_results");
  set("w-differences", "differences"); set("stop", "stop");
  set("w-long", "long_work"); set("w-study-file", "study_file"); set("long-start", "start");
  set("w-results-dir", "results_dir"); set("w-long-file", "study_file"); set("long-empty", "no_long_work");
  set("w-long-progress", "progress");
  set("w-refine-to", "refine_to"); set("refine-stop", "stop");
  document.querySelectorAll(".w-metric").forEach((n) => { n.textContent = w.metric; });
  document.querySelectorAll(".w-mean").forEach((n) => { n.textContent = w.mean; });
  document.querySelectorAll(".w-ci").forEach((n) => { n.textContent = w.ci; });
  document.querySelectorAll(".w-unit").forEach((n) => { n.textContent = w.unit; });
  document.title = w.studio;
}

async function loadScenarios() {
  const data = await api("/api/scenarios");
  const select = $("scenario-select");
  select.textContent = "";
  for (const s of data.scenarios) select.appendChild(el("option", { value: s.path }, s.title || s.name));
  if (data.scenarios.length) await openScenario(select.value);
}

async function openScenario(path) {
  const data = await api("/api/scenario?path=" + encodeURIComponent(path));
  state.scenario = data;
  $("save-to").value = path.replace(/\.toml$/, "") + "-edited.toml";
  renderLevers();
  showValidity(data.valid ? { ok: false, error: data.valid } : { ok: true });
}

function renderLevers() {
  const body = $("levers").querySelector("tbody");
  body.textContent = "";
  if (!state.scenario) return;
  for (const lever of state.scenario.levers) {
    const row = el("tr");
    row.appendChild(el("td", {}, state.lang === "zh" ? lever.name_zh : lever.name_en));
    const cell = el("td");
    const input = el("input", { type: "text", "data-path": lever.path, "data-original": lever.value, title: lever.path });
    input.value = lever.edited !== undefined ? lever.edited : lever.value;
    input.addEventListener("input", () => { lever.edited = input.value; scheduleValidate(); });
    cell.appendChild(input);
    const range = state.lang === "zh" ? lever.range_zh : lever.range_en;
    if (range) cell.appendChild(el("div", { class: "range" }, range));
    row.appendChild(cell);
    row.appendChild(el("td", {}, state.lang === "zh" ? lever.unit_zh : lever.unit_en));
    row.appendChild(el("td", { class: "source" }, lever.source));
    body.appendChild(row);
  }
}

function edits() {
  return [...document.querySelectorAll("#levers input")]
    .filter((i) => i.value !== i.dataset.original)
    .map((i) => ({ path: i.dataset.path, value: i.value }));
}

let validateTimer = null;
function scheduleValidate() {
  clearTimeout(validateTimer);
  validateTimer = setTimeout(() => { studio.pending = validate(); }, 250);
}

function showValidity(v) {
  state.validity = v;
  const box = $("validity");
  box.className = v.ok ? "ok" : "bad";
  box.textContent = v.ok ? "✓ " + (state.words.valid || "") : v.error;
  $("run").disabled = !v.ok;
  $("save").disabled = !v.ok;
}

async function validate() {
  try {
    const v = await api("/api/validate", { path: state.scenario.path, edits: edits() });
    showValidity(v);
    return v;
  } catch (e) {
    showValidity({ ok: false, error: e.message });
    return { ok: false, error: e.message };
  }
}

async function waitForJob(id) {
  const stop = $("stop");
  stop.hidden = false;
  stop.onclick = () => { api("/api/cancel", { job: id }).catch((e) => showMessage(e.message)); };
  try {
    return await pollJob(id);
  } finally {
    stop.hidden = true;
  }
}

async function pollJob(id) {
  for (;;) {
    const status = await api("/api/job?id=" + id + "&wait=400");
    const p = status.progress;
    $("progress").max = Math.max(p.total, 1);
    $("progress").value = p.done;
    $("progress-text").textContent = `${p.done} / ${p.total} · ${p.seconds.toFixed(1)} s`;
    if (status.state === "done") return status.result;
    if (status.state === "failed") throw new Error(status.cancelled ? state.words.stopped : status.error);
  }
}

// Refinement: once a run's first results are on screen, the same variant runs again in
// the background with more replications (a normal results directory of its own); its
// results replace the first ones on screen if that variant is still shown.
const refinement = { id: null };

function stopRefinement() {
  if (refinement.id === null) return;
  api("/api/cancel", { job: refinement.id }).catch((e) => showMessage(e.message));
  refinement.id = null;
  $("refine-row").hidden = true;
}

async function refine(result) {
  const target = Number($("refine").value);
  if (!(target > result.replications)) return null;
  const started = await api("/api/refine", { variant: result.name, replications: target, seed: result.seed });
  const id = started.job;
  refinement.id = id;
  $("refine-row").hidden = false;
  $("refine-stop").onclick = stopRefinement;
  try {
    for (;;) {
      const status = await api("/api/job?id=" + id + "&wait=400");
      if (refinement.id !== id) return null;
      const p = status.progress;
      $("refine-progress").max = Math.max(p.total, 1);
      $("refine-progress").value = p.done;
      $("refine-text").textContent = `${state.words.refining}: ${p.done} / ${p.total} · ${p.seconds.toFixed(1)} s`;
      if (status.state === "done") {
        if (state.result && state.result.name === result.name) {
          state.result = status.result;
          await renderResult();
        }
        return status.result;
      }
      if (status.state === "failed") {
        if (!status.cancelled) showMessage(status.error);
        return null;
      }
    }
  } finally {
    if (refinement.id === id) {
      refinement.id = null;
      $("refine-row").hidden = true;
    }
  }
}

async function run() {
  showMessage("");
  stopRefinement();
  $("run").disabled = true;
  $("progress-text").textContent = state.words.running;
  try {
    const started = await api("/api/run", {
      path: state.scenario.path,
      edits: edits(),
      replications: Number($("replications").value),
      seed: Number($("seed").value),
    });
    state.result = await waitForJob(started.job);
    await renderResult();
    studio.refining = refine(state.result).catch((e) => { showMessage(e.message); return null; });
    return state.result;
  } catch (e) {
    showMessage(e.message);
    throw e;
  } finally {
    $("run").disabled = false;
  }
}

function renderResult() {
  const r = state.result;
  if (!r) return;
  const view = r[state.lang];
  $("results").hidden = false;
  $("result-name").textContent = r.name;
  $("result-meta").textContent =
    `${view.title} · ${state.words.replications} ${r.replications} · ${state.words.seed} ${r.seed} · ${state.words.elapsed} ${r.seconds_to_results.toFixed(2)} s · ${r.dir}`;
  const body = $("summary").querySelector("tbody");
  body.textContent = "";
  for (const row of view.summary) {
    const tr = el("tr", { "data-metric": row.metric, title: row.description });
    tr.appendChild(el("td", {}, row.name));
    tr.appendChild(el("td", { class: "num mean", "data-raw": String(row.raw_mean) }, row.mean));
    tr.appendChild(el("td", { class: "num" }, row.ci));
    tr.appendChild(el("td", {}, row.unit));
    body.appendChild(tr);
  }
  $("export-link").hidden = true;
  $("workbook-link").hidden = true;
  return renderCharts($("charts"), view.charts);
}

// Charts are SVG files from the results directory, placed inline so that their text
// uses the page's embedded font (an <img> would not see it).
async function renderCharts(box, charts) {
  box.textContent = "";
  for (const c of charts) {
    const response = await fetch(fileUrl(c.path));
    if (!response.ok) throw new Error(c.path + ": " + response.statusText);
    const svg = new DOMParser().parseFromString(await response.text(), "image/svg+xml").documentElement;
    if (svg.nodeName !== "svg") throw new Error(c.path + ": not an SVG image");
    if (!svg.getAttribute("viewBox")) svg.setAttribute("viewBox", `0 0 ${svg.getAttribute("width")} ${svg.getAttribute("height")}`);
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    svg.setAttribute("data-chart", c.stem);
    box.appendChild(document.importNode(svg, true));
  }
}

function pin() {
  const r = state.result;
  if (!r || state.pinned.some((p) => p.name === r.name)) return;
  state.pinned.push(r);
  if (state.pinned.length > 2) state.pinned.shift();
  renderPinned();
}

function renderPinned() {
  const list = $("pinned");
  list.textContent = "";
  for (const p of state.pinned) {
    const li = el("li", { "data-name": p.name });
    const changes = p.edits.map((e) => `${leverName(e.path)} = ${e.value}`).join("; ");
    li.textContent = `${p.name}${changes ? ": " + changes : ""} `;
    const unpin = el("button", { type: "button", class: "unpin" }, state.words.unpin);
    unpin.addEventListener("click", () => { state.pinned = state.pinned.filter((x) => x !== p); renderPinned(); });
    li.appendChild(unpin);
    list.appendChild(li);
  }
  $("compare").disabled = state.pinned.length < 2;
}

function leverName(path) {
  const lever = state.scenario && state.scenario.levers.find((l) => l.path === path);
  if (!lever) return path;
  return state.lang === "zh" ? lever.name_zh : lever.name_en;
}

async function compare() {
  showMessage("");
  $("compare").disabled = true;
  try {
    const started = await api("/api/compare", {
      variants: state.pinned.map((p) => p.name),
      replications: Number($("replications").value),
      seed: Number($("seed").value),
    });
    state.comparison = await waitForJob(started.job);
    await renderComparison();
    return state.comparison;
  } catch (e) {
    showMessage(e.message);
    throw e;
  } finally {
    $("compare").disabled = state.pinned.length < 2;
  }
}

function table(node, header, rows) {
  const head = node.querySelector("thead");
  const body = node.querySelector("tbody");
  head.textContent = "";
  body.textContent = "";
  const tr = el("tr");
  for (const h of header) tr.appendChild(el("th", {}, h));
  head.appendChild(tr);
  for (const row of rows) {
    const r = el("tr", { "data-metric": row.metric });
    row.cells.forEach((c, i) => r.appendChild(el("td", { class: i ? "num" : "" }, c)));
    body.appendChild(r);
  }
}

function renderComparison() {
  const c = state.comparison;
  if (!c) return;
  const view = c[state.lang].comparison;
  const w = state.words;
  $("comparison").hidden = false;
  $("ranking").textContent = `${view.rank_by}: ${view.ranking.join(" > ")}`;
  table($("compare-own"), [w.metric, ...view.alternatives], view.own.map((r) => ({ metric: r.metric, cells: [r.name, ...r.cells] })));
  table(
    $("compare-diff"),
    [w.metric, w.alternative, w.difference, w.ci],
    view.differences.map((d) => ({ metric: d.metric, cells: [d.name, d.pair, d.difference, d.ci] })),
  );
  return renderCharts($("compare-charts"), c[state.lang].charts);
}

function showLink(id, path) {
  const link = $(id);
  link.hidden = !path;
  if (!path) return;
  link.href = fileUrl(path);
  link.textContent = path;
}

// Writes the report (and the charts as PNG and the workbook) of a results directory.
async function exportReport(lang, dir, reportLink, workbookLink) {
  showMessage("");
  try {
    const out = await api("/api/export", { dir, lang });
    showLink(reportLink, out.report);
    if (workbookLink) showLink(workbookLink, out.workbook);
    return out;
  } catch (e) {
    showMessage(e.message);
    throw e;
  }
}

async function save() {
  try {
    const out = await api("/api/save", { path: state.scenario.path, edits: edits(), to: $("save-to").value });
    $("save-result").textContent = `${state.words.saved}: ${out.saved}`;
    return out;
  } catch (e) {
    showMessage(e.message);
    throw e;
  }
}

async function switchLanguage() {
  state.lang = state.lang === "zh" ? "en" : "zh";
  await loadWords();
  renderLevers();
  if (state.validity) showValidity(state.validity);
  renderPinned();
  await renderResult();
  await renderComparison();
  await loadStudies();
  renderLong();
}


// Long work: sweeps, calibrations and optimizations. Jobs live in the server and on
// disk (studio-results/), so the list is read from the server whenever the page opens
// and polled while one works; every progress line comes from the server in both
// languages.
const long = { jobs: [], timer: null };

async function loadStudies() {
  const data = await api("/api/studies");
  const select = $("study-select");
  select.textContent = "";
  for (const f of data.studies) {
    select.appendChild(el("option", { value: f.path }, `${state.lang === "zh" ? f.kind_zh : f.kind_en}: ${f.path}`));
  }
  $("long-start").disabled = !data.studies.length;
}

async function refreshLong() {
  clearTimeout(long.timer);
  const data = await api("/api/long");
  long.jobs = data.jobs;
  renderLong();
  if (long.jobs.some((j) => j.state === "running")) {
    long.timer = setTimeout(() => { refreshLong().catch((e) => showMessage(e.message)); }, 500);
  }
  return long.jobs;
}

function renderLong() {
  const w = state.words;
  const body = $("long-jobs").querySelector("tbody");
  body.textContent = "";
  $("long-empty").hidden = long.jobs.length > 0;
  for (const job of long.jobs) {
    const row = el("tr", { "data-dir": job.dir, "data-state": job.state, class: job.state });
    row.appendChild(el("td", {}, job.dir));
    row.appendChild(el("td", {}, `${state.lang === "zh" ? job.kind_zh : job.kind_en}: ${job.file}`));
    const cell = el("td");
    if (job.state === "running") {
      const bar = el("progress", { max: "1" });
      bar.value = job.fraction || 0;
      cell.appendChild(bar);
    }
    cell.appendChild(el("span", { class: "line" }, job.line ? job.line[state.lang] : job.state));
    row.appendChild(cell);
    const actions = el("td");
    const button = (cls, word, handler) => {
      const b = el("button", { type: "button", class: cls }, word);
      b.addEventListener("click", () => { studio.pending = handler().catch((e) => showMessage(e.message)); });
      actions.appendChild(b);
    };
    if (job.state === "running" && !job.cancelling) button("long-stop", w.stop, () => longAct("cancel", job.dir));
    if (job.state === "stopped" || job.state === "failed") button("long-resume", w.resume, () => longAct("resume", job.dir));
    if (job.state === "finished") {
      const report = job["report_" + state.lang];
      button("long-report", w.report, () => exportLong(job.dir));
      if (report) {
        const link = el("a", { href: fileUrl(report), target: "_blank", class: "long-report-link" }, report);
        actions.appendChild(link);
      }
    }
    row.appendChild(actions);
    body.appendChild(row);
  }
}

async function longAct(what, dir) {
  showMessage("");
  await api("/api/long/" + what, { dir });
  return refreshLong();
}

async function startLong() {
  showMessage("");
  try {
    const started = await api("/api/long/start", { path: $("study-select").value });
    await refreshLong();
    return started;
  } catch (e) {
    showMessage(e.message);
    throw e;
  }
}

// The report of a finished job, written as `feidi report` writes it, in the page's language.
async function exportLong(dir) {
  showMessage("");
  const out = await api("/api/export", { dir, lang: state.lang });
  await refreshLong();
  return out;
}

// Every handler's promise is kept, so that a scripted journey can wait for it.
const studio = { pending: Promise.resolve(), refining: Promise.resolve(null), state };
function on(id, handler) {
  $(id).addEventListener("click", () => {
    studio.pending = handler().catch(() => {});
  });
}

async function start() {
  on("run", run);
  on("save", save);
  on("pin", async () => pin());
  on("compare", compare);
  on("export-zh", () => exportReport("zh", state.result.dir, "export-link", "workbook-link"));
  on("export", () => exportReport(state.lang, state.result.dir, "export-link", "workbook-link"));
  on("export-compare", () => exportReport(state.lang, state.comparison.dir, "compare-report-link"));
  on("lang-switch", switchLanguage);
  on("long-start", startLong);
  on("reset", async () => { for (const l of state.scenario.levers) delete l.edited; renderLevers(); await validate(); });
  $("scenario-select").addEventListener("change", (e) => { studio.pending = openScenario(e.target.value).catch((x) => showMessage(x.message)); });
  try {
    await loadWords();
    await loadScenarios();
    await loadStudies();
    await refreshLong();
  } catch (e) {
    showMessage(e.message);
  }
  if (query.has("journey")) await journey();
  // ?focus=long leaves the long-work panel alone on screen (for screenshots).
  if (query.get("focus") === "long") for (const id of ["desk", "results", "compare-section"]) $(id).hidden = true;
}

// A planner's journey, run when the page is opened with ?journey: open Dazu, run it,
// pin it, change seats and the landing subsidy (a bad value first: its located
// message must show), run again, pin, compare, export the Chinese report. The outcome
// is written into #journey for the browser test to read.
async function journey() {
  const log = { ok: false, steps: [] };
  const step = (name, detail) => log.steps.push(detail === undefined ? name : { name, detail });
  const click = async (id) => { $(id).click(); await studio.pending; };
  const setLever = async (path, value) => {
    const input = document.querySelector(`#levers input[data-path="${path}"]`);
    if (!input) throw new Error("no lever " + path);
    input.value = value;
    input.dispatchEvent(new Event("input"));
    return validate();
  };
  const landed = () => {
    const cell = document.querySelector('#summary tr[data-metric="landed_home"] .mean');
    if (!cell) throw new Error("no landed_home row in the summary");
    return { text: cell.textContent, raw: Number(cell.dataset.raw) };
  };
  try {
    // No refinement until the step that checks it: the numbers read must not change.
    $("refine").value = "0";
    const select = $("scenario-select");
    select.value = "scenarios/dazu-chengdu.toml";
    if (select.value !== "scenarios/dazu-chengdu.toml") throw new Error("Dazu is not offered");
    await openScenario(select.value);
    const seatsRange = document.querySelector('#levers input[data-path="enclave[0].seats"] + .range');
    if (!seatsRange || !seatsRange.textContent) throw new Error("no allowed range beside the seats");
    step("opened Dazu", seatsRange.textContent);
    await click("run");
    if (!state.result) throw new Error("the base run gave no result");
    log.base = { name: state.result.name, landed: landed(), seconds: state.result.seconds_to_results };
    step("ran the base", log.base);
    await click("pin");
    const bad = await setLever("enclave[0].seats", "-3");
    if (bad.ok || !/enclave\[0\]\.seats/.test($("validity").textContent)) throw new Error("a bad seat count was not refused with its key path");
    step("a bad seat count is refused", $("validity").textContent.split("\n")[0]);
    await setLever("enclave[0].seats", "60");
    const good = await setLever("city[1].landing_subsidy_yuan", "3_000_000");
    if (!good.ok) throw new Error("the edits were refused: " + good.error);
    await click("run");
    log.variant = { name: state.result.name, landed: landed(), file: state.result.variant_file, seconds: state.result.seconds_to_results };
    step("ran the variant", log.variant);
    if (log.variant.landed.raw === log.base.landed.raw) throw new Error("the summary did not change");
    if ($("charts").querySelectorAll("svg[data-chart]").length === 0) throw new Error("no charts");
    await click("pin");
    await click("compare");
    const diffs = [...document.querySelectorAll("#compare-diff tbody tr")];
    if (!diffs.length) throw new Error("no paired differences");
    log.compare = { dir: state.comparison.dir, rows: diffs.length, first: diffs[0].textContent };
    step("compared", log.compare);
    await click("export-compare");
    if ($("compare-report-link").hidden) throw new Error("no comparison report link");
    step("exported the comparison's report", $("compare-report-link").textContent);
    await click("export-zh");
    if ($("export-link").hidden) throw new Error("no report link");
    log.report = $("export-link").textContent;
    if ($("workbook-link").hidden) throw new Error("no workbook link");
    step("exported the Chinese report and workbook", [log.report, $("workbook-link").textContent]);
    // A long run stopped from the page: the page says so and keeps the last results.
    $("replications").value = "50000";
    $("run").click();
    const running = studio.pending;
    for (let i = 0; $("stop").hidden && i < 200; i++) await new Promise((r) => setTimeout(r, 50));
    $("stop").click();
    await running;
    if ($("message").textContent !== state.words.stopped) throw new Error("a stopped run was not reported: " + $("message").textContent);
    if (state.result.name !== log.variant.name) throw new Error("a stopped run replaced the results on screen");
    step("stopped a long run", $("message").textContent);
    $("replications").value = "256";
    showMessage("");
    // Refinement: 256 replications first, then 1,024 in the background, shown when done.
    $("refine").value = "1024";
    await click("run");
    const firstRun = { name: state.result.name, replications: state.result.replications };
    if (firstRun.replications !== 256) throw new Error("the first results are not of 256 replications");
    const refined = await studio.refining;
    if (!refined || state.result !== refined) throw new Error("the refined results did not replace the first ones");
    if (state.result.replications !== 1024 || !/-refined-1024$/.test(state.result.dir)) throw new Error("unexpected refinement: " + state.result.dir);
    log.refined = { name: state.result.name, dir: state.result.dir, landed: landed(), replications: 1024 };
    step("refined a run in the background", log.refined);
    $("refine").value = "0";
    // Long work: a small sweep started, stopped between design points, resumed to the
    // end, and its report written (?long= names the study file).
    if (query.get("long")) {
      const wait = async (what, test) => {
        for (let i = 0; i < 1200; i++) {
          const job = (await refreshLong()).find((j) => j.dir === log.long.dir);
          if (job && test(job)) return job;
          if (job && job.state === "failed") throw new Error(what + ": " + job.error);
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error("long work: " + what + " did not come");
      };
      const rowButton = (cls) => {
        const b = document.querySelector(`#long-jobs tr[data-dir="${log.long.dir}"] button.${cls}`);
        if (!b) throw new Error("long work: no " + cls + " button for " + log.long.dir);
        return b;
      };
      $("study-select").value = query.get("long");
      if ($("study-select").value !== query.get("long")) throw new Error(query.get("long") + " is not offered");
      $("long-start").click();
      const started = await studio.pending;
      log.long = { dir: started.dir };
      const running = await wait("progress", (j) => j.state !== "running" || (j.done >= 1 && j.seconds_left !== null));
      if (running.state !== "running") throw new Error("the sweep ended before it could be stopped");
      log.long.running = running.line[state.lang];
      rowButton("long-stop").click();
      await studio.pending;
      const stopped = await wait("the stop", (j) => j.state !== "running");
      if (stopped.state !== "stopped") throw new Error("the sweep was not stopped: " + stopped.state);
      log.long.stopped = stopped.line[state.lang];
      step("started and stopped a sweep", [log.long.running, log.long.stopped]);
      rowButton("long-resume").click();
      await studio.pending;
      const finished = await wait("the end", (j) => j.state !== "running" && j.state !== "stopped");
      if (finished.state !== "finished") throw new Error("the resumed sweep did not finish: " + finished.state);
      rowButton("long-report").click();
      await studio.pending;
      const link = document.querySelector(`#long-jobs tr[data-dir="${log.long.dir}"] a.long-report-link`);
      if (!link) throw new Error("no report link for the finished sweep");
      log.long.report = link.textContent;
      step("resumed the sweep to the end and wrote its report", log.long.report);
    }
    const first = document.documentElement.lang;
    await click("lang-switch");
    const other = document.documentElement.lang;
    if (other === first || !$("run").textContent) throw new Error("the language did not switch");
    await click("lang-switch");
    step("switched language and back", [other, document.documentElement.lang]);
    if ($("compare-charts").querySelectorAll("svg[data-chart]").length === 0) throw new Error("no comparison charts");
    await document.fonts.ready;
    if (!document.fonts.check('16px "Noto Sans SC"', "大足")) throw new Error("the embedded font did not load");
    log.ok = true;
    // ?focus=compare leaves the comparison alone on screen (for screenshots).
    if (query.get("focus") === "compare") { $("desk").hidden = true; $("results").hidden = true; }
  } catch (e) {
    log.error = e.message;
  }
  $("journey").textContent = JSON.stringify(log);
  $("journey").setAttribute("data-done", log.ok ? "ok" : "failed");
}

start();
