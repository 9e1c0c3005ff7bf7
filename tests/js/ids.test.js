// Where each place id stands (web/static/js/wall/ids.js): numbered ids in a table, others in a Map, the same
// answers either way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { IdIndex, unpackIds } from "../../web/static/js/wall/ids.js";

function packed(prefix, width, numbers) {
  return { prefix: prefix, width: width, step: numbers.map((n, i) => n - (i ? numbers[i - 1] : 0)) };
}

// Every answer of `index` is the one a Map of the same ids gives.
function agreesWithAMap(index, ids, probes) {
  const map = new Map(ids.map((id, i) => [id, i]));
  for (const id of ids.concat(probes)) assert.equal(index.get(id), map.get(id), id);
}

test("numbered ids are found by their number, in any order, and no other id is", () => {
  const numbers = [5, 3, 4, 1, 2, 9, 7];
  const doc = packed("c-", 6, numbers);
  const ids = unpackIds(doc);
  assert.deepEqual(ids.slice(0, 2), ["c-000005", "c-000003"]);
  const index = IdIndex.ofPacked(doc, ids);
  assert.ok(index.table, "dense numbers are kept in a table");
  assert.equal(index.other.size, 0);
  agreesWithAMap(index, ids, ["c-000006", "c-000008", "c-00005", "c-0000005", "x-000005", "c-00000a", "", 5, undefined]);
});

test("sparse numbers, ids of another form and a plain list answer as a Map does", () => {
  const sparse = packed("r-", 9, [1, 500000000, 7]);
  const index = IdIndex.ofPacked(sparse);
  assert.equal(index.table, null);
  agreesWithAMap(index, unpackIds(sparse), ["r-000000002"]);
  const wide = IdIndex.ofIds(["c-1234567890123456", "c-1234567890123457"], { prefix: "c-", width: 16 });
  assert.equal(wide.table, null); // numbers too wide to be exact as doubles are not read as numbers
  agreesWithAMap(wide, ["c-1234567890123456", "c-1234567890123457"], ["c-1234567890123458"]);
  const plain = ["甲-1", "乙-2", "c-000001"];
  agreesWithAMap(IdIndex.ofPacked(plain), plain, ["c-000002"]);
  const mixed = ["c-000002", "东区-7", "c-000001", "c-0001"];
  const some = IdIndex.ofIds(mixed, { prefix: "c-", width: 6 });
  assert.ok(some.table && some.other.size === 2, "the numbered ones in the table, the others in the Map");
  agreesWithAMap(some, mixed, ["c-000003", "东区-8"]);
});

test("places added and removed later are found or not, inside the table's range or beyond it", () => {
  const ids = unpackIds(packed("c-", 3, [990, 991, 993]));
  const index = IdIndex.ofPacked(packed("c-", 3, [990, 991, 993]), ids);
  assert.ok(index.table.length <= 10, "no slot for a number of more digits than the form's");
  index.set("c-992", 3); // in the table
  index.set("c-1000", 4); // a number of four digits: not of the form
  index.set("东区-1", 5);
  index.delete("c-991");
  index.delete("东区-1");
  assert.equal(index.get("c-992"), 3);
  assert.equal(index.get("c-1000"), 4);
  assert.equal(index.get("c-991"), undefined);
  assert.equal(index.get("东区-1"), undefined);
  assert.equal(index.get("c-990"), 0);
  assert.equal(index.get("c-993"), 2);
});

test("a million numbered ids: the same positions as a Map's", () => {
  const n = 1000000;
  const numbers = Array.from({ length: n }, (_, i) => (i * 7919) % n + 1); // every number once, shuffled
  const doc = packed("c-", 7, numbers);
  const ids = unpackIds(doc);
  const index = IdIndex.ofPacked(doc, ids);
  assert.ok(index.table && index.other.size === 0);
  for (let i = 0; i < n; i += 997) assert.equal(index.get(ids[i]), i);
  assert.equal(index.get("c-0000000"), undefined);
  assert.equal(index.get("c-" + String(n + 1).padStart(7, "0")), undefined);
});
