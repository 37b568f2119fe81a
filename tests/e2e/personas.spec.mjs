// Issue 3, item 5: personas are defined once on the personas page, attached
// to several maps, and an edit there reaches every map they are on. Personas
// that maps hold on their own (templates) show up there too.
import { test, expect } from "./fixtures.mjs";

const topNav = (page) => page.getByRole("navigation", { name: "Workspace" });

async function newMap(page, name, channel) {
  await topNav(page).getByRole("link", { name: "Maps", exact: true }).click();
  await page.getByLabel("New blank map").fill(name);
  await page.getByRole("button", { name: "Create map" }).click();
  await expect(page.getByTestId("map-name")).toHaveValue(name);
  await page.getByLabel("New stage name").fill("Order");
  await page.getByRole("button", { name: "Add stage" }).click();
  await page.getByLabel("Add a preset channel").selectOption(channel);
  await expect(page.getByTestId("channel-lane")).toHaveCount(1);
  await expect(page.getByTestId("save-state")).toHaveText("All changes saved in this browser");
}

async function openPersonas(page) {
  await topNav(page).getByRole("link", { name: "Personas", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Personas" })).toBeVisible();
}

const saved = (page) =>
  expect(page.getByTestId("personas-save-state")).toHaveText("All changes saved in this browser");

test("a persona made on the personas page reaches every map it is attached to", async ({ page, app }) => {
  await app.open();
  await newMap(page, "Online order", "Mobile app");
  await newMap(page, "Store return", "Store");
  await openPersonas(page);
  await expect(page).toHaveURL(/#\/personas$/);

  await page.getByLabel("New persona").fill("Dana");
  await page.getByRole("button", { name: "Create persona" }).click();
  await expect(page).toHaveURL(/#\/personas\/wp-[a-z0-9]+$/);
  const editor = page.getByTestId("persona-editor");
  await expect(editor.getByRole("heading", { name: "Dana" })).toBeFocused();
  await editor.getByLabel("Role").fill("Busy parent");
  await editor.getByLabel("Quote").fill("Just tell me when it is ready.");
  await editor.getByLabel("Demographics").fill("35–44, two children, suburbs");
  await editor.getByLabel("Behaviours").fill("Orders on her phone at night\nCollects on the way home");
  await editor.getByLabel("Goals").fill("Done in ten minutes");
  await editor.getByLabel("Needs").fill("Reliable pick-up times");
  await editor.getByLabel("Frustrations").fill("Repeating her order number");
  await editor.getByRole("checkbox", { name: "Mobile app" }).check();
  await editor.getByRole("checkbox", { name: "Store" }).check();
  await editor.getByLabel("Segment key").fill("parents");
  await saved(page);

  for (const map of ["Online order", "Store return"]) {
    await editor.getByLabel("Attach to map").selectOption({ label: map });
    await editor.getByRole("button", { name: "Attach", exact: true }).click();
  }
  await expect(editor.getByTestId("persona-use")).toHaveCount(2);
  await expect(page.getByTestId("persona-link")).toContainText("on 2 maps");

  await editor.getByLabel("Role").fill("Nurse on night shifts");
  await saved(page);

  await app.reload();
  await expect(editor.getByLabel("Role")).toHaveValue("Nurse on night shifts");
  await expect(editor.getByLabel("Behaviours")).toHaveValue("Orders on her phone at night\nCollects on the way home");
  for (const [map, channel] of [["Online order", "Mobile app"], ["Store return", "Store"]]) {
    await editor.getByRole("link", { name: map }).click();
    await expect(page.getByTestId("map-name")).toHaveValue(map);
    const card = page.getByTestId("persona");
    await expect(card).toHaveCount(1);
    await expect(card).toContainText("Nurse on night shifts");
    await expect(card).toContainText("Just tell me when it is ready.");
    await expect(card).toContainText("Reliable pick-up times");
    await expect(card.locator("dd").nth(1)).toHaveText(channel);
    await expect(card).toContainText("parents");
    await card.getByRole("link", { name: "Edit Dana on the personas page" }).click();
    await expect(editor.getByLabel("Name")).toHaveValue("Dana");
  }

  await editor.getByRole("button", { name: "Detach from Online order" }).click();
  await expect(editor.getByTestId("persona-use")).toHaveCount(1);
  await editor.getByRole("link", { name: "Store return" }).click();
  await expect(page.getByTestId("persona")).toHaveCount(1);
  await page.getByRole("link", { name: "All maps" }).click();
  await page.getByRole("link", { name: "Online order" }).click();
  await expect(page.getByTestId("map-name")).toHaveValue("Online order");
  await expect(page.getByTestId("persona")).toHaveCount(0);
  // Attached again from the map itself.
  await page.getByLabel("Workspace persona to attach").selectOption({ label: "Dana" });
  await page.getByTestId("personas").getByRole("button", { name: "Attach", exact: true }).click();
  await expect(page.getByTestId("persona")).toContainText("Nurse on night shifts");
  await expect(page.getByTestId("save-state")).toHaveText("All changes saved in this browser");
  await app.reload();
  await expect(page.getByTestId("persona")).toContainText("Dana");
});

test("a template's personas show up and join the workspace without losing anything", async ({ page, app }) => {
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("persona")).toHaveCount(2);
  await expect(page.getByTestId("persona").first()).toContainText("only on this map");
  await page.getByRole("link", { name: "All maps" }).click();
  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("persona")).toHaveCount(2);
  await openPersonas(page);

  const held = page.getByTestId("map-only-persona");
  await expect(held).toHaveCount(4);
  await expect(page.getByTestId("no-personas")).toBeVisible();
  const named = (name) => held.filter({ has: page.locator("strong", { hasText: name }) });
  const maya = named("Maya, the omnichannel shopper");
  await maya.first().getByRole("button", { name: "Add to workspace" }).click();
  await expect(page).toHaveURL(/#\/personas\/wp-[a-z0-9]+$/);
  const editor = page.getByTestId("persona-editor");
  await expect(editor.getByLabel("Name")).toHaveValue("Maya, the omnichannel shopper");
  await expect(editor.getByLabel("Quote")).toHaveValue(/try it on before I pay/);
  await expect(editor.getByTestId("persona-use")).toHaveCount(1);
  await expect(editor.getByTestId("persona-use")).toContainText(/\d+ emotion scores/);

  // The same template's Maya on the other map says the same, so it is
  // offered as the same persona.
  await expect(held).toHaveCount(3);
  const other = named("Maya, the omnichannel shopper");
  await expect(other.getByRole("combobox")).toHaveValue(/^wp-/);
  await other.getByRole("button", { name: "Add to workspace" }).click();
  await expect(editor.getByTestId("persona-use")).toHaveCount(2);
  await expect(page.getByTestId("persona-link")).toHaveCount(1);
  await expect(held).toHaveCount(2);

  await editor.getByLabel("Quote").fill("Show me the stock in my store.");
  await saved(page);
  await editor.getByTestId("persona-use").first().getByRole("link").click();
  const card = page.getByTestId("persona").filter({ hasText: "Maya" });
  await expect(card).toContainText("Show me the stock in my store.");
  await expect(card.getByRole("link", { name: /Edit Maya/ })).toBeVisible();
  // Her own emotion curve is still there.
  await expect(page.getByRole("checkbox", { name: /Maya/ })).toBeVisible();
});

test("the personas page works by keyboard", async ({ page, app }) => {
  await app.open();
  await newMap(page, "Click and collect", "Website");
  await openPersonas(page);
  await page.getByLabel("New persona").focus();
  await page.keyboard.type("Sam");
  await page.keyboard.press("Enter");
  const editor = page.getByTestId("persona-editor");
  await expect(editor.getByRole("heading", { name: "Sam" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(editor.getByLabel("Name")).toBeFocused();
  await page.keyboard.press("End");
  await page.keyboard.type(" Lee");
  await expect(editor.getByRole("heading", { name: "Sam Lee" })).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(editor.getByLabel("Role")).toBeFocused();
  await page.keyboard.type("Student");

  await editor.getByRole("checkbox", { name: "Website" }).focus();
  await page.keyboard.press("Space");
  await expect(editor.getByRole("checkbox", { name: "Website" })).toBeChecked();

  await editor.getByLabel("Attach to map").focus();
  await page.keyboard.press("ArrowDown");
  await expect(editor.getByLabel("Attach to map")).not.toHaveValue("");
  await page.keyboard.press("Tab");
  await expect(editor.getByRole("button", { name: "Attach", exact: true })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(editor.getByTestId("persona-use")).toHaveCount(1);

  await page.getByLabel("New persona").focus();
  await page.keyboard.type("Alex");
  await page.keyboard.press("Enter");
  await expect(editor.getByRole("heading", { name: "Alex" })).toBeFocused();
  await page.getByTestId("persona-link").filter({ hasText: "Sam Lee" }).focus();
  await page.keyboard.press("Enter");
  await expect(editor.getByRole("heading", { name: "Sam Lee" })).toBeFocused();
  await expect(editor.getByLabel("Role")).toHaveValue("Student");

  await editor.getByRole("button", { name: "Delete Sam Lee from the workspace" }).focus();
  await page.keyboard.press("Enter");
  await expect(editor.getByRole("group", { name: "Confirm deleting" })).toBeVisible();
  await editor.getByRole("button", { name: "Delete", exact: true }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#\/personas$/);
  await expect(page.getByTestId("persona-link")).toHaveCount(1);
  // The map keeps its copy; it is now listed as held by the map.
  await expect(page.getByTestId("map-only-persona")).toContainText("Sam Lee");
});

test("a persona edited in another tab shows up here, and on the map open there", async ({ context, page, app }) => {
  await app.open();
  await newMap(page, "Web shop", "Website");
  const mapUrl = page.url();
  await openPersonas(page);
  await page.getByLabel("New persona").fill("Kim");
  await page.getByRole("button", { name: "Create persona" }).click();
  const editor = page.getByTestId("persona-editor");
  await editor.getByLabel("Attach to map").selectOption({ label: "Web shop" });
  await editor.getByRole("button", { name: "Attach", exact: true }).click();
  await expect(editor.getByTestId("persona-use")).toHaveCount(1);

  const other = await context.newPage();
  await other.goto(page.url());
  const theirs = other.getByTestId("persona-editor");
  await expect(theirs.getByLabel("Name")).toHaveValue("Kim");
  const map = await context.newPage();
  await map.goto(mapUrl);
  await expect(map.getByTestId("persona")).toContainText("Kim");

  await theirs.getByLabel("Role").fill("Night-shift nurse");
  await expect(editor.getByLabel("Role")).toHaveValue("Night-shift nurse");
  await expect(map.getByTestId("persona")).toContainText("Night-shift nurse");
  await expect(map.getByTestId("save-state")).toHaveText("All changes saved in this browser");
  await expect(map.getByTestId("conflict")).toHaveCount(0);

  await editor.getByRole("button", { name: "Duplicate Kim" }).click();
  await expect(editor.getByLabel("Name")).toHaveValue("Kim (copy)");
  await expect(editor.getByLabel("Role")).toHaveValue("Night-shift nurse");
  await expect(editor.getByTestId("persona-use")).toHaveCount(0);
  await expect(page.getByTestId("persona-link")).toHaveCount(2);
  await other.close();
  await map.close();
});
