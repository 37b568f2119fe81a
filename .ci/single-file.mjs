// trunk post_build hook: writes waymark.html, the whole app in one file.
//
// Chromium refuses module scripts, wasm fetches and integrity-checked CSS
// from file:// (origin "null"), so the single file inlines the CSS, the
// wasm-bindgen glue as an inline module, and the wasm as base64 handed to
// the glue's async init (never a synchronous compile on the main thread).
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("single-file: TRUNK_STAGING_DIR is not set; run through trunk");
  process.exit(1);
}
if (process.env.TRUNK_PROFILE !== "release") {
  process.exit(0);
}

const files = readdirSync(dir);
const one = (pattern, what) => {
  const found = files.filter((f) => pattern.test(f));
  if (found.length !== 1) {
    console.error(`single-file: expected one ${what} in ${dir}, found ${found.join(", ") || "none"}`);
    process.exit(1);
  }
  return found[0];
};
const glueName = one(/^waymark-[0-9a-f]+\.js$/, "wasm-bindgen glue");
const wasmName = one(/^waymark-[0-9a-f]+_bg\.wasm$/, "wasm module");

let html = readFileSync(join(dir, "index.html"), "utf8");
const glue = readFileSync(join(dir, glueName), "utf8");
const wasm = readFileSync(join(dir, wasmName)).toString("base64");

// An inline script ends at the first "</script", whatever JS means there.
const safe = (code) => code.replace(/<\/(script)/gi, "<\\/$1");

// Preloads and the loader trunk injects point at separate files; drop them.
html = html.replace(/<link[^>]*rel="(?:modulepreload|preload)"[^>]*>\s*/g, "");
html = html.replace(/<script type="module"[^>]*>[\s\S]*?<\/script>\s*/g, "");

html = html.replace(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"[^>]*>/g, (_, href) => {
  const css = readFileSync(join(dir, href.replace(/^\.\//, "")), "utf8");
  return `<style>${css.replace(/<\/(style)/gi, "<\\/$1")}</style>`;
});
html = html.replace(/<link[^>]*rel="icon"[^>]*href="([^"]+)"[^>]*>/g, (_, href) => {
  const svg = readFileSync(join(dir, href.replace(/^\.\//, "")));
  return `<link rel="icon" type="image/svg+xml" href="data:image/svg+xml;base64,${svg.toString("base64")}">`;
});

const boot = `
${glue}
const bytes = Uint8Array.from(atob(${JSON.stringify(wasm)}), (c) => c.charCodeAt(0));
await __wbg_init({ module_or_path: bytes });
`;
html = html.replace("</body>", `<script type="module">${safe(boot)}</script>\n</body>`);
writeFileSync(join(dir, "waymark.html"), html);
console.log(`single-file: wrote waymark.html (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB)`);
