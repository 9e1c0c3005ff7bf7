// Applying state answers to the state a wall holds (web/static/js/wall/state.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { itemsOf, mergeState, PlaceItems, sameItem } from "../../web/static/js/wall/state.js";

// Every place's item in a layer of a held state (id -> item).
function itemsById(layer) {
  var out = {};
  itemsOf(layer).forEach((id) => { out[id] = layer.items.get(id); });
  return out;
}

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

test("a full state without a layer the last one had names it withheld, not its places removed; back when it returns", () => {
  var both = function (revision) {
    var s = full(revision, { a: ["pending", 0, 0, 0, 0] });
    s.layers.roads = { revision: revision, shapes: 1, features: { r1: ["done", 0, 0, 0, 0] } };
    return s;
  };
  var held = both(3);
  var without = full(3, { a: ["pending", 0, 0, 0, 0] }); // the roads' file cannot be read now
  var r = mergeState(held, without);
  assert.deepEqual([r.withheld, r.back, r.removed, r.changed], [["roads"], [], [], []]);
  r = mergeState(without, both(3));
  assert.deepEqual([r.withheld, r.back, r.changed], [[], ["roads"], [["roads", "r1"]]]);
  r = mergeState(null, both(3)); // the first state: nothing withheld or back
  assert.deepEqual([r.withheld, r.back], [[], []]);
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
  assert.deepEqual(itemsById(held.layers.courtyards), { a: ["done", 0, 0, 0, 0], b: ["done", 0, 0, 0, 0] });
  assert.deepEqual(itemsById(held.layers.roads), { r1: ["pending", 0, 1, 1, 0] });
  assert.equal(held.layers.courtyards.items.size, 2);
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

test("a layer's items as columns: set, changed or not, removed, added again, and every form of an item kept", () => {
  var items = new PlaceItems(["pending"], ["a", "b"], [0, 0], [0, 2], [0, 1], [0, 0], [0, 0]);
  assert.deepEqual([items.get("a"), items.get("b")], [["pending", 0, 0, 0, 0], ["pending", 0, 1, 1, 0]]);
  assert.equal(items.set("a", ["pending", 0, 0, 0, 0]), false); // the same look
  assert.equal(items.set("a", ["done", 1, 0, 2, 1, [4], 2]), true); // a status the columns had no number for
  assert.deepEqual(items.get("a"), ["done", 1, 0, 2, 1, [4], 2]);
  assert.deepEqual([items.statusAt(0), items.escalatedAt(0), items.categoriesAt(0)], ["done", 2, [4]]);
  assert.equal(items.set("c", ["pending", 0, 0, 0, 0, [], 1]), true); // a new place, at the end
  assert.deepEqual([items.indexOf("c"), items.get("c"), items.size], [2, ["pending", 0, 0, 0, 0, [], 1], 3]);
  assert.equal(items.remove("b"), true);
  assert.equal(items.remove("b"), false);
  var seen = [];
  items.forEach((id, i) => seen.push([id, i]));
  assert.deepEqual([seen, items.size, items.get("b")], [[["a", 0], ["c", 2]], 2, undefined]);
  assert.equal(items.set("b", ["pending", 0, 0, 0, 0]), true); // back, at a new position
  assert.equal(items.indexOf("b"), 3);
});

test("places that look the same in two states are the same whatever numbers their statuses have there", () => {
  var one = new PlaceItems(["pending", "done"], ["a"], [1], [1], [0], [0], [[2]]);
  var two = PlaceItems.fromFeatures({ x: ["pending", 0, 0, 0, 0], a: ["done", 1, 0, 0, 0, [2]] });
  assert.equal(one.sameAt(0, two, two.indexOf("a")), true);
  assert.equal(one.sameAt(0, two, two.indexOf("x")), false);
});

test("a place whose status the campaign does not know (-1 from the server) is still a place: visited, counted, compared", () => {
  var items = new PlaceItems(["pending"], ["a", "b"], [0, -1], [0, 0], [0, 0], [0, 0], [0, 0]);
  var seen = [];
  items.forEach((id) => seen.push(id));
  assert.deepEqual([seen, items.size, items.statusAt(1), items.get("b")], [["a", "b"], 2, undefined, [undefined, 0, 0, 0, 0]]);
  var later = new PlaceItems(["pending"], ["a", "b"], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]);
  var r = mergeState({ layers: { c: { items: items } } }, { kind: "full", layers: { c: { items: later } } });
  assert.deepEqual([r.changed, r.removed], [[["c", "b"]], []]); // its status became one the campaign knows
});

test("a layer's legend counts taken from its columns at once equal those counted place by place", () => {
  var layer = { features: { a: ["pending", 1, 0, 2, 1], b: ["accepted", 0, 1, 0, 0], c: ["accepted", 1, 1, 1, 1, [], 2],
                            d: ["in_progress", 0, 0, 1, 0, [0], 1], e: ["pending", 0, 0, 0, 0], f: ["unheard-of", 1, 0, 1, 1] } };
  var items = itemsOf(layer);
  items.remove("e"); // gone: not counted
  items.set("g", ["rectified", 0, 1, 0, 0]); // new: counted
  items.codes.delete("unheard-of"); // a status the campaign does not know comes as -1
  items.status[items.indexOf("f")] = -1;
  var done = (s) => s === "accepted" || s === "rectified";
  var one = { status: {}, total: 0, done: 0, overdue: 0, overnight: 0, escalated: 0 };
  items.forEach((id, i) => {
    var s = items.statusAt(i);
    one.status[s] = (one.status[s] || 0) + 1;
    one.total += 1;
    if (done(s)) one.done += 1;
    one.overdue += items.overdueAt(i);
    one.overnight += items.overnightAt(i);
    if (items.escalatedAt(i)) one.escalated += 1;
  });
  var all = { status: {}, total: 0, done: 0, overdue: 0, overnight: 0, escalated: 0 };
  items.tally(all, done);
  assert.deepEqual(all, one);
  assert.deepEqual(all, { status: { pending: 1, accepted: 2, in_progress: 1, rectified: 1, undefined: 1 }, total: 6, done: 3,
                          overdue: 3, overnight: 3, escalated: 2 });
});
