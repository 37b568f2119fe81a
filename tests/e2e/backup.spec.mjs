// Issue 22, item 5: the whole workspace backs up to one file, restores into
// a fresh browser equal, asks before touching maps it already has, refuses
// a hostile file without changing anything, and reminds the user when
// changes have gone a week without a backup.
import { readFile } from "node:fs/promises";
import { test, expect } from "./fixtures.mjs";

const topNav = (page) => page.getByRole("navigation", { name: "Workspace" });
const shots = process.env.E2E_SHOTS;

async function library(page) {
  await topNav(page).getByRole("link", { name: "Maps", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Journey maps" })).toBeVisible();
}

async function blankMap(page, name) {
  await page.getByLabel("New blank map").fill(name);
  await page.getByRole("button", { name: "Create map" }).click();
  await expect(page.getByTestId("map-name")).toHaveValue(name);
  await page.getByLabel("New stage name").fill("Order");
  await page.getByRole("button", { name: "Add stage" }).click();
  await expect(page.getByTestId("save-state")).toHaveText("All changes saved in this browser");
  await library(page);
}

async function persona(page, name) {
  await topNav(page).getByRole("link", { name: "Personas", exact: true }).click();
  await page.getByLabel("New persona").fill(name);
  await page.getByRole("button", { name: "Create persona" }).click();
  await expect(page.getByTestId("personas-save-state")).toHaveText("All changes saved in this browser");
  await library(page);
}

/** Maps and personas as stored, without what says which tab wrote them. */
const workspaceData = (page) =>
  page.evaluate(() => {
    const out = {};
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key.startsWith("waymark.v1.map.") || key === "waymark.v1.personas") {
        out[key] = JSON.parse(localStorage.getItem(key)).data;
      }
    }
    return out;
  });

const everything = (page) =>
  page.evaluate(() => Object.fromEntries(Object.entries(localStorage).filter(([k]) => k.startsWith("waymark.v1."))));

async function backUp(page) {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("backup-export").click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^waymark-backup-\d{4}-\d{2}-\d{2}\.json$/);
  await expect(page.getByTestId("backup-message")).toContainText("Backup saved as waymark-backup-");
  return readFile(await download.path(), "utf8");
}

