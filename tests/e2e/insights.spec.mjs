// Issue 21: imported feedback on the map and its dashboard, in every way of
// opening the app. Every figure must equal what `waymark-cli summarize`,
// `trend` and `compare` print for the same file.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { test, expect, retailWithFile } from "./fixtures.mjs";

const root = resolve(import.meta.dirname, "../..");
const file = resolve(root, "tests/fixtures/feedback/retail_pilot.csv");

function cli(...args) {
  const out = execFileSync("cargo", ["run", "--quiet", "--bin", "waymark-cli", "--", ...args], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out);
}

/** The retail example's cards and the feedback key each has. */
const CARDS = {
  ig_ad: "Sees Instagram ad",
  web_reviews: "Reads reviews on the website",
  app_cart: "Adds the jacket to the app cart",
  chat_sizing: "Asks live chat about sizing",
  store_visit: "Visits the store; staff see her online cart",
  store_purchase: "Buys in store",
  followup_email: "Receives follow-up email",
  return_support: "Return handled by support with full history",
  social_mention: "Posts about the brand",
};

/** Creates the retail example, imports the pilot export, opens the map. */
function retailWithData(page, app) {
  return retailWithFile(page, app, file);
}

function card(page, key) {
  return page.getByTestId("touchpoint").filter({ hasText: CARDS[key] });
}

async function figure(scope, metric) {
  const el = scope.locator(`[data-testid=measured] [data-metric=${metric}]`).first();
  await expect(el).toBeVisible();
  return { value: Number(await el.getAttribute("data-value")), n: Number(await el.getAttribute("data-n")) };
}

/** Numbers in a table cell, e.g. "12.3", "−4.0 to 8.1", "45.2%". */
function numbers(text) {
  return [...text.replaceAll("−", "-").matchAll(/-?\d+(\.\d+)?/g)].map((m) => Number(m[0]));
}

async function tableRows(chart) {
  const table = chart.getByTestId("chart-table");
  return table.locator("tbody tr").evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent.trim())),
  );
}

test("measured scores reach the cards, stage heads, lanes and emotion lane", async ({ page, app }) => {
  const summary = cli("summarize", file);
  await retailWithData(page, app);
  for (const key of Object.keys(CARDS)) {
    const want = summary.metrics.by_touchpoint[key];
    const c = card(page, key);
    const nps = await figure(c, "nps");
    expect(nps.value, `${key} NPS`).toBeCloseTo(want.nps.score, 9);
    expect(nps.n).toBe(want.nps.n);
    const csat = await figure(c, "csat");
    expect(csat.value, `${key} CSAT`).toBeCloseTo(want.csat.percent, 9);
    const ces = await figure(c, "ces");
    expect(ces.value, `${key} CES`).toBeCloseTo(want.ces.mean, 9);
    // A verdict is written, never told by colour alone.
    await expect(c.locator("[data-testid=measured] [data-metric=nps]")).toHaveAttribute("data-verdict", /.+/);
  }
  // The Purchase stage holds the store visit and the purchase in store: its
  // roll-up counts all their answers, not an average of their scores.
  const purchase = page.getByTestId("stage-head").filter({ hasText: "Purchase" });
  const rollup = await figure(purchase, "nps");
  const keys = ["store_visit", "store_purchase"];
  const n = keys.reduce((sum, k) => sum + summary.metrics.by_touchpoint[k].nps.n, 0);
  expect(rollup.n).toBe(n);
  const promoters = keys.reduce((s, k) => s + summary.metrics.by_touchpoint[k].nps.promoters, 0);
  const detractors = keys.reduce((s, k) => s + summary.metrics.by_touchpoint[k].nps.detractors, 0);
  expect(rollup.value).toBeCloseTo(((promoters - detractors) / n) * 100, 9);
  // The Store lane: its rows by channel value.
  const store = page.getByTestId("channel-lane").filter({ has: page.getByText("Store", { exact: true }) });
  expect((await figure(store, "nps")).n).toBe(summary.metrics.by_channel["Store"].nps.n);
  // The measured curve on the emotion lane.
  await expect(page.getByTestId("emotion-lane")).toContainText("Measured: NPS per stage");
  await expect(page.getByTestId("emotion-lane").locator("[role=cell]")).toHaveAttribute("aria-label", /Measured curve per stage from NPS/);
  // A touchpoint no row names says so.
  await expect(page.getByTestId("data-status")).toContainText("613");
});

