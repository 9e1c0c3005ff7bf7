import assert from "node:assert/strict";
import { test } from "node:test";

import { backoff, ofPlace, sendOrder, verdict } from "../../web/static/js/field/order.js";

test("results go before photos, each kind in the order it was made", () => {
  const items = [
    { seq: 1, kind: "photo", fid: "a" }, { seq: 2, kind: "result", fid: "a" },
    { seq: 3, kind: "photo", fid: "b" }, { seq: 4, kind: "result", fid: "b" },
  ];
  assert.deepEqual(sendOrder(items).map((i) => i.seq), [2, 4, 1, 3]);
  assert.deepEqual(items.map((i) => i.seq), [1, 2, 3, 4]); // the queue itself is left as it is
});

test("retries back off from 2 s to at most a minute", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 10].map(backoff), [2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
});

test("an answer is done, worth another try, or refused for good", () => {
  assert.equal(verdict(201), "done");
  assert.equal(verdict(200), "done"); // the same client id again: recorded before
  for (const s of [0, 401, 429, 500, 503]) assert.equal(verdict(s), "retry");
  for (const s of [400, 403, 404, 409, 413, 415, 422]) assert.equal(verdict(s), "refused");
});

test("a place's items are found by layer and id", () => {
  const items = [{ layer: "c", fid: "1" }, { layer: "r", fid: "1" }, { layer: "c", fid: "2" }];
  assert.deepEqual(ofPlace(items, "c", "1"), [items[0]]);
});
