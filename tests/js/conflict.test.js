// A stale save worked out field by field (web/static/js/editor/conflict.js): the three-way diff and the merge.
import { test } from "node:test";
import assert from "node:assert/strict";
import { conflictIntro, conflictRows, keptChanges, mergeChoices, sameGeometry } from "../../web/static/js/editor/conflict.js";

var STATUSES = { pending: { key: "pending", label: "待整改" }, accepted: { key: "accepted", label: "已验收" } };
var ROLES = [{ key: "leader", label: "包片领导" }, { key: "cadre", label: "包片干部" }];
var OPTIONS = { roles: ROLES, statuses: STATUSES };
var square = { type: "Polygon", coordinates: [[[113.6, 34.6], [113.61, 34.6], [113.61, 34.61], [113.6, 34.6]]] };

function place(props, geometry) {
  return { id: "c-1", geometry: geometry || square,
           properties: Object.assign({ name: "一号院", kind: "小区", street: "大学路街道", community: "幸福社区", status: "pending",
                                       deadline: null, unit: "区住建局", people: { leader: "张三" }, notes: "", problems: [],
                                       version: 3, updated_by: "planner1" }, props) };
}
// what the form sends: the editor's fields only, empty texts as "" or null
function form(props) {
  var p = place(props).properties;
  return { name: p.name, kind: p.kind, street: p.street, community: p.community, status: p.status, deadline: p.deadline || null,
           unit: p.unit, people: p.people, notes: p.notes || "" };
}

test("only the fields where mine and theirs differ are rows, with readable values and who changed them", () => {
  var base = place({});
  var theirs = place({ status: "accepted", unit: "区城管局", version: 4, updated_by: "李规划" });
  var mine = { properties: form({ unit: "街道办", notes: "已约谈" }), geometry: null };
  var rows = conflictRows(base, mine, theirs, OPTIONS);
  assert.deepEqual(rows.map((r) => [r.label, r.text.mine, r.text.theirs, r.text.base, r.changedByMe, r.changedByThem, r.choice]), [
    ["状态", "待整改", "已验收", "待整改", false, true, "theirs"],
    ["责任单位", "街道办", "区城管局", "区住建局", true, true, "theirs"],
    ["备注", "已约谈", "(空)", "(空)", true, false, "mine"],
  ]);
});

test("a field both changed to the same value, and a key order or a rounding of the shape, are not differences", () => {
  var base = place({});
  var reordered = { coordinates: square.coordinates.map((ring) => ring.map(([x, y]) => [x + 4e-8, y])), type: "Polygon" };
  var theirs = place({ name: "一号大院", version: 4 }, reordered);
  var mine = { properties: form({ name: "一号大院" }), geometry: null };
  assert.deepEqual(conflictRows(base, mine, theirs, OPTIONS), []);
  assert.equal(sameGeometry(square, reordered), true);
});

test("each 四包一 role is a field of its own, named by its label", () => {
  var theirs = place({ people: { leader: "张三", cadre: "王五" }, version: 4 });
  var rows = conflictRows(place({}), { properties: form({}), geometry: null }, theirs, OPTIONS);
  assert.deepEqual(rows.map((r) => [r.key, r.label, r.text.mine, r.text.theirs]), [["people.cadre", "包片干部", "(空)", "王五"]]);
});

test("the shape is a row only when the geometries really differ, and says whose changed", () => {
  var moved = { type: "Polygon", coordinates: [[[113.6, 34.6], [113.62, 34.6], [113.62, 34.62], [113.61, 34.63], [113.6, 34.6]]] };
  var theirs = place({ version: 4 }, moved);
  var rows = conflictRows(place({}), { properties: form({}), geometry: null }, theirs, OPTIONS);
  assert.deepEqual(rows.map((r) => [r.label, r.text.mine, r.text.theirs, r.text.base, r.choice]),
                   [["图形", "原图形", "修改后的图形(5 个顶点)", "原图形", "theirs"]]);
  var mineMoved = conflictRows(place({}), { properties: form({}), geometry: moved }, place({ version: 4 }), OPTIONS);
  assert.deepEqual(mineMoved.map((r) => [r.text.mine, r.text.theirs, r.changedByMe, r.choice]),
                   [["修改后的图形(5 个顶点)", "原图形", true, "mine"]]);
});

test("the merge keeps theirs wherever mine was not chosen, and their version is the one saved on", () => {
  var base = place({});
  var theirs = place({ status: "accepted", unit: "区城管局", deadline: "2026-12-01", version: 4 });
  var mine = { properties: form({ unit: "街道办", notes: "已约谈" }), geometry: null };
  var rows = conflictRows(base, mine, theirs, OPTIONS);
  var merged = mergeChoices(rows, theirs, { unit: "mine" }, ROLES);
  assert.equal(merged.version, 4);
  assert.equal(merged.geometry, null);
  assert.deepEqual(merged.fields, { name: "一号院", kind: "小区", street: "大学路街道", community: "幸福社区", status: "accepted",
                                    deadline: "2026-12-01", unit: "街道办", "people.leader": "张三", "people.cadre": null,
                                    notes: "已约谈" });
  var theirsOnly = mergeChoices(rows, theirs, { notes: "theirs" }, ROLES);
  assert.equal(theirsOnly.fields.notes, null);
  assert.equal(theirsOnly.fields.unit, "区城管局");
});

test("my shape is sent only when it is chosen", () => {
  var moved = { type: "Polygon", coordinates: [[[113.6, 34.6], [113.63, 34.6], [113.63, 34.63], [113.6, 34.6]]] };
  var theirs = place({ version: 4 }, { type: "Polygon", coordinates: [[[113.5, 34.5], [113.51, 34.5], [113.51, 34.51], [113.5, 34.5]]] });
  var rows = conflictRows(place({}), { properties: form({}), geometry: moved }, theirs, OPTIONS);
  assert.equal(mergeChoices(rows, theirs, {}, ROLES).geometry, null); // they moved it too: theirs by default
  assert.deepEqual(mergeChoices(rows, theirs, { geometry: "mine" }, ROLES).geometry, moved);
});

test("their ledger and photo changes are reported as kept, never as rows", () => {
  var photo = (id) => ({ id: id, role: "place" });
  var problem = (id, status) => ({ id: id, category: "飞线充电", status: status });
  var base = place({ photos: [photo("a"), photo("b")], problems: [problem("p1", "open"), problem("p2", "open")] });
  var theirs = place({ photos: [photo("b"), photo("c"), photo("d")], problems: [problem("p1", "closed"), problem("p3", "open")],
                       version: 4 });
  assert.deepEqual(conflictRows(base, { properties: form({}), geometry: null }, theirs, OPTIONS), []);
  assert.deepEqual(keptChanges(base, theirs), [
    "台账:对方新增 1 条、修改 1 条、删除 1 条问题(台账不会被覆盖)",
    "照片:新增 2 张,删除 1 张(照片不会被覆盖)",
  ]);
  assert.deepEqual(keptChanges(place({}), place({ photos: [] })), []);
});

test("the introduction names who saved and their version, and says when nothing differs", () => {
  var theirs = place({ version: 5, updated_by: "李规划" });
  assert.ok(conflictIntro(theirs, [{}]).startsWith("保存被拒绝:这处地点在您编辑期间已被「李规划」修改"));
  assert.match(conflictIntro(theirs, [{}]), /第 5 版.*下表只列出您和对方不同的字段/);
  assert.match(conflictIntro(theirs, []), /没有不同之处;可以直接保存到第 5 版之上。$/);
});