test("the date filter changes cards and charts alike, and lives in the link", async ({ page, app }) => {
  const split = cli("compare", file, "--split-at", "2024-03-01", "--by", "touchpoint");
  const mapHash = await retailWithData(page, app);
  await page.getByTestId("filter-from").fill("2024-03-01");
  await page.getByTestId("filter-from").dispatchEvent("change");
  await expect(page).toHaveURL(/\?from=2024-03-01/);
  for (const key of ["app_cart", "store_visit"]) {
    const want = split.groups[key].after;
    const nps = await figure(card(page, key), "nps");
    expect(nps.n, key).toBe(want.nps.n);
    expect(nps.value, key).toBeCloseTo(want.nps.score, 9);
  }
  // The link keeps the filter: a reload shows the same figures.
  await app.reload();
  const again = await figure(card(page, "app_cart"), "nps");
  expect(again.n).toBe(split.groups.app_cart.after.nps.n);
  await expect(page.getByTestId("filter-from")).toHaveValue("2024-03-01");
  // The dashboard follows the same filter.
  await page.getByTestId("other-view").click();
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await expect(page).toHaveURL(/insights\?from=2024-03-01/);
  const chart = page.locator("[data-chart=by-touchpoint]");
  const rows = await tableRows(chart);
  const cart = rows.find((r) => r[0] === CARDS.app_cart);
  expect(numbers(cart[1])[0]).toBeCloseTo(split.groups.app_cart.after.nps.score, 1);
  expect(Number(cart[3])).toBe(split.groups.app_cart.after.nps.n);
  // A filter that leaves nothing says so where the user looks.
  await page.getByTestId("filter-to").fill("2024-02-01");
  await page.getByTestId("filter-to").dispatchEvent("change");
  await expect(page.getByTestId("data-status")).toContainText("start date is after the end date");
  expect(mapHash).toMatch(/^#\/map\//);
});

test("the dashboard draws every chart with the CLI's numbers", async ({ page, app }) => {
  const summary = cli("summarize", file);
  const trend = cli("trend", file, "--every", "month");
  const compare = cli("compare", file, "--split-at", "2024-03-01");
  await retailWithData(page, app);
  await page.getByTestId("other-view").click();
  await expect(page.getByTestId("dashboard")).toBeVisible();
  for (const slug of ["by-touchpoint", "by-stage", "by-channel", "trend", "answers-by-cell", "distribution-nps"]) {
    const chart = page.locator(`[data-chart=${slug}]`);
    await expect(chart.locator("svg")).toBeVisible();
    await expect(chart.locator("svg title").first()).not.toBeEmpty();
  }

  // By touchpoint: each bar's figure, n and interval.
  const bars = await tableRows(page.locator("[data-chart=by-touchpoint]"));
  for (const [key, name] of Object.entries(CARDS)) {
    const row = bars.find((r) => r[0] === name);
    const want = summary.metrics.by_touchpoint[key].nps;
    expect(numbers(row[1])[0], name).toBeCloseTo(want.score, 1);
    const [lo, hi] = numbers(row[2]);
    expect(lo).toBeCloseTo(want.ci95[0], 1);
    expect(hi).toBeCloseTo(want.ci95[1], 1);
    expect(Number(row[3])).toBe(want.n);
  }

  // Trend by month for the whole journey.
  const months = await tableRows(page.locator("[data-chart=trend]"));
  const buckets = trend.buckets;
  expect(months.length).toBe(buckets.length);
  for (const [i, b] of buckets.entries()) {
    expect(months[i][0]).toBe(b.start.slice(0, 7));
    expect(numbers(months[i][1])[0]).toBeCloseTo(b.metrics.nps.score, 1);
    expect(Number(months[i][3])).toBe(b.metrics.nps.n);
  }

  // Before / after 2024-03-01.
  await page.getByTestId("split-at").fill("2024-03-01");
  await page.getByTestId("split-at").dispatchEvent("change");
  const ba = await tableRows(page.locator("[data-chart=before-after]"));
  for (const [metric, label, value] of [
    ["nps", "NPS", (s) => s.score],
    ["csat", "CSAT", (s) => s.percent],
    ["ces", "CES", (s) => s.mean],
  ]) {
    const row = ba.find((r) => r[0] === label);
    expect(numbers(row[1])[0]).toBeCloseTo(value(compare.before[metric]), 1);
    expect(Number(row[3])).toBe(compare.before[metric].n);
    expect(numbers(row[4])[0]).toBeCloseTo(value(compare.after[metric]), 1);
    expect(Number(row[6])).toBe(compare.after[metric].n);
    expect(numbers(row[7])[0]).toBeCloseTo(compare.difference[metric].delta, 1);
    const [lo, hi] = numbers(row[8]);
    expect(lo).toBeCloseTo(compare.difference[metric].ci95[0], 1);
    expect(hi).toBeCloseTo(compare.difference[metric].ci95[1], 1);
    expect(row[10]).toMatch(compare.difference[metric].significant ? /unlikely to be chance/ : /could be chance/);
  }

  // A / B between the two segments.
  const ab = cli("compare", file, "--between", "Segment=omni_shopper,store_first");
  await page.getByTestId("ab-column").selectOption("Segment");
  await page.getByTestId("ab-a").selectOption("omni_shopper");
  await page.getByTestId("ab-b").selectOption("store_first");
  const abRows = await tableRows(page.locator("[data-chart=a-b]"));
  const nps = abRows.find((r) => r[0] === "NPS");
  expect(numbers(nps[1])[0]).toBeCloseTo(ab.a.nps.score, 1);
  expect(numbers(nps[4])[0]).toBeCloseTo(ab.b.nps.score, 1);
  expect(numbers(nps[7])[0]).toBeCloseTo(ab.difference.nps.delta, 1);

  // A split date outside the data says so.
  await page.getByTestId("split-at").fill("2030-01-01");
  await page.getByTestId("split-at").dispatchEvent("change");
  await expect(page.getByTestId("before-after-message")).toContainText("outside the data");
});

test("a map without feedback says how to get some", async ({ page, app }) => {
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("data-status")).toContainText("No feedback imported for this map yet");
  await expect(page.getByTestId("measured")).toHaveCount(0);
});

