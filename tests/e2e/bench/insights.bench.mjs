// Issue 21, Performance: a 500 000-row dataset on a 40-touchpoint map.
// Builds the scenario as a user would (the retail example, 31 more cards
// with feedback keys typed in the detail panel, a generated export imported
// through the import page), then times from outside the app code:
//   - opening the map with the dataset attached (IndexedDB read, row index,
//     figures on every card), in the app and as a fresh page load;
//   - 20 changes of the date filter on the map: from the change event to
//     the frame in which every card, stage head and lane shows its new
//     figures;
//   - opening the dashboard, and 20 date changes there (every chart);
//   - the longest main-thread task of each.
// It prints figures and asserts no timings; it checks only that each change
// really changed the figures it waited for.
import { test, expect } from "@playwright/test";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROWS = Number(process.env.BENCH_ROWS ?? 500_000);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 20);
// With a folder, each timed part is also recorded as a V8 CPU profile
// there (<part>.cpuprofile, for Chrome's DevTools): to find where the time
// goes. The sampling slows the page, so figures of such a run are not the
// benchmark's. Function names need a wasm with its name section (e.g.
// wasm-bindgen --keep-debug on the unstripped module, without wasm-opt).
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE;
// With a folder, each timed part is recorded as a Chrome trace there
// (<part>.trace.json, for chrome://tracing or Perfetto): the page's tasks,
// style, layout, paint, garbage collection and IndexedDB reads.
const TRACE_DIR = process.env.BENCH_TRACE;
/** A view counts as drawn once the page has not changed for this long. */
const QUIET_MS = 700;
const DAYS = 182;
const START = Date.UTC(2024, 0, 1);

/** The retail example's feedback keys, then the 31 cards this adds. */
const RETAIL_KEYS = ["ig_ad", "web_reviews", "app_cart", "chat_sizing", "store_visit", "store_purchase", "followup_email", "return_support", "social_mention"];
const ADDED = 40 - RETAIL_KEYS.length;
const addedKey = (i) => `bench_tp_${String(i + 1).padStart(2, "0")}`;
const KEYS = [...RETAIL_KEYS, ...Array.from({ length: ADDED }, (_, i) => addedKey(i))];
const LANES = ["Instagram", "Website", "Mobile app", "Live chat", "Store", "Email", "Customer support"];

