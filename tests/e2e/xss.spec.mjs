// Issue 22, part 8: hostile text typed into every user field and every CSV
// cell stays text — in the page, after a reload, and on every page that
// shows it. Exports (SVG, map file, mermaid, share link) have their own
// checks beside their features; this spec owns the page itself.
import { test, expect } from "./fixtures.mjs";

export const PAYLOADS = [
  "<img src=x onerror=alert(1)>",
  '"><svg onload=alert(1)>',
  "javascript:alert(1)",
  "<script>alert(1)</script>",
];

/** Fails the test if any payload came alive: a dialog, an event-handler
 * attribute, a javascript: URL or a script element carrying it. */
export async function expectInert(page) {
  const live = await page.evaluate(() => {
    const found = [];
    for (const el of document.querySelectorAll("*")) {
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) found.push(`${el.tagName} ${a.name}="${a.value}"`);
        if (/(^|:)(href|src|action|formaction)$/i.test(a.name) && /^\s*javascript:/i.test(a.value)) {
          found.push(`${el.tagName} ${a.name}="${a.value}"`);
        }
      }
      if (el.tagName === "SCRIPT" && el.textContent.includes("alert(1)")) found.push("script element");
    }
    return found;
  });
  expect(live, "payloads stay text").toEqual([]);
}

function failOnDialog(page) {
  page.on("dialog", (d) => {
    throw new Error(`a payload ran: dialog "${d.message()}"`);
  });
}

/** Every editable text field under `scope` that is visible now. */
async function fillAll(page, scope, offset = 0) {
  const fields = scope.locator(
    'input:not([type]):visible, input[type=text]:visible, textarea:visible',
  );
  const n = await fields.count();
  for (let i = 0; i < n; i++) {
    const field = fields.nth(i);
    const label = (await field.getAttribute("aria-label")) ?? "";
    if (/search/i.test(label) || !(await field.isEditable())) continue;
    await field.fill(PAYLOADS[(i + offset) % PAYLOADS.length]);
    await field.press("Tab");
  }
  return n;
}

test("payloads typed into the map, its touchpoints, handoffs and personas stay text", async ({ page, app }) => {
  failOnDialog(page);
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("map-name")).toHaveValue(/retail/i);

  // The map's own fields: name, goal, KPI.
  await page.getByText("Goal and state").click();
  expect(await fillAll(page, page.locator(".map-head"))).toBeGreaterThan(0);

  // A touchpoint's every field, and its handoffs' friction.
  await page.getByTestId("touchpoint").first().getByRole("button").first().click();
  const detail = page.getByTestId("detail");
  expect(await fillAll(page, detail, 1)).toBeGreaterThan(3);

  // A stage name and goal, and a lane name, edited in place.
  const head = page.getByTestId("stage-head").first();
  await head.getByRole("button").first().click().catch(() => {});
  await fillAll(page, head, 2);
  await expectInert(page);

  await app.reload();
  await expectInert(page);
  await expect(page.getByTestId("canvas")).toContainText('"><svg onload=alert(1)>');

  // The same text on the overview, the dashboard and the library.
  await page.evaluate(() => (location.hash += "/insights"));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectInert(page);
  await app.open();
  await expectInert(page);
  await expect(page.getByTestId("map-row").first()).toContainText(/alert\(1\)/);

  // Personas: every field of a workspace persona.
  await page.goto(app.url("#/personas"));
  await page.getByLabel("New persona").fill(PAYLOADS[0]);
  await page.getByLabel("New persona").press("Enter");
  const editor = page.getByTestId("persona-editor");
  await expect(editor).toBeVisible();
  expect(await fillAll(page, editor, 1)).toBeGreaterThan(3);
  await app.reload();
  await expectInert(page);
});

test("payloads in CSV cells stay text on the import pages and the map", async ({ page, app }) => {
  failOnDialog(page);
  const rows = ["Touchpoint,NPS,Comment,Segment"];
  for (let i = 0; i < 40; i++) {
    const p = PAYLOADS[i % PAYLOADS.length].replaceAll('"', '""');
    rows.push(`"${i % 2 ? p : "checkout"}",${i % 11},"${p}","${p}"`);
  }
  rows.push(`"${PAYLOADS[0]}",not a score,"${PAYLOADS[1].replaceAll('"', '""')}",x`);
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page).toHaveURL(/#\/map\/m-[a-z0-9]+$/);
  await page.evaluate(() => (location.hash += "/import"));
  await page.getByTestId("import-file").setInputFiles({
    name: '<img src=x onerror=alert(1)>.csv',
    mimeType: "text/csv",
    buffer: Buffer.from(rows.join("\n")),
  });
  await expect(page.getByTestId("source")).toBeVisible();
  await expectInert(page);
  await page.getByTestId("start-import").click();
  await expect(page.getByTestId("rows-read")).toBeVisible();
  await expectInert(page);
  await expect(page.locator("main")).toContainText("<img src=x onerror=alert(1)>");
  await page.evaluate(() => (location.hash = location.hash.replace(/\/import$/, "")));
  await expect(page.getByTestId("map-name")).toBeVisible();
  await expectInert(page);
  await page.evaluate(() => (location.hash += "/insights"));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectInert(page);
});
