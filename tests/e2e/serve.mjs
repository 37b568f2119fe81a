// Serves dist/ the way static hosts do: at / and under a sub-path, as
// GitHub Pages serves a project site. No rewrites: views live in the hash.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const root = resolve(process.env.DIST_DIR ?? "dist");
const port = Number(process.env.PORT ?? 4173);
const prefixes = ["/waymark/app/", "/"];
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".png": "image/png",
};
// The offline tests publish "a new release" by asking for <prefix>__release:
// from then on that prefix's service worker differs by one comment, which is
// all a browser needs to install it as an update.
const releases = new Map();

createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  const prefix = prefixes.find((p) => path.startsWith(p));
  let rel = normalize(path.slice(prefix.length));
  if (rel === "__release") {
    releases.set(prefix, (releases.get(prefix) ?? 0) + 1);
    res.writeHead(204).end();
    return;
  }
  if (rel === "." || rel.endsWith("/")) rel = join(rel, "index.html");
  const file = join(root, rel);
  if (!file.startsWith(root)) {
    res.writeHead(403).end();
    return;
  }
  try {
    let body = await readFile(file);
    if (rel === "service-worker.js" && releases.has(prefix)) {
      body = Buffer.concat([body, Buffer.from(`\n// test release ${releases.get(prefix)}\n`)]);
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end("not found");
  }
}).listen(port, "127.0.0.1", () => console.log(`serving ${root} on http://127.0.0.1:${port}/`));
