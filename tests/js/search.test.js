// Finding places by name, as the wall and the editor both do (web/static/js/lib/search.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { PausedAsk, findByName, foundFirst, searchText } from "../../web/static/js/lib/search.js";

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

test("the server's places come first and each place once; a long text is cut at whole characters", () => {
  var found = [{ layerId: "c", id: "c-1", name: "大学路12号院", street: "服务器" }];
  var loaded = [{ layerId: "c", id: "c-1", name: "大学路12号院" }, { layerId: "c", id: "c-3", name: "大学路 3 号院" },
                { layerId: "r", id: "c-1", name: "大学路" }];
  var hits = findByName("大学", foundFirst(found, (once) => loaded.forEach((p) => once(p))));
  assert.deepEqual(hits.map((p) => [p.layerId, p.id, p.street]), [["r", "c-1", undefined], ["c", "c-3", undefined],
                                                                   ["c", "c-1", "服务器"]]);
  var long = "𠀀".repeat(99) + "院院";
  assert.equal(searchText(long), "𠀀".repeat(99) + "院");
  assert.equal(searchText("大学"), "大学");
});

// --- PausedAsk: the server asked after a pause in typing, the latest text only ---------------------------

// A fetch that answers when told: fetchPlaces(text, signal) records the call and returns its promise.
function server() {
  var calls = [];
  var fetchPlaces = (text, signal) => new Promise((resolve, reject) => calls.push({ text, signal, resolve, reject }));
  return { calls, fetchPlaces };
}
var settle = () => new Promise((resolve) => setImmediate(resolve));

test("the server is asked once typing pauses, for the last text only", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  var s = server();
  var got = [];
  var asker = new PausedAsk(200);
  asker.ask("大", s.fetchPlaces, (places) => got.push(places), assert.fail);
  t.mock.timers.tick(150);
  asker.ask("大学", s.fetchPlaces, (places) => got.push(places), assert.fail);
  t.mock.timers.tick(199);
  assert.equal(s.calls.length, 0); // still typing
  assert.equal(asker.pending(), true);
  t.mock.timers.tick(1);
  await settle();
  assert.deepEqual(s.calls.map((c) => c.text), ["大学"]);
  s.calls[0].resolve(["c-1"]);
  await settle();
  assert.deepEqual(got, [["c-1"]]);
  assert.equal(asker.pending(), false);
});

test("a newer text aborts the request before, and its late answer is dropped", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  var s = server();
  var got = [];
  var failed = [];
  var asker = new PausedAsk(200);
  asker.ask("大", s.fetchPlaces, (places) => got.push(places), (err) => failed.push(err));
  t.mock.timers.tick(200);
  await settle();
  asker.ask("大学", s.fetchPlaces, (places) => got.push(places), (err) => failed.push(err));
  assert.equal(s.calls[0].signal.aborted, true);
  s.calls[0].resolve(["late"]); // an answer that came though the request was aborted
  t.mock.timers.tick(200);
  await settle();
  assert.equal(s.calls[1].signal.aborted, false);
  s.calls[1].reject(new Error("HTTP 503"));
  await settle();
  assert.deepEqual(got, []);
  assert.deepEqual(failed.map((e) => e.message), ["HTTP 503"]);
  assert.equal(s.calls[1].signal.aborted, true); // the text's other requests (other layers) are let go
  assert.equal(asker.pending(), false);
});

test("an aborted request's error is no failure, and a fetch that throws at once is one", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  var s = server();
  var failed = [];
  var asker = new PausedAsk(200);
  asker.ask("大", s.fetchPlaces, assert.fail, (err) => failed.push(err));
  t.mock.timers.tick(200);
  await settle();
  asker.ask("大学", s.fetchPlaces, assert.fail, (err) => failed.push(err));
  s.calls[0].reject(Object.assign(new Error("The operation was aborted."), { name: "AbortError" }));
  await settle();
  assert.deepEqual(failed, []);
  asker.cancel();
  asker.ask("学", () => { throw new Error("no such layer"); }, assert.fail, (err) => failed.push(err));
  t.mock.timers.tick(200);
  await settle();
  assert.deepEqual(failed.map((e) => e.message), ["no such layer"]);
  assert.equal(asker.pending(), false);
});

test("cancelling (the list closed) aborts the request and drops its answer; before the pause nothing is asked", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  var s = server();
  var got = [];
  var asker = new PausedAsk(200);
  asker.ask("大", s.fetchPlaces, (places) => got.push(places), assert.fail);
  asker.cancel();
  t.mock.timers.tick(1000);
  assert.equal(s.calls.length, 0);
  asker.ask("大学", s.fetchPlaces, (places) => got.push(places), assert.fail);
  t.mock.timers.tick(200);
  await settle();
  asker.cancel();
  assert.equal(s.calls[0].signal.aborted, true);
  s.calls[0].resolve(["c-1"]);
  await settle();
  assert.deepEqual(got, []);
  assert.equal(asker.pending(), false);
});
