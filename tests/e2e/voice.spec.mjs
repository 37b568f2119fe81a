// Issue 23: the voice of the customer — comment sentiment on the map, in
// every way of opening the app. Figures must equal what `waymark-cli
// comments` prints for the same file.
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { test, expect, retailWithFile } from "./fixtures.mjs";

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
  const mapHash = await retailWithFile(page, app, file);
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

  // The exported picture and the print pages say what the card says.
  await page.getByTestId("export-menu").locator("summary").click();
  const download = page.waitForEvent("download");
  await page.getByTestId("export-svg").click();
  const svg = await readFile(await (await download).path(), "utf8");
  const pct = `(${Math.floor(share)}|${Math.ceil(share)})`;
  expect(svg).toMatch(new RegExp(`Negative ${pct} % (\\(\\d+–\\d+\\) )?· n ${here.length}<`));
  expect(svg).toContain("Comment sentiment (VADER)");
  expect(svg).not.toContain("<img");
  await expect(page.getByTestId("print-map")).toContainText(new RegExp(`Negative ${pct} %`));
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

test("the explorer finds a comment by a phrase and shows its whole row", async ({ page, app }) => {
  const mapHash = await retailWithComments(page, app);
  await page.getByTestId("voice-comments").click();
  await expect(page).toHaveURL(new RegExp(`${mapHash}/comments`));
  const all = comments();
  await expect(page.getByTestId("comment-count")).toHaveText(`${all.length} of ${all.length} comments`);
  await page.getByTestId("comment-search").fill('"record of my CHAT"');
  const want = all.filter((r) => r.comment.toLowerCase().includes("record of my chat")).length;
  expect(want).toBeGreaterThan(0);
  await expect(page.getByTestId("comment-count")).toHaveText(`${want} of ${all.length} comments`);
  const first = page.getByTestId("comment").first();
  await expect(first.locator("mark")).toHaveText(/record of my chat/i);
  await first.click();
  const detail = page.getByTestId("comment-detail");
  await expect(detail).toContainText("Email");
  await expect(detail).toContainText("@example.com");
  await expect(detail).toContainText("return_support");

  // Filters narrow like the CLI's.
  await page.getByTestId("comment-search").fill("");
  await page.getByTestId("comment-sentiment").selectOption("negative");
  const negative = all.filter((r) => r.label === "negative").length;
  await expect(page.getByTestId("comment-count")).toHaveText(`${negative} of ${all.length} comments`);
  // Markup in a comment is text.
  await page.getByTestId("comment-search").fill("onerror");
  await expect(page.getByTestId("comment").first()).toContainText("<img src=x onerror=alert(1)>");
  expect(await page.locator("img[src=x]").count()).toBe(0);
});

test("a detractor marked contacted stays contacted after a reload, and the list exports formula-safe", async ({ page, app }) => {
  const mapHash = await retailWithComments(page, app);
  await page.getByTestId("voice-follow-ups").click();
  await expect(page).toHaveURL(new RegExp(`${mapHash}/follow-ups`));
  const rows = page.getByTestId("followup");
  await expect(rows.first()).toBeVisible();
  await page.getByTestId("followup-search").fill("HYPERLINK");
  await expect(rows).toHaveCount(1);
  const row = rows.first();
  const key = await row.getAttribute("data-key");
  await row.getByTestId("followup-status").selectOption("contacted");
  await row.getByTestId("followup-owner").fill("Dana");
  await row.getByTestId("followup-owner").press("Enter");
  await row.getByTestId("followup-note").fill("Called back, refund sent");
  await row.getByTestId("followup-note").press("Tab");

  await app.reload();
  await page.getByTestId("followup-search").fill("HYPERLINK");
  const again = page.locator(`[data-testid=followup][data-key="${key}"]`);
  await expect(again).toHaveAttribute("data-status", "contacted");
  await expect(again.getByTestId("followup-owner")).toHaveValue("Dana");
  await expect(again.getByTestId("followup-note")).toHaveValue("Called back, refund sent");

  await page.getByTestId("followup-status-filter").selectOption("contacted");
  await expect(page.getByTestId("followup")).toHaveCount(1);
  const download = page.waitForEvent("download");
  await page.getByTestId("followup-export").click();
  const exported = await download;
  let text = "";
  for await (const chunk of await exported.createReadStream()) text += chunk;
  const [header, line] = text.trim().split("\n");
  expect(header).toContain('"customer","touchpoint","date","score"');
  expect(line).toContain(`"'=HYPERLINK(""http://evil.example"",""refund"") terrible support"`);
  expect(line).toContain('"contacted","Dana","Called back, refund sent"');
  expect(line).toMatch(/,1,"NPS 0-10",/);

  // The dataset deleted: the touched follow-up stays, and says its source
  // is gone; the same file imported again brings it back, still contacted.
  await page.evaluate((h) => (location.hash = `${h}/import`), mapHash);
  const list = page.getByTestId("datasets");
  await list.getByRole("button", { name: "Delete" }).click();
  await expect(list).toHaveCount(0);
  await page.evaluate((h) => (location.hash = `${h}/follow-ups`), mapHash);
  await expect(page.getByTestId("followup")).toHaveCount(1);
  await expect(again).toHaveAttribute("data-status", "contacted");
  await expect(again.getByTestId("source-gone")).toBeVisible();

  await page.evaluate((h) => (location.hash = `${h}/import`), mapHash);
  await page.getByTestId("import-file").setInputFiles(file);
  await page.getByTestId("start-import").click();
  await expect(page.getByTestId("report")).toBeVisible();
  await page.evaluate((h) => (location.hash = `${h}/follow-ups`), mapHash);
  await page.getByTestId("followup-search").fill("HYPERLINK");
  await expect(again).toHaveAttribute("data-status", "contacted");
  await expect(again.getByTestId("source-gone")).toHaveCount(0);
});

test("hotspots put the fixture's worst touchpoint first, with its complaint terms and comments", async ({ page, app }) => {
  const mapHash = await retailWithComments(page, app);
  await page.getByTestId("voice-hotspots").click();
  await expect(page).toHaveURL(new RegExp(`${mapHash}/hotspots`));
  const first = page.getByTestId("hotspot").first();
  await expect(first).toContainText("Return handled by support");
  await expect(first).toContainText("NPS");
  const terms = first.getByTestId("complaint-terms").locator("[data-term]");
  const words = await terms.evaluateAll((els) => els.map((e) => e.getAttribute("data-term")));
  expect(words.some((w) => /hold|repeat|order number|record/.test(w)), words.join(", ")).toBe(true);
  await expect(first.getByTestId("hotspot-comments").locator("li").first()).toBeVisible();
  // The ranking rule is said where the list is.
  await expect(page.locator(".hotspots-how")).toContainText("optimistic end of the 95 % interval");
  // Impacts descend.
  const impacts = await page.getByTestId("hotspot").evaluateAll((els) => els.map((e) => Number(e.dataset.impact)));
  expect(impacts).toEqual([...impacts].sort((a, b) => b - a));
});
