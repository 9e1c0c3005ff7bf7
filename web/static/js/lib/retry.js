/*
 * How a phone page's outbox takes the server's answers and when it tries
 * again (pure: no DOM, no network). Shared by the inspector's field queue
 * (field/) and the residents' report outbox (residents/).
 */

// Milliseconds before the next try after `failures` failed ones in a row: 2 s, 4 s, 8 s … at most a minute.
export function backoff(failures) {
  return Math.min(60000, 2000 * Math.pow(2, Math.max(0, failures - 1)));
}

// How an answer of the server is taken: "done" (recorded, or recorded before under the same client id),
// "retry" (no network, the server or database busy: the item stays), "refused" (the server will never take it:
// the item is dropped and the person told why).
export function verdict(status) {
  if (status === 200 || status === 201) return "done";
  if (status === 0 || status === 401 || status === 408 || status === 429 || status >= 500) return "retry";
  return "refused";
}
