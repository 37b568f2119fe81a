// trunk post_build hook, release builds only. In trunk's staging directory:
//
// 0. The whole app's module (src/ui/shell.rs: a first visit loads only the
//    shell) is named after its contents, and the stylesheets become one:
//    with thirteen, a browser's six connections to a host (HTTP/1.1) had
//    the module's own download wait behind them.
// 1. index.html gets a Content-Security-Policy naming trunk's inline loader
//    by its hash, so no unhashed inline script or style runs, and a meta
//    tag naming the whole app's files for the shell.
// 2. service-worker.js is written from public/service-worker.js with this
//    release's file list and a cache name derived from their contents, so a
//    new release caches afresh and never mixes with a stale one.
// 3. waymark.html is the whole app (without the shell) in one file that
//    works from disk.
//    Chromium refuses module scripts, wasm fetches and integrity-checked CSS
//    from file:// (origin "null"), so it inlines the CSS and the
//    wasm-bindgen glue as an inline module. The app's module and the comment
//    scorer's (which the hosted build fetches when first needed) are packed
//    together by .ci/pack.py into a data block, and unpacked in the page by
//    a small LZMA decoder (src/bin/waymark-unpack.rs, gzipped and inflated
//    with the browser's DecompressionStream) before the glue's async init
//    (never a synchronous compile on the main thread). The build runs that
//    same decoder on the block and stops if it does not give the modules
//    back. The file carries its own policy, with the hashes of its own
//    inline code.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("post-build: TRUNK_STAGING_DIR is not set; run through trunk");
  process.exit(1);
}
if (process.env.TRUNK_PROFILE !== "release") {
  process.exit(0);
}

// The scorer's and the unpacker's wasm-bindgen glue: their modules are
// instantiated without it (src/ui/insights/scoring.rs, step 3), so it is
// not shipped.
for (const f of readdirSync(dir)) {
  if (/^waymark(-sentiment|-unpack)?\.(d\.ts|js)$/.test(f) && f !== "waymark.js") unlinkSync(join(dir, f));
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
// Only the single file needs the unpacker.
const unpackerName = one(/^waymark-unpack_bg\.wasm$/, "single-file unpacker module");
const unpacker = readFileSync(join(dir, unpackerName));
unlinkSync(join(dir, unpackerName));

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

const stylesheet = /<link rel="stylesheet" href="\.\/([^"]+\.css)"[^>]*>\s*/g;
const trunkPage = readFileSync(join(dir, "index.html"), "utf8");
const sheets = [...trunkPage.matchAll(stylesheet)].map((m) => m[1]);
const css = sheets.map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
const cssName = `waymark-${createHash("sha256").update(css).digest("hex").slice(0, 16)}.css`;
writeFileSync(join(dir, cssName), css);
for (const f of sheets) unlinkSync(join(dir, f));
const cssIntegrity = `sha384-${createHash("sha384").update(css).digest("base64")}`;
let firstSheet = true;
writeFileSync(
  join(dir, "index.html"),
  trunkPage.replace(stylesheet, () => {
    if (!firstSheet) return "";
    firstSheet = false;
    return `<link rel="stylesheet" href="./${cssName}" integrity="${cssIntegrity}"/>\n    `;
  }),
);
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
//    trunk's loader is a deferred module script, and those wait for the
//    stylesheet: made async, the shell's wasm starts while the stylesheet
//    still loads (the page is not painted before it has), only waiting
//    for the body it mounts into. The median first visit to a library of
//    50 maps fell from 446 to 410 ms (9 visits each, alternating).
const appMeta = `<meta name="waymark-app" content="./${glueName} ./${wasmName}" />`;
let loaders = 0;
const source = readFileSync(join(dir, "index.html"), "utf8")
  .replace(/<meta charset="utf-8"\s*\/?>/, (m) => `${m}\n    ${appMeta}`)
  .replace(/<script type="module">(\s*import init, \* as bindings from [^\n]*\n)/, (_, imports) => {
    loaders += 1;
    const body = `if (!document.body) await new Promise((r) => addEventListener("DOMContentLoaded", r, { once: true }));\n`;
    return `<script type="module" async>${imports}${body}`;
  });
if (loaders !== 1) {
  console.error("post-build: trunk's loader script in index.html is not the one this script rewrites");
  process.exit(1);
}
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
const app = readFileSync(join(dir, wasmName));
const scorerModule = readFileSync(join(dir, scorerName));
const appLength = Buffer.alloc(4);
appLength.writeUInt32LE(app.length);
let packed;
try {
  packed = execFileSync("python3", [".ci/pack.py"], {
    input: Buffer.concat([appLength, app, scorerModule]),
    maxBuffer: 256 << 20,
  }).toString("utf8");
} catch (e) {
  console.error(`post-build: python3 .ci/pack.py packs the single file and failed: ${e.message}`);
  process.exit(1);
}

/** Runs in the page (as its source) and here, on the block just packed. */
async function unpack(unpacker, text) {
  const module = await WebAssembly.compile(unpacker);
  const imports = {};
  for (const { module: space, name } of WebAssembly.Module.imports(module)) {
    (imports[space] ??= {})[name] = () => {
      throw new Error(`the unpacker cannot call ${name}`);
    };
  }
  const wasm = (await WebAssembly.instantiate(module, imports)).exports;
  const utf8 = new TextEncoder().encode(text);
  // Each call may grow the memory, which detaches any view taken before it.
  const input = wasm.waymark_unpack_input(utf8.length);
  new Uint8Array(wasm.memory.buffer, input, utf8.length).set(utf8);
  const length = wasm.waymark_unpack();
  if (!length) throw new Error("this file is damaged: the app inside it does not unpack");
  const output = wasm.waymark_unpack_output();
  const out = new Uint8Array(wasm.memory.buffer, output, length);
  const app = new DataView(out.buffer, out.byteOffset, 4).getUint32(0, true);
  return [out.slice(4, 4 + app), out.slice(4 + app)];
}
const [appBack, scorerBack] = await unpack(unpacker, packed);
if (!app.equals(appBack) || !scorerModule.equals(scorerBack)) {
  console.error("post-build: the single file's packed modules do not unpack to the modules");
  process.exit(1);
}

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

// The whole app, without the shell: from disk nothing loads later. The
// scorer's bytes go where src/ui/insights/scoring.rs looks for them.
const boot = `
${glue}
${unpack}
const gunzipped = await new Response(
  new Blob([Uint8Array.from(atob(${JSON.stringify(gzipSync(unpacker, { level: 9 }).toString("base64"))}), (c) => c.charCodeAt(0))])
    .stream()
    .pipeThrough(new DecompressionStream("gzip")),
).arrayBuffer();
const [app, scorer] = await unpack(gunzipped, document.getElementById("waymark-packed").textContent);
globalThis.waymarkScorer = scorer;
await wasm_bindgen({ module_or_path: app });
`;
html = html.replace(
  "</body>",
  () =>
    `<script type="application/octet-stream" id="waymark-packed">${packed}</script>\n` +
    `<script type="module">${safe(boot)}</script>\n</body>`,
);
writeFileSync(join(dir, "waymark.html"), withPolicy(html));
console.log(
  `post-build: policy and ${build.cache} (${build.files.length} files); waymark.html ${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB`,
);
