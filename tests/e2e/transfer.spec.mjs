// Issue 22, parts 1, 3 and 4: a map leaves the browser as a map file, a
// mermaid journey or a share link, and comes back in a fresh profile equal;
// hostile files, links and names are refused or stay inert.
import { readFile, mkdir } from "node:fs/promises";
import { test, expect } from "./fixtures.mjs";

const PREFIX = "waymark.v1.";
const XSS = ["<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "javascript:alert(1)"];
// Set E2E_SHOTS to a directory to keep screenshots of the new screens.
const shots = process.env.E2E_SHOTS;

async function shot(page, name) {
  if (!shots) return;
  await mkdir(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/${name}.png` });
}

/** A page in a fresh browser context (its own, empty storage), failing the
 * test on page errors and on any dialog. */
async function freshPage(browser, appUrl) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("dialog", async (d) => {
    problems.push(`dialog: ${d.message()}`);
    await d.dismiss();
  });
  return {
    page,
    problems,
    open: async (hash = "#/") => {
      await page.goto(appUrl + hash);
      await expect(page.locator(".topbar")).toBeVisible();
    },
    close: () => context.close(),
  };
}

async function createRetail(page, app) {
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("map-name")).toHaveValue(/retail/i);
  return page.url().match(/#\/map\/([A-Za-z0-9_-]+)/)[1];
}

async function openExportMenu(page) {
  await page.locator("details.export-menu > summary").click();
  await expect(page.getByTestId("transfer-export")).toBeVisible();
}

/** Clicks `testid` and returns the download's file name and text. */
async function download(page, testid) {
  const pending = page.waitForEvent("download");
  await page.getByTestId(testid).click();
  const file = await pending;
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), "utf8") };
}

async function pickFile(page, name, text) {
  await page.getByTestId("map-file-input").setInputFiles({
    name,
    mimeType: "application/json",
    buffer: Buffer.from(text),
  });
}

/** The stored maps, by id: the envelope's data. */
function storedMaps(page) {
  return page.evaluate((prefix) => {
    const maps = {};
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith(`${prefix}map.`)) maps[key.slice(prefix.length + 4)] = JSON.parse(localStorage.getItem(key)).data;
    }
    return maps;
  }, PREFIX);
}

const mapIdOf = (page) => page.url().match(/#\/map\/([A-Za-z0-9_-]+)/)?.[1];

test("a template exported as a map file imports into a fresh profile as the same map", async ({ page, app, browser, appUrl }) => {
  const id = await createRetail(page, app);
  await openExportMenu(page);
  await shot(page, "export-menu");
  if (shots) {
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "export-menu-phone");
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  const file = await download(page, "export-map-file");
  expect(file.name).toMatch(/^[a-z0-9-]+\.waymark\.json$/);
  const doc = JSON.parse(file.text);
  expect(doc.format).toBe("waymark-map");
  expect(doc.map.id).toBe(id);

  const fresh = await freshPage(browser, appUrl);
  await fresh.open();
  await expect(fresh.page.getByTestId("no-maps")).toBeVisible();
  await pickFile(fresh.page, file.name, file.text);
  await expect(fresh.page).toHaveURL(new RegExp(`#/map/${id}$`));
  await expect(fresh.page.getByTestId("map-name")).toHaveValue(doc.map.name);
  await expect(fresh.page.getByTestId("save-state")).toHaveText("All changes saved in this browser");
  expect((await storedMaps(fresh.page))[id]).toEqual(doc.map);
  // Exported again from the new profile: the very same bytes.
  await openExportMenu(fresh.page);
  expect((await download(fresh.page, "export-map-file")).text).toBe(file.text);
  expect(fresh.problems).toEqual([]);
  await fresh.close();
});

test("a map already in this browser comes in as a copy or replaces it, as chosen", async ({ page, app }) => {
  const id = await createRetail(page, app);
  await openExportMenu(page);
  const file = await download(page, "export-map-file");
  const name = JSON.parse(file.text).map.name;
  await page.getByRole("link", { name: "All maps" }).click();

  await pickFile(page, file.name, file.text);
  const question = page.getByTestId("import-conflict");
  await expect(question).toContainText("already in this browser");
  await expect(question).toContainText(`${name} (copy)`);
  await shot(page, "import-conflict");
  await question.getByRole("button", { name: "Import as a copy" }).click();
  await expect(page.getByTestId("map-name")).toHaveValue(`${name} (copy)`);
  const copyId = mapIdOf(page);
  expect(copyId).not.toBe(id);
  let maps = await storedMaps(page);
  expect(Object.keys(maps).sort()).toEqual([id, copyId].sort());
  expect(maps[copyId].touchpoints).toEqual(maps[id].touchpoints);

  // Replacing: the same id, with the file's content.
  const changed = JSON.parse(file.text);
  changed.map.name = "Replaced from the file";
  await page.getByRole("link", { name: "All maps" }).click();
  await pickFile(page, file.name, JSON.stringify(changed));
  await page.getByTestId("import-conflict").getByRole("button", { name: "Replace the existing map" }).click();
  const confirm = page.getByTestId("import-confirm");
  await expect(confirm).toContainText(`Replace “${name}”?`);
  await confirm.getByRole("button", { name: "Replace", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`#/map/${id}$`));
  await expect(page.getByTestId("map-name")).toHaveValue("Replaced from the file");
  maps = await storedMaps(page);
  expect(Object.keys(maps)).toHaveLength(2);
  expect(maps[id].name).toBe("Replaced from the file");
  await page.getByRole("link", { name: "All maps" }).click();
  await expect(page.getByTestId("map-row")).toHaveCount(2);

  // Cancel leaves everything as it is.
  await pickFile(page, file.name, file.text);
  await page.getByTestId("import-conflict").getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("import-conflict")).toHaveCount(0);
  expect(await storedMaps(page)).toEqual(maps);
});

