// The print dialog's parameters (web/static/js/lib/print-params.js): what /print and /print/atlas.pdf are asked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PAPERS, atlasParams, printParams } from "../../web/static/js/lib/print-params.js";

var base = {
  paper: "A3", orientation: "landscape", scope: "view", bbox: [113.6, 34.7, 113.7, 34.8], street: "", community: "",
  layers: ["courtyards", "roads"], allLayers: ["courtyards", "roads"],
  statuses: ["pending", "accepted"], allStatuses: ["pending", "accepted"],
  title: "", date: "", legend: true, locator: true, photos: false,
};

test("the current view prints its box, with every layer and status left implicit", () => {
  var p = Object.fromEntries(printParams(base));
  assert.deepEqual(p, { paper: "A3", orientation: "landscape", format: "pdf",
                        bbox: "113.600000,34.700000,113.700000,34.800000", legend: "1", locator: "1" });
});

test("an area replaces the box, and only a narrowed choice of layers or statuses is sent", () => {
  var p = printParams({ ...base, scope: "area", street: "大学路街道", community: "金桥社区", layers: ["roads"],
                        statuses: ["pending"], paper: "A0", orientation: "portrait", title: "  专题图 ",
                        date: "2026-11-30", legend: false, locator: false, photos: true });
  assert.equal(p.get("bbox"), null);
  assert.equal(p.get("street"), "大学路街道");
  assert.equal(p.get("community"), "金桥社区");
  assert.equal(p.get("layers"), "roads");
  assert.equal(p.get("status"), "pending");
  assert.equal(p.get("title"), "专题图");
  assert.equal(p.get("date"), "2026-11-30");
  assert.deepEqual([p.get("legend"), p.get("locator"), p.get("photos")], ["0", "0", "1"]);
  assert.deepEqual([p.get("paper"), p.get("orientation")], ["A0", "portrait"]);
});

test("every paper from A4 to A0 is offered, and the atlas names its grouping", () => {
  assert.deepEqual(PAPERS, ["A4", "A3", "A2", "A1", "A0"]);
  var a = Object.fromEntries(atlasParams({ by: "community", paper: "A4", orientation: "landscape", title: "", date: "2026-11-30" }));
  assert.deepEqual(a, { by: "community", paper: "A4", orientation: "landscape", date: "2026-11-30" });
});
