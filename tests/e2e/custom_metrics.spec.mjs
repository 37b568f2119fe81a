// Issue 21 part 5: the map's own metrics. A number column and a yes/no
// column of the retail pilot become metrics of the map; their figures
// reach the cards, and a value typed by hand for a touchpoint counts too.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { test, expect, retailWithFile } from "./fixtures.mjs";

const root = resolve(import.meta.dirname, "../..");
const file = resolve(root, "tests/fixtures/feedback/retail_pilot.csv");

/** The fixture's rows (it has no quoted fields) keyed by header. */
function rows() {
  const [header, ...lines] = readFileSync(file, "utf8").trim().split(/\r?\n/);
  const names = header.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [names[i], v])));
}

function retailWithData(page, app) {
  return retailWithFile(page, app, file);
}

const CARD = "Buys in store";
const KEY = "store_purchase";

test("a column becomes a metric on the cards, and typed values count", async ({ page, app }) => {
  const mine = rows().filter((r) => r.Touchpoint === KEY);
  const orders = mine.map((r) => r["Order value"]).filter((v) => v !== "").map(Number);
  const sum = orders.reduce((a, b) => a + b, 0);
  const resolved = mine.filter((r) => r["Resolved first contact"] === "Yes").length;

  const mapHash = await retailWithData(page, app);
  const panel = page.getByTestId("metrics-panel");
  await panel.locator("summary").click();
  await panel.getByTestId("metric-new-column").selectOption("Order value");
  await panel.getByTestId("metric-add").click();
  const row = panel.getByTestId("metric-row");
  await expect(row).toHaveCount(1);
  await row.getByTestId("metric-unit").fill("EUR");
  await row.getByTestId("metric-unit").press("Enter");
  await row.getByTestId("metric-unit").blur();
  // A yes/no column is offered as such and becomes a rate of yes.
  await panel.getByTestId("metric-new-column").selectOption("Resolved first contact");
  await panel.getByTestId("metric-add").click();
  await expect(row).toHaveCount(2);
  await expect(row.nth(1).getByTestId("metric-aggregation")).toHaveValue("rate");
  await expect(panel.locator("summary")).toContainText("(2)");
  // Closed again: it opens over the map.
  await panel.locator("summary").click();

  const card = page.getByTestId("touchpoint").filter({ hasText: CARD });
  const figures = card.locator("[data-testid=measured-custom] [data-metric=custom]");
  await expect(figures).toHaveCount(2);
  const order = figures.nth(0);
  await expect(order).toHaveAttribute("data-n", String(orders.length));
  expect(Number(await order.getAttribute("data-value"))).toBeCloseTo(sum / orders.length, 3);
  await expect(order).toContainText("EUR");
  const rate = figures.nth(1);
  await expect(rate).toHaveAttribute("data-n", String(mine.length));
  expect(Number(await rate.getAttribute("data-value"))).toBeCloseTo((resolved / mine.length) * 100, 6);

  // A value typed by hand for the touchpoint joins its figure.
  await card.getByRole("button").first().click();
  const points = page.getByTestId("detail").getByTestId("data-points");
  await expect(points).toBeVisible();
  await points.getByTestId("point-day").fill("2024-02-01");
  await points.getByTestId("point-day").dispatchEvent("change");
  await points.getByTestId("point-value").fill("1000");
  await points.getByTestId("point-add").click();
  await expect(points.getByTestId("data-point")).toHaveCount(1);
  await expect(points.getByTestId("data-point")).toContainText("1000 on 2024-02-01");
  await expect(order).toHaveAttribute("data-n", String(orders.length + 1));
  expect(Number(await order.getAttribute("data-value"))).toBeCloseTo((sum + 1000) / (orders.length + 1), 3);

  // The dashboard offers the metric and charts it.
  await page.evaluate((h) => (location.hash = h + "/insights"), mapHash);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await page.getByTestId("score-pick").selectOption({ label: "Order value" });
  const bars = page.locator("[data-chart=by-touchpoint]");
  await expect(bars.locator(".chart-svg")).toHaveAttribute("aria-label", "Order value by touchpoint");
  // The typed value counts there too: n one above the file's.
  await expect(bars.getByTestId("chart-table")).toContainText(`Buys in store`);
  const cells = await bars.getByTestId("chart-table").locator("tbody tr", { hasText: CARD }).locator("td").allTextContents();
  expect(cells).toContain(String(orders.length + 1));

  // Deleting the typed value takes it out again.
  await page.evaluate((h) => (location.hash = h), mapHash);
  await card.getByRole("button").first().click();
  await points.getByRole("button", { name: /^Delete/ }).click();
  await expect(points.getByTestId("data-point")).toHaveCount(0);
  await expect(order).toHaveAttribute("data-n", String(orders.length));
});
