// Bounded memory for long-open pages (web/static/js/lib/recent.js): a wall keeps its last errors and text
// widths, never all of them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BoundedMemo, recentList } from "../../web/static/js/lib/recent.js";

test("a recent list keeps its last entries, newest last, and stays an array", () => {
  var list = recentList(3);
  for (var i = 1; i <= 10; i += 1) list.push("错误 " + i);
  assert.deepEqual(list, ["错误 8", "错误 9", "错误 10"]);
  assert.ok(Array.isArray(list));
  list.push("a", "b");
  assert.deepEqual(list.slice(), ["错误 10", "a", "b"]);
});

test("a bounded memo computes each key once and starts again when full", () => {
  var memo = new BoundedMemo(2);
  var computed = 0;
  var width = function (text) { return memo.get(text, function () { computed += 1; return text.length * 10; }); };
  assert.equal(width("大学路"), 30);
  assert.equal(width("大学路"), 30);
  assert.equal(computed, 1);
  width("金桥社区");
  width("幸福社区"); // the third key: the memo starts again
  assert.equal(memo.items.size, 1);
  assert.equal(width("大学路"), 30);
  assert.equal(computed, 4);
});
