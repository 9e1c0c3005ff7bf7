/*
 * What the field page's queue sends next and when it tries again (pure: no
 * DOM, no network, so node's test runner covers it).
 */

// Results first, then photos (a photo may go under the problem its place's result opened), each in the
// order they were made.
export function sendOrder(items) {
  return items.slice().sort(function (a, b) {
    var ka = a.kind === "result" ? 0 : 1;
    var kb = b.kind === "result" ? 0 : 1;
    return ka - kb || a.seq - b.seq;
  });
}

// backoff and verdict are shared with the residents' outbox: lib/retry.js
export { backoff, verdict } from "../lib/retry.js";

// The items queued for one place.
export function ofPlace(items, layer, fid) {
  return items.filter(function (it) { return it.layer === layer && it.fid === fid; });
}
