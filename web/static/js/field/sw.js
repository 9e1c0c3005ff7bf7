/*
 * The field page's service worker (a classic script, imported by the
 * prologue /field/sw.js serves, which sets self.GUATU_FIELD). Built on the
 * vendored Workbox, loaded from our own /static/vendor, never a CDN:
 *
 * - precache: the page's scripts, styles and libraries, each under its
 *   revision (a hash of the file), fetched once and served from the cache;
 * - the page itself (navigations under the scope) and the day's list
 *   (/api/field/…): network first, the last copy when there is no network;
 * - photos' thumbnails: from the cache once seen.
 *
 * Writes (results, photos) are never touched here: the page queues them in
 * IndexedDB and sends them itself (field/sender.js).
 */
/* global workbox */
var config = self.GUATU_FIELD;
importScripts(config.vendor + "workbox-sw/workbox-sw.js");
workbox.setConfig({
  debug: false,
  modulePathCb: function (name) { return config.vendor + name + "/" + name + ".prod.js"; },
});
// every module the worker uses is loaded now: a worker may import scripts only while it starts
var precaching = workbox.precaching;
var routing = workbox.routing;
var strategies = workbox.strategies;
workbox.core.setCacheNameDetails({ prefix: "guatu-field" });

self.addEventListener("install", function () { self.skipWaiting(); });
workbox.core.clientsClaim();
precaching.cleanupOutdatedCaches();
precaching.precacheAndRoute(config.precache);

// the server's answers vary by Accept-Language and Cookie; a phone has one language and one sign-in
var ANY_VARY = { ignoreVary: true };
routing.registerRoute(function (o) {
  return o.request.mode === "navigate" && o.url.pathname.indexOf(config.scope) === 0;
}, new strategies.NetworkFirst({ cacheName: config.caches.pages, matchOptions: ANY_VARY }));
routing.registerRoute(function (o) {
  return o.url.origin === self.location.origin && o.url.pathname.indexOf(config.api) === 0;
}, new strategies.NetworkFirst({ cacheName: config.caches.data, matchOptions: ANY_VARY }));
routing.registerRoute(function (o) {
  return o.url.origin === self.location.origin && /^\/photos\/[0-9a-f]{64}\/thumb\.jpg$/.test(o.url.pathname);
}, new strategies.CacheFirst({ cacheName: config.caches.photos }));