test("hostile map files are refused with the field named and nothing saved", async ({ page, app, browser, appUrl }) => {
  await createRetail(page, app);
  await openExportMenu(page);
  const file = await download(page, "export-map-file");

  const fresh = await freshPage(browser, appUrl);
  await fresh.open();
  const p = fresh.page;
  const edit = (f) => {
    const doc = JSON.parse(file.text);
    f(doc);
    return JSON.stringify(doc, null, 2);
  };
  const cases = [
    ["wrong format", edit((d) => (d.format = "someone-elses-map")), /format.*not a Waymark map file/],
    ["newer version", edit((d) => (d.version = 999)), /version.*newer Waymark/],
    ["missing stage", edit((d) => (d.map.touchpoints[0].stage = "s-missing")), /map\.touchpoints\[0\]\.stage.*s-missing/],
    ["duplicate ids", edit((d) => (d.map.touchpoints[1].id = d.map.touchpoints[0].id)), /map\.touchpoints\[1\]\.id.*duplicate/],
    ["handoff to nowhere", edit((d) => (d.map.handoffs[0].to = "nowhere")), /map\.handoffs\[0\]\.to/],
    ["invalid JSON", file.text.slice(0, 300) + ",,", /line \d+, column \d+.*not valid JSON/],
    ["11 MB", " ".repeat(11 * 1024 * 1024) + "{}", /file.*11\.0 MB is larger than the 10 MB/],
  ];
  for (const [what, text, message] of cases) {
    await pickFile(p, `${what}.waymark.json`, text);
    const error = p.getByTestId("import-error");
    await expect(error, what).toContainText(`“${what}.waymark.json” was not imported`);
    await expect(error, what).toContainText(message);
    await expect(error, what).toContainText("Nothing was saved");
    await expect(p, what).toHaveURL(/#\/$/);
    await expect(p.getByTestId("no-maps")).toBeVisible();
    expect(await storedMaps(p), what).toEqual({});
  }
  expect(fresh.problems).toEqual([]);
  await fresh.close();
});

test("a map file dropped onto the library opens", async ({ page, app, browser, appUrl }) => {
  const id = await createRetail(page, app);
  await openExportMenu(page);
  const file = await download(page, "export-map-file");

  const fresh = await freshPage(browser, appUrl);
  await fresh.open();
  const p = fresh.page;
  const transfer = await p.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], "dropped.waymark.json", { type: "application/json" }));
    return dt;
  }, file.text);
  await p.locator(".library").dispatchEvent("dragenter", { dataTransfer: transfer });
  await expect(p.locator(".drop-hint")).toBeVisible();
  await expect(p.locator(".drop-hint")).toHaveText("Drop a map file or mermaid journey to open it");
  await p.getByRole("heading", { name: "Journey maps" }).dispatchEvent("drop", { dataTransfer: transfer });
  await expect(p).toHaveURL(new RegExp(`#/map/${id}$`));
  expect((await storedMaps(p))[id]).toEqual(JSON.parse(file.text).map);
  expect(fresh.problems).toEqual([]);
  await fresh.close();
});

/** Per stage, the names and scores of its touchpoints in lane order: what a
 * mermaid journey keeps. Names as the export writes mermaid's reserved
 * characters. */
