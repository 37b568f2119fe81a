// Prints what a first visit downloads, after a release build:
//   node .ci/size.mjs [dist]
//
// A first visit fetches index.html and what it names (stylesheets, icon,
// manifest, the wasm-bindgen glue and the wasm), each gzipped as a server or
// GitHub Pages sends it. Files fetched later (the service worker and what it
// caches, a module loaded on demand) are listed apart, and the single-file
// build's size closes the table.
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const dist = resolve(process.argv[2] ?? "dist");
const html = readFileSync(join(dist, "index.html"), "utf8");

const referenced = new Set();
for (const m of html.matchAll(/(?:href|src)="\.?\/?([^"#?]+)"/g)) referenced.add(m[1]);
for (const m of html.matchAll(/'\.\/([^']+\.(?:js|wasm))'/g)) referenced.add(m[1]);

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const rows = [];
const add = (name, group) => {
  const bytes = readFileSync(join(dist, name));
  rows.push({ name, group, raw: bytes.length, gz: gz(bytes) });
};
add("index.html", "first load");
for (const name of referenced) {
  if (existsSync(join(dist, name)) && statSync(join(dist, name)).isFile()) add(name, "first load");
}
const later = readdirSync(dist).filter(
  (f) => f !== "index.html" && f !== "waymark.html" && !referenced.has(f) && statSync(join(dist, f)).isFile(),
);
for (const name of later) add(name, "later or never");

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const kind = (name) => name.replace(/^.*\./, "");
console.log(`first load of ${dist}, gzipped -9:`);
for (const group of ["first load", "later or never"]) {
  const these = rows.filter((r) => r.group === group);
  if (!these.length) continue;
  console.log(`\n${group}:`);
  for (const r of these.sort((a, b) => b.gz - a.gz)) {
    console.log(`  ${r.name.padEnd(44)} ${kib(r.raw).padStart(12)} ${kib(r.gz).padStart(12)} gz`);
  }
  const byKind = {};
  for (const r of these) byKind[kind(r.name)] = (byKind[kind(r.name)] ?? 0) + r.gz;
  const total = these.reduce((s, r) => s + r.gz, 0);
  const parts = Object.entries(byKind)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${kib(v)}`)
    .join(", ");
  console.log(`  total ${kib(total)} gzipped (${total} B): ${parts}`);
}
const single = join(dist, "waymark.html");
if (existsSync(single)) {
  const bytes = readFileSync(single);
  console.log(`\nsingle file waymark.html: ${(bytes.length / 1e6).toFixed(2)} MB (${kib(gz(bytes))} gzipped)`);
}

// Where the wasm's code comes from, by crate, when twiggy is installed
// (`cargo install twiggy --locked`): it reads the unstripped modules cargo
// leaves before wasm-bindgen, whose function names survive. Generic code is
// counted under the crate that defines it (a Leptos view instantiated by
// Waymark counts as tachys), which is why Leptos weighs what it does. The
// first-load shell (src/ui/shell.rs) and the whole app it fetches are
// listed apart.
import { execFileSync } from "node:child_process";
const groups = {
  "Leptos (tachys, reactive_graph, leptos)": /^(tachys|reactive_graph|leptos\w*|reactive_stores|either_of|next_tuple|any_spawner|throw_error|or_poisoned)$/,
  "Rust std (core, alloc, std, hashbrown, dlmalloc)": /^(core|alloc|std|hashbrown|dlmalloc|compiler_builtins|rustc_demangle)$/,
  "import (calamine, encoding_rs, quick_xml, zip, zlib_rs, csv, core::import, ui::import)": /^(calamine|encoding_rs|quick_xml|zip|zlib_rs|csv|csv_core|crc32fast|miniz_oxide|waymark_core::import|waymark::ui::import)$/,
  "charts (plotters, waymark::charts)": /^(plotters\w*|waymark::charts)$/,
  "serde, serde_json": /^(serde\w*)$/,
  "wasm-bindgen, js-sys, web-sys": /^(wasm_bindgen\w*|js_sys|web_sys|gloo\w*)$/,
};
for (const [bin, what] of [
  ["waymark-shell", "the first-load shell"],
  ["waymark", "the whole app"],
]) {
  const unstripped = resolve(`target/wasm32-unknown-unknown/release/${bin}.wasm`);
  let csv = "";
  try {
    if (existsSync(unstripped)) {
      csv = execFileSync("twiggy", ["top", "-n", "1000000", "-f", "csv", unstripped], {
        encoding: "utf8",
        maxBuffer: 1 << 28,
        stdio: ["ignore", "pipe", "ignore"],
      });
    }
  } catch {
    csv = "";
  }
  if (!csv) continue;
  const totals = new Map();
  let all = 0;
  for (const line of csv.split("\n").slice(1)) {
    const m = line.match(/^"?(.*?)"?,(\d+),/);
    if (!m) continue;
    const [name, bytes] = [m[1], Number(m[2])];
    // Names, wasm-bindgen's describe functions and custom sections vanish
    // from the module a browser downloads.
    if (/function names|custom section|__wbindgen_describe|^export "__wbindgen_describe/.test(name)) continue;
    all += bytes;
    // `<T as tachys::view::Render>::build` is the trait's crate's code.
    const path = name.match(/^<[^<>]*? as &?(?:mut )?([A-Za-z_][\w:]*)/)?.[1] ?? name.replace(/^<&?(?:mut )?/, "");
    let crate = name.startsWith("data segment") ? "rodata" : (path.match(/^([A-Za-z_]\w*)(?:\[[0-9a-f]+\])?::/) ?? [])[1];
    if (crate === "waymark" || crate === "waymark_core") {
      const sub = path.match(/^waymark(?:_core)?::((?:ui::)?\w+)/)?.[1];
      crate = `${crate}::${sub}`;
    }
    const group =
      crate === "rodata"
        ? "read-only data (strings, tables)"
        : (Object.entries(groups).find(([, re]) => re.test(crate ?? ""))?.[0] ?? (crate?.startsWith("waymark") ? "Waymark's own code" : "other"));
    totals.set(group, (totals.get(group) ?? 0) + bytes);
  }
  console.log(`\nwasm code of ${what} by origin (${unstripped}, ${(all / 1024).toFixed(0)} KiB before wasm-bindgen and wasm-opt):`);
  for (const [group, bytes] of [...totals].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${((100 * bytes) / all).toFixed(1).padStart(5)} %  ${group}`);
  }
}
