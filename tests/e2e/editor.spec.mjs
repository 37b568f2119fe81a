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
  await page.getByTestId("stage-head").first().getByLabel("Customer goal").fill("Find a jacket that fits");

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
  await expect(page.getByTestId("stage-head").first().getByLabel("Customer goal")).toHaveValue("Find a jacket that fits");
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