function outline(map) {
  const safe = (s) => s.replaceAll(":", "：").replaceAll(";", "；").replaceAll("#", "＃").trim();
  return map.stages.map((s) => [
    safe(s.name),
    map.channels.flatMap((c) =>
      map.touchpoints.filter((t) => t.stage === s.id && t.channel === c.id).map((t) => [safe(t.name), t.emotion ?? 0]),
    ),
  ]);
}

test("mermaid out and back keeps stages, touchpoints and scores; actors become personas", async ({ page, app, appUrl, context }) => {
  const id = await createRetail(page, app);
  await openExportMenu(page);
  await expect(page.getByTestId("transfer-export")).toContainText("It has no channels, handoffs or pain points");
  const mmd = await download(page, "export-mermaid");
  expect(mmd.name).toMatch(/^[a-z0-9-]+\.mmd$/);
  expect(mmd.text.startsWith("journey\n")).toBe(true);
  if (appUrl.startsWith("http")) {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.getByTestId("copy-mermaid").click();
    await expect(page.locator(".export-status")).toHaveText("Mermaid journey copied to the clipboard.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(mmd.text);
  }

  await page.getByRole("link", { name: "All maps" }).click();
  await page.locator(".paste-mermaid > summary").click();
  await page.getByLabel("A mermaid journey, starting with the line journey").fill(mmd.text);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page).toHaveURL(/#\/map\/m-/);
  const back = mapIdOf(page);
  expect(back).not.toBe(id);
  const maps = await storedMaps(page);
  expect(outline(maps[back])).toEqual(outline(maps[id]));
  expect(maps[back].stages.length).toBeGreaterThan(2);

  // A journey written by hand, with actors.
  await page.getByRole("link", { name: "All maps" }).click();
  await page.locator(".paste-mermaid > summary").click();
  await page
    .getByLabel("A mermaid journey, starting with the line journey")
    .fill("journey\n  title Weekend ride\n  section Plan\n    Check the weather: 4: Ana, Ben\n    Pick a route: 3: Ana\n  section Ride\n    Fix a flat: 1: Ben\n");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByTestId("map-name")).toHaveValue("Weekend ride");
  const ride = (await storedMaps(page))[mapIdOf(page)];
  expect(ride.personas.map((p) => p.name).sort()).toEqual(["Ana", "Ben"]);
  expect(ride.touchpoints.map((t) => t.name)).toEqual(["Check the weather", "Pick a route", "Fix a flat"]);

  // A syntax error names its line, and nothing is saved.
  const before = await storedMaps(page);
  await page.getByRole("link", { name: "All maps" }).click();
  await page.locator(".paste-mermaid > summary").click();
  await page.getByLabel("A mermaid journey, starting with the line journey").fill("journey\n  section Plan\n    Check the weather: often\n");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByTestId("import-error")).toContainText(/line 3: .*1 to 5/);
  expect(await storedMaps(page)).toEqual(before);
});

