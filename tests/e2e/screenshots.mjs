// Refreshes the README's screenshots from a release build: the retail
// example with the pilot export imported, on the map and the dashboard.
//   node tests/e2e/screenshots.mjs [dist] [folder for extra shots]
// With a second argument it also writes the pages this release changed at
// phone width, in dark mode and in print emulation, to look at.
import { chromium } from "@playwright/test";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { launchOptions } from "./chromium.mjs";

const root = resolve(import.meta.dirname, "../..");
const dist = resolve(process.argv[2] ?? join(root, "dist"));
const extra = process.argv[3];
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png" };

const server = createServer(async (req, res) => {
  let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (path.endsWith("/")) path += "index.html";
  try {
    const body = await readFile(join(dist, path));
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
}).listen(0, "127.0.0.1");
await new Promise((r) => server.once("listening", r));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch(launchOptions);
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.goto(base);
await page.locator("[data-template=retail]").click();
await page.waitForURL(/#\/map\/m-[a-z0-9]+$/);
const mapHash = await page.evaluate(() => location.hash);
await page.evaluate(() => (location.hash += "/import"));
await page.getByTestId("import-file").setInputFiles(join(root, "tests/fixtures/feedback/retail_pilot.csv"));
await page.getByTestId("start-import").click();
await page.getByTestId("report").waitFor();
await page.getByTestId("datasets").locator("li").first().waitFor();
await page.evaluate((h) => (location.hash = h), mapHash);
await page.getByTestId("filter-bar").waitFor();
// The comments' sentiment joins the figures once it is scored.
await page.getByTestId("sentiment-status").filter({ hasText: "Sentiment of" }).waitFor({ timeout: 60_000 });
await page.waitForTimeout(1500);
await page.screenshot({ path: join(root, "public/screenshot.png") });
await page.evaluate(() => (location.hash += "/insights"));
await page.waitForTimeout(2500);
await page.screenshot({ path: join(root, "public/dashboard.png") });

if (extra) {
  await page.evaluate((h) => (location.hash = h), mapHash);
  await page.getByTestId("filter-bar").waitFor();
  await page.getByTestId("export-menu").locator("summary").click();
  await page.getByTestId("make-share-link").click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(extra, "export-menu.png") });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: join(extra, "export-menu-dark.png") });
  await page.emulateMedia({ colorScheme: "light", media: "print" });
  await page.screenshot({ path: join(extra, "print.png"), fullPage: true });
  await page.emulateMedia({ media: "screen" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + "#/");
  await page.waitForTimeout(1000);
  await page.screenshot({ path: join(extra, "library-phone.png"), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: join(extra, "library.png"), fullPage: true });
}
await browser.close();
server.close();
