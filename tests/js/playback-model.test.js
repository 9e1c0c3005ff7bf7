// The replay of a playback (web/static/js/wall/playback-model.js), on a document shaped like /api/playback's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Model, series } from "../../web/static/js/wall/playback-model.js";

// two layers; statuses 0 pending, 1 doing, 2 done; -1: not there yet
var DOC = {
  revision: 12, statuses: ["pending", "doing", "done"], done: ["done"],
  layers: [{ id: "courtyards", ids: { prefix: "c-", width: 1, step: [1, 1, 1] }, start: [0, 0, -1] },
           { id: "roads", ids: ["r-a"], start: [1] }],
  days: [
    { date: "2026-11-01", end: "2026-11-01T23:59:59+08:00", changes: [0, 0, 1], counts: { pending: 1, doing: 2 }, total: 3, done: 0, share_done: 0 },
    { date: "2026-11-02", end: "2026-11-02T23:59:59+08:00", changes: [0, 0, 2, 0, 2, 0, 1, 0, 2], counts: { pending: 2, done: 2 }, total: 4, done: 2, share_done: 0.5 },
    { date: "2026-11-03", end: "2026-11-03T23:59:59+08:00", changes: [0, 1, 2], counts: { pending: 1, done: 3 }, total: 4, done: 3, share_done: 0.75 },
  ],
};

test("each day's state holds every place standing then, with its status", () => {
  var m = new Model(DOC);
  m.seek(1);
  var s = m.state(null);
  assert.equal(s.day, "2026-11-02");
  assert.equal(s.as_of, "2026-11-02T23:59:59+08:00");
  assert.deepEqual(s.layers.courtyards.features, { "c-1": ["done", 0, 0, 0, 0], "c-2": ["pending", 0, 0, 0, 0], "c-3": ["pending", 0, 0, 0, 0] });
  assert.deepEqual(s.layers.roads.features, { "r-a": ["done", 0, 0, 0, 0] });
});

test("seeking back replays from the start: the same day gives the same state", () => {
  var m = new Model(DOC);
  m.seek(2);
  m.seek(0);
  assert.deepEqual(m.state(null).layers.courtyards.features, { "c-1": ["doing", 0, 0, 0, 0], "c-2": ["pending", 0, 0, 0, 0] });
});

test("the live state lends its revisions to the day's state", () => {
  var m = new Model(DOC);
  m.seek(0);
  var live = { revision: 40, head: 41, layers: { courtyards: { revision: 39, shapes: 7 } } };
  var s = m.state(live);
  assert.deepEqual([s.revision, s.head, s.layers.courtyards.revision, s.layers.courtyards.shapes, s.layers.roads.shapes], [40, 41, 39, 7, 0]);
});

test("a whole campaign's series is the timeline's; a part's is counted from the changes", () => {
  assert.deepEqual(series(DOC, null).map((d) => d.share), [0, 0.5, 0.75]);
  var onlyCourtyards = (layer) => layer === 0;
  var part = series(DOC, onlyCourtyards);
  assert.deepEqual(part.map((d) => [d.total, d.done, d.share]), [[2, 0, 0], [3, 1, 0.3333], [3, 2, 0.6667]]);
  assert.deepEqual(part[2].counts, { pending: 1, doing: 0, done: 2 });
});
