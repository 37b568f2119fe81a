// Waymark's service worker: the app starts with the network off after one
// visit. The build's post_build hook (.ci/post-build.mjs) fills in BUILD,
// the list of files this release is made of and a cache name derived from
// their contents, so every release caches into a fresh cache and a stale
// file is never served with a new page.
"use strict";
const BUILD = /* build */ { cache: "waymark-dev", files: [] };

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(BUILD.cache);
      // Relative to this script, which sits next to index.html: the same
      // list works at / and under any sub-path.
      await cache.addAll(BUILD.files.map((f) => new URL(f, self.registration.scope).href));
      // A new release takes over as soon as it is cached; pages already open
      // keep the code they loaded and are told an update is ready.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("waymark-") && name !== BUILD.cache) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(BUILD.cache);
      // Every route lives in the hash, so any navigation inside the scope
      // is the app itself: the installed app opens at the app, never at an
      // asset path, also under a sub-path.
      if (request.mode === "navigate") {
        const page = await cache.match(new URL("./", self.registration.scope).href);
        if (page) return page;
        return fetch(request);
      }
      const hit = await cache.match(request, { ignoreSearch: true });
      return hit ?? fetch(request);
    })(),
  );
});
