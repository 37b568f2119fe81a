// Issue 22, first load: a first visit at the library downloads the small
// shell only (src/ui/shell.rs); the whole app comes with the first other
// page, once per visit. The single file carries the whole app alone.
import { test, expect } from "./fixtures.mjs";

const singleFile = "the single file carries the whole app and no shell";
const moduleName = (url) => new URL(url).pathname.split("/").pop();

test("a first visit loads the library alone; the rest of the app comes with the first map", async ({
  page,
  app,
  appUrl,
}) => {
  test.skip(appUrl.startsWith("file:"), singleFile);
  const modules = [];
  page.on("request", (r) => {
    if (r.url().endsWith(".wasm")) modules.push(moduleName(r.url()));
  });
  await app.open();
  await expect(page.getByTestId("no-maps")).toBeVisible();
  expect(modules).toEqual([expect.stringMatching(/^waymark-shell-[0-9a-f]+_bg\.wasm$/)]);

  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("map-name")).toHaveValue(/retail/i);
  const whole = modules.filter((m) => /^waymark-app-[0-9a-f]+_bg\.wasm$/.test(m));
  expect(whole).toHaveLength(1);

  // From here the whole app serves every page, the library included.
  await page.getByRole("link", { name: "All maps" }).click();
  await expect(page.getByTestId("map-row")).toHaveCount(1);
  await page.getByTestId("map-row").locator("a.map-name").click();
  await expect(page.getByTestId("map-name")).toHaveValue(/retail/i);
  await page.getByRole("link", { name: "Personas" }).first().click();
  await expect(page.getByRole("heading", { name: "Workspace personas" })).toBeVisible();
  expect(modules.filter((m) => m.startsWith("waymark-app-"))).toEqual(whole);
  // One app in the page: the shell's view is gone.
  await expect(page.locator(".topbar")).toHaveCount(1);
});

test.describe("without the network", () => {
  // A service worker would answer the request the test makes fail.
  test.use({ serviceWorkers: "block" });

  test("when the rest of the app cannot load, the page says so and nothing is lost", async ({ page, app, appUrl }) => {
    test.skip(appUrl.startsWith("file:"), singleFile);
    await app.open();
    await page.route(/waymark-app-[0-9a-f]+_bg\.wasm$/, (route) => route.abort("aborted"));
    await page.locator("[data-template=bank_account]").click();
    await expect(page.getByTestId("app-load-error")).toBeVisible();
    await expect(page.getByRole("button", { name: "Try again" })).toBeVisible();

    // The map made before the failure was saved; trying again opens it.
    await page.unroute(/waymark-app-[0-9a-f]+_bg\.wasm$/);
    await page.getByRole("button", { name: "Try again" }).click();
    await expect(page.getByTestId("map-name")).toHaveValue(/account/i);
  });
});
