// Issue 2: the map library works, and keeps maps, in every way of opening
// the app.
import { test, expect } from "./fixtures.mjs";

test("a new map is still there after a reload", async ({ page, app }) => {
  await app.open();
  await expect(page.getByTestId("no-maps")).toBeVisible();
  await page.getByLabel("New blank map").fill("Click and collect");
  await page.getByRole("button", { name: "Create map" }).click();
  await expect(page).toHaveURL(/#\/map\/m-[a-z0-9]+$/);
  await expect(page.getByTestId("map-name")).toHaveValue("Click and collect");

  // The goal is behind a disclosure in the map's header.
  await page.locator(".map-details > summary").click();
  await page.getByLabel("Business objective").fill("Fewer abandoned collections");
  await expect(page.getByTestId("save-state")).toHaveText("All changes saved in this browser");

  await app.reload();
  await expect(page.getByLabel("Business objective")).toHaveValue("Fewer abandoned collections");
  await page.getByRole("link", { name: "All maps" }).click();
  await expect(page.getByTestId("map-row")).toHaveCount(1);
  await expect(page.getByTestId("map-row")).toContainText("Click and collect");
});

test("the example cards keep their descriptions inside their boxes", async ({ page, app }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.open();
  const cards = page.locator("[data-template]");
  expect(await cards.count()).toBeGreaterThan(1);
  for (const card of await cards.all()) {
    const inside = await card.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return [...el.children].every((c) => {
        const r = c.getBoundingClientRect();
        return r.left >= box.left - 1 && r.right <= box.right + 1 && r.bottom <= box.bottom + 1;
      });
    });
    expect(inside, await card.getAttribute("data-template")).toBe(true);
  }
});

test("the retail example opens with its journey and context losses", async ({ page, app }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("map-name")).toHaveValue(/retail/i);
  for (const touchpoint of ["Instagram", "review", "cart", "sizing", "email", "return"]) {
    await expect(page.getByRole("table", { name: "Journey grid" })).toContainText(new RegExp(touchpoint, "i"));
  }
  await expect(page.getByRole("heading", { name: /lose context/ })).toBeVisible();
  await expect(page.locator(".losses li").first()).toContainText("context lost");
  // The map is the first screen: every stage's name and the emotion curve
  // show without scrolling the page; stage names read as text, not boxes.
  for (const head of await page.getByTestId("stage-head").all()) await expect(head).toBeInViewport();
  await expect(page.getByTestId("canvas").getByRole("textbox", { name: "Stage name" })).toHaveCount(0);
  expect(await page.evaluate(() => document.scrollingElement.scrollTop)).toBe(0);

  await page.getByRole("link", { name: "All maps" }).click();
  await expect(page.getByTestId("map-row")).toContainText(/context loss/);
});

test("delete, then undo, brings the map back even after a reload", async ({ page, app }) => {
  await app.open();
  await page.getByLabel("New blank map").fill("Keep me");
  await page.getByRole("button", { name: "Create map" }).click();
  await expect(page.getByTestId("map-name")).toHaveValue("Keep me");
  await page.getByRole("link", { name: "All maps" }).click();

  await page.getByTestId("map-row").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("map-row")).toHaveCount(0);
  await expect(page.getByTestId("undo-toast")).toContainText("Keep me");
  await page.getByTestId("undo-toast").getByRole("button", { name: "Undo" }).click();
  await expect(page.getByTestId("map-row")).toHaveCount(1);
  await app.reload();
  await expect(page.getByTestId("map-row")).toContainText("Keep me");
});

test("rename and duplicate from the library", async ({ page, app }) => {
  await app.open();
  await page.getByLabel("New blank map").fill("Original");
  await page.getByRole("button", { name: "Create map" }).click();
  await expect(page.getByTestId("map-name")).toHaveValue("Original");
  await page.getByRole("link", { name: "All maps" }).click();

  const row = page.getByTestId("map-row");
  await row.getByRole("button", { name: "Rename" }).click();
  await row.getByLabel("Map name").fill("Renamed");
  await row.getByLabel("Map name").press("Enter");
  await expect(row).toContainText("Renamed");
  await row.getByRole("button", { name: "Duplicate" }).click();
  await expect(page.getByTestId("map-row")).toHaveCount(2);
  await expect(page.getByTestId("map-row").filter({ hasText: "Renamed (copy)" })).toHaveCount(1);
});

test("a deep link opens the map directly", async ({ page, app }) => {
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page).toHaveURL(/#\/map\//);
  const hash = new URL(page.url()).hash;
  await page.goto("about:blank");
  await page.goto(app.url(hash));
  await expect(page.getByTestId("map-name")).toHaveValue(/retail/i);
});

test("a link to nothing says so", async ({ page, app }) => {
  await app.open("#/nowhere");
  await expect(page.getByRole("heading", { name: "Nothing here" })).toBeVisible();
});

test("corrupt saved data is set aside and can be exported", async ({ page, app }) => {
  await app.open();
  await page.evaluate(() => localStorage.setItem("waymark.v1.map.m-broken", "{not json"));
  await app.open("#/map/m-broken");
  await expect(page.getByTestId("load-error")).toContainText("set aside");
  await page.getByRole("link", { name: "Back to your maps" }).click();
  const quarantine = page.getByTestId("quarantine");
  await expect(quarantine).toContainText("waymark.v1.map.m-broken");
  const download = page.waitForEvent("download");
  await quarantine.getByRole("button", { name: "Export" }).click();
  const file = await download;
  const stream = await file.createReadStream();
  let text = "";
  for await (const chunk of stream) text += chunk;
  expect(text).toBe("{not json");
});

test("without storage the app still works and says it is not saving", async ({ page, app }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, "localStorage", {
      get() {
        throw new DOMException("The user denied storage", "SecurityError");
      },
    });
  });
  await app.open();
  await expect(page.getByTestId("memory-only")).toContainText("Not saving");
  await page.getByLabel("New blank map").fill("In memory");
  await page.getByRole("button", { name: "Create map" }).click();
  await expect(page.getByTestId("map-name")).toHaveValue("In memory");
  await page.getByRole("link", { name: "All maps" }).click();
  await expect(page.getByTestId("map-row")).toContainText("In memory");
});

test("two tabs on the same map see each other's edits", async ({ context, page, app }) => {
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page).toHaveURL(/#\/map\//);
  const other = await context.newPage();
  await other.goto(page.url());
  await expect(other.getByTestId("map-name")).toHaveValue(/retail/i);

  await other.locator(".map-details > summary").click();
  await other.getByLabel("KPI").fill("Repeat purchase rate");
  await expect(page.getByLabel("KPI")).toHaveValue("Repeat purchase rate");
  await other.close();
});
