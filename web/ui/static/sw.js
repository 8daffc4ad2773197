// freenahi's service worker: it makes the app installable and, when the
// network is gone, answers page loads with the offline page instead of the
// browser's error. Nothing else is cached: bank data is never kept here.
"use strict";
var CACHE = "freenahi-offline-v1";
self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.add(new Request("/offline", { cache: "reload" })); }));
  self.skipWaiting();
});
self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});
self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET") { return; }
  var url = new URL(req.url);
  if (req.mode === "navigate") {
    e.respondWith(fetch(req).catch(function () { return caches.match("/offline"); }));
    return;
  }
  // The offline page's own style and icon (fingerprinted, immutable).
  if (url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0) {
    e.respondWith(fetch(req).then(function (r) {
      if (r.ok) { var copy = r.clone(); caches.open(CACHE).then(function (c) { c.put(req, copy); }); }
      return r;
    }).catch(function () { return caches.match(req); }));
  }
});
