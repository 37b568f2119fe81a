// Issue 3: a CX lead builds the retail journey from a blank map through the
// editor only, and finds it intact after a reload; undo brings back a
// deleted stage with its touchpoints.
import { test, expect } from "./fixtures.mjs";

const card = (page, name) => page.getByTestId("touchpoint").filter({ hasText: name });

async function addTouchpoint(page, cell, name, { emotion, owner } = {}) {
  await page.getByRole("button", { name: `Add touchpoint in ${cell}` }).click();
  const detail = page.getByTestId("detail");
  const nameField = detail.getByLabel("Touchpoint name");
  await expect(nameField).toBeFocused();
  await nameField.fill(name);
  if (emotion) await detail.getByLabel("Emotion").selectOption({ label: emotion });
  if (owner) await detail.getByLabel("Owner team").fill(owner);
  await expect(card(page, name)).toBeVisible();
}

/** A real mouse drag: press, move a few pixels so Chromium starts an HTML5
 * drag (Playwright's one-step dragTo never does), move over the target,
 * release. */
async function mouseDrag(page, source, target) {
  await source.scrollIntoViewIfNeeded();
  const from = await source.boundingBox();
  const [x, y] = [from.x + from.width / 2, from.y + from.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(x + 3 * i, y + i);
  await target.scrollIntoViewIfNeeded();
  const to = await target.boundingBox();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 5 });
  await page.mouse.up();
}

async function handOff(page, from, [to, toCell], { carries, friction }) {
  await card(page, from).getByRole("button").click();
  const detail = page.getByTestId("detail");
  await expect(detail.getByRole("heading", { name: from })).toBeVisible();
  const form = detail.getByTestId("new-handoff");
  await form.getByLabel("Hand off to").selectOption({ label: `${to} — ${toCell}` });
  await form.getByLabel("Context carries over").setChecked(carries);
  await form.getByRole("button", { name: "Add handoff" }).click();
  const row = detail.getByTestId("handoff").filter({ hasText: to });
  await row.getByLabel("Friction").fill(friction);
}