/** Leaves the library and comes back, which reads the backup status again. */
async function revisit(page) {
  await topNav(page).getByRole("link", { name: "Personas", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Personas" })).toBeVisible();
  await library(page);
}

const restoreFile = (page, text, name = "waymark-backup.json") =>
  page.getByTestId("restore-file").setInputFiles({ name, mimeType: "application/json", buffer: Buffer.from(text) });

async function shoot(page, name, locator) {
  if (!shots) return;
  for (const [label, size] of [["desktop", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]]) {
    await page.setViewportSize(size);
    await locator.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/${name}-${label}.png`, fullPage: label === "phone" });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("a workspace moves to a fresh browser, equal, and a second restore asks first", async ({ page, app, browser, appUrl }) => {
  await app.open();
  await blankMap(page, "Click and collect");
  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("map-name")).toHaveValue(/retail/i);
  await library(page);
  await persona(page, "Dana");
  await expect(page.getByTestId("map-row")).toHaveCount(2);
  const before = await workspaceData(page);
  expect(Object.keys(before)).toHaveLength(3);

  const text = await backUp(page);
  const file = JSON.parse(text);
  expect(file.format).toBe("waymark-workspace");
  expect(file.version).toBe(1);
  expect(Object.keys(file.entries).every((k) => k.startsWith("waymark.v1."))).toBe(true);
  expect(file.entries["waymark.v1.index"]).toBeUndefined();
  await expect(page.getByTestId("backup-status")).toContainText("Last backup:");

  // Another browser: nothing shared with the first.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const fresh = await context.newPage();
  const errors = [];
  fresh.on("pageerror", (e) => errors.push(e.message));
  await fresh.goto(appUrl + "#/");
  await expect(fresh.getByTestId("no-maps")).toBeVisible();
  await restoreFile(fresh, text);
  const plan = fresh.getByTestId("restore-plan");
  await expect(plan).toContainText("2 maps new: ");
  await expect(plan).toContainText("Click and collect");
  await expect(plan).toContainText("1 workspace persona (0 already here)");
  await expect(fresh.getByTestId("restore-conflicts")).toHaveCount(0);
  await expect(fresh.getByTestId("map-row")).toHaveCount(0);
  await fresh.getByTestId("restore-confirm").click();
  await expect(fresh.getByTestId("backup-message")).toHaveText("Restored 2 maps.");
  await expect(fresh.getByTestId("map-row")).toHaveCount(2);
  await expect(fresh.getByTestId("map-row").filter({ hasText: "Click and collect" })).toHaveCount(1);
  expect(await workspaceData(fresh)).toEqual(before);
  await topNav(fresh).getByRole("link", { name: "Personas", exact: true }).click();
  await expect(fresh.getByText("Dana").first()).toBeVisible();
  await library(fresh);

  // The same file again: both maps are here already, so the user chooses.
  await restoreFile(fresh, text, "waymark-backup-again.json");
  await expect(plan).toContainText("2 maps already in this browser");
  const choices = fresh.getByTestId("restore-conflicts");
  await expect(choices).toBeVisible();
  await expect(choices.getByLabel(/Keep both/)).toBeChecked();
  await shoot(fresh, "restore-plan", plan);
  await choices.getByLabel(/Skip/).check();
  await fresh.getByTestId("restore-confirm").click();
  await expect(fresh.getByTestId("backup-message")).toHaveText("Restored 0 maps; skipped 2 maps.");
  expect(await workspaceData(fresh)).toEqual(before);

  await restoreFile(fresh, text);
  await fresh.getByTestId("restore-conflicts").getByLabel(/Keep both/).check();
  await fresh.getByTestId("restore-confirm").click();
  await expect(fresh.getByTestId("map-row")).toHaveCount(4);
  await expect(fresh.getByTestId("map-row").filter({ hasText: "Click and collect (from backup)" })).toHaveCount(1);
  expect(errors).toEqual([]);
  await context.close();
});

test("a hostile backup is refused with the field named, and nothing changes", async ({ page, app }) => {
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("map-name")).toHaveValue(/retail/i);
  await library(page);
  const good = JSON.parse(await backUp(page));
  const stored = await everything(page);

  const key = Object.keys(good.entries).find((k) => k.startsWith("waymark.v1.map."));
  const ghost = structuredClone(good);
  ghost.entries[key].data.name = "Renamed by the file";
  ghost.entries[key].data.touchpoints[0].stage = "nowhere";
  const cases = [
    ["not json", "{\"format\": \"waymark-workspace\",", /not JSON/],
    ["outside", JSON.stringify({ ...good, entries: { ...good.entries, "other.app": { schema: 1, data: {} } } }), /entries\."other\.app": outside/],
    ["newer", JSON.stringify({ ...good, version: 2 }), /newer Waymark/],
    ["ghost stage", JSON.stringify(ghost), `entries."${key}": map data: touchpoints[0].stage`],
  ];
  for (const [name, text, message] of cases) {
    await restoreFile(page, text, `${name}.json`);
    await expect(page.getByTestId("backup-error")).toContainText(message);
    await expect(page.getByTestId("backup-error")).toContainText("Nothing was changed.");
    await expect(page.getByTestId("restore-plan")).toHaveCount(0);
  }
  await expect(page.getByTestId("map-row")).toHaveCount(1);
  await expect(page.getByTestId("map-row")).toContainText(/Retail/);
  // Only the backup status moved (the export above).
  const after = await everything(page);
  delete stored["waymark.v1.backup-status"];
  delete after["waymark.v1.backup-status"];
  expect(after).toEqual(stored);
});

test("changes not backed up for 8 days bring a gentle reminder", async ({ page, app }) => {
  const start = new Date("2026-11-02T10:00:00");
  await page.clock.install({ time: start });
  await app.open();
  await blankMap(page, "Weekly review");
  await expect(page.getByTestId("backup-reminder")).toHaveCount(0);
  // Persistent storage was asked for after the first save, once.
  await expect
    .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem("waymark.v1.backup-status")).data.persist_asked_ms))
    .toBeGreaterThan(0);
  await expect(page.getByTestId("backup-status")).toContainText(/Storage is|does not say/);

  await page.clock.setSystemTime(new Date(start.getTime() + 8 * 24 * 3600 * 1000));
  await revisit(page);
  const reminder = page.getByTestId("backup-reminder");
  await expect(reminder).toContainText(/You have changes from .*2026 not backed up\./);
  await expect(reminder).toContainText("Safari and some browsers erase a site's data after 7 days without a visit.");
  await shoot(page, "backup-reminder", reminder);

  await reminder.getByRole("button", { name: "Remind me tomorrow" }).click();
  await expect(reminder).toHaveCount(0);
  await revisit(page);
  await expect(reminder).toHaveCount(0);
  await page.clock.setSystemTime(new Date(start.getTime() + 9.1 * 24 * 3600 * 1000));
  await revisit(page);
  await expect(reminder).toBeVisible();

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    reminder.getByRole("button", { name: "Export backup" }).click(),
  ]);
  expect(JSON.parse(await readFile(await download.path(), "utf8")).format).toBe("waymark-workspace");
  await expect(reminder).toHaveCount(0);
  await revisit(page);
  await expect(reminder).toHaveCount(0);
});
