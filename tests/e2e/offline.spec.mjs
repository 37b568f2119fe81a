// The installable offline app: after one visit over http (localhost counts
// as secure), the service worker serves the whole app with the network off,
// the manifest opens the app itself (also under a sub-path), deep links
// survive a reload, and a new release is cached and announced.
import { test, expect } from "./fixtures.mjs";

const needsHttp = "service workers and installs need http(s)";

async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

async function retailMap(page) {
  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("map-name")).toHaveValue(/retail/i);
  return new URL(page.url()).hash;
}

test("after one visit the installed app starts and opens maps with the network off", async ({
  page,
  app,
  appUrl,
  context,
}) => {
  test.skip(appUrl.startsWith("file:"), needsHttp);
  await app.open();
  await controlled(page);
  const mapHash = await retailMap(page);

  // The installed app opens at start_url, resolved against the manifest.
  const manifestUrl = new URL("manifest.webmanifest", appUrl).href;
  const manifest = await (await page.request.get(manifestUrl)).json();
  const start = new URL(manifest.start_url, manifestUrl).href;
  expect(start).toBe(appUrl);
  expect(new URL(manifest.scope, manifestUrl).href).toBe(appUrl);
  expect(manifest.display).toBe("standalone");
  for (const icon of manifest.icons) {
    const res = await page.request.get(new URL(icon.src, manifestUrl).href);
    expect(res.ok(), icon.src).toBe(true);
  }

  await context.setOffline(true);
  await page.goto(start);
  await expect(page.locator(".topbar")).toBeVisible();
  await expect(page.getByTestId("map-row")).toContainText(/retail/i);
  // A deep link, reloaded with the network still off.
  await page.goto(start + mapHash);
  await page.reload();
  await expect(page.getByTestId("map-name")).toHaveValue(/retail/i);
  await expect(page.getByRole("table", { name: "Journey grid" })).toContainText(/Instagram/);
  // A path inside the scope that is not a file is still the app.
  await page.goto(new URL("index.html", appUrl).href + mapHash);
  await expect(page.getByTestId("map-name")).toHaveValue(/retail/i);
  await context.setOffline(false);
});

test("a new release is taken up and announced without losing anything", async ({ page, app, appUrl }) => {
  test.skip(appUrl.startsWith("file:"), needsHttp);
  await app.open();
  await controlled(page);
  await retailMap(page);
  await expect(page.getByTestId("update-ready")).toHaveCount(0);

  await page.request.get(new URL("__release", appUrl).href);
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  await expect(page.getByTestId("update-ready")).toBeVisible();
  await page.getByTestId("update-ready").getByRole("button", { name: "Reload to update" }).click();
  await expect(page.getByTestId("map-name")).toHaveValue(/retail/i);
  await expect(page.getByTestId("update-ready")).toHaveCount(0);
});

test("the build, hosted or single-file, carries a content security policy without unsafe inline code", async ({ page, app }) => {
  await app.open();
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  expect(policy).toContain("'wasm-unsafe-eval'");
  expect(policy).not.toContain("'unsafe-inline'");
  expect(policy).not.toContain("'unsafe-eval'");
  expect(policy).toContain("object-src 'none'");
});