test("build the retail journey from a blank map, reload, undo a stage deletion", async ({ page, app }) => {
  await app.open();
  await page.getByLabel("New blank map").fill("Retail journey");
  await page.getByRole("button", { name: "Create map" }).click();
  await expect(page.getByTestId("map-name")).toHaveValue("Retail journey");

  for (const stage of ["Discover", "Buy", "Return"]) {
    await page.getByLabel("New stage name").fill(stage);
    await page.getByRole("button", { name: "Add stage" }).click();
  }
  await expect(page.getByTestId("stage-head")).toHaveCount(3);
  // Names and goals read as text on the canvas and edit in place.
  const firstHead = page.getByTestId("stage-head").first();
  await firstHead.getByRole("button", { name: "Customer goal: Add a customer goal" }).click();
  await firstHead.getByRole("textbox", { name: "Customer goal" }).fill("Find a jacket that fits");
  await firstHead.getByRole("textbox", { name: "Customer goal" }).press("Enter");
  await expect(firstHead.getByRole("button", { name: "Customer goal: Find a jacket that fits" })).toBeFocused();

  await page.getByLabel("Custom channel name").fill("Instagram");
  await page.getByLabel("Custom channel type").selectOption("digital");
  await page.getByRole("button", { name: "Add channel" }).click();
  for (const preset of ["Website", "Live chat", "Store"]) {
    await page.getByLabel("Add a preset channel").selectOption(preset);
  }
  await expect(page.getByTestId("channel-lane")).toHaveCount(4);

  await addTouchpoint(page, "Discover × Instagram", "Instagram ad", { emotion: "reassured (+1)", owner: "Marketing" });
  await addTouchpoint(page, "Discover × Website", "Website reviews", { emotion: "neutral (0)" });
  await addTouchpoint(page, "Buy × Live chat", "Sizing question in chat", { emotion: "confused (-1)", owner: "Support" });
  await addTouchpoint(page, "Buy × Store", "Store visit, staff see the cart", { emotion: "delighted (+2)", owner: "Store" });
  await addTouchpoint(page, "Return × Store", "Easy return", { emotion: "reassured (+1)" });

  await handOff(page, "Sizing question in chat", ["Store visit, staff see the cart", "Buy × Store"], {
    carries: true,
    friction: "None: staff open the chat and the cart",
  });
  await handOff(page, "Instagram ad", ["Website reviews", "Discover × Website"], {
    carries: false,
    friction: "The ad's product is not preselected",
  });
  // Both handoffs are drawn as connectors; the one losing context is flagged.
  await expect(page.locator("[data-testid=connectors] [data-handoff]")).toHaveCount(2);
  await expect(page.locator(".connector.lost")).toHaveCount(1);
  await expect(page.locator(".connector.lost text.flag")).toHaveText("⚠");
  const losses = page.getByTestId("context-loss");
  await expect(losses).toHaveCount(1);
  await expect(losses).toContainText("Instagram ad");
  await expect(losses).toContainText("context lost");
  await expect(card(page, "Instagram ad")).toContainText("context lost");

  await page.getByLabel("New persona name").fill("Maya");
  await page.getByRole("button", { name: "Add persona" }).click();
  // Personas are edited on the personas page, whatever map they are on.
  await page.getByTestId("persona").getByRole("link", { name: "Edit Maya on the personas page" }).click();
  const persona = page.getByTestId("persona-editor");
  await persona.getByLabel("Role").fill("Busy parent who shops on her phone");
  await expect(page.getByTestId("personas-save-state")).toHaveText("All changes saved in this browser");
  await persona.getByRole("link", { name: "Retail journey" }).click();
  await expect(page.getByTestId("persona")).toContainText("Busy parent who shops on her phone");
  await card(page, "Store visit, staff see the cart").getByRole("button").click();
  await page.getByTestId("detail").getByLabel("How Maya feels").selectOption({ label: "delighted (+2)" });

  await expect(page.getByTestId("save-state")).toHaveText("All changes saved in this browser");
  await app.reload();

  await expect(page.getByTestId("stage-head")).toHaveCount(3);
  await expect(page.getByTestId("stage-head").first().getByRole("button", { name: /^Customer goal:/ })).toHaveText("Find a jacket that fits");
  await expect(page.getByTestId("channel-lane")).toHaveCount(4);
  await expect(page.getByTestId("touchpoint")).toHaveCount(5);
  await expect(card(page, "Sizing question in chat")).toContainText("confused");
  await expect(card(page, "Sizing question in chat").getByRole("button")).toHaveAccessibleName(/1 handoffs/);
  await expect(page.getByTestId("context-loss")).toHaveCount(1);
  await expect(page.getByTestId("context-loss")).toContainText("Website reviews");
  await expect(page.getByTestId("persona").getByRole("heading", { name: "Maya" })).toBeVisible();
  await card(page, "Store visit, staff see the cart").getByRole("button").click();
  await expect(page.getByTestId("detail").getByLabel("How Maya feels")).toHaveValue("2");
  await expect(page.getByTestId("detail").getByTestId("handoff")).toContainText("Sizing question in chat");

  await page.getByRole("button", { name: "Delete stage Buy" }).click();
  await expect(page.getByTestId("stage-head")).toHaveCount(2);
  await expect(page.getByTestId("touchpoint")).toHaveCount(3);
  await page.keyboard.press("Control+z");
  await expect(page.getByTestId("stage-head")).toHaveCount(3);
  await expect(page.getByTestId("touchpoint")).toHaveCount(5);
  await expect(card(page, "Sizing question in chat")).toBeVisible();
  await expect(page.getByTestId("save-state")).toHaveText("All changes saved in this browser");
  await app.reload();
  await expect(page.getByTestId("touchpoint")).toHaveCount(5);
});

test("touchpoints move, duplicate and delete by keyboard, and filters narrow the map", async ({ page, app }) => {
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("touchpoint").first()).toBeVisible();
  const total = await page.getByTestId("touchpoint").count();

  const first = page.getByTestId("touchpoint").first();
  const name = (await first.locator(".tp-name").textContent()).trim();
  const cellOf = (n) => card(page, n).locator("xpath=ancestor::div[@role='cell']");
  const before = await cellOf(name).getAttribute("aria-label");
  await first.getByRole("button").focus();
  await page.keyboard.press("Alt+ArrowRight");
  await expect(cellOf(name)).not.toHaveAttribute("aria-label", before);
  await expect(card(page, name).getByRole("button")).toBeFocused();
  await page.keyboard.press("Control+z");
  await expect(cellOf(name)).toHaveAttribute("aria-label", before);

  await page.getByLabel("Search touchpoints").fill(name);
  await expect(page.getByTestId("match-count")).toContainText(`of ${total} touchpoints match`);
  await expect(page.locator("[data-testid=touchpoint]:visible")).not.toHaveCount(total);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page.locator("[data-testid=touchpoint]:visible")).toHaveCount(total);

  await card(page, name).getByRole("button").focus();
  await page.keyboard.press("Control+d");
  await expect(page.getByTestId("touchpoint")).toHaveCount(total + 1);
  await page.keyboard.press("Delete");
  await expect(page.getByTestId("touchpoint")).toHaveCount(total);
});

