// What the editor's ledger shows of a problem's case (web/static/js/editor/case-view.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { caseOf, caseSummary, casePageUrl, localDue } from "../../web/static/js/editor/case-view.js";

var O = { openStatuses: ["open", "in_progress"], timeZone: "Asia/Shanghai",
          stageLabels: { filed: "立案", handling: "处置", verifying: "核查", closed: "结案", suspended: "挂起" } };
var NOW = new Date("2026-12-03T02:00:00Z");

test("a stored case is shown by its stage label, unit and handler, and its due time in the campaign's zone", () => {
  var p = { id: "c-1-p1", status: "in_progress", case: { stage: "handling", unit: "区住建局", handler: "zhangsan",
                                                         stage_due: "2026-12-05T09:30:00Z" } };
  assert.deepEqual(caseSummary(p, O, NOW), { stage: "handling", label: "处置", who: "区住建局 · zhangsan",
                                             due: "2026-12-05 17:30", overdue: false, derived: false });
});

test("a stage past its due time is overdue; a closed or suspended case never is", () => {
  var due = "2026-12-02T09:30:00Z";
  assert.equal(caseSummary({ status: "open", case: { stage: "filed", stage_due: due } }, O, NOW).overdue, true);
  assert.equal(caseSummary({ status: "closed", case: { stage: "closed", stage_due: due } }, O, NOW).overdue, false);
  assert.equal(caseSummary({ status: "in_progress", case: { stage: "suspended", stage_due: due } }, O, NOW).overdue, false);
});

test("a problem from before cases reads as the server derives it", () => {
  assert.equal(caseOf({ status: "open" }, O.openStatuses).stage, "filed");
  assert.equal(caseOf({ status: "open", deadline: "2026-12-01", responsible: "区住建局" }, O.openStatuses).stage, "handling");
  assert.equal(caseOf({ status: "closed" }, O.openStatuses).stage, "closed");
  var old = caseSummary({ status: "open", deadline: "2026-12-01", responsible: "区住建局" }, O, NOW);
  assert.deepEqual([old.label, old.who, old.due, old.derived], ["处置", "区住建局", "2026-12-01", true]);
});

test("the due time crosses midnight into the campaign's day", () => {
  assert.equal(localDue("2026-12-04T16:30:00Z", "Asia/Shanghai"), "2026-12-05 00:30");
  assert.equal(localDue(null, "Asia/Shanghai"), "");
});

test("the case page's address escapes each part", () => {
  assert.equal(casePageUrl("/cases/__layer__/__id__/__pid__", "courtyards", "c 1", "c 1-p1"), "/cases/courtyards/c%201/c%201-p1");
});

test("a problem from before cases is overdue once its deadline day has passed in the campaign's zone", () => {
  var old = { status: "open", deadline: "2026-12-02", responsible: "区住建局" };
  assert.equal(caseSummary(old, O, NOW).overdue, true);
  assert.equal(caseSummary(Object.assign({}, old, { deadline: "2026-12-03" }), O, NOW).overdue, false);
  assert.equal(caseSummary(Object.assign({}, old, { status: "closed" }), O, NOW).overdue, false);
});
