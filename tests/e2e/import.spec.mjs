// Issue 4: feedback exports imported through the wizard, in every way of
// opening the app. The metrics the page shows must equal what
// `waymark-cli summarize` prints for the same file.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test, expect } from "./fixtures.mjs";

const root = resolve(import.meta.dirname, "../..");
const fixture = (name) => resolve(root, "tests/fixtures/feedback", name);

/** The CLI's summary of a file: the reference the UI must match. */
function summarize(file, ...options) {
  const out = execFileSync("cargo", ["run", "--quiet", "--bin", "waymark-cli", "--", "summarize", file, ...options], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out);
}

async function newMap(page, app, name) {
  await app.open();
  await page.getByLabel("New blank map").fill(name);
  await page.getByRole("button", { name: "Create map" }).click();
  await expect(page).toHaveURL(/#\/map\/m-[a-z0-9]+$/);
  await page.evaluate(() => (location.hash += "/import"));
  await expect(page.getByRole("heading", { name: "Import feedback" })).toBeVisible();
}

async function retailMap(page, app) {
  await app.open();
  await page.locator("[data-template=retail]").click();
  await expect(page).toHaveURL(/#\/map\/m-[a-z0-9]+$/);
  await page.evaluate(() => (location.hash += "/import"));
  await expect(page.getByRole("heading", { name: "Import feedback" })).toBeVisible();
}

async function pick(page, file) {
  await page.getByTestId("import-file").setInputFiles(file);
  await expect(page.getByTestId("source")).toBeVisible();
}

/** The figure a summary cell shows exactly, or null when it shows none. */
async function cells(row) {
  const read = async (metric) => {
    const v = await row.locator(`[data-metric=${metric}]`).getAttribute("data-value");
    return v === null ? null : Number(v);
  };
  return { nps: await read("nps"), csat: await read("csat"), ces: await read("ces") };
}

function expected(summary) {
  return {
    nps: summary.nps ? summary.nps.score : null,
    csat: summary.csat ? summary.csat.percent : null,
    ces: summary.ces ? summary.ces.mean : null,
  };
}

function expectClose(actual, wanted, what) {
  for (const k of ["nps", "csat", "ces"]) {
    if (wanted[k] === null) {
      expect(actual[k], `${what} ${k}`).toBeNull();
    } else {
      expect(actual[k], `${what} ${k}`).toBeCloseTo(wanted[k], 9);
    }
  }
}

const exports = [
  ["qualtrics_3row_utf16le.tsv", "utf-16le", "qualtrics"],
  ["surveymonkey.csv", "utf-8-bom", "surveymonkey"],
  ["zendesk_csat.csv", "utf-8", "zendesk"],
  ["generic.csv", "utf-8", "generic"],
];

for (const [name, encoding, layout] of exports) {
  test(`${name}: the page shows the CLI's metrics and every problem's line`, async ({ page, app }) => {
    const cli = summarize(fixture(name));
    await newMap(page, app, `Import ${name}`);
    await pick(page, fixture(name));
    await expect(page.getByTestId("source-encoding")).toHaveText(cli.source.encoding);
    await expect(page.getByTestId("source-layout")).toHaveText(cli.source.layout);
    expect([cli.source.encoding, cli.source.layout]).toEqual([encoding, layout]);
    for (const [i, column] of cli.columns.entries()) {
      await expect(page.getByTestId(`role-${i}`)).toHaveValue(column.role);
    }

    await page.getByTestId("start-import").click();
    await expect(page.getByTestId("report")).toBeVisible();
    await expect(page.getByTestId("rows-read")).toHaveText(String(cli.source.rows));
    await expect(page.getByTestId("rows-skipped")).toHaveText(String(cli.source.skipped));
    await expect(page.getByTestId("problem-count")).toHaveText(String(cli.errors.length));
    for (const e of cli.errors) {
      const row = page.getByTestId("problems").locator(`tr[data-line="${e.line}"]`);
      await expect(row.first()).toBeVisible();
      await expect(row.filter({ hasText: e.message }).first()).toContainText(e.column ?? "whole row");
    }

    const metrics = page.getByTestId("file-metrics");
    expectClose(await cells(metrics.locator("tr[data-group=overall]")), expected(cli.metrics.overall), "overall");
    for (const [group, byKey] of [
      ["touchpoint", cli.metrics.by_touchpoint],
      ["channel", cli.metrics.by_channel],
      ["stage", cli.metrics.by_stage],
      ["segment", cli.metrics.by_segment],
    ]) {
      const keys = Object.keys(byKey);
      await expect(metrics.locator(`tr[data-group=${group}]`)).toHaveCount(keys.length);
      for (const key of keys) {
        const exact = metrics.locator(`tr[data-group=${group}][data-key="${key.replaceAll('"', '\\"')}"]`);
        await expect(exact).toHaveCount(1);
        await expect(exact.locator("th")).toHaveText(key);
        expectClose(await cells(exact), expected(byKey[key]), `${group} ${key}`);
      }
    }
  });
}

/**
 * A 12 MB export, large enough that a worker imports its second half: quoted
 * comments with commas, doubled quotes and line breaks (so a line break
 * near the middle may be inside a field), day-first dates that only rows
 * past the middle prove to be day-first, and problems in both halves.
 */
function largeExport() {
  const touchpoints = ["checkout", "chat", "store", "delivery", "returns"];
  const comments = ["fine", '"slow, ""very"" slow"', '"two\nlines, caf\u00e9"', "mail me at a@b.example", '"x\ny\nz"'];
  const lines = ["Submitted,Touchpoint,NPS,Satisfaction,Comment"];
  for (let i = 0; i < 120_000; i++) {
    const day = i > 80_000 ? 13 + (i % 15) : 1 + (i % 12);
    if (i % 25_013 === 7) {
      lines.push("too,few");
      continue;
    }
    const nps = i % 30_011 === 5 ? 11 : i % 11;
    const comment = `${comments[i % 5]} ${"word ".repeat(i % 17)}`;
    lines.push(`${day}/${1 + (i % 12)}/2024 10:00,${touchpoints[i % 5]},${nps},${1 + (i % 5)},${comment}`);
  }
  return lines.join("\n") + "\n";
}

test("a large export is imported by the page and a worker together, with the CLI's metrics", async ({ page, app }) => {
  const dir = mkdtempSync(join(tmpdir(), "waymark-large-"));
  try {
    const file = join(dir, "large.csv");
    writeFileSync(file, largeExport());
    const cli = summarize(file);
    const workers = tracked(page);
    await newMap(page, app, "Large");
    // Import is clicked the moment the review shows. The worker was set
    // off on its part before the review drew, and Import keeps it.
    await page.evaluate(() => {
      const input = document.querySelector("[data-testid=import-file]");
      const click = () => {
        const seen = new MutationObserver(() => {
          const start = document.querySelector("[data-testid=start-import]");
          if (start) {
            seen.disconnect();
            setTimeout(() => start.click(), 0);
          }
        });
        seen.observe(document.body, { subtree: true, childList: true });
      };
      input.addEventListener("change", click, { capture: true, once: true });
    });
    await page.getByTestId("import-file").setInputFiles(file);
    await expect(page.getByTestId("report")).toBeVisible();
    expect(workers.length, "a worker was started").toBe(1);
    expect(workers.started, "the rehearsal's worker and the import's, none after Import").toBe(2);
    expect(page.workers().filter((w) => w.url().endsWith("#reader")).length, "a worker reads the file for the page").toBe(1);
    // Its memory grows only once it reads: instantiated alone it holds
    // about 1.5 MB.
    const used = await workers[0].evaluate(() => self.memory.buffer.byteLength);
    expect(used, "the worker imported part of the file").toBeGreaterThan(6 << 20);
    await expect(page.getByTestId("rows-read")).toHaveText(String(cli.source.rows));
    await expect(page.getByTestId("rows-skipped")).toHaveText(String(cli.source.skipped));
    await expect(page.getByTestId("problem-count")).toHaveText(String(cli.errors.length));
    expect(cli.errors.length).toBeGreaterThan(4);
    for (const e of cli.errors) {
      const row = page.getByTestId("problems").locator(`tr[data-line="${e.line}"]`);
      await expect(row.filter({ hasText: e.message }).first()).toContainText(e.column ?? "whole row");
    }
    await expectMetrics(page, cli);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a large export's second part is imported during the review, again after a correction", async ({ page, app }) => {
  const dir = mkdtempSync(join(tmpdir(), "waymark-large-"));
  try {
    const file = join(dir, "large.csv");
    writeFileSync(file, largeExport());
    const cli = summarize(file, "--role", "Satisfaction=ignored");
    const workers = tracked(page);
    await newMap(page, app, "Large, corrected");
    await pick(page, file);
    await expect.poll(() => workers.length, "the rehearsal ended").toBe(1);
    const guessed = workers[0];
    await expect
      .poll(() => guessed.evaluate(() => self.memory.buffer.byteLength), "the worker imports while the user reviews")
      .toBeGreaterThan(6 << 20);
    // The correction sets a new worker off at once, on the new roles.
    await page.getByTestId("role-3").selectOption("ignored");
    await expect.poll(() => workers[0] !== guessed && workers.length === 1, "the guessed roles' worker was replaced").toBe(true);
    const corrected = workers[0];
    await expect
      .poll(() => corrected.evaluate(() => self.memory.buffer.byteLength), "the new worker imports during the review")
      .toBeGreaterThan(6 << 20);
    const started = workers.started;
    await page.getByTestId("start-import").click();
    await expect(page.getByTestId("report")).toBeVisible();
    expect(workers.started, "Import kept the worker on the corrected roles").toBe(started);
    expect(workers[0]).toBe(corrected);
    await expect(page.getByTestId("rows-read")).toHaveText(String(cli.source.rows));
    await expect(page.getByTestId("problem-count")).toHaveText(String(cli.errors.length));
    expect(cli.metrics.overall.csat, "no satisfaction score is counted").toBeUndefined();
    await expectMetrics(page, cli);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * The page's import workers still running, and how many were started. The
 * one the app starts to rehearse an import ends on its own, long before a
 * report shows. The worker that only reads the file is left out.
 */
function tracked(page) {
  const workers = [];
  workers.started = 0;
  page.on("worker", (w) => {
    if (w.url().endsWith("#reader")) return;
    workers.push(w);
    workers.started += 1;
    w.on("close", () => workers.splice(workers.indexOf(w), 1));
  });
  return workers;
}

/** The metrics table shows the CLI's figures, overall and by touchpoint. */
async function expectMetrics(page, cli) {
  const metrics = page.getByTestId("file-metrics");
  expectClose(await cells(metrics.locator("tr[data-group=overall]")), expected(cli.metrics.overall), "overall");
  for (const [key, summary] of Object.entries(cli.metrics.by_touchpoint)) {
    const row = metrics.locator(`tr[data-group=touchpoint][data-key="${key}"]`);
    expectClose(await cells(row), expected(summary), `touchpoint ${key}`);
  }
}

test("a bad row is reported with its line and the report downloads as CSV", async ({ page, app }) => {
  const csv = [
    "Touchpoint,NPS,Comment", // line 1
    "checkout,9,fine",
    "chat,11,too high", // 3: out of range
    "chat,7", // 4: too few fields, skipped
    'store,10,"multi', // 5, continued on 6
    'line"',
    "store,abc,oops", // 7: not a score
    ...["checkout,8,ok", "checkout,10,great", "chat,6,meh", "store,9,good", "chat,3,bad", "store,10,yes", "chat,9,fine"],
  ].join("\n");
  await newMap(page, app, "Bad rows");
  await page.getByTestId("import-file").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByTestId("role-1")).toHaveValue("nps");
  await page.getByTestId("start-import").click();
  const problems = page.getByTestId("problems");
  await expect(page.getByTestId("rows-read")).toHaveText("11");
  await expect(page.getByTestId("rows-skipped")).toHaveText("1");
  await expect(page.getByTestId("problem-count")).toHaveText("3");
  await expect(problems.locator('tr[data-line="3"]')).toContainText("NPS");
  await expect(problems.locator('tr[data-line="3"]')).toContainText("11");
  await expect(problems.locator('tr[data-line="4"]')).toContainText("whole row");
  await expect(problems.locator('tr[data-line="7"]')).toContainText("NPS");

  const download = page.waitForEvent("download");
  await page.getByTestId("download-report").click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("import-problems.csv");
  const text = await (await file.createReadStream()).toArray();
  const report = Buffer.concat(text).toString("utf8");
  expect(report.split("\n")[0]).toBe("line,column,problem");
  expect(report).toMatch(/^3,NPS,/m);
  expect(report).toMatch(/^7,NPS,/m);
});

test("contacts are masked in the preview unless masking is turned off", async ({ page, app }) => {
  await newMap(page, app, "Masking");
  await pick(page, fixture("surveymonkey.csv"));
  const preview = page.getByTestId("preview");
  await expect(preview).toContainText("call [phone]");
  await expect(preview).not.toContainText("415 555 0132");
  await page.getByTestId("mask-contacts").uncheck();
  await expect(preview).toContainText("415 555 0132");
});

test("a corrected role changes the import", async ({ page, app }) => {
  const csv = "Where,Score\ncheckout,9\nchat,3\n";
  await newMap(page, app, "Roles");
  await page.getByTestId("import-file").setInputFiles({ name: "roles.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByTestId("role-0").selectOption("touchpoint");
  await page.getByTestId("role-1").selectOption("nps");
  await page.getByTestId("start-import").click();
  const metrics = page.getByTestId("file-metrics");
  await expect(metrics.locator("tr[data-group=touchpoint]")).toHaveCount(2);
  expect((await cells(metrics.locator("tr[data-group=overall]"))).nps).toBe(0);
});

test("unmatched values are assigned to touchpoints, and that is remembered", async ({ page, app }) => {
  const csv = "Touchpoint,NPS\nig_ad,10\nig_ad,9\napp_cart,3\nIn-store pickup,10\n";
  const file = { name: "retail.csv", mimeType: "text/csv", buffer: Buffer.from(csv) };
  await retailMap(page, app);
  await page.getByTestId("import-file").setInputFiles(file);
  await page.getByTestId("start-import").click();

  const perTouchpoint = page.getByTestId("touchpoint-metrics");
  await expect(perTouchpoint.locator("tbody tr")).toHaveCount(2);
  await expect(perTouchpoint).toContainText("Instagram");
  const unmatched = page.getByTestId("unmatched").locator('tr[data-value="In-store pickup"]');
  await expect(unmatched).toContainText("not linked");
  const store = await unmatched.locator("option", { hasText: "Visits the store" }).getAttribute("value");
  await unmatched.getByRole("combobox").selectOption(store);
  await expect(unmatched).toContainText("assigned");
  await expect(perTouchpoint.locator("tbody tr")).toHaveCount(3);
  await expect(perTouchpoint).toContainText("Visits the store");

  // The next export of the same survey links by itself.
  await page.getByRole("button", { name: "Import another file" }).click();
  await page.getByTestId("import-file").setInputFiles({ ...file, buffer: Buffer.from(csv + "In-store pickup,8\n") });
  await page.getByTestId("start-import").click();
  await expect(page.getByTestId("unmatched").locator('tr[data-value="In-store pickup"]')).toContainText("assigned");
  await expect(page.getByTestId("touchpoint-metrics").locator("tbody tr")).toHaveCount(3);
});

test("datasets are kept, recognised when imported again, renamed and deleted with undo", async ({ page, app }) => {
  await newMap(page, app, "Datasets");
  await pick(page, fixture("zendesk_csat.csv"));
  await page.getByTestId("start-import").click();
  await expect(page.getByTestId("report")).toBeVisible();
  const list = page.getByTestId("datasets");
  await expect(list.locator("li")).toHaveCount(1);

  await app.reload();
  await expect(list.locator("li")).toContainText("zendesk_csat.csv");
  await list.getByRole("button", { name: "Open" }).click();
  await expect(page.getByTestId("rows-read")).toBeVisible();

  await page.getByRole("button", { name: "Import another file" }).click();
  await pick(page, fixture("zendesk_csat.csv"));
  await expect(page.getByTestId("same-file")).toContainText("imported before");
  await page.getByTestId("start-import").click();
  await expect(page.getByTestId("report")).toBeVisible();
  await expect(list.locator("li")).toHaveCount(1);

  await list.getByRole("button", { name: "Rename" }).click();
  await page.getByTestId("dataset-name").fill("Support CSAT, March");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(list.locator("li")).toContainText("Support CSAT, March");

  await list.getByRole("button", { name: "Delete" }).click();
  await expect(list).toHaveCount(0);
  await page.getByTestId("dataset-undo").getByRole("button", { name: "Undo" }).click();
  await expect(list.locator("li")).toContainText("Support CSAT, March");
  await app.reload();
  await expect(list.locator("li")).toContainText("Support CSAT, March");
});

test("a cancelled import saves nothing and the page stays usable", async ({ page, app }) => {
  const row = 'checkout,8,"A long comment, with commas, and a\nnewline in it ' + "x".repeat(90) + '"\n';
  const big = Buffer.from("Touchpoint,NPS,Comment\n" + row.repeat(100_000));
  await newMap(page, app, "Cancel");
  await page.getByTestId("import-file").setInputFiles({ name: "big.csv", mimeType: "text/csv", buffer: big });
  await expect(page.getByTestId("start-import")).toBeVisible();
  // The file is large enough that a worker imports part of it.
  const importers = () => page.workers().filter((w) => !w.url().endsWith("#reader")).length;
  await expect.poll(importers).toBe(1);
  // A slowed-down CPU makes the page's part of the import outlast the click
  // on Cancel however fast the build is; the worker runs at full speed. The
  // page itself clicks Cancel once a tenth is read: Playwright's own checks
  // run on the slowed-down page too, and were seen to miss the whole import.
  // It looks at each frame drawn, as someone watching the bar would. The
  // bar counts bytes handed to the parser, so it can show 100 % while the
  // last of them are parsed and the worker's rows joined: what shows that
  // the import was still running is the Cancel button, and the outcome.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 20 });
  const cancelled = page.evaluate(
    () =>
      new Promise((done) => {
        const look = () => {
          const progress = document.querySelector("[data-testid=progress]");
          const cancel = document.querySelector("[data-testid=cancel-import]");
          if (document.querySelector("[data-testid=report]")) {
            done("the import ended before Cancel could be clicked");
          } else if (progress && cancel && progress.value >= 10) {
            cancel.click();
            done("cancelled");
          } else {
            requestAnimationFrame(look);
          }
        };
        requestAnimationFrame(look);
      }),
  );
  await page.getByTestId("start-import").dispatchEvent("click");
  expect(await cancelled).toBe("cancelled");
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  await expect(page.getByTestId("drop-zone")).toBeVisible();
  await expect(page.locator(".toast")).toContainText("Nothing was saved");
  // The worker is stopped with the import.
  await expect.poll(importers).toBe(0);
  await app.reload();
  await expect(page.getByTestId("drop-zone")).toBeVisible();
  await expect(page.getByTestId("datasets")).toHaveCount(0);
});
