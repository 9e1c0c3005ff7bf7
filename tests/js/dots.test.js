// A large layer's dots (web/static/js/wall/dots.js): kept as columns, found by id and under the pointer,
// painted as discs of pixels in their look's colour; and the packed decoder handing dots over without a Place each.
import { test } from "node:test";
import assert from "node:assert/strict";
import { darkerPixel, discOffsets, dotCollector, DotField, HIDDEN, paintHalos, paintPixels, pixelOf } from "../../web/static/js/wall/dots.js";
import { darken } from "../../web/static/js/lib/dom.js";
import { placesFromPacked } from "../../web/static/js/wall/place.js";
import { itemsOf } from "../../web/static/js/wall/state.js";
import { IdIndex, unpackIds, unpackNumbers } from "../../web/static/js/wall/ids.js";

// a viewport document: a triangle, then two dots (geo/viewport.py DOT_CODE = 6), coordinates as deltas
var DOC = {
  scale: 1000,
  geometry: { types: [0, 6, 6], parts: [1, 3], coords: [113000, 34000, 10, 0, 0, 10, 100, 100, -50, 20] },
};

test("a viewport's dots are collected as columns and only its other places become Places", () => {
  var dots = dotCollector();
  var places = placesFromPacked(DOC, "courtyards", ["a", "b", "c"], dots);
  assert.deepEqual(places.map((p) => p.feature.id), ["a"]);
  assert.deepEqual(dots.ids, ["b", "c"]);
  assert.deepEqual(dots.lngLat.map((v) => Math.round(v * 1000)), [113110, 34110, 113060, 34130]);
  assert.deepEqual(dots.half, [0, 0, 0, 0]);
  assert.equal(dots.boxes, 0);
  assert.equal(DotField.collected("courtyards", dots, { ids: ["a", "b", "c"] }).half, null); // no box: no column
  // without a collector every place, dots included, is a Place as before
  var all = placesFromPacked(DOC, "courtyards", ["a", "b", "c"]);
  assert.deepEqual(all.map((p) => [p.feature.id, p.guatuDot]), [["a", false], ["b", true], ["c", true]]);
  assert.deepEqual(Array.from(all[2].coords[0]).map((v) => Math.round(v * 1000)), [113060, 34130]);
  // ids that came packed: the dots' numbers are collected with them
  var packed = { prefix: "c-", width: 3, step: [1, 1, 40] };
  var numbered = dotCollector(unpackNumbers(packed));
  placesFromPacked(DOC, "courtyards", unpackIds(packed), numbered);
  var f = DotField.collected("courtyards", numbered, { ids: packed });
  assert.deepEqual([f.ids, Array.from(f.numbers), f.form], [["c-002", "c-042"], [2, 42], { prefix: "c-", width: 3 }]);
  assert.equal(DotField.collected("courtyards", dots, { ids: ["a", "b", "c"] }).numbers, null);
});

function field() {
  var f = new DotField("courtyards", ["p1", "p2", "p3"], Float64Array.of(1, 1, 2, 2, 3, 3));
  f.project(function (lng, lat, out, i) { out[i] = lng * 10; out[i + 1] = lat * 10; });
  f.look.set([1, 2, HIDDEN]);
  return f;
}

test("a dot is found by its id, and under the pointer only when shown, the last painted on top", () => {
  var f = field();
  assert.equal(f.indexOf("p2"), 1);
  assert.equal(f.indexOf("nope"), -1);
  assert.equal(f.nearest(20.5, 20, 2), 1);
  assert.equal(f.nearest(30, 30, 2), -1); // p3 is hidden
  assert.equal(f.nearest(15, 15, 8), 1); // p1 and p2 both in reach: p2 lies above
  assert.equal(f.count(), 2);
  assert.deepEqual(f.bounds(), [1, 1, 2, 2]);
  var place = f.place(1);
  assert.equal(place.feature.id, "p2");
  assert.ok(place.guatuDot && place.visible);
  assert.equal(f.place(1), place); // one object per dot: the tooltip and the card see the same place
  assert.deepEqual(f.made(), [place]);
});

