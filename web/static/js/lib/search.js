/*
 * Finding places by name, the one way every page does it (the wall's search
 * box, the editor's): the text and the names compared in their normal form
 * (lib/dom.js `normalise`: NFKC, case, spaces and dashes ignored), a name
 * that starts with the text before one that contains it, shorter names
 * first, and a place's id typed in full finds it too; and asking the server
 * for a large layer's places (`PausedAsk`: after a pause in typing, the
 * latest text only). No DOM, no Leaflet; checked by tests/js/.
 */
import { normalise } from "./dom.js";

export var MAX_TEXT = 100; // characters of a search text the server takes (geo/name_search.py MAX_TEXT)

// The text as the server takes it: its first MAX_TEXT whole characters (never half of a surrogate pair).
export function searchText(text) {
  return Array.from(text).slice(0, MAX_TEXT).join("");
}

// findByName's eachCandidate over `found` (the server's places, first) and then those eachLoaded(visit) visits
// (the page's, with their keys), each place — by layer and id — once: as the server has it if it found it.
export function foundFirst(found, eachLoaded) {
  return function (visit) {
    var seen = new Set();
    var once = function (place, key) {
      var at = place.layerId + "\u0000" + place.id;
      if (seen.has(at)) return;
      seen.add(at);
      visit(place, key);
    };
    (found || []).forEach(function (place) { once(place); });
    eachLoaded(once);
  };
}

// eachCandidate(visit) calls visit(candidate, key) for every place that may be
// found: candidate has .id and .name, key is its name's normal form when the
// caller keeps one (or nothing: it is computed). Returns at most `limit`
// candidates (10 by default), best first.
export function findByName(text, eachCandidate, limit) {
  var q = normalise(text);
  if (!q) return [];
  var hits = [];
  eachCandidate(function (candidate, key) {
    var k = key === undefined ? normalise(candidate.name) : key;
    var at = k.indexOf(q);
    if (at >= 0 || candidate.id === text) hits.push({ candidate: candidate, rank: (at === 0 ? 0 : 1) * 1000 + k.length });
  });
  hits.sort(function (a, b) {
    if (a.rank !== b.rank) return a.rank - b.rank;
    var na = String(a.candidate.name || "");
    var nb = String(b.candidate.name || "");
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
  return hits.slice(0, limit || 10).map(function (h) { return h.candidate; });
}

// Asks the server for places once typing pauses `pauseMs`, for the latest text only: `ask(text, fetchPlaces,
// onPlaces, onFailure)` calls fetchPlaces(text, signal) (a promise of places) after the pause, then onPlaces(places)
// or onFailure(error). A newer ask, or `cancel` (the list closed), aborts the one before through its signal and
// drops its answer, whenever that comes.
export function PausedAsk(pauseMs) {
  this.pauseMs = pauseMs;
  this.timer = null;
  this.controller = null;
  this.asked = 0;
}

PausedAsk.prototype.ask = function (text, fetchPlaces, onPlaces, onFailure) {
  this.cancel();
  var self = this;
  var mine = this.asked;
  this.timer = setTimeout(function () {
    self.timer = null;
    var controller = self.controller = new AbortController();
    var latest = function () { return mine === self.asked && !controller.signal.aborted; };
    Promise.resolve().then(function () { return fetchPlaces(text, controller.signal); }).then(function (places) {
      if (!latest()) return;
      self.controller = null;
      onPlaces(places);
    }, function (err) {
      if (!latest()) return;
      self.controller = null;
      controller.abort(); // the requests still out for the text (one failed: its answer is not complete)
      onFailure(err);
    });
  }, this.pauseMs);
};

// Whether an ask is waiting for its pause or its answer.
PausedAsk.prototype.pending = function () {
  return this.timer !== null || this.controller !== null;
};

PausedAsk.prototype.cancel = function () {
  this.asked += 1;
  clearTimeout(this.timer);
  this.timer = null;
  if (this.controller) this.controller.abort();
  this.controller = null;
};
