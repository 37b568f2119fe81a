// Issue 23: the voice of the customer — comment sentiment on the map, in
// every way of opening the app. Figures must equal what `waymark-cli
// comments` prints for the same file.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { test, expect } from "./fixtures.mjs";

const root = resolve(import.meta.dirname, "../..");
const file = resolve(root, "tests/fixtures/feedback/voice_pilot.csv");

/** `waymark-cli comments` rows as objects (the fixture has no line breaks in cells). */
function comments(...args) {
  const out = execFileSync("cargo", ["run", "--quiet", "--bin", "waymark-cli", "--", "comments", file, ...args], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  const [header, ...lines] = out.trim().split("\n");
  const keys = header.split(",").map((k) => k.replaceAll('"', ""));
  return lines.map((line) => {
    const cells = [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1].replace(/^"|"$/g, "").replaceAll('""', '"'));
    return Object.fromEntries(keys.map((k, i) => [k, cells[i]]));
  });
}

/** Creates the retail example, imports the comments, opens the map. */
async function retailWithComments(page, app) {
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page).toHaveURL(/#\/map\/m-[a-z0-9]+$/);
  const mapHash = await page.evaluate(() => location.hash);
  await page.evaluate(() => (location.hash += "/import"));
  await page.getByTestId("import-file").setInputFiles(file);
  await expect(page.getByTestId("source")).toBeVisible();
  await page.getByTestId("start-import").click();
  await expect(page.getByTestId("report")).toBeVisible();
  await expect(page.getByTestId("datasets").locator("li")).toHaveCount(1);
  await page.evaluate((h) => (location.hash = h), mapHash);
  await expect(page.getByTestId("filter-bar")).toBeVisible();
  await expect(page.getByTestId("sentiment-status")).toContainText("Sentiment of", { timeout: 30_000 });
  return mapHash;
}

test("comment sentiment reaches the cards with the CLI's numbers, and is stored", async ({ page, app }) => {
  await retailWithComments(page, app);
  const all = comments();
  const negative = all.filter((r) => r.label === "negative").length;
  await expect(page.getByTestId("sentiment-status")).toContainText(`Sentiment of ${all.length} comments`);
  await expect(page.getByTestId("sentiment-status")).toContainText(`${Math.round((negative * 100) / all.length)} % negative`);
  await expect(page.getByTestId("sentiment-status")).toContainText("English-only");

  const here = comments("--touchpoint", "return_support");
  const share = (here.filter((r) => r.label === "negative").length * 100) / here.length;
  const card = page.getByTestId("touchpoint").filter({ hasText: "Return handled by support" });
  const fig = card.getByTestId("measured-sentiment");
  await expect(fig).toHaveAttribute("data-n", String(here.length));
  expect(Number(await fig.getAttribute("data-negative"))).toBeCloseTo(share, 1);

  // Scored once: after a reload the figures come from the stored scores,
  // without scoring again.
  await app.reload();
  await expect(fig).toHaveAttribute("data-n", String(here.length));
  await expect(page.getByTestId("sentiment-status")).toContainText("Sentiment of");

  // Hostile comments are text, never markup.
  expect(await page.locator("img[src=x]").count()).toBe(0);

  // The second measured curve: the stages' mean sentiment.
  await expect(page.getByTestId("emotion-lane")).toContainText("Measured: mean comment sentiment per stage");
  await expect(page.getByTestId("emotion-lane").locator("[role=cell]")).toHaveAttribute("aria-label", /Sentiment curve/);
});

test("the dashboard ranks touchpoints by their share of negative comments", async ({ page, app }) => {
  await retailWithComments(page, app);
  await page.getByTestId("other-view").click();
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await page.getByTestId("score-pick").selectOption("negative");
  const chart = page.locator("[data-chart=by-touchpoint]");
  await expect(chart.locator("svg")).toContainText("Negative comments");
  const rows = await chart.getByTestId("chart-table").locator("tbody tr").evaluateAll((trs) =>
    trs.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent.trim())),
  );
  const here = comments("--touchpoint", "return_support");
  const share = (here.filter((r) => r.label === "negative").length * 100) / here.length;
  expect(rows[0][0]).toBe("Return handled by support with full history");
  expect(Number(rows[0][1].replace(/[^0-9.]/g, ""))).toBeCloseTo(share, 0);
  expect(rows[0]).toContain(String(here.length));
});