test("dots are painted as discs of their palette colour, clipped to the image, and the box written is returned", () => {
  var f = field();
  var w = 40, h = 30;
  var pixels = new Uint32Array(w * h);
  var palette = [pixelOf("#ff0000"), pixelOf("#00ff00")];
  var box = paintPixels(pixels, w, h, f, 0, 0, 1, discOffsets(1.5), palette);
  assert.equal(pixels[10 * w + 10], palette[0]);
  assert.equal(pixels[20 * w + 21], palette[1]);
  assert.equal(pixels[20 * w + 23], 0); // outside the disc
  assert.equal(pixels[30 * w - 1], 0); // p3 (hidden) is not painted
  assert.deepEqual(box, [9, 9, 22, 22]); // a disc of 1.5 px reaches one pixel each way
  // a view moved left by 19 px: p1 is off the image, p2 half on its edge
  pixels.fill(0);
  box = paintPixels(pixels, w, h, f, 19, 0, 1, discOffsets(1.5), palette);
  assert.equal(pixels[20 * w + 1], palette[1]);
  assert.equal(pixels[20 * w + 0], palette[1]);
  assert.deepEqual(box, [0, 19, 3, 22]);
});

test("a colour becomes one little-endian RGBA pixel, opaque", () => {
  var bytes = new Uint8Array(Uint32Array.of(pixelOf("#12abEF")).buffer);
  assert.deepEqual(Array.from(bytes), [0x12, 0xab, 0xef, 0xff]);
  assert.equal(discOffsets(0.5).length, 2); // at least the dot's own pixel
});

test("each dot's position in the state's items is found by its id, -1 for a dot the state does not have", () => {
  var ids = ["c-000007", "c-000003", "x-1", "c-000009", "c-000005"];
  var f = new DotField("courtyards", ids, new Float64Array(2 * ids.length), { prefix: "c-", width: 6 });
  var items = itemsOf({ features: { "c-000003": ["pending", 0, 0, 0, 0], "c-000005": ["accepted", 0, 0, 0, 0],
                                    "x-1": ["pending", 0, 0, 0, 0], "c-000007": ["pending", 0, 0, 0, 0] } });
  items.remove("c-000007"); // gone from the state since the viewport came
  assert.deepEqual(Array.from(f.positionsIn(items)), [-1, 0, 2, -1, 1]);
  assert.deepEqual(Array.from(f.positionsIn(items)), ids.map((id) => items.indexOf(id)));
});

// a dot, then a box (geo/viewport.py BOX_CODE = 7): its centre (113.2, 34.1), then its corner 0.004 east, 0.002 north
var BOXES = { scale: 1000, ids: ["d", "e"], geometry: { types: [6, 7], parts: [], coords: [113100, 34000, 100, 100, 4, 2] } };

test("a viewport's boxes come with their half sides, and as a Polygon of their corners to a reader of Places", () => {
  var dots = dotCollector();
  assert.deepEqual(placesFromPacked(BOXES, "courtyards", ["d", "e"], dots), []);
  assert.deepEqual(dots.ids, ["d", "e"]);
  assert.deepEqual(dots.lngLat.map((v) => Math.round(v * 1000)), [113100, 34000, 113200, 34100]);
  assert.deepEqual(dots.half.map((v) => Math.round(v * 1000)), [0, 0, 4, 2]);
  assert.equal(dots.boxes, 1);
  var f = DotField.collected("courtyards", dots, BOXES);
  assert.ok(!f.isBox(0) && f.isBox(1));
  var box = f.place(1);
  assert.ok(!box.guatuPoint && !box.guatuLine && box.type === 0); // drawn, flashed and outlined as an area
  assert.deepEqual(Array.from(box.coords[0]).map((v) => Math.round(v * 1000)),
                   [113196, 34098, 113204, 34098, 113204, 34102, 113196, 34102]);
  assert.deepEqual(f.bounds(true).map((v) => Math.round(v * 1000)), [113100, 34000, 113204, 34102]);
  // a box with no area at the scale it was sent in is a dot to a reader of Places
  var flat = { scale: 1000, geometry: { types: [7, 7], parts: [], coords: [113100, 34000, 0, 0, 10, 10, 0, 3] } };
  assert.deepEqual(placesFromPacked(flat, "courtyards", ["f", "g"]).map((p) => [p.feature.id, p.type]), [["f", 6], ["g", 6]]);
  var all = placesFromPacked(BOXES, "courtyards", ["d", "e"]);
  assert.deepEqual(all.map((p) => [p.feature.id, p.type]), [["d", 6], ["e", 0]]);
  assert.deepEqual(Array.from(all[1].coords[0]).map((v) => Math.round(v * 1e6)),
                   Array.from(box.coords[0]).map((v) => Math.round(v * 1e6)));
});

