/*
 * Label placement, greedy and pure: candidates in order of importance, each
 * with the box its text would take on screen; a box that leaves the screen
 * or overlaps one already taken (or a panel's) is left out, so names never
 * pile up. Collisions are found through a grid of cells. No DOM, no Leaflet:
 * checked by tests/js/.
 */

var CELL = 96; // px: buckets of the collision grid

// candidates: most important first; boxOf(candidate): [left, top, right, bottom]
// its text would take (asked only while fewer than `max` are placed)
// size: {x, y} of the screen; obstacles: boxes nothing may overlap (panels)
// Returns the candidates placed, at most `max`.
export function placeLabels(candidates, boxOf, size, obstacles, max) {
  var grid = {};
  var placed = [];
  var cellsOf = function (box) {
    var cells = [];
    for (var gx = Math.floor(box[0] / CELL); gx <= Math.floor(box[2] / CELL); gx++) {
      for (var gy = Math.floor(box[1] / CELL); gy <= Math.floor(box[3] / CELL); gy++) cells.push(gx + ":" + gy);
    }
    return cells;
  };
  var take = function (box) {
    cellsOf(box).forEach(function (cell) { (grid[cell] || (grid[cell] = [])).push(box); });
  };
  (obstacles || []).forEach(take);
  candidates.forEach(function (c) {
    if (placed.length >= max) return;
    var box = boxOf(c);
    if (box[2] < 0 || box[3] < 0 || box[0] > size.x || box[1] > size.y) return;
    var cells = cellsOf(box);
    for (var i = 0; i < cells.length; i++) {
      var others = grid[cells[i]] || [];
      for (var j = 0; j < others.length; j++) {
        var o = others[j];
        if (box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) return; // collides: leave it out
      }
    }
    take(box);
    placed.push(c);
  });
  return placed;
}

// Candidates sorted most important first: higher priority, then larger size.
export function byImportance(a, b) {
  return b.priority - a.priority || b.size - a.size;
}

// The names of a boundary level (sub-districts or communities) whose label points are in view, as label
// candidates: `data` is the level's GeoJSON (each feature with `name` and `label_point` [lon, lat]),
// `level` {cls, priority}; `inView(lon, lat)` gives the label's position, or null when it is out of view.
export function boundaryCandidates(data, level, inView) {
  var out = [];
  (data ? data.features : []).forEach(function (f) {
    var pt = f.properties && f.properties.label_point;
    var at = pt && f.properties.name ? inView(pt[0], pt[1]) : null;
    if (at) out.push({ text: f.properties.name, at: at, cls: level.cls, priority: level.priority, size: 0 });
  });
  return out;
}
