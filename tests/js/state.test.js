// Applying state answers to the state a wall holds (web/static/js/wall/state.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mergeState, sameItem } from "../../web/static/js/wall/state.js";

function full(revision, features) {
  return { kind: "full", revision: revision, head: revision, day: "2026-11-20", after_cutoff: false, as_of: "2026-11-20T08:00:00+08:00",
           layers: { courtyards: { revision: revision, shapes: 1, features: features } } };
}

test("the first full state is taken whole and every place counts as changed", () => {
  var body = full(3, { a: ["pending", 0, 0, 0, 0], b: ["done", 0, 0, 0, 0] });
  var r = mergeState(null, body);
  assert.equal(r.state, body);
  assert.deepEqual(r.changed, [["courtyards", "a"], ["courtyards", "b"]]);
  assert.deepEqual(r.removed, []);
});

test("a later full state names only the places whose look changed, and those gone", () => {
  var before = full(3, { a: ["pending", 0, 0, 0, 0], b: ["done", 0, 0, 0, 0], c: ["done", 0, 0, 0, 0] });
  var after = full(4, { a: ["pending", 0, 0, 0, 0], b: ["done", 1, 0, 2, 1], d: ["pending", 0, 0, 0, 0] });
  var r = mergeState(before, after);
  assert.equal(r.state, after);
  assert.deepEqual(r.changed, [["courtyards", "b"], ["courtyards", "d"]]);
  assert.deepEqual(r.removed, [["courtyards", "c"]]);
});

test("a delta is merged into the state held: changed places, removed places, revisions and the newer as_of", () => {
  var held = full(3, { a: ["pending", 0, 0, 0, 0], b: ["done", 0, 0, 0, 0], c: ["done", 0, 0, 0, 0] });
  var delta = { kind: "delta", revision: 5, head: 6, day: "2026-11-21", after_cutoff: true, as_of: "2026-11-21T09:00:00+08:00",
                layers: { courtyards: { revision: 5, shapes: 2, features: { a: ["done", 0, 0, 0, 0], b: ["done", 0, 0, 0, 0] },
                                        removed: ["c"] },
                          roads: { revision: 5, shapes: 1, features: { r1: ["pending", 0, 1, 1, 0] } } } };
  var r = mergeState(held, delta);
  assert.equal(r.state, held); // merged in place
  assert.deepEqual(r.changed, [["courtyards", "a"], ["roads", "r1"]]); // b looks the same
  assert.deepEqual(r.removed, [["courtyards", "c"]]);
  assert.deepEqual(Object.keys(held.layers.courtyards.features), ["a", "b"]);
  assert.deepEqual(held.layers.roads.features.r1, ["pending", 0, 1, 1, 0]);
  assert.equal(held.layers.courtyards.shapes, 2);
  assert.deepEqual([held.revision, held.head, held.day, held.after_cutoff], [5, 6, "2026-11-21", true]);
  assert.equal(held.as_of, "2026-11-21T09:00:00+08:00");
});

test("a delta never moves as_of back", () => {
  var held = full(3, {});
  var delta = { kind: "delta", revision: 4, head: 4, day: "2026-11-20", after_cutoff: false, as_of: "2026-11-19T23:00:00+08:00", layers: {} };
  mergeState(held, delta);
  assert.equal(held.as_of, "2026-11-20T08:00:00+08:00");
});

test("a delta before any full state is taken as the state", () => {
  var delta = { kind: "delta", revision: 4, layers: { courtyards: { features: { a: ["done", 0, 0, 0, 0] } } } };
  var r = mergeState(null, delta);
  assert.equal(r.state, delta);
  assert.deepEqual(r.changed, [["courtyards", "a"]]);
});

test("two items look the same when status, flags, counts and categories agree", () => {
  assert.ok(sameItem(["done", 0, 0, 1, 0, [2]], ["done", 0, 0, 1, 0, [2]]));
  assert.ok(sameItem(["done", 0, 0, 1, 0], ["done", 0, 0, 1, 0]));
  assert.ok(!sameItem(["done", 0, 0, 1, 0, [2]], ["done", 0, 0, 1, 0, [3]]));
  assert.ok(!sameItem(["done", 0, 0, 1, 0], ["done", 0, 1, 1, 0]));
  assert.ok(!sameItem(undefined, ["done", 0, 0, 0, 0]));
});

test("a place that escalates, or goes a level up, changes its look", () => {
  assert.equal(sameItem(["pending", 1, 0, 1, 1], ["pending", 1, 0, 1, 1, [], 1]), false);
  assert.equal(sameItem(["pending", 1, 0, 1, 1, [], 1], ["pending", 1, 0, 1, 1, [], 2]), false);
  assert.equal(sameItem(["pending", 1, 0, 1, 1, [], 2], ["pending", 1, 0, 1, 1, [], 2]), true);
});
