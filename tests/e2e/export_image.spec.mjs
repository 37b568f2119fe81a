// Issue 22, part 2: the whole map leaves the browser as an SVG and a PNG
// (every card, escaped), and prints as A4-landscape pages that split the
// stages and repeat the lane labels on every page, light even in dark mode.
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { test, expect } from "./fixtures.mjs";

const XSS = '<script>alert(1)</script>"><svg onload=alert(1)>';
const escapeXml = (s) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** The retail example with one card renamed to a script, saved. */
async function retailWithScript(page, app) {
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("map-name")).toHaveValue(/Retail/);
  await page.getByTestId("touchpoint").filter({ hasText: "Posts about the brand" }).getByRole("button").click();
  await page.getByTestId("detail").getByLabel("Touchpoint name").fill(XSS);
  await expect(page.getByTestId("touchpoint").filter({ hasText: XSS })).toHaveCount(1);
  await expect(page.getByTestId("save-state")).toHaveText("All changes saved in this browser");
  return page.getByTestId("touchpoint").locator(".tp-name").allTextContents();
}

async function exportAs(page, item) {
  await page.getByTestId("export-menu").locator("summary").click();
  const download = page.waitForEvent("download");
  await page.getByTestId(item).click();
  return download;
}

test("the SVG export holds every card, escaped, and opens as a clean map", async ({ page, app, context }, info) => {
  const names = await retailWithScript(page, app);
  expect(names.length).toBeGreaterThan(5);
  const file = await exportAs(page, "export-svg");
  expect(file.suggestedFilename()).toBe("retail-from-instagram-ad-to-easy-return.svg");
  // Saved under its own name: a download's temporary file has no extension
  // for the browser to know it as SVG by.
  const path = info.outputPath(file.suggestedFilename());
  await file.saveAs(path);
  const svg = await readFile(path, "utf8");
  expect(svg.startsWith("<?xml")).toBe(true);
  for (const name of names) expect(svg, name).toContain(escapeXml(name));
  expect(svg).not.toContain("<script");
  expect(svg).not.toContain("<svg onload");
  expect(svg).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");

  // Opened on its own, nothing in it runs, and it reads as a journey map.
  const viewer = await context.newPage();
  const dialogs = [];
  viewer.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  const [, w, h] = svg.match(/<svg[^>]* width="(\d+)" height="(\d+)"/);
  await viewer.setViewportSize({ width: Number(w), height: Number(h) });
  await viewer.goto(pathToFileURL(path).href);
  await expect(viewer.locator("svg text").first()).toBeVisible();
  // A whole-page screenshot never finishes on an SVG document; the
  // viewport is the picture's size instead.
  await viewer.screenshot({ path: info.outputPath("map.svg.png") });
  expect(dialogs).toEqual([]);
  await viewer.close();
});

test("the PNG export is the map at twice its size", async ({ page, app }) => {
  await retailWithScript(page, app);
  const svgFile = await exportAs(page, "export-svg");
  const svg = await readFile(await svgFile.path(), "utf8");
  const [, w, h] = svg.match(/<svg[^>]* width="(\d+)" height="(\d+)"/);
  const file = await exportAs(page, "export-png");
  expect(file.suggestedFilename()).toBe("retail-from-instagram-ad-to-easy-return.png");
  const png = await readFile(await file.path());
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
  expect(png.readUInt32BE(16)).toBe(2 * Number(w));
  expect(png.readUInt32BE(20)).toBe(2 * Number(h));
  // A drawn map, not a blank canvas: blank PNGs of this size are tiny.
  expect(png.length).toBeGreaterThan(100_000);
});

test("print splits the map into A4 pages with the lane labels on each, light in dark mode", async ({ page, app }, info) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await retailWithScript(page, app);
  await page.emulateMedia({ media: "print", colorScheme: "dark" });
  const pages = page.getByTestId("print-page");
  await expect(pages.first()).toBeVisible();
  const count = await pages.count();
  expect(count).toBeGreaterThanOrEqual(2);
  await expect(page.locator(".map-screen")).toBeHidden();
  await expect(page.locator(".topbar")).toBeHidden();
  const lanes = ["Customer actions", "Instagram", "Website", "Store", "Emotion curve", "Pain points", "Backstage"];
  const seen = new Set();
  for (let i = 0; i < count; i++) {
    const labels = await pages.nth(i).locator(".lane-label").allTextContents();
    expect(labels.length, `page ${i + 1} has lane labels`).toBeGreaterThan(0);
    await expect(pages.nth(i)).toContainText("Lane / stage");
    for (const l of lanes) if (labels.some((t) => t.includes(l))) seen.add(l);
  }
  expect([...seen].sort()).toEqual([...lanes].sort());
  // The script-named card is text in the pages, never an element.
  await expect(pages.first()).toContainText(XSS);
  await expect(page.locator(".print-map script, .print-map [onload], .print-map img")).toHaveCount(0);
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe("rgb(255, 255, 255)");
  await page.screenshot({ path: info.outputPath("print.png"), fullPage: true });

  const pdf = (await page.pdf({ format: "A4", landscape: true })).toString("latin1");
  const sheets = pdf.match(/\/Type\s*\/Page(?!s)/g) ?? [];
  expect(sheets.length).toBe(count);
});