test("a share link opens read-only in a new profile and saves a copy only when asked", async ({ page, app, browser, appUrl }) => {
  const id = await createRetail(page, app);
  const name = await page.getByTestId("map-name").inputValue();
  await openExportMenu(page);
  await page.getByTestId("make-share-link").click();
  const link = await page.getByTestId("share-link-url").inputValue();
  expect(link.startsWith(appUrl.split("#")[0] + "#/share/")).toBe(true);
  await expect(page.getByTestId("transfer-export")).toContainText("never send to a server");

  const fresh = await freshPage(browser, appUrl);
  const p = fresh.page;
  await p.goto(link);
  await expect(p.getByTestId("share-banner")).toHaveText(/Shared map — read-only\. Nothing is saved until you save a copy\./);
  await expect(p.getByTestId("shared-name")).toHaveText(name);
  await expect(p.getByTestId("shared-touchpoint").first()).toBeVisible();
  await expect(p.getByTestId("shared-handoff").first()).toBeVisible();
  await expect(p.locator("main").locator("input, textarea, select, [contenteditable]")).toHaveCount(0);
  expect(await p.evaluate(() => Object.keys(localStorage))).toEqual([]);
  await shot(p, "share-view-desktop");
  await p.setViewportSize({ width: 390, height: 844 });
  await shot(p, "share-view-phone");
  await p.setViewportSize({ width: 1280, height: 800 });

  await p.getByRole("button", { name: "Save a copy" }).click();
  await expect(p).toHaveURL(/#\/map\/m-/);
  expect(mapIdOf(p)).not.toBe(id);
  await expect(p.getByTestId("map-name")).toHaveValue(name);
  await p.getByRole("link", { name: "All maps" }).click();
  await expect(p.getByTestId("map-row")).toHaveCount(1);
  await expect(p.getByTestId("map-row")).toContainText(name);
  expect(fresh.problems).toEqual([]);
  await fresh.close();
});

test("a damaged share link says so, and a map too large for a link offers its file", async ({ page, app }) => {
  await app.open("#/share/this-is-not-a-map!!");
  await expect(page.getByTestId("share-error")).toContainText(/link: the link is damaged/);
  await app.open("#/share/");
  await expect(page.getByTestId("share-error")).toBeVisible();
  expect(await storedMaps(page)).toEqual({});

  await createRetail(page, app);
  await openExportMenu(page);
  const doc = JSON.parse((await download(page, "export-map-file")).text);
  // Random text deflate cannot shrink, more than a link can hold.
  const random = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join("");
  for (const t of doc.map.touchpoints) t.description = random(12_000);
  doc.map.id = "m-big";
  await page.getByRole("link", { name: "All maps" }).click();
  await pickFile(page, "big.waymark.json", JSON.stringify(doc));
  await expect(page).toHaveURL(/#\/map\/m-big$/);
  await openExportMenu(page);
  await page.getByTestId("make-share-link").click();
  const tooLong = page.getByTestId("share-too-long");
  await expect(tooLong).toContainText("too large for a link");
  await expect(page.getByTestId("share-link-url")).toHaveCount(0);
  const pending = page.waitForEvent("download");
  await tooLong.getByRole("button", { name: "Download the map file" }).click();
  expect((await pending).suggestedFilename()).toMatch(/\.waymark\.json$/);
});

/** Elements the payloads would have made live: event handler attributes,
 * `javascript:` URLs, and the payloads' own elements. */
function liveMarkup(page) {
  return page.evaluate(() => {
    const found = [];
    for (const el of document.querySelectorAll("*")) {
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) found.push(`${el.tagName} ${a.name}`);
        if (/^(href|src|action|formaction|xlink:href)$/i.test(a.name) && /^\s*javascript:/i.test(a.value)) {
          found.push(`${el.tagName} ${a.name}=${a.value}`);
        }
      }
    }
    for (const el of document.querySelectorAll("img[src=x], svg[onload]")) found.push(el.outerHTML);
    return found;
  });
}

test("names that are XSS payloads stay text in an imported map and a share link", async ({ page, app, browser, appUrl }) => {
  const dialogs = [];
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await createRetail(page, app);
  await openExportMenu(page);
  const doc = JSON.parse((await download(page, "export-map-file")).text);
  const pick = (i) => XSS[i % XSS.length];
  doc.map.id = "m-xss";
  doc.map.name = XSS[0];
  doc.map.stages.forEach((s, i) => (s.name = pick(i + 1)));
  doc.map.channels.forEach((c, i) => (c.name = pick(i)));
  doc.map.touchpoints.forEach((t, i) => (t.name = pick(i)));
  doc.map.personas.push(...XSS.map((name, i) => ({ id: `p-xss-${i}`, name })));
  await page.getByRole("link", { name: "All maps" }).click();
  await pickFile(page, "xss.waymark.json", JSON.stringify(doc));
  await expect(page).toHaveURL(/#\/map\/m-xss$/);
  await expect(page.getByTestId("map-name")).toHaveValue(XSS[0]);
  await openExportMenu(page);
  await page.getByTestId("make-share-link").click();
  const link = await page.getByTestId("share-link-url").inputValue();
  await page.getByRole("link", { name: "All maps" }).click();
  await expect(page.getByTestId("map-row").first()).toContainText(XSS[0]);
  await page.waitForTimeout(300);
  expect(await liveMarkup(page)).toEqual([]);

  const fresh = await freshPage(browser, appUrl);
  const p = fresh.page;
  await p.goto(link);
  await expect(p.getByTestId("shared-name")).toHaveText(XSS[0]);
  await expect(p.getByTestId("shared-stage").first()).toContainText(XSS[1]);
  await expect(p.getByTestId("shared-touchpoint").first()).toContainText(XSS[0]);
  for (const name of XSS) await expect(p.getByTestId("shared-persona").filter({ hasText: name })).toHaveCount(1);
  await p.waitForTimeout(300);
  expect(await liveMarkup(p)).toEqual([]);
  await p.getByRole("button", { name: "Save a copy" }).click();
  await expect(p.getByTestId("map-name")).toHaveValue(XSS[0]);
  await p.waitForTimeout(300);
  expect(await liveMarkup(p)).toEqual([]);
  expect(fresh.problems).toEqual([]);
  expect(dialogs).toEqual([]);
  await fresh.close();
});
