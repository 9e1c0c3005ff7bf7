import { test } from "node:test";
import assert from "node:assert/strict";
import { legArrows } from "../../web/static/js/lib/route.js";

test("an arrow halfway along each leg points the way the route goes", () => {
  const arrows = legArrows([[0, 0], [10, 0], [10, 10], [0, 10]]);
  assert.deepEqual(arrows.map((a) => [a.x, a.y, Math.round(a.angle), a.leg]),
    [[5, 0, 0, 1], [10, 5, 90, 2], [5, 10, 180, 3]]);
});

test("legs shorter than the minimum, or of no length, get no arrow", () => {
  assert.deepEqual(legArrows([[0, 0], [3, 4], [3, 4], [3, 40]], 10).map((a) => a.leg), [3]);
  assert.deepEqual(legArrows([[1, 1]]), []);
  assert.deepEqual(legArrows([]), []);
});