test("a card dragged with the mouse to another cell moves there; undo and redo the move", async ({ page, app }) => {
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("touchpoint").first()).toBeVisible();
  const first = page.getByTestId("touchpoint").first();
  const name = (await first.locator(".tp-name").textContent()).trim();
  const cellOf = (n) => card(page, n).locator("xpath=ancestor::div[@role='cell']");
  const before = await cellOf(name).getAttribute("aria-label");
  const target = page.locator("div[role=cell][aria-label]").filter({ hasNot: page.getByTestId("touchpoint") }).nth(1);
  const label = await target.getAttribute("aria-label");
  expect(label).not.toBe(before);

  await mouseDrag(page, card(page, name).locator(".tp-main"), target);
  await expect(cellOf(name)).toHaveAttribute("aria-label", label);
  await page.keyboard.press("Control+z");
  await expect(cellOf(name)).toHaveAttribute("aria-label", before);
  await page.keyboard.press("Control+Shift+z");
  await expect(cellOf(name)).toHaveAttribute("aria-label", label);
  await expect(page.getByTestId("save-state")).toHaveText("All changes saved in this browser");
  await app.reload();
  await expect(cellOf(name)).toHaveAttribute("aria-label", label);
});

test("the overview fits the whole journey on the screen", async ({ page, app }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("touchpoint").first()).toBeVisible();
  const scroller = page.getByTestId("canvas");
  const overflow = () => scroller.evaluate((el) => el.scrollWidth - el.clientWidth);
  const overflowDown = () => scroller.evaluate((el) => el.scrollHeight - el.clientHeight);
  expect(await overflowDown()).toBeGreaterThan(0);
  // The map is the page: the canvas reaches the bottom of the screen and
  // the page itself does not scroll to show it.
  const canvasBox = await scroller.boundingBox();
  expect(canvasBox.y + canvasBox.height).toBeGreaterThan(900 - 40);
  expect(canvasBox.y + canvasBox.height).toBeLessThanOrEqual(900);

  await page.getByRole("button", { name: "Overview" }).click();
  await expect(page.locator(".editor-layout.overview-on")).toBeVisible();
  await expect.poll(overflow).toBeLessThanOrEqual(0);
  // All of it, emotion curve and text lanes included, without scrolling.
  await expect.poll(overflowDown).toBeLessThanOrEqual(0);
  await expect(page.getByTestId("emotion-lane").locator("svg")).toBeInViewport();
  // The side panel is beside the canvas, not over it, and selecting a card
  // does not reflow the canvas. Cards keep their full names for assistive
  // technology.
  const sideBox = await page.locator(".editor-side").boundingBox();
  expect(sideBox.x).toBeGreaterThanOrEqual(canvasBox.x + canvasBox.width);
  const first = page.getByTestId("touchpoint").first();
  await first.getByRole("button").click();
  await expect(page.getByTestId("detail")).toBeVisible();
  expect(await scroller.boundingBox()).toEqual(canvasBox);
  const name = (await first.locator(".tp-name").textContent()).trim();
  await expect(first.getByRole("button")).toHaveAccessibleName(new RegExp(`^Touchpoint ${name}`));
  await expect(page.locator("[data-testid=connectors] [data-handoff]").first()).toBeAttached();

  await page.getByRole("button", { name: "Overview" }).click();
  await expect.poll(overflowDown).toBeGreaterThan(0);
  await expect(page.getByTestId("zoom-level")).toHaveText("100 %");
});

test("a handoff drawn with the mouse from a card's handle onto another card", async ({ page, app }) => {
  await app.open();
  await page.locator("[data-template=retail]").click();
  const lines = page.locator("[data-testid=connectors] [data-handoff]");
  await expect(lines.first()).toBeAttached();
  const before = await lines.count();
  const lost = await page.locator(".connector.lost").count();
  const names = await page.locator(".tp-name").allTextContents();
  const [from, to] = [names[0].trim(), names[names.length - 1].trim()];

  await card(page, from).hover();
  await mouseDrag(page, card(page, from).getByTestId("link-handle"), card(page, to));
  await expect(lines).toHaveCount(before + 1);
  const detail = page.getByTestId("detail");
  await expect(detail.getByRole("heading", { name: from })).toBeVisible();
  const row = detail.getByTestId("handoff").filter({ hasText: to });
  await row.getByLabel("Context carries over").uncheck();
  await expect(page.locator(".connector.lost")).toHaveCount(lost + 1);
  await expect(page.getByTestId("context-loss").filter({ hasText: from }).filter({ hasText: to })).toHaveCount(1);
});

