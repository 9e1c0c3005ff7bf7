/*
 * The replay of a playback (进度回放), pure: every place's status at the end
 * of each day of the range, applied day after day from /api/playback's
 * changes (geo/playback.py), and the per-day counts of a part of the
 * campaign. No DOM, no Leaflet: checked by tests/js/.
 */
import { unpackIds } from "./packed.js";

// --- the replay: statuses of every place, one day after another ------------------
export function Model(doc) {
  this.doc = doc;
  this.layers = doc.layers.map(function (l) { return { id: l.id, ids: unpackIds(l.ids) }; });
  this.reset();
}

Model.prototype.reset = function () {
  this.codes = this.doc.layers.map(function (l) { return Int32Array.from(l.start); });
  this.day = -1; // the end of the day before `from`
};

// each(layer index, place index, status index before, after) for every change applied
Model.prototype.apply = function (d, each) {
  var flat = this.doc.days[d].changes;
  for (var k = 0; k < flat.length; k += 3) {
    var codes = this.codes[flat[k]];
    var before = codes[flat[k + 1]];
    codes[flat[k + 1]] = flat[k + 2];
    if (each) each(flat[k], flat[k + 1], before, flat[k + 2]);
  }
  this.day = d;
};

Model.prototype.seek = function (d) {
  if (d < this.day) this.reset();
  while (this.day < d) this.apply(this.day + 1);
};

// The day's state, shaped like a full state answer in the object-per-place form (the wall takes it as
// it takes a plain answer: wall/sync.js `showState`); `live` lends the revisions.
Model.prototype.state = function (live) {
  var doc = this.doc;
  var day = doc.days[this.day];
  var layers = {};
  var codes = this.codes;
  this.layers.forEach(function (l, n) {
    var features = {};
    var c = codes[n];
    for (var i = 0; i < c.length; i++) if (c[i] >= 0) features[l.ids[i]] = [doc.statuses[c[i]], 0, 0, 0, 0];
    var was = (live && live.layers[l.id]) || {};
    layers[l.id] = { features: features, revision: was.revision || 0, shapes: was.shapes || 0, counts: {} };
  });
  return { kind: "full", format: "playback", revision: live ? live.revision : doc.revision, head: live ? live.head : doc.revision,
           day: day.date, after_cutoff: false, as_of: day.end, layers: layers };
};

// Per day: places per status, total, done, share done. The timeline's for a whole
// campaign; counted here, in one pass over the changes, when `inScope` picks a part.
export function series(doc, inScope) {
  if (!inScope) {
    return doc.days.map(function (d) { return { counts: d.counts, total: d.total, done: d.done, share: d.share_done }; });
  }
  var done = {};
  doc.done.forEach(function (k) { done[k] = true; });
  var counts = {};
  var total = 0;
  var nDone = 0;
  var add = function (code, sign) {
    if (code < 0) return;
    var key = doc.statuses[code];
    counts[key] = (counts[key] || 0) + sign;
    total += sign;
    if (done[key]) nDone += sign;
  };
  var model = new Model(doc);
  model.codes.forEach(function (codes, n) {
    for (var i = 0; i < codes.length; i++) if (inScope(n, i)) add(codes[i], 1);
  });
  return doc.days.map(function (d, k) {
    model.apply(k, function (n, i, before, after) {
      if (!inScope(n, i)) return;
      add(before, -1);
      add(after, 1);
    });
    return { counts: Object.assign({}, counts), total: total, done: nDone, share: total ? Math.round((10000 * nDone) / total) / 10000 : 0 };
  });
}
