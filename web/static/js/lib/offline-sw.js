/*
 * The phone pages' service worker (a classic script, imported by the
 * prologue each page's worker URL serves — /field/sw.js, /report/sw.js —
 * which sets self.GUATU_OFFLINE: the files to precache, the pages, the data
 * path, the cache names). Built on the vendored Workbox, loaded from our own
 * /static/vendor, never a CDN:
 *
 * - precache: the page's scripts, styles and libraries, each under its
 *   revision (a hash of the file), fetched once and served from the cache;
 * - the page itself (`pages`: a path, or every path under one ending in /)
 *   and its data (`api`: the field's day list, the report page's outlines):
 *   network first, the last copy when there is no network;
 * - photos' thumbnails: from the cache once seen;
 * - `aliases`: a script URL that a page kept from an earlier version names
 *   (its bundle of another version, its entry module) and the worker does not
 *   hold, answered with a redirect to the URL the page loads now.
 *
 * Writes (results, photos, reports) are never touched here: the page queues
 * them in IndexedDB and sends them itself (field/sender.js,
 * residents/sender.js).
 */
/* global workbox */
var config = self.GUATU_OFFLINE;
importScripts(config.vendor + "workbox-sw/workbox-sw.js");
workbox.setConfig({
  debug: false,
  modulePathCb: function (name) { return config.vendor + name + "/" + name + ".prod.js"; },
});
// every module the worker uses is loaded now: a worker may import scripts only while it starts
var precaching = workbox.precaching;
var routing = workbox.routing;
var strategies = workbox.strategies;
workbox.core.setCacheNameDetails({ prefix: config.prefix });

self.addEventListener("install", function () { self.skipWaiting(); });
workbox.core.clientsClaim();
precaching.cleanupOutdatedCaches();
precaching.precacheAndRoute(config.precache);

// the server's answers vary by Accept-Language and Cookie; a phone has one language and one sign-in
var ANY_VARY = { ignoreVary: true };
function isPage(url) {
  return config.pages.some(function (p) {
    return p.endsWith("/") ? url.pathname.indexOf(p) === 0 : url.pathname === p;
  });
}
routing.registerRoute(function (o) {
  return o.request.mode === "navigate" && isPage(o.url);
}, new strategies.NetworkFirst({ cacheName: config.caches.pages, matchOptions: ANY_VARY }));
routing.registerRoute(function (o) {
  return o.url.origin === self.location.origin && o.url.pathname.indexOf(config.api) === 0;
}, new strategies.NetworkFirst({ cacheName: config.caches.data, matchOptions: ANY_VARY }));
routing.registerRoute(function (o) {
  return o.url.origin === self.location.origin && /^\/photos\/[0-9a-f]{64}\/thumb\.jpg$/.test(o.url.pathname);
}, new strategies.CacheFirst({ cacheName: config.caches.photos }));

// after the scripts changed, a page kept in the cache may name its script by an earlier URL
(config.aliases || []).forEach(function (alias) {
  var pattern = new RegExp(alias.pattern); // (no `u` flag: the server's escapes, such as `\-`, are read as meant)
  routing.registerRoute(function (o) {
    return o.url.origin === self.location.origin && o.url.pathname !== alias.to && pattern.test(o.url.pathname);
  }, function () { return Promise.resolve(Response.redirect(alias.to, 302)); });
});
