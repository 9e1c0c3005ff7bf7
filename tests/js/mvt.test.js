// A vector tile's geometry commands read as the wall's tile painter wants them (web/static/js/wall/mvt.js), with the
// Mapbox Vector Tile specification's own examples (2.1, section 4.3.5). Whole tiles made by the server are read
// against mapbox-vector-tile's decoder in tests/test_tiles.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeGeometry, readTile } from "../../web/static/js/wall/mvt.js";

test("a polygon's MoveTo, LineTo and ClosePath are one ring of absolute positions", () => {
  const rings = decodeGeometry([9, 6, 12, 18, 10, 12, 24, 44, 15]);
  assert.deepEqual(rings.map((r) => Array.from(r)), [[3, 6, 8, 12, 20, 34]]);
});

test("a multi point is one position per point, each a ring of one", () => {
  assert.deepEqual(decodeGeometry([17, 10, 14, 3, 9]).map((r) => Array.from(r)), [[5, 7], [3, 2]]);
});

test("a line string and a multi polygon with a hole keep their parts apart, deltas carried across them", () => {
  assert.deepEqual(decodeGeometry([9, 4, 4, 18, 0, 16, 16, 0]).map((r) => Array.from(r)), [[2, 2, 2, 10, 10, 10]]);
  const multi = [9, 0, 0, 26, 20, 0, 0, 20, 19, 0, 15, 9, 22, 2, 26, 18, 0, 0, 18, 17, 0, 15, 9, 4, 13, 26, 0, 8, 8, 0, 0, 7,
    15];
  assert.deepEqual(decodeGeometry(multi).map((r) => Array.from(r)),
                   [[0, 0, 10, 0, 10, 10, 0, 10], [11, 11, 20, 11, 20, 20, 11, 20], [13, 13, 13, 17, 17, 17, 17, 13]]);
});

test("a tile without the layer asked for has no features", () => {
  assert.deepEqual(readTile(new Uint8Array(0), "courtyards"), { extent: 4096, features: [] });
});
