// Finding places by name, as the wall and the editor both do (web/static/js/lib/search.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { findByName } from "../../web/static/js/lib/search.js";

var PLACES = [
  { id: "c-1", name: "大学路12号院" }, { id: "c-2", name: "金水路大学小区" }, { id: "c-3", name: "大学路 3 号院" },
  { id: "r-1", name: "大学路" }, { id: "v-1", name: "陈寨村" },
];
var each = (visit) => PLACES.forEach((p) => visit(p));

test("names starting with the text come first, shorter first, then names containing it", () => {
  assert.deepEqual(findByName("大学", each).map((p) => p.id), ["r-1", "c-3", "c-1", "c-2"]);
});

test("spaces, case, dashes and full-width forms are ignored", () => {
  assert.deepEqual(findByName("大学路3号", each).map((p) => p.id), ["c-3"]);
  assert.deepEqual(findByName("ＣＨＥＮ", (v) => v({ id: "x", name: "Chen-Zhai" })).map((p) => p.id), ["x"]);
});

test("an id typed in full finds its place; an empty text finds nothing; the limit holds", () => {
  assert.deepEqual(findByName("v-1", each).map((p) => p.id), ["v-1"]);
  assert.deepEqual(findByName("  ", each), []);
  assert.equal(findByName("院", each, 1).length, 1);
});

test("a key the caller keeps is used as the name's normal form", () => {
  assert.deepEqual(findByName("kept", (visit) => visit({ id: "a", name: "不相干" }, "kept")).map((p) => p.id), ["a"]);
});
