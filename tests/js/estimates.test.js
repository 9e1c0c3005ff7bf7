// 预计完成 on the wall (web/static/js/wall/estimates.js): the lines, worst first, or the screen's own sub-district.
import { test } from "node:test";
import assert from "node:assert/strict";
import { estimateLine, estimateLines } from "../../web/static/js/wall/estimates.js";

var EST = { pace_days: 14, streets: [
  { street: "大学路街道", state: "estimated", finish: "2026-12-20", days_late: -11 },
  { street: "福华街街道", state: "done", finish: null, days_late: null },
  { street: "金水源街道", state: "estimated", finish: "2027-01-18", days_late: 18 },
  { street: "人和路街道", state: "no_pace", finish: null, days_late: null },
  { street: "建中街街道", state: "estimated", finish: "2026-12-31", days_late: 0 },
] };

test("no estimate first, then the latest finish, the done ones last", () => {
  assert.deepEqual(estimateLines(EST).map(function (l) { return l.street; }),
                   ["人和路街道", "金水源街道", "建中街街道", "大学路街道", "福华街街道"]);
});

test("each line names its message: late, early, on the milestone, none, done", () => {
  assert.deepEqual(estimateLines(EST).map(function (l) { return [l.key, l.params.n, l.late]; }), [
    ["wall.dash.est_none", 0, true], ["wall.dash.est_late", 18, true], ["wall.dash.est_on", 0, false],
    ["wall.dash.est_early", 11, false], ["wall.dash.est_done", 0, false]]);
  assert.equal(estimateLine({ street: "x", state: "estimated", finish: "2027-01-02", days_late: null }).key,
               "wall.dash.est_plain");
});

test("a screen of one sub-district shows its own line only; no estimates, no lines", () => {
  assert.deepEqual(estimateLines(EST, "金水源街道").map(function (l) { return l.street; }), ["金水源街道"]);
  assert.deepEqual(estimateLines(undefined), []);
});
