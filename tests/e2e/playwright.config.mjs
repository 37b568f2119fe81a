// End-to-end tests of the release build, opened the three ways users open
// it: served at /, served under a sub-path, and the single file from disk.
import { defineConfig } from "@playwright/test";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { launchOptions } from "./chromium.mjs";

const root = resolve(import.meta.dirname, "../..");
const port = Number(process.env.E2E_PORT ?? 4173);
// Engineers sharing a checkout build into their own directory.
const dist = resolve(root, process.env.E2E_DIST ?? "dist");

export default defineConfig({
  testDir: ".",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 2,
  reporter: [["list"]],
  forbidOnly: true,
  // One retry under CI, where the 2 cores may be saturated: a test that
  // passes only on retry is still reported as "flaky" in the output.
  retries: process.env.CI ? 1 : 0,
  webServer: {
    command: "node tests/e2e/serve.mjs",
    cwd: root,
    env: { PORT: String(port), DIST_DIR: dist },
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
  },
  use: {
    launchOptions,
    viewport: { width: 1280, height: 800 },
  },
  projects: [
    { name: "http-root", use: { appUrl: `http://127.0.0.1:${port}/` } },
    { name: "http-subpath", use: { appUrl: `http://127.0.0.1:${port}/waymark/app/` } },
    { name: "file", use: { appUrl: pathToFileURL(resolve(dist, "waymark.html")).href } },
    // Issue 22: what a map can do to leave the browser works in the
    // installed app with the network off, under a Pages-like sub-path; so
    // does scoring comments (issue 23), whose module the worker caches.
    {
      name: "installed-offline",
      testMatch: /(library|transfer|export_image|xss|backup|voice)\.spec\.mjs$/,
      use: { appUrl: `http://127.0.0.1:${port}/waymark/app/`, installedOffline: true },
    },
  ],
});
