// Label placement (web/static/js/wall/layout.js): greedy, most important first, no overlaps.
import { test } from "node:test";
import assert from "node:assert/strict";
import { boundaryCandidates, byImportance, placeLabels } from "../../web/static/js/wall/layout.js";

var SCREEN = { x: 1000, y: 600 };
var boxOf = (c) => c.box;
var label = (text, box, priority, size) => ({ text: text, box: box, priority: priority || 1, size: size || 0 });

test("a label overlapping one already placed is left out; one beside it is placed", () => {
  var placed = placeLabels([
    label("大学路街道", [100, 100, 200, 120]),
    label("幸福社区", [150, 110, 250, 130]), // overlaps the first
    label("和平社区", [200, 100, 300, 120]), // touches its edge only
  ], boxOf, SCREEN, [], 400);
  assert.deepEqual(placed.map((c) => c.text), ["大学路街道", "和平社区"]);
});

test("labels overlapping across grid cells are still found", () => {
  var placed = placeLabels([label("长名字", [50, 50, 400, 70]), label("短", [380, 65, 420, 85])], boxOf, SCREEN, [], 400);
  assert.deepEqual(placed.map((c) => c.text), ["长名字"]);
});

test("nothing is written under a panel or off the screen", () => {
  var placed = placeLabels([
    label("面板下", [10, 10, 60, 30]),
    label("屏幕外", [1001, 10, 1100, 30]),
    label("半在屏上", [980, 590, 1040, 610]),
    label("可见", [500, 300, 560, 320]),
  ], boxOf, SCREEN, [[0, 0, 300, 200]], 400);
  assert.deepEqual(placed.map((c) => c.text), ["半在屏上", "可见"]);
});

test("no more than the limit are placed, and boxes are not measured past it", () => {
  var asked = [];
  var candidates = [0, 1, 2, 3].map((i) => label("地点" + i, [i * 100, 0, i * 100 + 50, 20]));
  var placed = placeLabels(candidates, (c) => { asked.push(c.text); return c.box; }, SCREEN, [], 2);
  assert.deepEqual(placed.map((c) => c.text), ["地点0", "地点1"]);
  assert.deepEqual(asked, ["地点0", "地点1"]);
});

test("sub-districts go before communities, and larger places before smaller ones", () => {
  var list = [label("小地点", null, 1, 5), label("社区", null, 2, 0), label("大地点", null, 1, 50), label("街道", null, 3, 0)];
  assert.deepEqual(list.sort(byImportance).map((c) => c.text), ["街道", "社区", "大地点", "小地点"]);
});

test("a boundary level's names in view become candidates, those out of view and unnamed do not", () => {
  const data = { features: [
    { properties: { name: "大学路街道", label_point: [113.6, 34.7] } },
    { properties: { name: "远处街道", label_point: [120, 30] } },
    { properties: { label_point: [113.6, 34.7] } },
    { properties: { name: "无标注点街道" } },
  ] };
  const inView = (lon, lat) => (lon < 115 ? { lat, lon } : null);
  assert.deepEqual(boundaryCandidates(data, { cls: "street", priority: 3 }, inView), [
    { text: "大学路街道", at: { lat: 34.7, lon: 113.6 }, cls: "street", priority: 3, size: 0 },
  ]);
  assert.deepEqual(boundaryCandidates(undefined, { cls: "street", priority: 3 }, inView), []);
});
