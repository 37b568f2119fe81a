// Issue 23, Performance: how fast comments are scored in wasm, in headless
// Chromium, on the release build.
//   - the scorer module alone, on the page's thread: the lexicon load (the
//     first call builds the scorer) and comments/s over COMMENTS typical
//     20-word comments, in the app's batches of 20,000;
//   - the app end to end: a file of ROWS rows with a comment each imported
//     on the retail example, then the map opened; from opening the map to
//     the sentiment status saying every comment is scored;
//   - the comments explorer on those ROWS comments: from typing a word, and
//     a two-word phrase, to the count of matches on screen.
// It prints figures and asserts no timings.
import { test, expect } from "@playwright/test";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 100_000);
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);

const WORDS = [
  "the", "agent", "was", "friendly", "but", "I", "had", "to", "repeat", "my", "order", "number",
  "twice", "and", "waited", "on", "hold", "for", "ages", "great", "app", "crashed", "at", "checkout",
  "really", "helpful", "staff", "slow", "delivery", "not", "happy", "with", "refund", "very", "easy",
  "store", "terrible", "service", "love", "new", "jacket", "fits", "well", "email", "useless", "!",
];

/** A typical comment: 20 words drawn with a fixed seed. */
function comments(n) {
  let seed = 20261207;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, () =>
    Array.from({ length: 20 }, () => WORDS[Math.floor(next() * WORDS.length)]).join(" "),
  );
}

test("scorer module: lexicon load and comments per second", async ({ page }) => {
  await page.goto("/");
  const figures = await page.evaluate(async (texts) => {
    const bytes = await (await fetch("waymark-sentiment_bg.wasm")).arrayBuffer();
    const module = await WebAssembly.compile(bytes);
    const imports = {};
    for (const { module: space, name } of WebAssembly.Module.imports(module)) {
      (imports[space] ??= {})[name] = () => {
        throw new Error(name);
      };
    }
    const wasm = (await WebAssembly.instantiate(module, imports)).exports;
    const encoder = new TextEncoder();
    const score = (batch) => {
      const parts = batch.map((t) => encoder.encode(t));
      const ends = new Uint32Array(parts.length);
      let total = 0;
      parts.forEach((p, i) => (ends[i] = total += p.length));
      const at = wasm.waymark_sentiment_input(total, parts.length);
      const text = new Uint8Array(wasm.memory.buffer, at, total);
      let offset = 0;
      for (const p of parts) {
        text.set(p, offset);
        offset += p.length;
      }
      new Uint32Array(wasm.memory.buffer, wasm.waymark_sentiment_ends(), parts.length).set(ends);
      const out = wasm.waymark_sentiment_score();
      return new Float32Array(wasm.memory.buffer, out, parts.length).slice();
    };
    let t = performance.now();
    score(["The first comment builds the scorer"]);
    const load = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < texts.length; i += 20_000) score(texts.slice(i, i + 20_000));
    const seconds = (performance.now() - t) / 1000;
    return { load, perSecond: texts.length / seconds, module: bytes.byteLength };
  }, comments(COMMENTS));
  console.log(`scorer module ${(figures.module / 1024).toFixed(0)} KiB; lexicon load (first call) ${figures.load.toFixed(1)} ms`);
  console.log(`wasm, one thread: ${Math.round(figures.perSecond).toLocaleString("en")} comments/s (${COMMENTS} comments of 20 words)`);
});

test("the app: scoring a dataset's comments after an import", async ({ page }) => {
  const file = join(tmpdir(), `waymark-sentiment-bench-${ROWS}.csv`);
  const keys = ["ig_ad", "web_reviews", "app_cart", "chat_sizing", "store_visit", "return_support"];
  const lines = comments(ROWS).map((c, i) => `${keys[i % keys.length]},${i % 11},"${c}"`);
  writeFileSync(file, `Touchpoint,How likely are you to recommend us? (0-10),Comment\n${lines.join("\n")}\n`);
  await page.goto("/");
  await page.locator("[data-template=retail]").click();
  await expect(page).toHaveURL(/#\/map\/m-[a-z0-9]+$/);
  const mapHash = await page.evaluate(() => location.hash);
  await page.evaluate(() => (location.hash += "/import"));
  await page.getByTestId("import-file").setInputFiles(file);
  await page.getByTestId("start-import").click();
  await expect(page.getByTestId("datasets").locator("li")).toHaveCount(1);
  const t = Date.now();
  await page.evaluate((h) => (location.hash = h), mapHash);
  await expect(page.getByTestId("sentiment-status")).toContainText(`Sentiment of ${ROWS.toLocaleString("en")} comments`, {
    timeout: 600_000,
  });
  const seconds = (Date.now() - t) / 1000;
  console.log(
    `app: ${ROWS} comments scored in ${seconds.toFixed(1)} s from opening the map = ${Math.round(ROWS / seconds).toLocaleString("en")} comments/s`,
  );

  await page.getByTestId("voice-comments").click();
  const count = page.getByTestId("comment-count");
  await expect(count).toContainText(`${ROWS} of ${ROWS} comments`, { timeout: 120_000 });
  for (const query of ["crashed", '"order number"']) {
    const ms = [];
    for (let run = 0; run < 5; run++) {
      await page.getByTestId("comment-search").fill("");
      await expect(count).toContainText(`${ROWS} of ${ROWS}`);
      const took = await page.evaluate(async (q) => {
        const input = document.querySelector("[data-testid=comment-search]");
        const out = document.querySelector("[data-testid=comment-count]");
        const before = out.textContent;
        const t = performance.now();
        input.value = q;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        while (out.textContent === before) await new Promise((r) => setTimeout(r, 0));
        await new Promise((r) => requestAnimationFrame(r));
        return performance.now() - t;
      }, query);
      ms.push(took);
    }
    ms.sort((a, b) => a - b);
    console.log(`explorer, ${ROWS} comments, search ${query}: median ${ms[2].toFixed(0)} ms (${ms[0].toFixed(0)}–${ms[4].toFixed(0)} ms, 5 runs) to the count on screen`);
  }
});