/** A small deterministic PRNG, so every run reads the same file. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A survey export: 40 touchpoint keys, dates over six months. */
async function generate(path) {
  const rand = rng(21);
  const pickOf = (list) => list[Math.floor(rand() * list.length)];
  const segments = ["New", "Returning", "Loyalty member"];
  const phrases = [
    "Delivery was quick, packaging fine",
    "Had to repeat my order number, twice",
    "Staff knew my cart, great",
    "App crashed at checkout; retried later",
    "Sizing advice was spot on",
    "Return took ages, no updates",
  ];
  const out = createWriteStream(path);
  const write = (s) => (out.write(s) ? null : new Promise((r) => out.once("drain", r)));
  await write("Response ID,Submitted at,Touchpoint,Channel,Segment,How likely are you to recommend us?,Overall satisfaction,It was easy to get what I needed,Customer,Comment\n");
  let chunk = "";
  for (let i = 0; i < ROWS; i++) {
    const when = new Date(START + Math.floor(rand() * DAYS * 86400) * 1000).toISOString().slice(0, 19) + "Z";
    const nps = Math.floor(rand() * 11);
    const csat = 1 + Math.floor(rand() * 5);
    const ces = 1 + Math.floor(rand() * 7);
    let comment = pickOf(phrases);
    if (rand() < 0.3) comment += `, ${pickOf(phrases).toLowerCase()}`;
    chunk += `R_${i.toString(36).padStart(8, "0")},${when},${pickOf(KEYS)},${pickOf(LANES)},${pickOf(segments)},${nps},${csat},${ces},C${100000 + Math.floor(rand() * 900000)},"${comment}"\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = "";
    }
  }
  await write(chunk);
  await new Promise((r) => out.end(r));
  return (await stat(path)).size;
}

const day = (n) => new Date(START + n * 86400_000).toISOString().slice(0, 10);

/** 20 date changes, alternately the start and the end, each a new value. */
function dateChanges(seed) {
  const rand = rng(seed);
  const out = [];
  let from = -1;
  let to = -1;
  for (let i = 0; i < CHANGES; i++) {
    if (i % 2 === 0) {
      let d;
      do d = Math.floor(rand() * 80);
      while (d === from);
      from = d;
      out.push(["from", day(d)]);
    } else {
      let d;
      do d = 100 + Math.floor(rand() * (DAYS - 100));
      while (d === to);
      to = d;
      out.push(["to", day(d)]);
    }
  }
  return out;
}

/**
 * Installed before the app starts, in every document: long tasks, and,
 * while recording, each DOM change (classified: a figure, a chart, the
 * emotion curve, the status line, anything else) and the end of each frame
 * (a message posted from requestAnimationFrame runs once the frame's style,
 * layout and paint are done). `performance.now()` counts from navigation,
 * so a fresh load is timed from its start.
 */
function harness() {
  const FIG = 1;
  const CHART = 2;
  const EMOTION = 4;
  const STATUS = 8;
  const OTHER = 16;
  const b = (window.__bench = { rec: true, muts: [], frames: [], longTasks: [], FIG, CHART, EMOTION, STATUS, OTHER });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: "longtask" });
  const has = (n, sel) => n.nodeType === 1 && (n.matches(sel) || n.querySelector(sel));
  const kindOf = (m) => {
    const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
    if (!el) return OTHER;
    let k = 0;
    if (el.closest("[data-testid=measured]")) k |= FIG;
    if (el.closest("[data-testid=chart]")) k |= CHART;
    if (el.closest("[data-testid=emotion-lane]")) k |= EMOTION;
    if (el.closest(".data-status-wrap")) k |= STATUS;
    for (const n of m.addedNodes) {
      if (has(n, "[data-testid=measured]")) k |= FIG;
      if (has(n, "[data-testid=chart]")) k |= CHART;
    }
    return k || OTHER;
  };
  new MutationObserver((records) => {
    if (!b.rec) return;
    const t = performance.now();
    let kinds = 0;
    for (const m of records) kinds |= kindOf(m);
    b.muts.push({ t, kinds });
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  const channel = new MessageChannel();
  channel.port1.onmessage = () => b.frames.push(performance.now());
  b.tick = () => {
    if (!b.rec) return;
    requestAnimationFrame(() => {
      channel.port2.postMessage(0);
      b.tick();
    });
  };
  b.tick();
  b.ready = {
    map: () => {
      const cards = [...document.querySelectorAll("[data-testid=touchpoint]")];
      const status = document.querySelector("[data-testid=data-status]");
      return (
        cards.length === 40 &&
        cards.every((c) => c.querySelector("[data-testid=measured] [data-metric=nps]")) &&
        status &&
        !/Loading/.test(status.textContent)
      );
    },
    dashboard: () => {
      const status = document.querySelector("[data-testid=data-status]");
      return status && !/Loading/.test(status.textContent) && !!document.querySelector("[data-chart=answers-by-cell] svg");
    },
    any: () => true,
  };
  /** What each card, roll-up and chart shows, to check a change changed it. */
  b.shown = () => {
    const html = (sel) => [...document.querySelectorAll(sel)].map((e) => e.querySelector("[data-testid=measured]")?.outerHTML ?? "");
    return {
      cards: html("[data-testid=touchpoint]"),
      stages: html("[data-testid=stage-head]"),
      lanes: html("[data-testid=channel-lane]"),
      charts: [...document.querySelectorAll("[data-testid=chart]")].map((c) => c.dataset.chart + c.querySelector(".chart-svg").innerHTML),
    };
  };
  /** Waits until `ready` holds and the page has been still for `quiet` ms. */
  b.settle = async (t0, ready, quiet) => {
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      const now = performance.now();
      const last = b.muts.length ? b.muts[b.muts.length - 1].t : t0;
      if (b.ready[ready]() && now - last >= quiet && now - t0 >= quiet) return now;
      if (now - t0 > 120_000) {
        const cards = document.querySelectorAll("[data-testid=touchpoint]");
        const figures = document.querySelectorAll("[data-testid=touchpoint] [data-testid=measured] [data-metric=nps]");
        const status = document.querySelector("[data-testid=data-status]")?.textContent;
        throw new Error(`not ${ready} after 120 s: ${cards.length} cards, ${figures.length} with an NPS figure, status ${JSON.stringify(status)}`);
      }
    }
  };
  /** The figures of one window, from t0 (ms since navigation). */
  b.report = (t0, end) => {
    const lastOf = (mask) => {
      const hits = b.muts.filter((m) => m.kinds & mask);
      return hits.length ? hits[hits.length - 1].t : null;
    };
    const frameAfter = (t) => (t === null ? null : (b.frames.find((f) => f >= t) ?? null));
    const rel = (t) => (t === null ? null : t - t0);
    const tasks = b.longTasks.filter((l) => l.start + l.duration > t0 && l.start < end);
    const fig = lastOf(FIG);
    const chart = lastOf(CHART);
    const all = lastOf(FIG | CHART | EMOTION | STATUS | OTHER);
    return {
      figures: rel(fig),
      figuresFrame: rel(frameAfter(fig)),
      charts: rel(chart),
      chartsFrame: rel(frameAfter(chart)),
      emotion: rel(lastOf(EMOTION)),
      status: rel(lastOf(STATUS)),
      all: rel(all),
      allFrame: rel(frameAfter(all)),
      longest: Math.max(0, ...tasks.map((l) => l.duration)),
      longTasks: tasks.map((l) => Math.round(l.duration)),
    };
  };
  /** Runs `action` and times the page's response to it. */
  b.measure = async (action, ready, quiet) => {
    b.muts = [];
    b.frames = [];
    b.rec = true;
    b.tick();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const t0 = performance.now();
    action();
    const end = await b.settle(t0, ready, quiet);
    b.rec = false;
    return b.report(t0, end);
  };
  /** One change of a date field, as the browser fires it. */
  b.changeDate = async (which, value) => {
    const input = document.querySelector(`[data-testid=filter-${which}]`);
    const before = b.shown();
    const r = await b.measure(
      () => {
        input.value = value;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      },
      "any",
      700,
    );
    const after = b.shown();
    const changed = (k) => after[k].filter((x, i) => x !== before[k][i]).length;
    r.changed = {
      cards: `${changed("cards")}/${after.cards.length}`,
      stages: `${changed("stages")}/${after.stages.length}`,
      lanes: `${changed("lanes")}/${after.lanes.length}`,
      charts: `${changed("charts")}/${after.charts.length}`,
    };
    r.url = location.hash;
    return r;
  };
}

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x) => (x === null || x === undefined ? "-" : `${x.toFixed(0)} ms`);
const spread = (xs) => `p50 ${ms(q(xs, 50))}, p95 ${ms(q(xs, 95))} (${ms(Math.min(...xs))}–${ms(Math.max(...xs))})`;

/** The generated file's folder, removed however the run ends. */
let dir;
test.afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test("insights: date filter, dashboard and map opening with 500 000 rows on 40 touchpoints", async ({ page, browser }) => {
  const lines = [""];
  const say = (s) => {
    lines.push(s);
    console.log(s);
  };
  dir = await mkdtemp(join(tmpdir(), "waymark-insights-bench-"));
  const file = join(dir, "feedback-500k-40tp.csv");
  const cdp = PROFILE_DIR ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await mkdir(PROFILE_DIR, { recursive: true });
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  }
  /** Runs `part`, recording a CPU profile of it with BENCH_CPU_PROFILE. */
  if (TRACE_DIR) await mkdir(TRACE_DIR, { recursive: true });
  const profiled = async (name, part) => {
    if (TRACE_DIR) {
      await browser.startTracing(page, {
        path: join(TRACE_DIR, `${name}.trace.json`),
        categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "blink", "IndexedDB", "toplevel"],
      });
      const result = await part();
      await browser.stopTracing();
      return result;
    }
    if (!cdp) return part();
    await cdp.send("Profiler.start");
    const result = await part();
    const { profile } = await cdp.send("Profiler.stop");
    await writeFile(join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
    return result;
  };
  const size = await generate(file);
  say(`file: ${(size / (1 << 20)).toFixed(1)} MB, ${ROWS} rows, ${KEYS.length} touchpoint keys, dates ${day(0)} to ${day(DAYS - 1)}`);

  page.on("pageerror", (e) => say(`page error: ${e.message}`));
  await page.addInitScript(harness);
  await page.goto("./#/");
  await page.evaluate(() => (window.__bench.rec = false));

  // The retail example (9 cards with feedback keys), then 31 more cards
  // spread over its cells, each given a key in the detail panel.
  await page.locator("[data-template=retail]").click();
  await expect(page).toHaveURL(/#\/map\/m-[a-z0-9]+$/);
  const mapHash = await page.evaluate(() => location.hash);
  const adders = page.getByRole("button", { name: /^Add touchpoint in / });
  const cells = await adders.count();
  const detail = page.getByTestId("detail");
  for (let i = 0; i < ADDED; i++) {
    await adders.nth((i * 3) % cells).click();
    await expect(detail.getByLabel("Touchpoint name")).toBeFocused();
    await detail.getByLabel("Touchpoint name").fill(`Bench card ${i + 1}`);
    await detail.getByLabel("Feedback key").fill(addedKey(i));
  }
  await expect(page.getByTestId("touchpoint")).toHaveCount(40);
  await expect(page.getByTestId("save-state")).toHaveText("All changes saved in this browser");

  // The import, as the import benchmark does it; the dataset is saved to
  // IndexedDB once the results show.
  await page.evaluate(() => (location.hash += "/import"));
  await page.getByTestId("import-file").setInputFiles(file);
  await expect(page.getByTestId("start-import")).toBeVisible();
  await page.getByTestId("start-import").click();
  await expect(page.getByTestId("report")).toBeVisible();
  await expect(page.getByTestId("datasets").locator("li")).toHaveCount(1);
  const rows = await page.getByTestId("rows-read").textContent();
  say(`imported ${rows} rows`);

  // Opening the map from the import page: the dataset is read from
  // IndexedDB, placed on the map and counted.
  const openMap = await profiled("open-map", () =>
    page.evaluate((h) => window.__bench.measure(() => (location.hash = h), "map", 700), mapHash),
  );
  const linked = await page.getByTestId("data-status").textContent();
  say(`status line: ${linked}`);

  const onMap = [];
  await profiled("map-changes", async () => {
    for (const [which, value] of dateChanges(1)) {
      onMap.push(await page.evaluate(([w, v]) => window.__bench.changeDate(w, v), [which, value]));
    }
  });

  // The dashboard, from the map's link to it.
  const openDash = await profiled("open-dashboard", () =>
    page.evaluate(() =>
      window.__bench.measure(() => document.querySelector("[data-testid=other-view]").click(), "dashboard", 700),
    ),
  );
  const chartCount = await page.getByTestId("chart").count();
  const onDash = [];
  await profiled("dashboard-changes", async () => {
    for (const [which, value] of dateChanges(2)) {
      onDash.push(await page.evaluate(([w, v]) => window.__bench.changeDate(w, v), [which, value]));
    }
  });

  // Fresh page loads, timed from navigation: the map, then the dashboard
  // (each with the filter the link now carries).
  const dashHash = await page.evaluate(() => location.hash);
  const mapWithFilter = dashHash.replace("/insights", "");
  await page.evaluate((h) => (location.hash = h), mapWithFilter);
  await expect(page.getByTestId("filter-bar")).toBeVisible();
  await page.reload();
  const coldMap = await page.evaluate(async () => {
    const end = await window.__bench.settle(0, "map", 700);
    window.__bench.rec = false;
    return window.__bench.report(0, end);
  });
  await page.evaluate((h) => (location.hash = h), dashHash);
  await page.reload();
  const coldDash = await page.evaluate(async () => {
    const end = await window.__bench.settle(0, "dashboard", 700);
    window.__bench.rec = false;
    return window.__bench.report(0, end);
  });

  const col = (xs, k) => xs.map((x) => x[k]);
  const longest = (xs) => Math.max(...xs.map((x) => x.longest));
  const tasks = (xs) => xs.flatMap((x) => x.longTasks).sort((a, b) => b - a);
  say("");
  say("per change on the map (ms to the frame with every card, stage head and lane updated / longest task / cards, stages, lanes changed):");
  say("  " + onMap.map((r) => `${r.figuresFrame?.toFixed(0)}/${r.longest.toFixed(0)}/${r.changed.cards},${r.changed.stages},${r.changed.lanes}`).join(" "));
  say("per change on the dashboard (ms to the frame with every chart updated / longest task / charts changed):");
  say("  " + onDash.map((r) => `${r.allFrame?.toFixed(0)}/${r.longest.toFixed(0)}/${r.changed.charts}`).join(" "));
  say("");
  say(`== Insights benchmark (issue 21): ${ROWS} rows, 40 touchpoints, headless Chromium, release build ==`);
  say(`date filter on the map, ${CHANGES} changes, change event → frame with every card/roll-up updated: ${spread(col(onMap, "figuresFrame"))}; DOM updated ${spread(col(onMap, "figures"))}`);
  say(`  longest main-thread task during the map changes: ${ms(longest(onMap))} (long tasks ≥ 50 ms: ${tasks(onMap).length}, longest five ${tasks(onMap).slice(0, 5).join(", ") || "none"}); emotion curve redrawn (200 ms debounce) at ${spread(col(onMap, "emotion").filter((x) => x !== null))}`);
  say(`date filter on the dashboard, ${CHANGES} changes, change event → frame with all ${chartCount} charts updated: ${spread(col(onDash, "allFrame"))}; DOM updated ${spread(col(onDash, "all"))}`);
  say(`  longest main-thread task during the dashboard changes: ${ms(longest(onDash))} (long tasks ≥ 50 ms: ${tasks(onDash).length}, longest five ${tasks(onDash).slice(0, 5).join(", ") || "none"})`);
  say(`opening the dashboard from the map (click → all charts drawn, frame): ${ms(openDash.allFrame)}; longest task ${ms(openDash.longest)} (long tasks ${openDash.longTasks.join(", ") || "none"})`);
  say(`opening the map from the import page (hash change → figures on all 40 cards, frame): ${ms(openMap.figuresFrame)}; longest task ${ms(openMap.longest)} (long tasks ${openMap.longTasks.join(", ") || "none"})`);
  say(`fresh load of the map (navigation → figures on all 40 cards, frame): ${ms(coldMap.figuresFrame)}; longest task ${ms(coldMap.longest)} (long tasks ${coldMap.longTasks.join(", ") || "none"})`);
  say(`fresh load of the dashboard (navigation → all charts drawn, frame): ${ms(coldDash.allFrame)}; longest task ${ms(coldDash.longest)} (long tasks ${coldDash.longTasks.join(", ") || "none"})`);
  say("");

  // Each timed change really changed what it waited for.
  for (const r of onMap) expect(r.changed.cards, `map change ${r.url}`).toBe("40/40");
  for (const r of onDash) expect(Number(r.changed.charts.split("/")[0]), `dashboard change ${r.url}`).toBeGreaterThan(0);
  expect(rows.replaceAll(",", "")).toBe(String(ROWS));
});
