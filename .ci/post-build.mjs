// trunk post_build hook, release builds only. In trunk's staging directory:
//
// 0. The whole app's module (src/ui/shell.rs: a first visit loads only the
//    shell) is named after its contents.
// 1. index.html gets a Content-Security-Policy naming trunk's inline loader
//    by its hash, so no unhashed inline script or style runs, and a meta
//    tag naming the whole app's files for the shell.
// 2. service-worker.js is written from public/service-worker.js with this
//    release's file list and a cache name derived from their contents, so a
//    new release caches afresh and never mixes with a stale one.
// 3. waymark.html is the whole app (without the shell) in one file that
//    works from disk.
//    Chromium refuses module scripts, wasm fetches and integrity-checked CSS
//    from file:// (origin "null"), so it inlines the CSS, the wasm-bindgen
//    glue as an inline module, and the wasm gzipped and base64-encoded,
//    inflated with the browser's DecompressionStream and handed to the
//    glue's async init (never a synchronous compile on the main thread). It
//    carries its own policy, with the hashes of its own inline code.
//    The comment scorer (a second wasm module the hosted build fetches when
//    first needed) rides along deflated in a data block the app reads.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync, gzipSync } from "node:zlib";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("post-build: TRUNK_STAGING_DIR is not set; run through trunk");
  process.exit(1);
}
if (process.env.TRUNK_PROFILE !== "release") {
  process.exit(0);
}

// The scorer's wasm-bindgen glue: the app instantiates that module
// without it (src/ui/insights/scoring.rs), so it is not shipped.
for (const f of readdirSync(dir)) {
  if (/^waymark(-sentiment)?\.d\.ts$/.test(f) || f === "waymark-sentiment.js") unlinkSync(join(dir, f));
}
const one = (pattern, what) => {
  const found = readdirSync(dir).filter((f) => pattern.test(f));
  if (found.length !== 1) {
    console.error(`post-build: expected one ${what} in ${dir}, found ${found.join(", ") || "none"}`);
    process.exit(1);
  }
  return found[0];
};
one(/^waymark-shell-[0-9a-f]+\.js$/, "first-load shell glue");
one(/^waymark-shell-[0-9a-f]+_bg\.wasm$/, "first-load shell module");
const scorerName = one(/^waymark-sentiment_bg\.wasm$/, "comment scorer module");

// The whole app (src/ui/shell.rs), which trunk names without a hash: named
// here after its contents, so no cache can pair a new shell with an old app.
const appGlue = readFileSync(join(dir, one(/^waymark\.js$/, "whole app glue")));
const appWasm = readFileSync(join(dir, one(/^waymark_bg\.wasm$/, "whole app module")));
const appHash = createHash("sha256").update(appGlue).update(appWasm).digest("hex").slice(0, 16);
const [glueName, wasmName] = [`waymark-app-${appHash}.js`, `waymark-app-${appHash}_bg.wasm`];
writeFileSync(join(dir, glueName), appGlue);
writeFileSync(join(dir, wasmName), appWasm);
unlinkSync(join(dir, "waymark.js"));
unlinkSync(join(dir, "waymark_bg.wasm"));
const files = readdirSync(dir);

