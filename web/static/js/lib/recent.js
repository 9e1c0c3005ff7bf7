/*
 * Bounded memory for pages that stay open for days (a wall screen): a list
 * that keeps only its last `limit` entries, and a memo that forgets
 * everything once it holds `limit` keys. Both are plain objects to their
 * readers (an Array; get/set), so tests and the console read them as before.
 */

// An Array whose push keeps the last `limit` entries (errors a page met, newest last).
export function recentList(limit) {
  var list = [];
  Object.defineProperty(list, "push", { // not enumerable: the list still reads as a plain array
    value: function () {
      Array.prototype.push.apply(list, arguments);
      if (list.length > limit) list.splice(0, list.length - limit);
      return list.length;
    },
  });
  return list;
}

// A memo of computed values (a text's width) that starts again when it holds `limit` keys.
export function BoundedMemo(limit) {
  this.limit = limit;
  this.items = new Map();
}

BoundedMemo.prototype.get = function (key, compute) {
  if (this.items.has(key)) return this.items.get(key);
  if (this.items.size >= this.limit) this.items.clear();
  var value = compute();
  this.items.set(key, value);
  return value;
};
