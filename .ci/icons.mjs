// Draws the app icons in public/ from public/favicon.svg with Chromium:
//   node .ci/icons.mjs   (run again only when the favicon changes)
import { chromium } from "@playwright/test";
import { readFileSync } from "node:fs";
const svg = readFileSync("public/favicon.svg", "utf8");
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage();
for (const [size, maskable] of [[192, false], [512, false], [512, true]]) {
  await page.setViewportSize({ width: size, height: size });
  // Maskable: the mark inside the 80 % safe zone on a full-bleed background.
  const inner = maskable
    ? `<div style="width:${size}px;height:${size}px;background:#3b5bdb;display:grid;place-items:center"><div style="width:${size*0.7}px;height:${size*0.7}px">${svg.replace("<svg ", '<svg width="100%" height="100%" ')}</div></div>`
    : `<div style="width:${size}px;height:${size}px">${svg.replace("<svg ", '<svg width="100%" height="100%" ')}</div>`;
  await page.setContent(`<html><body style="margin:0;background:transparent">${inner}</body></html>`);
  await page.screenshot({ path: `public/icon-${size}${maskable ? "-maskable" : ""}.png`, omitBackground: true });
}
await browser.close();
