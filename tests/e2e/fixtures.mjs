// Shared by every spec: `app.open(hash)` opens the build under test the way
// the current project says (http root, sub-path or file://), and fails the
// test on any uncaught page error or failed request for an app asset.
import { test as base, expect } from "@playwright/test";

export const test = base.extend({
  appUrl: ["", { option: true }],
  // The installed app with the network off: one online visit installs the
  // service worker, then the context goes offline for the whole test.
  installedOffline: [false, { option: true }],
  app: async ({ page, appUrl, installedOffline }, use) => {
    const problems = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    // Anything the content security policy refused is a fault of the app.
    page.on("console", (m) => {
      // E2E_SHOW_CONSOLE=1 prints the page's console errors, where a wasm
      // panic's message is (the page error itself only says "unreachable").
      if (process.env.E2E_SHOW_CONSOLE && m.type() === "error") console.log(`console: ${m.text()}`);
      if (/Content.Security.Policy/i.test(m.text())) problems.push(`policy: ${m.text()}`);
    });
    // A request aborted because the test navigated away is not a fault.
    page.on("requestfailed", (r) => {
      if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`request failed: ${r.url()}`);
    });
    if (installedOffline) {
      await page.goto(appUrl);
      await page.evaluate(() => navigator.serviceWorker.ready);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      await page.context().setOffline(true);
      // Leave the app, so the test's first open is a whole page load served
      // by the worker (and runs the test's init scripts), not a hash change.
      await page.goto("about:blank");
    }
    await use({
      url: (hash = "#/") => appUrl + hash,
      open: async (hash = "#/") => {
        await page.goto(appUrl + hash);
        await expect(page.locator(".topbar")).toBeVisible();
      },
      reload: async () => {
        await page.reload();
        await expect(page.locator(".topbar")).toBeVisible();
      },
    });
    expect(problems, "the page ran without errors").toEqual([]);
  },
});

/**
 * Creates the retail example, imports `file` into it and opens the map;
 * returns the map's hash.
 */
export async function retailWithFile(page, app, file) {
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page).toHaveURL(/#\/map\/m-[a-z0-9]+$/);
  const mapHash = await page.evaluate(() => location.hash);
  await page.evaluate(() => (location.hash += "/import"));
  await page.getByTestId("import-file").setInputFiles(file);
  await expect(page.getByTestId("source")).toBeVisible();
  await page.getByTestId("start-import").click();
  await expect(page.getByTestId("report")).toBeVisible();
  // Saved to IndexedDB once the results show; the map reads it from there.
  await expect(page.getByTestId("datasets").locator("li")).toHaveCount(1);
  await page.evaluate((h) => (location.hash = h), mapHash);
  await expect(page.getByTestId("filter-bar")).toBeVisible();
  return mapHash;
}

export { expect };
