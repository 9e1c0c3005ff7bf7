// The case page's pure parts (web/static/js/cases/draft.js): an action's body, the version after uploads, the
// draft kept across a reload.
import { test } from "node:test";
import assert from "node:assert/strict";
import { actionBody, makeDraft, needsReload, readDraft, versionAfterUpload } from "../../web/static/js/cases/draft.js";

test("an action's body leaves out what is empty and trims what was typed", () => {
  assert.deepEqual(actionBody("dispatch", { note: "  ", unit: " 区住建局 ", handler: "", deadline: "2026-12-01" }, []),
                   { action: "dispatch", unit: "区住建局", deadline: "2026-12-01" });
  assert.deepEqual(actionBody("report", { note: "已清理" }, ["a".repeat(64)]),
                   { action: "report", note: "已清理", photos: ["a".repeat(64)] });
});

test("our own upload moves the version on; somebody else's write leaves the page's version, to be refused", () => {
  assert.equal(versionAfterUpload(7, 201, 8), 8);  // our photo added
  assert.equal(versionAfterUpload(7, 200, 7), 7);  // the photo was there already
  assert.equal(versionAfterUpload(7, 201, 9), 7);  // somebody wrote meanwhile: stays stale, the action gets 409
  assert.equal(versionAfterUpload(7, 200, 8), 7);
});

test("a conflict or a refusal reloads the page; a bad form does not", () => {
  assert.deepEqual([409, 403, 412, 422, 428, 500].map(needsReload), [true, true, true, false, false, false]);
});

test("a draft keeps the action, what was typed and the photos uploaded, and reads back", () => {
  var draft = makeDraft("suspend", { note: "等待拆迁方案", unit: "", until: "2026-12-10" }, ["b".repeat(64)], "已刷新");
  assert.deepEqual(readDraft(JSON.stringify(draft)),
                   { action: "suspend", values: { note: "等待拆迁方案", until: "2026-12-10" }, photos: ["b".repeat(64)],
                     message: "已刷新" });
  assert.equal(readDraft(""), null);
  assert.equal(readDraft("{not json"), null);
  assert.equal(readDraft(JSON.stringify({ values: {} })), null);
});
