// Where a field photo was taken (web/static/js/field/fix.js): the device's last fix while it is recent, else none.
import assert from "node:assert/strict";
import { test } from "node:test";

import { FIX_MAX_AGE_MS, photoPosition } from "../../web/static/js/field/fix.js";

const NOW = Date.UTC(2026, 10, 24, 8, 0);
const FIX = { lon: 113.62, lat: 34.74, accuracy: 12, at: NOW - 30_000 };

test("a recent fix is where the photo was taken", () => {
  assert.deepEqual(photoPosition(FIX, NOW), { lon: 113.62, lat: 34.74 });
  assert.deepEqual(photoPosition({ ...FIX, at: NOW - FIX_MAX_AGE_MS }, NOW), { lon: 113.62, lat: 34.74 });
});

test("an old fix, a lost one or none gives no position rather than a wrong one", () => {
  const none = { lon: null, lat: null };
  assert.deepEqual(photoPosition({ ...FIX, at: NOW - FIX_MAX_AGE_MS - 1 }, NOW), none);
  assert.deepEqual(photoPosition(null, NOW), none);
  assert.deepEqual(photoPosition({ lon: 113.62, lat: 34.74 }, NOW), none);
});