// two boxes and a dot, projected at 10 px a degree: a box of 8 × 6 px at (20, 20) and one of 2 × 2 at (40, 10)
function boxField() {
  var f = new DotField("courtyards", ["b1", "b2", "d1"], Float64Array.of(2, 2, 4, 1, 1, 3), null,
                       Float64Array.of(0.4, 0.3, 0.1, 0.1, 0, 0));
  f.project(function (lng, lat, out, i) { out[i] = lng * 10; out[i + 1] = lat * 10; });
  f.look.set([1, 2, 1]);
  return f;
}

test("a box is found under the pointer anywhere inside it, and a little beyond", () => {
  var f = boxField();
  assert.deepEqual(Array.from(f.wh).map((v) => Math.round(v * 10) / 10), [4, 3, 1, 1, 0, 0]);
  assert.equal(f.nearest(23.9, 22.9, 0), 0); // its corner, with no reach
  assert.equal(f.nearest(25.5, 20, 2), 0); // within the reach beyond its side
  assert.equal(f.nearest(26.5, 20, 2), -1);
  assert.equal(f.nearest(10, 30.5, 1), 2); // the dot
});

test("boxes are painted as rectangles, a darker rim on those 5 px or more, their overdue rings apart", () => {
  var f = boxField();
  var w = 60, h = 40;
  var pixels = new Uint32Array(w * h);
  var palette = [pixelOf("#ff0000"), pixelOf("#00ff00")];
  var rims = palette.map((p) => darkerPixel(p, 0.45));
  var halo = pixelOf("#d4006a");
  f.marked[0] = 1; // b1 overdue
  var at = (x, y) => pixels[y * w + x];
  // the rings first (the canvas draws them before every fill): b1's only, 2 px beyond its box
  assert.deepEqual(paintHalos(pixels, w, h, f, 0, 0, 1, halo, 2), [14, 15, 26, 25]);
  assert.equal(at(14, 15), halo);
  assert.equal(at(20, 20), halo);
  assert.equal(at(13, 15), 0);
  assert.equal(at(40, 10), 0); // b2 is not overdue
  pixels.fill(0);
  var box = paintPixels(pixels, w, h, f, 0, 0, 1, discOffsets(1.5), palette, rims);
  assert.equal(at(16, 17), rims[0]); // b1's rim: its box is [16, 24) × [17, 23)
  assert.equal(at(23, 22), rims[0]);
  assert.equal(at(20, 20), palette[0]); // its fill
  assert.equal(at(15, 17), 0);
  assert.equal(at(24, 22), 0);
  assert.equal(at(40, 10), palette[1]); // b2: 2 × 2 px ([39, 41) × [9, 11)), too small for a rim
  assert.equal(at(39, 9), palette[1]);
  assert.equal(at(41, 10), 0);
  assert.equal(at(10, 30), palette[0]); // the dot, a disc as before
  assert.deepEqual(box, [9, 9, 41, 32]);
  // without rims (a caller that has none): plain rectangles
  pixels.fill(0);
  paintPixels(pixels, w, h, f, 0, 0, 1, discOffsets(1.5), palette);
  assert.equal(at(16, 17), palette[0]);
  // a view moved so that b1 is half off the image's left edge: clipped, nothing written outside
  pixels.fill(0);
  paintPixels(pixels, w, h, f, 20, 0, 1, discOffsets(1.5), palette, rims);
  assert.equal(at(0, 20), palette[0]);
  assert.equal(at(3, 20), rims[0]);
});

