// The sentiment benchmark (issue 23, Performance): not part of the normal
// test run. Run with
//   npx playwright test --config tests/e2e/bench/sentiment.config.mjs
// against a release build in dist/ (or E2E_DIST). It prints figures and
// asserts no timings.
import { defineConfig } from "@playwright/test";
import { resolve } from "node:path";
import { launchOptions } from "../chromium.mjs";

const root = resolve(import.meta.dirname, "../../..");
const port = Number(process.env.E2E_PORT ?? 4183);

export default defineConfig({
  testDir: ".",
  testMatch: "sentiment.bench.mjs",
  timeout: 600_000,
  expect: { timeout: 60_000 },
  workers: 1,
  reporter: [["list"]],
  webServer: {
    command: "node tests/e2e/serve.mjs",
    cwd: root,
    env: { PORT: String(port), DIST_DIR: resolve(root, process.env.E2E_DIST ?? "dist") },
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
  },
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    launchOptions,
    viewport: { width: 1280, height: 800 },
  },
});
