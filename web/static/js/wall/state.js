/*
 * The state a wall holds, and applying a state answer of /api/wall/state to
 * it: a full state replaces it, a delta (`?since=`) is merged into it. No
 * DOM: it says which places changed their look and which were removed, and
 * the wall map restyles or drops them (wall/sync.js). Checked by tests/js/.
 *
 * A place's item: [status, overdue 0|1, overnight 0|1, open problems,
 * overdue problems, (category indices), (escalated 1|2: an open case gone up
 * to the sub-district or the district)].
 *
 * Each layer of a held state keeps its places' items as columns
 * (`PlaceItems`, the layer's `items`): a million places are a few arrays of
 * small numbers and one index, not a million arrays; an item is made only
 * when asked for (`get`), and what is read for every place on the screen
 * is read by position (`indexOf`, `statusAt`, `overdueAt`, …).
 */

import { IdIndex } from "./ids.js";

// The items of one layer's places as columns. `statuses` names the statuses the numbers of `status` stand
// for; `flags`: 1 overdue, 2 overnight, and the escalation level (1 or 2) shifted by 2; `categories`: each
// place's category indices or a falsy value. A status of -1 is one the campaign does not know (the server
// sends it so: drawn in the unknown colour); a removed place keeps its position with status REMOVED.
var REMOVED = -2;

// `index` (optional): where each id stands (wall/ids.js), when the caller has it; else made from `ids`.
export function PlaceItems(statuses, ids, status, flags, open, overdue, categories, index) {
  this.statuses = statuses.slice();
  this.codes = new Map(this.statuses.map(function (name, i) { return [name, i]; }));
  this.ids = ids;
  this.status = status;
  this.flags = flags;
  this.open = open;
  this.overdue = overdue;
  this.categories = categories;
  this.size = ids.length;
  this.index = index || IdIndex.ofIds(ids);
}

// From the object-per-place form (id -> item): a delta's, a plain state's, a playback day's.
PlaceItems.fromFeatures = function (features) {
  var items = new PlaceItems([], [], [], [], [], [], []);
  Object.keys(features || {}).forEach(function (id) { items.set(id, features[id]); });
  return items;
};

// The layer's items, whichever form it came in (a layer with `features` is given its columns once).
export function itemsOf(layer) {
  if (!layer) return null;
  if (!layer.items) {
    layer.items = PlaceItems.fromFeatures(layer.features);
    delete layer.features;
  }
  return layer.items;
}

// The place's position, or -1 when the layer has no such place.
PlaceItems.prototype.indexOf = function (id) {
  var i = this.index.get(id);
  return i === undefined ? -1 : i;
};
PlaceItems.prototype.statusAt = function (i) { return this.statuses[this.status[i]]; };
PlaceItems.prototype.overdueAt = function (i) { return this.flags[i] & 1; };
PlaceItems.prototype.overnightAt = function (i) { return (this.flags[i] >> 1) & 1; };
PlaceItems.prototype.escalatedAt = function (i) { return (this.flags[i] >> 2) & 3; };
PlaceItems.prototype.categoriesAt = function (i) { return this.categories[i] || null; };

// Place `i`'s item, made now.
PlaceItems.prototype.itemAt = function (i) {
  var item = [this.statuses[this.status[i]], this.flags[i] & 1, (this.flags[i] >> 1) & 1, this.open[i], this.overdue[i]];
  var up = (this.flags[i] >> 2) & 3;
  if (this.categories[i] || up) item.push(this.categories[i] || []);
  if (up) item.push(up);
  return item;
};

PlaceItems.prototype.get = function (id) {
  var i = this.index.get(id);
  return i === undefined ? undefined : this.itemAt(i);
};

// Adds every place's status to `into.status` (name -> count) and to `into.total`, `into.done` (`isDone(name)`),
// `into.overdue`, `into.overnight` and `into.escalated`: the legend's counts, read straight from the columns
// (a million places in a few milliseconds, where a call per place took a third of a second).
PlaceItems.prototype.tally = function (into, isDone) {
  var byCode = new Float64Array(this.statuses.length), unknown = 0, status = this.status, flags = this.flags;
  var overdue = 0, overnight = 0, escalated = 0;
  for (var i = 0; i < status.length; i++) {
    var code = status[i];
    if (code === REMOVED) continue;
    if (code >= 0) byCode[code] += 1;
    else unknown += 1;
    var f = flags[i];
    overdue += f & 1;
    overnight += (f >> 1) & 1;
    if (f >> 2) escalated += 1;
  }
  var add = function (name, n) {
    if (!n) return;
    into.status[name] = (into.status[name] || 0) + n;
    into.total += n;
    if (isDone(name)) into.done += n;
  };
  for (var c = 0; c < byCode.length; c++) add(this.statuses[c], byCode[c]);
  add(undefined, unknown); // a status the campaign does not know, as `statusAt` names it
  into.overdue += overdue;
  into.overnight += overnight;
  into.escalated += escalated;
};

