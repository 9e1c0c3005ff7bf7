// The editor's past day for a large layer (web/static/js/editor/as-of.js pastItems): that day's statuses from a
// playback document of the day, as the wall's PlaceItems.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pastItems } from "../../web/static/js/editor/as-of.js";

// statuses 0 pending, 1 doing, 2 done; -1: not standing. c-4 was deleted since (the document's `extra`).
var DOC = {
  statuses: ["pending", "doing", "done"],
  layers: [{ id: "courtyards", ids: ["c-1", "c-2", "c-3", "c-4"], start: [0, 1, -1, 0],
             extra: { geometry: {}, attributes: { "c-4": { name: "拆除的院子" } } } },
           { id: "roads", ids: ["r-1"], start: [2], extra: null }],
  days: [{ date: "2026-11-23", changes: [0, 0, 2, 0, 1, -1, 1, 0, 1] }],
};

test("a large layer's places stand in their statuses at the end of the day, the others are left to the as-of GeoJSON", () => {
  var past = pastItems(DOC, ["courtyards"]);
  assert.deepEqual(Object.keys(past.items), ["courtyards"]);
  var items = past.items.courtyards;
  assert.deepEqual(["c-1", "c-2", "c-3", "c-4"].map(function (id) { return items.statusAt(items.indexOf(id)); }),
                   ["done", undefined, undefined, "pending"]); // c-2 gone that day, c-3 not made yet
  assert.equal(past.standing, 2);
  assert.equal(past.gone, 1); // c-4 stood then and is deleted now: counted, not drawn
});
