// Issue 22, First load: how long until a library of 50 maps is on screen
// and answers a click, timed from the navigation's start (the page's time
// origin) in three cases:
//   - a first visit: a fresh profile, nothing cached, the 50 maps already
//     in storage (as after restoring a backup);
//   - a repeat visit: the service worker serves the app from its cache;
//   - inside the app: "All maps" clicked on an open map;
//   - the single file opened from disk, which unpacks the whole app first
//     (src/bin/waymark-unpack.rs).
// On the first visit, opening a map from the library is timed too: it
// fetches the whole app the first-load shell leaves out.
// Before each first visit, a fresh profile opens the same library saved as
// a plain page (the 50 rows, the stylesheet, no script): what the browser
// alone needs on this machine to show it, the floor under any first visit.
// "Interactive" is the first frame after the 50th row is in the page that
// follows a task queued behind it (see untilInteractive). Each case runs
// RUNS times; the median and the range are printed.
// It asserts no timings.
import { test, expect } from "@playwright/test";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const MAPS = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const SETTLE_MS = 1500;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
const report = (what, xs) =>
  console.log(`${what}: median ${median(xs).toFixed(0)} ms (${range(xs)} ms, ${xs.length} runs)`);

const dist = resolve(import.meta.dirname, "../../..", process.env.E2E_DIST ?? "dist");
const singleFile = pathToFileURL(resolve(dist, "waymark.html")).href;

/** The retail example, copied into 50 maps under fresh ids. */
async function seed(page, url = "/") {
  await page.goto(url);
  await page.locator("[data-template=retail]").click();
  await expect(page).toHaveURL(/#\/map\/m-[a-z0-9]+$/);
  await page.getByRole("link", { name: "All maps" }).click();
  await expect(page.getByTestId("map-row")).toHaveCount(1);
  const stored = await page.evaluate((maps) => {
    const key = Object.keys(localStorage).find((k) => /\.map\./.test(k));
    const envelope = JSON.parse(localStorage.getItem(key));
    const prefix = key.slice(0, key.indexOf("map.") + 4);
    for (let i = 1; i < maps; i++) {
      const id = `m-bench${String(i).padStart(2, "0")}`;
      const copy = structuredClone(envelope);
      copy.data.id = id;
      copy.data.name = `${envelope.data.name} ${i}`;
      localStorage.setItem(prefix + id, JSON.stringify(copy));
    }
    return Object.keys(localStorage).filter((k) => k.startsWith(prefix)).length;
  }, MAPS);
  expect(stored).toBe(MAPS);
  // The first listing indexes the copies; a user's library is indexed.
  await page.reload();
  await expect(page.getByTestId("map-row")).toHaveCount(MAPS);
}

/** Milliseconds from the navigation's start until 50 rows show and the
 * page's thread is free to answer input: the first frame, after the rows
 * are in, that follows a task queued behind them. Timed inside the page,
 * so Playwright's own round trips do not count. */
function untilShown(page) {
  return page.evaluate(
    (maps) =>
      new Promise((resolve) => {
        const poll = () => {
          if (document.querySelectorAll("[data-testid=map-row]").length === maps) {
            const { port1, port2 } = new MessageChannel();
            port1.onmessage = () => requestAnimationFrame(() => resolve(performance.now()));
            port2.postMessage(0);
          } else {
            requestAnimationFrame(poll);
          }
        };
        poll();
      }),
    MAPS,
  );
}

/** untilShown, and then a click is handled: a row's Rename opens its form. */
async function untilInteractive(page) {
  const at = await untilShown(page);
  await page.getByTestId("map-row").last().getByRole("button", { name: "Rename" }).click();
  await expect(page.getByTestId("map-row").last().getByRole("textbox")).toBeVisible();
  return at;
}

/** Serves the library `page` shows as a plain page, with its stylesheet and
 * without a script, from a server of its own; returns the page's address. */
async function servePlainCopy(page) {
  const html = (await page.evaluate(() => "<!DOCTYPE html>" + document.documentElement.outerHTML))
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<link rel="(module)?preload"[^>]*>/g, "");
  const stylesheet = await page.evaluate(() => document.querySelector("link[rel=stylesheet]").getAttribute("href"));
  const css = await readFile(resolve(dist, basename(stylesheet)));
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    } else if (path === `/${basename(stylesheet)}`) {
      res.writeHead(200, { "content-type": "text/css; charset=utf-8" }).end(css);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

test("a library of 50 maps: first visit, its first map, repeat visit, and from a map", async ({ browser, baseURL }) => {
  const plain = [];
  const first = [];
  const firstMap = [];
  const repeat = [];
  const inApp = [];
  for (let run = 0; run < RUNS; run++) {
    // A fresh profile each run: nothing cached, storage seeded first.
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await seed(page);
    const state = await context.storageState();
    const copy = await servePlainCopy(page);
    await context.close();
    const still = await browser.newContext();
    const floor = await still.newPage();
    await floor.goto(copy.url, { waitUntil: "commit" });
    plain.push(await untilShown(floor));
    await still.close();
    copy.close();
    // Seeding wrote half a megabyte and installed a service worker: let
    // the browser finish that before the timed visit, as a user's own
    // first visit does not start while another profile is writing.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

    const fresh = await browser.newContext({ baseURL, storageState: state });
    const p = await fresh.newPage();
    await p.goto("/", { waitUntil: "commit" });
    first.push(await untilInteractive(p));
    // The library came with the first-load shell; a map needs the whole
    // app, fetched on this click (src/ui/shell.rs).
    firstMap.push(
      await p.evaluate(
        () =>
          new Promise((resolve) => {
            const start = performance.now();
            const poll = () => {
              if (document.querySelector("[data-testid=map-name]")) {
                requestAnimationFrame(() => resolve(performance.now() - start));
              } else {
                requestAnimationFrame(poll);
              }
            };
            document.querySelector("[data-testid=map-row] a.map-name").click();
            poll();
          }),
      ),
    );

    // The service worker has cached the app by now.
    await p.evaluate(() => navigator.serviceWorker.ready);
    await p.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await p.goto("/", { waitUntil: "commit" });
    repeat.push(await untilInteractive(p));

    await p.getByTestId("map-row").first().getByRole("link").first().click();
    await expect(p.getByTestId("map-name")).toBeVisible();
    const start = await p.evaluate(() => performance.now());
    await p.getByRole("link", { name: "All maps" }).click();
    inApp.push((await untilInteractive(p)) - start);
    await fresh.close();
  }
  report("the same library as a plain page, no script → shown", plain);
  report("first visit → library of 50 maps interactive", first);
  report("first visit: library → a map on screen (the whole app fetched)", firstMap);
  report("repeat visit (service worker) → interactive", repeat);
  report("map → All maps → interactive", inApp);
});

test("a library of 50 maps from the single file", async ({ browser }) => {
  const single = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await seed(page, singleFile);
    await page.goto(singleFile, { waitUntil: "commit" });
    single.push(await untilInteractive(page));
    await context.close();
  }
  report("single file from disk → library of 50 maps interactive", single);
});