// fn(id, i) for every place the layer has.
PlaceItems.prototype.forEach = function (fn) {
  var ids = this.ids, status = this.status;
  for (var i = 0; i < ids.length; i++) if (status[i] !== REMOVED) fn(ids[i], i);
};

// Set a place's item (a new place is added at the end). Returns whether its look changed.
PlaceItems.prototype.set = function (id, item) {
  var i = this.index.get(id);
  var before = i === undefined ? undefined : this.itemAt(i);
  if (i === undefined) {
    i = this.ids.length;
    this.ids.push(id);
    this.index.set(id, i);
    this.size += 1;
  }
  var code = this.codes.get(item[0]);
  if (code === undefined) {
    code = this.statuses.length;
    this.statuses.push(item[0]);
    this.codes.set(item[0], code);
  }
  this.status[i] = code;
  this.flags[i] = (item[1] ? 1 : 0) | (item[2] ? 2 : 0) | ((item[6] || 0) << 2);
  this.open[i] = item[3];
  this.overdue[i] = item[4];
  this.categories[i] = item[5] && item[5].length ? item[5] : item[6] ? [] : 0;
  return !sameItem(before, item);
};

PlaceItems.prototype.remove = function (id) {
  var i = this.index.get(id);
  if (i === undefined) return false;
  this.index.delete(id);
  this.status[i] = REMOVED;
  this.size -= 1;
  return true;
};

// Whether place `i` here and place `j` of `other` look the same on the map.
PlaceItems.prototype.sameAt = function (i, other, j) {
  if (this.statusAt(i) !== other.statusAt(j) || this.flags[i] !== other.flags[j]) return false;
  if (this.open[i] !== other.open[j] || this.overdue[i] !== other.overdue[j]) return false;
  return String(this.categories[i] || "") === String(other.categories[j] || "");
};

// Whether two items look the same on the map.
export function sameItem(a, b) {
  if (!a || !b) return false;
  for (var i = 0; i < 5; i++) if (a[i] !== b[i]) return false;
  return String(a[5] || "") === String(b[5] || "") && (a[6] || 0) === (b[6] || 0);
}

// Merge `body` (full or delta) into `previous` (null before the first answer).
// Returns {state, changed: [[layerId, id]], removed: [[layerId, id]], withheld: [layerId], back: [layerId]}; a
// delta updates `previous` in place and returns it as `state`. A full state leaves out a layer that cannot be
// read now (/api/health says why): `withheld` lists the layers `previous` had and `body` has not, `back` those it
// has again (neither when there is no `previous`); a withheld layer's places are not listed as removed.
export function mergeState(previous, body) {
  var changed = [];
  var removed = [];
  var withheld = [];
  var back = [];
  if (body.kind === "delta" && previous) {
    Object.keys(body.layers).forEach(function (layerId) {
      var into = previous.layers[layerId] || (previous.layers[layerId] = { features: {} });
      var items = itemsOf(into);
      var delta = body.layers[layerId];
      into.revision = delta.revision;
      into.shapes = delta.shapes;
      Object.keys(delta.features).forEach(function (id) {
        if (items.set(id, delta.features[id])) changed.push([layerId, id]);
      });
      (delta.removed || []).forEach(function (id) {
        items.remove(id);
        removed.push([layerId, id]);
      });
    });
    previous.revision = body.revision;
    previous.head = body.head;
    previous.day = body.day;
    previous.after_cutoff = body.after_cutoff;
    previous.moment = body.moment;
    if (body.as_of && (!previous.as_of || body.as_of > previous.as_of)) previous.as_of = body.as_of;
    return { state: previous, changed: changed, removed: removed, withheld: withheld, back: back };
  }
  if (previous) Object.keys(previous.layers).forEach(function (layerId) {
    if (!(layerId in body.layers)) withheld.push(layerId);
  });
  Object.keys(body.layers).forEach(function (layerId) {
    var now = itemsOf(body.layers[layerId]);
    var before = previous ? itemsOf(previous.layers[layerId]) : null;
    if (previous && !before) back.push(layerId);
    now.forEach(function (id, i) {
      var was = before ? before.indexOf(id) : -1;
      if (was < 0 || !now.sameAt(i, before, was)) changed.push([layerId, id]);
    });
    if (before) before.forEach(function (id) {
      if (now.indexOf(id) < 0) removed.push([layerId, id]);
    });
  });
  return { state: body, changed: changed, removed: removed, withheld: withheld, back: back };
}
