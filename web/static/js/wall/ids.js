/*
 * Where each place id stands in a list of them (a layer's state, a
 * viewport's dots). The server packs ids of one prefix and a fixed number of
 * digits (c-000001, c-000002, …: geo/wall/codec.py pack_ids), and nearly
 * every campaign's ids are of that form: such an id is found by its number
 * in a table (one array read, after reading its digits), any other in a Map.
 * At a million places a Map of the ids took about 0.4 s to build and as long
 * again for a million lookups of new strings; the table a few milliseconds.
 * Pure: node's test runner checks it (tests/js/).
 */

// ids: a list, or {prefix, width, step} (differences of the numbers)
export function unpackIds(ids) {
  if (Array.isArray(ids)) return ids;
  var out = new Array(ids.step.length);
  var n = 0;
  for (var i = 0; i < ids.step.length; i++) {
    n += ids.step[i];
    var digits = String(n);
    while (digits.length < ids.width) digits = "0" + digits;
    out[i] = ids.prefix + digits;
  }
  return out;
}

// The numbers of ids packed as {prefix, width, step} (a Float64Array), or null for a plain list.
export function unpackNumbers(ids) {
  if (Array.isArray(ids)) return null;
  var out = new Float64Array(ids.step.length), n = 0;
  for (var i = 0; i < out.length; i++) out[i] = n += ids.step[i];
  return out;
}

// Whether ids of `form` ({prefix, width}, or null: a plain list) are numbered as `index`'s are.
export function sameForm(index, form) {
  return !!form && !!form.width && form.prefix === index.prefix && form.width === index.width;
}

var SPARE = 1024; // room in the table for places created later, above the last number
var WIDEST = 15; // digits a number of which is exact in a double: wider ids go in the Map

// `prefix`, `width`: the form of the numbered ids ("" and 0: none, every id goes in the Map).
export function IdIndex(prefix, width) {
  this.prefix = prefix || "";
  this.width = width || 0;
  this.base = 0;
  this.table = null; // Int32Array: number - base -> position + 1, 0 for none
  this.other = new Map(); // id -> position, for ids not of the form or outside the table
}

// The index of ids packed as {prefix, width, step} (or a plain list), position i for the i-th; `ids`, the
// same unpacked, if the caller has them.
IdIndex.ofPacked = function (packed, ids) {
  if (Array.isArray(packed)) return IdIndex.ofIds(ids || packed);
  return IdIndex.ofNumbers(packed, unpackNumbers(packed), function () { return ids || unpackIds(packed); });
};

// The index of ids of `form` ({prefix, width}) whose numbers are `numbers` (a viewport's, `unpackNumbers`), position i
// for the i-th; `all()` gives the ids themselves, should the numbers be too sparse for a table.
IdIndex.ofNumbers = function (form, numbers, all) {
  return new IdIndex(form.prefix, form.width)._fill(numbers, all);
};

// The index of a list of ids, position i for ids[i]; `form` ({prefix, width}, optional): the form most of them
// have (a viewport's ids came packed so).
IdIndex.ofIds = function (ids, form) {
  var index = new IdIndex(form && form.prefix, form && form.width);
  var numbers = new Float64Array(ids.length);
  for (var i = 0; i < ids.length; i++) numbers[i] = index.number(ids[i]);
  return index._fill(numbers, function () { return ids; });
};

// Position i for the i-th number (-1: an id not of the form, looked up in the Map): in a table when the numbers
// are dense enough, else every id (`all()`) in the Map.
IdIndex.prototype._fill = function (numbers, all) {
  var lo = Infinity, hi = -Infinity, i;
  for (i = 0; i < numbers.length; i++) {
    if (numbers[i] < 0) continue;
    if (numbers[i] < lo) lo = numbers[i];
    if (numbers[i] > hi) hi = numbers[i];
  }
  var ids = null;
  if (this.width <= WIDEST && hi >= lo && hi - lo < 4 * numbers.length + SPARE) {
    this.base = lo;
    this.table = new Int32Array(Math.min(hi - lo + 1 + SPARE, Math.pow(10, this.width) - lo));
    for (i = 0; i < numbers.length; i++) {
      if (numbers[i] >= 0) this.table[numbers[i] - lo] = i + 1;
      else this.other.set((ids = ids || all())[i], i);
    }
  } else {
    ids = all();
    for (i = 0; i < ids.length; i++) this.other.set(ids[i], i);
  }
  return this;
};

// The number of an id of the form, or -1.
IdIndex.prototype.number = function (id) {
  var p = this.prefix, w = this.width;
  if (!w || w > WIDEST || typeof id !== "string" || id.length !== p.length + w || id.lastIndexOf(p, 0) !== 0) return -1;
  var n = 0;
  for (var k = p.length; k < id.length; k++) {
    var digit = id.charCodeAt(k) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
};

// The slot of `id` in the table, or -1 when it is not in the table's range.
IdIndex.prototype._slot = function (id) {
  if (!this.table) return -1;
  var k = this.number(id) - this.base;
  return k >= 0 && k < this.table.length ? k : -1;
};

// The position of `id`, or undefined.
IdIndex.prototype.get = function (id) {
  var k = this._slot(id);
  if (k < 0) return this.other.get(id);
  var at = this.table[k];
  return at ? at - 1 : undefined;
};

// The position of the id numbered `number` in the index's form (`id`: the same id, for one outside the table), or
// undefined: no digits read.
IdIndex.prototype.getNumbered = function (number, id) {
  var k = this.table ? number - this.base : -1;
  if (!(k >= 0 && k < this.table.length)) return this.other.get(id);
  var at = this.table[k];
  return at ? at - 1 : undefined;
};

IdIndex.prototype.set = function (id, position) {
  var k = this._slot(id);
  if (k < 0) this.other.set(id, position);
  else this.table[k] = position + 1;
};

IdIndex.prototype.delete = function (id) {
  var k = this._slot(id);
  if (k < 0) this.other.delete(id);
  else this.table[k] = 0;
};
