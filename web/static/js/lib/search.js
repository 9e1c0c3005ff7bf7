/*
 * Finding places by name, the one way every page does it (the wall's search
 * box, the editor's): the text and the names compared in their normal form
 * (lib/dom.js `normalise`: NFKC, case, spaces and dashes ignored), a name
 * that starts with the text before one that contains it, shorter names
 * first, and a place's id typed in full finds it too. Pure: no DOM, no
 * Leaflet; checked by tests/js/.
 */
import { normalise } from "./dom.js";

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