test("a box's edges are rounded to the pixel: boxes side by side share their edge, odd sizes stay centred", () => {
  // a box 3 px wide about x = 10.5 ([9, 12)); two 4 px wide that meet at x = 30.3 ([26, 30) and [30, 34))
  var f = new DotField("courtyards", ["odd", "left", "right"], Float64Array.of(1.05, 1, 2.83, 1, 3.23, 1), null,
                       Float64Array.of(0.15, 0.15, 0.2, 0.15, 0.2, 0.15));
  f.project(function (lng, lat, out, i) { out[i] = lng * 10; out[i + 1] = lat * 10; });
  f.look.set([1, 1, 2]);
  var w = 40, h = 20;
  var pixels = new Uint32Array(w * h);
  var palette = [pixelOf("#ff0000"), pixelOf("#00ff00")];
  paintPixels(pixels, w, h, f, 0, 0, 1, discOffsets(1.5), palette);
  var row = Array.from(pixels.slice(10 * w, 11 * w)).map((p) => (p === palette[0] ? "r" : p === palette[1] ? "g" : "."));
  assert.equal(row.join(""), ".........rrr..............rrrrgggg......");
});

test("a box's rim is the colour an outline is drawn in", () => {
  ["#e53935", "#1e88e5", "#9e9e9e"].forEach((c) => assert.equal(darkerPixel(pixelOf(c), 0.45), pixelOf(darken(c, 0.45))));
});

test("a field whose ids came packed finds its dots, and their places in the state, by number as by their ids", () => {
  var packed = { prefix: "c-", width: 6, step: [5, 2, 1000] }; // c-000005, c-000007, c-001007
  var ids = unpackIds(packed);
  var numbered = new DotField("courtyards", ids, new Float64Array(6), { prefix: "c-", width: 6 }, null, unpackNumbers(packed));
  var plain = new DotField("courtyards", ids.slice(), new Float64Array(6));
  assert.deepEqual(Array.from(numbered.numbers), [5, 7, 1007]);
  [numbered, plain].forEach(function (f) {
    assert.deepEqual(["c-000007", "c-001007", "c-000006", "c-0000071", "p-000005"].map((id) => f.indexOf(id)), [1, 2, -1, -1, -1]);
  });
  var states = [
    IdIndex.ofIds(["c-001007", "c-000005", "other", "c-000099"], { prefix: "c-", width: 6 }), // a table, and a Map
    IdIndex.ofIds(["c-900000", "c-000007"], { prefix: "c-", width: 6 }), // too sparse for a table: all in the Map
    IdIndex.ofIds(["c-000007", "c-000005"]), // of no form: all in the Map
  ];
  states[0].set("c-001007x", 9); // (not of the form)
  var want = [[1, -1, 0], [-1, 1, -1], [1, 0, -1]];
  states.forEach(function (index, k) {
    assert.deepEqual(Array.from(numbered.positionsIn({ index: index })), want[k]);
    assert.deepEqual(Array.from(plain.positionsIn({ index: index })), want[k]);
  });
});

test("the boxes' rings write nothing (so nothing is copied) unless a shown box is overdue", () => {
  var f = boxField();
  var pixels = new Uint32Array(60 * 40);
  var rings = () => paintHalos(pixels, 60, 40, f, 0, 0, 1, pixelOf("#d4006a"), 2);
  assert.equal(rings(), null);
  f.marked[2] = 1; // the dot: dots have no ring
  assert.equal(rings(), null);
  f.marked[1] = 1;
  assert.notEqual(rings(), null);
  f.look[1] = HIDDEN;
  assert.equal(rings(), null);
});