const sha256 = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** The one policy both builds share; only the hashes of inline code differ. */
const policy = ({ scripts, styles }) =>
  [
    "default-src 'self'",
    // Instantiating the wasm needs 'wasm-unsafe-eval', never 'unsafe-eval'.
    `script-src 'self' 'wasm-unsafe-eval' ${scripts.join(" ")}`.trim(),
    `style-src 'self' ${styles.join(" ")}`.trim(),
    // Chart PNGs are drawn from SVG data URLs; downloads are blob: URLs.
    "img-src 'self' data: blob:",
    // The import's second worker starts from a Blob URL (see src/ui/import/worker.rs).
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");

const metaPolicy = (text) => `<meta http-equiv="Content-Security-Policy" content="${text}" />`;
// Data blocks (type application/octet-stream) never run, so need no hash.
const inlineScripts = (html) =>
  [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    .filter((m) => !m[1].includes("application/octet-stream"))
    .map((m) => m[2]);
const inlineStyles = (html) => [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
const withPolicy = (html) => {
  const text = policy({ scripts: inlineScripts(html).map(sha256), styles: inlineStyles(html).map(sha256) });
  return html.replace(/<meta charset="utf-8"\s*\/?>/, (m) => `${m}\n    ${metaPolicy(text)}`);
};

// 1. The hosted build's policy, and where the shell finds the whole app.
const appMeta = `<meta name="waymark-app" content="./${glueName} ./${wasmName}" />`;
const source = readFileSync(join(dir, "index.html"), "utf8").replace(
  /<meta charset="utf-8"\s*\/?>/,
  (m) => `${m}\n    ${appMeta}`,
);
writeFileSync(join(dir, "index.html"), withPolicy(source));

// 2. The service worker. "./" is the page itself, whatever the sub-path.
const cached = files.filter((f) => f !== "waymark.html" && f !== "service-worker.js" && f !== "index.html").sort();
const digest = createHash("sha256");
for (const f of ["index.html", ...cached]) digest.update(f).update(readFileSync(join(dir, f)));
const build = { cache: `waymark-${digest.digest("hex").slice(0, 16)}`, files: ["./", ...cached] };
const worker = readFileSync("public/service-worker.js", "utf8").replace(/\/\* build \*\/ \{[^}]*\}/, () =>
  JSON.stringify(build),
);
if (!worker.includes(build.cache)) {
  console.error("post-build: public/service-worker.js lost its /* build */ placeholder");
  process.exit(1);
}
writeFileSync(join(dir, "service-worker.js"), worker);

// 3. The single file, from the page before its policy was added.
const glue = readFileSync(join(dir, glueName), "utf8");
const wasm = gzipSync(readFileSync(join(dir, wasmName)), { level: 9 }).toString("base64");

// An inline script ends at the first "</script", whatever JS means there.
const safe = (code) => code.replace(/<\/(script)/gi, "<\\/$1");

let html = source;
// Preloads, the shell trunk injects, the whole app's meta tag and the
// manifest point at separate files; from disk there is no service worker
// or installable app.
html = html.replace(/<link[^>]*rel="(?:modulepreload|preload|manifest)"[^>]*>\s*/g, "");
html = html.replace(/<meta name="waymark-app"[^>]*>\s*/, "");
html = html.replace(/<script type="module"[^>]*>[\s\S]*?<\/script>\s*/g, "");

html = html.replace(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"[^>]*>/g, (_, href) => {
  const css = readFileSync(join(dir, href.replace(/^\.\//, "")), "utf8");
  return `<style>${css.replace(/<\/(style)/gi, "<\\/$1")}</style>`;
});
html = html.replace(/<link[^>]*rel="icon"[^>]*href="([^"]+)"[^>]*>/g, (_, href) => {
  const svg = readFileSync(join(dir, href.replace(/^\.\//, "")));
  return `<link rel="icon" type="image/svg+xml" href="data:image/svg+xml;base64,${svg.toString("base64")}">`;
});

// The whole app, without the shell: from disk nothing loads later.
const boot = `
${glue}
const packed = Uint8Array.from(atob(${JSON.stringify(wasm)}), (c) => c.charCodeAt(0));
const inflated = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
await wasm_bindgen({ module_or_path: await new Response(inflated).arrayBuffer() });
`;
// Its id is scoring::EMBEDDED in src/ui/insights/scoring.rs.
const scorer = deflateRawSync(readFileSync(join(dir, scorerName)), { level: 9 }).toString("base64");
html = html.replace(
  "</body>",
  () =>
    `<script type="application/octet-stream" id="waymark-sentiment-wasm">${scorer}</script>\n` +
    `<script type="module">${safe(boot)}</script>\n</body>`,
);
writeFileSync(join(dir, "waymark.html"), withPolicy(html));
console.log(
  `post-build: policy and ${build.cache} (${build.files.length} files); waymark.html ${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB`,
);