test("a channel value is linked to a lane on the import page, and the map remembers it", async ({ page, app }) => {
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page).toHaveURL(/#\/map\/m-[a-z0-9]+$/);
  const mapHash = await page.evaluate(() => location.hash);
  await page.evaluate(() => (location.hash += "/import"));
  await page.getByTestId("import-file").setInputFiles(file);
  await page.getByTestId("start-import").click();
  const lanes = page.getByTestId("channel-lanes");
  await expect(lanes.locator('tr[data-value="Store"]')).toContainText("lane name");
  const web = lanes.locator('tr[data-value="web"]');
  await expect(web).toContainText("not linked");
  // Channel values are offered lanes, never touchpoints.
  await expect(page.getByTestId("unmatched").locator('tr[data-value="web"]')).toHaveCount(0);
  const website = await web.locator("option", { hasText: "Website" }).getAttribute("value");
  await web.getByRole("combobox").selectOption(website);
  await expect(web).toContainText("linked");
  await expect(page.getByTestId("datasets").locator("li")).toHaveCount(1);
  await page.evaluate((h) => (location.hash = h), mapHash);
  await page.getByTestId("channel-links").locator("summary").click();
  await expect(page.getByTestId("channel-links")).toContainText("all linked to lanes");
  await app.reload();
  await expect(page.getByTestId("channel-links")).toContainText("all linked to lanes");
});
