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

// Milliseconds before the next try after `failures` failed ones in a row: 2 s, 4 s, 8 s … at most a minute.
export function backoff(failures) {
  return Math.min(60000, 2000 * Math.pow(2, Math.max(0, failures - 1)));
}

// How an answer of the server is taken: "done" (recorded, or recorded before under the same client id),
// "retry" (no network, the server or database busy: the item stays), "refused" (the server will never take it:
// the item is dropped and the inspector told why).
export function verdict(status) {
  if (status === 200 || status === 201) return "done";
  if (status === 0 || status === 401 || status === 408 || status === 429 || status >= 500) return "retry";
  return "refused";
}

// The items queued for one place.
export function ofPlace(items, layer, fid) {
  return items.filter(function (it) { return it.layer === layer && it.fid === fid; });
}
