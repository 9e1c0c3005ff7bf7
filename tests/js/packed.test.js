// The wall's decoders (web/static/js/wall/packed.js, place.js) on files made by
// geo's codec (tests/js/codec_fixtures.py; test_codec_fixtures.py keeps them current).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { decodeAttributes, decodeBinary, eachPackedShape, unpackIds, unpackState } from "../../web/static/js/wall/packed.js";
import { placesFromPacked } from "../../web/static/js/wall/place.js";

var fixture = (name) => new URL("./fixtures/" + name, import.meta.url);
var expected = JSON.parse(readFileSync(fixture("expected.json"), "utf8"));

function arrayBuffer(name) {
  var bytes = readFileSync(fixture(name));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

function assertPlaces(places) {
  assert.equal(places.length, expected.length);
  places.forEach((place, i) => {
    var want = expected[i];
    assert.equal(place.feature.id, want.id);
    assert.equal(place.type, want.type);
    assert.deepEqual(place.polys, want.polys);
    assert.equal(place.coords.length, want.rings.length, want.id + ": rings");
    place.coords.forEach((ring, r) => {
      assert.equal(ring.length, want.rings[r].length, want.id + ": points of ring " + r);
      ring.forEach((v, k) => assert.ok(Math.abs(v - want.rings[r][k]) < 1e-9, want.id + ": " + v + " != " + want.rings[r][k]));
    });
  });
}

test("the binary shapes file decodes to every place's rings, negative coordinates included", () => {
  var doc = decodeBinary(arrayBuffer("shapes.bin"));
  assert.equal(doc.layer, "courtyards");
  assert.equal(doc.revision, 7);
  assert.ok(doc.geometry.coords instanceof Int32Array);
  assertPlaces(placesFromPacked(doc, "courtyards", unpackIds(doc.ids)));
});

test("the JSON shapes document decodes to the same places as the binary one", () => {
  var doc = JSON.parse(readFileSync(fixture("shapes.json"), "utf8"));
  assertPlaces(placesFromPacked(doc, "courtyards", unpackIds(doc.ids)));
  var binary = decodeBinary(arrayBuffer("shapes.bin"));
  assert.deepEqual(Array.from(binary.geometry.coords), doc.geometry.coords);
});

test("places passed over are not made, and those kept stand in their turn as the objects given", () => {
  var doc = decodeBinary(arrayBuffer("shapes.bin"));
  var ids = unpackIds(doc.ids);
  var asked = [];
  var made = [];
  eachPackedShape(doc, (i, t, rings) => made.push([i, rings]), null, (i) => { asked.push(i); return i % 2 === 1; });
  assert.deepEqual(asked, expected.map((_, i) => i));
  assert.deepEqual(made.map(([i]) => i), expected.map((_, i) => i).filter((i) => i % 2 === 1));
  // the places after one passed over decode as when nothing is (the coordinates are differences)
  var whole = placesFromPacked(doc, "courtyards", ids);
  made.forEach(([i, rings]) => assert.deepEqual(rings, whole[i].coords));
  var old = {};
  ids.filter((_, i) => i % 3 === 0).forEach((id) => { old[id] = { feature: { id: id }, old: true }; });
  var places = placesFromPacked(doc, "courtyards", ids, null, (id) => old[id]);
  assert.deepEqual(places.map((p) => p.feature.id), ids);
  places.forEach((place, i) => {
    if (i % 3 === 0) assert.equal(place, old[ids[i]]);
    else assert.deepEqual(place.coords, whole[i].coords);
  });
  assertPlaces(placesFromPacked(doc, "courtyards", ids, null, () => undefined));
});

test("a file that is not a Guatu shapes file is refused", () => {
  var bytes = new TextEncoder().encode("GIF89a, not shapes").buffer;
  assert.throws(() => decodeBinary(bytes), /not a Guatu shapes file/);
});

test("numbered ids come back from their steps; other ids are sent as a list", () => {
  var doc = JSON.parse(readFileSync(fixture("shapes.json"), "utf8"));
  assert.deepEqual(unpackIds(doc.ids), expected.map((p) => p.id));
  assert.deepEqual(unpackIds(["a", "b7"]), ["a", "b7"]);
  assert.deepEqual(unpackIds({ prefix: "r-", width: 3, step: [5, 995] }), ["r-005", "r-1000"]);
});

test("the attributes part gives each place its name, kind, sub-district and community (empty as null)", () => {
  var attrs = decodeAttributes(JSON.parse(readFileSync(fixture("attributes.json"), "utf8")));
  expected.forEach((want) => {
    var p = want.properties;
    assert.deepEqual(attrs[want.id], { name: p.name, kind: p.kind || null, street: p.street || null, community: p.community || null });
  });
});

// Every place's item, as the wall's state hands them out (id -> item).
function itemsById(layer) {
  var out = {};
  layer.items.forEach((id) => { out[id] = layer.items.get(id); });
  return out;
}

test("a packed full state unpacks to one item per place: status, flags, problem counts, categories", () => {
  var body = {
    format: "packed-1", kind: "full", revision: 9, statuses: ["pending", "done"],
    layers: { courtyards: { revision: 9, shapes: 3, ids: { prefix: "c-", width: 2, step: [1, 1, 5] },
                            status: [0, 1, 0], flags: [0, 1, 3], open: [0, 0, 4], overdue_problems: [0, 0, 2],
                            categories: [null, [], [1, 3]] } },
  };
  var state = unpackState(body);
  var items = state.layers.courtyards.items;
  assert.deepEqual(itemsById(state.layers.courtyards), {
    "c-01": ["pending", 0, 0, 0, 0],
    "c-02": ["done", 1, 0, 0, 0, []],
    "c-07": ["pending", 1, 1, 4, 2, [1, 3]],
  });
  assert.deepEqual(Object.keys(state.layers.courtyards).sort(), ["items", "revision", "shapes"]);
  // read by position, with no item made: the columns as they came
  var i = items.indexOf("c-07");
  assert.deepEqual([i, items.statusAt(i), items.overdueAt(i), items.overnightAt(i), items.escalatedAt(i), items.categoriesAt(i)],
                   [2, "pending", 1, 1, 0, [1, 3]]);
  assert.equal(items.indexOf("c-03"), -1);
  assert.equal(items.get("c-03"), undefined);
  // a state in the object-per-place form is given the same columns
  var plain = { kind: "full", layers: { roads: { revision: 2, features: { r1: ["done", 0, 1, 1, 0] } } } };
  assert.equal(unpackState(plain), plain);
  assert.deepEqual(itemsById(plain.layers.roads), { r1: ["done", 0, 1, 1, 0] });
  assert.equal(plain.layers.roads.features, undefined);
  var delta = { kind: "delta", layers: { roads: { features: { r1: ["done", 0, 0, 0, 0] } } } };
  assert.equal(unpackState(delta).layers.roads.items, undefined); // a delta is merged as it came
});

test("an escalated place unpacks with its level after its categories: 1 to the sub-district, 2 to the district", () => {
  var body = {
    format: "packed-1", kind: "full", revision: 9, statuses: ["pending"],
    layers: { courtyards: { revision: 9, shapes: 3, ids: ["a", "b", "c"], status: [0, 0, 0],
                            flags: [1 | 4, 8, 0], open: [1, 2, 0], overdue_problems: [0, 0, 0],
                            categories: [0, [2], 0] } },
  };
  assert.deepEqual(itemsById(unpackState(body).layers.courtyards), {
    a: ["pending", 1, 0, 1, 0, [], 1],
    b: ["pending", 0, 0, 2, 0, [2], 2],
    c: ["pending", 0, 0, 0, 0],
  });
});
