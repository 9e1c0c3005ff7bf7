// What a stale save in the editor is told (web/static/js/editor/conflict.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { conflictChanges, conflictMessage } from "../../web/static/js/editor/conflict.js";

var STATUSES = { pending: { key: "pending", label: "未整治" }, done: { key: "done", label: "已完成" } };
var square = { type: "Polygon", coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };

function place(props, geometry) {
  return { id: "c-1", geometry: geometry || square,
           properties: Object.assign({ name: "一号院", kind: "小区", street: "大学路街道", community: "幸福社区", status: "pending",
                                       deadline: null, unit: "区住建局", people: { leader: "张三" }, notes: "", problems: [],
                                       version: 3, updated_by: "planner1" }, props) };
}

test("only the fields the other person changed are listed, the status by its label", () => {
  var mine = place({});
  var theirs = place({ name: "一号大院", status: "done", version: 4, updated_by: "李四" });
  assert.deepEqual(conflictChanges(mine, theirs, STATUSES), ["名称 → 一号大院", "状态 → 已完成"]);
});

test("objects are shown as JSON, and a moved outline is said so", () => {
  var moved = { type: "Polygon", coordinates: [[[0, 0], [2, 0], [2, 2], [0, 0]]] };
  var theirs = place({ people: { leader: "王五" } }, moved);
  assert.deepEqual(conflictChanges(place({}), theirs, STATUSES), ['责任人 → {"leader":"王五"}', "图形已被修改"]);
});

test("the message names who saved, their version and their changes", () => {
  var theirs = place({ deadline: "2026-12-01", version: 5, updated_by: "李四" });
  assert.equal(conflictMessage(place({}), theirs, STATUSES),
               "保存被拒绝:这处地点在您编辑期间已被「李四」修改(现为第 5 版)。对方的修改:时间节点 → 2026-12-01。");
});

test("a newer version with no field changed says so", () => {
  var theirs = place({ version: 4, updated_by: "李四" });
  assert.match(conflictMessage(place({}), theirs, STATUSES), /对方的修改:无字段变化。$/);
});

test("photos the other person added or removed are counted, never listed as a field to overwrite", () => {
  var photo = function (id) { return { id: id, role: "place" }; };
  var mine = place({ photos: [photo("a"), photo("b")] });
  var theirs = place({ photos: [photo("b"), photo("c"), photo("d")], version: 4 });
  assert.deepEqual(conflictChanges(mine, theirs, STATUSES), ["照片:新增 2 张,删除 1 张(照片不会被覆盖)"]);
  assert.deepEqual(conflictChanges(place({}), place({ photos: [] }), STATUSES), []);
});