test("stage and channel names edit in place; Escape cancels, undo reverts", async ({ page, app }) => {
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("touchpoint").first()).toBeVisible();
  const head = page.getByTestId("stage-head").first();
  const nameButton = head.getByRole("button", { name: /^Stage name:/ });
  const before = (await nameButton.textContent()).trim();
  // Not a form: no text box on the canvas until one is asked for.
  await expect(page.getByTestId("canvas").getByRole("textbox", { name: "Stage name" })).toHaveCount(0);

  await nameButton.focus();
  await page.keyboard.press("Enter");
  const box = head.getByRole("textbox", { name: "Stage name" });
  await expect(box).toBeFocused();
  await box.fill("Thrown away");
  await box.press("Escape");
  await expect(nameButton).toHaveText(before);
  await expect(nameButton).toBeFocused();

  await nameButton.click();
  await box.fill("Inspiration");
  await box.press("Enter");
  await expect(head).toHaveAttribute("aria-label", "Inspiration");
  await page.keyboard.press("Control+z");
  await expect(nameButton).toHaveText(before);

  // A channel's name commits when the box is left; its type and reorder
  // buttons are reachable by keyboard from the name.
  const lane = page.getByTestId("channel-lane").first();
  const channel = lane.getByRole("button", { name: /^Channel name:/ });
  await channel.click();
  await lane.getByRole("textbox", { name: "Channel name" }).fill("Social");
  await page.getByLabel("Search touchpoints").click();
  await expect(lane.getByRole("rowheader")).toHaveAttribute("aria-label", "Channel Social");
  await lane.getByRole("button", { name: "Channel name: Social" }).focus();
  await page.keyboard.press("Tab");
  await expect(lane.getByRole("combobox", { name: "Type of channel Social" })).toBeFocused();
});

test("zoom: out, in, 100 % and fit, with the level shown", async ({ page, app }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("touchpoint").first()).toBeVisible();
  const level = page.getByTestId("zoom-level");
  const scroller = page.getByTestId("canvas");
  await expect(level).toHaveText("100 %");
  await page.getByRole("button", { name: "Zoom out" }).click();
  await expect(level).toHaveText("90 %");
  await page.getByRole("button", { name: "Zoom in" }).click();
  await page.getByRole("button", { name: "Zoom in" }).click();
  await expect(level).toHaveText("110 %");
  await page.getByRole("button", { name: "Zoom to 100 %" }).click();
  await expect(level).toHaveText("100 %");

  await page.getByRole("button", { name: "Fit the map to the screen" }).click();
  await expect(level).not.toHaveText("100 %");
  await expect
    .poll(() => scroller.evaluate((el) => Math.max(el.scrollWidth - el.clientWidth, el.scrollHeight - el.clientHeight)))
    .toBeLessThanOrEqual(0);
  // Handoff lines still start at their cards' edges when zoomed.
  const line = page.locator("[data-testid=connectors] [data-handoff]").first();
  await expect(line).toBeAttached();
});

test("a drag on the canvas background pans the map", async ({ page, app }) => {
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page.getByTestId("touchpoint").first()).toBeVisible();
  const scroller = page.getByTestId("canvas");
  const emotion = page.getByTestId("emotion-lane").locator(".emotion-chart");
  await emotion.scrollIntoViewIfNeeded();
  await scroller.evaluate((el) => (el.scrollLeft = 0));
  const top = await scroller.evaluate((el) => el.scrollTop);
  const box = await emotion.boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + 10];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x - 50, y - 30, { steps: 4 });
  await page.mouse.move(x - 100, y - 60, { steps: 4 });
  await page.mouse.up();
  await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(50);
  await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBeGreaterThan(top + 30);
  // Nothing was selected or moved by it.
  await expect(page.locator(".tp-selected")).toHaveCount(0);
});

test("on a phone the map is on the first screen and details open as a sheet", async ({ page, app }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await app.open();
  await page.locator("[data-template=retail]").click();
  const first = page.getByTestId("touchpoint").first();
  await expect(first).toBeInViewport();
  const canvasBox = await page.getByTestId("canvas").boundingBox();
  expect(canvasBox.y).toBeLessThan(844 / 2);
  expect(canvasBox.height).toBeGreaterThan(844 / 3);
  await expect(page.getByTestId("detail")).toBeHidden();
  await first.getByRole("button").click();
  await expect(page.locator(".editor-side.sheet-open")).toBeVisible();
  const name = page.getByTestId("detail").getByLabel("Touchpoint name");
  await expect(name).toBeInViewport();
  await name.fill("Edited on a phone");
  await expect(first.locator(".tp-name")).toHaveText("Edited on a phone");
});
